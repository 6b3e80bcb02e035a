// Serves the built webviews (dist/webview) over localhost exactly as buildWebviewHtml writes them,
// CSP included, with VS Code-like theme variables; and a fake acquireVsCodeApi to inject with
// Playwright's addInitScript (which runs outside the page's CSP). Used by the preview script and
// the browser test.

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { buildWebviewHtml, makeNonce } from '../../../src/extension/panel/html';
import { THEMES } from './themes';

export const ROOT = join(__dirname, '..', '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why a browser run cannot happen here, or null. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (!existsSync(join(ROOT, 'dist', 'webview', 'panel.js')) || !existsSync(join(ROOT, 'dist', 'webview', 'sidebar.js'))) return 'dist/webview is not built (npm run build)';
  return null;
}

export interface Served {
  base: string;
  close(): Promise<void>;
}

export async function serveWebviews(theme: keyof typeof THEMES = 'dark'): Promise<Served> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const m = /^\/(panel|sidebar)\.html$/.exec(url.pathname);
    if (m) {
      const kind = m[1] as 'panel' | 'sidebar';
      const html = buildWebviewHtml({ kind, cspSource: base, nonce: makeNonce(), scriptUri: `${base}/dist/webview/${kind}.js`, styleUris: [`${base}/theme.css`, `${base}/dist/webview/codicon.css`, `${base}/dist/webview/styles.css`], title: kind });
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/theme.css') {
      // VS Code sets these on <html>; a linked sheet does the same here without an inline style.
      const vars = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`).join('\n');
      res.writeHead(200, { 'content-type': 'text/css' }).end(`html { ${vars} }`);
      return;
    }
    if (!url.pathname.startsWith('/dist/webview/')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(ROOT, url.pathname));
      const type = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' }[extname(url.pathname)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Init script: a fake acquireVsCodeApi that records what the page posts (window.__posted), keeps
 *  setState in window.__saved, answers `ready` with `reply` when given, and reports CSP violations
 *  to the console. */
export function fakeVsCodeApi(reply: unknown | null): string {
  return `(() => {
  const reply = ${JSON.stringify(reply)};
  window.__posted = [];
  window.__saved = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage(m) {
      window.__posted.push(JSON.parse(JSON.stringify(m)));
      if (m.type === 'ready' && reply) setTimeout(() => window.postMessage(reply, '*'), 0);
    },
    getState() { return window.__saved; },
    setState(s) { window.__saved = s; return s; },
  });
  document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber));
})();`;
}
