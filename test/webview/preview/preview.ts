// Renders both webviews standalone in headless Chromium with a fake acquireVsCodeApi and sample
// data, under the real CSP, and saves PNGs: a look at the UI without VS Code. Not a test; run:
//   node --import tsx test/webview/preview/preview.ts [outDir] [--theme=light|dark|hc] [--width=N]
// Needs a built dist/webview and /usr/bin/chromium. Prints CSP violations and console errors.

import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { buildWebviewHtml, makeNonce } from '../../../src/extension/panel/html';
import type { PanelState, SidebarState } from '../../../src/protocol/webview';
import { sampleResult } from '../sample';
import { THEMES } from './themes';

const root = join(__dirname, '..', '..', '..');
const args = process.argv.slice(2);
const outDir = args.find((a) => !a.startsWith('--')) ?? '/tmp/yolo-preview';
const theme = (args.find((a) => a.startsWith('--theme='))?.slice(8) ?? 'dark') as keyof typeof THEMES;
const width = Number(args.find((a) => a.startsWith('--width='))?.slice(8) ?? 1100);
const layers = Number(args.find((a) => a.startsWith('--layers='))?.slice(9) ?? 120);
mkdirSync(outDir, { recursive: true });

const realModel = args.find((a) => a.startsWith('--model='))?.slice(8);
let result = sampleResult({ layers });
let panelState: PanelState = { options: { model: 'yolov8n.pt', batch: [16], imgsz: 640 }, result, resultSeq: 0, busy: false, error: args.includes('--error') ? { message: 'Worker crashed: out of memory while reading model.onnx', hasLog: true } : null };
const sidebarState: SidebarState = {
  gpus: [{ name: 'NVIDIA GeForce RTX 4060', index: 0, totalBytes: 8 * 1024 ** 3, usedBytes: 1.2 * 1024 ** 3, freeBytes: 6.8 * 1024 ** 3, source: 'nvidia-smi', driverVersion: '550.54' }],
  gpuMessage: null,
  active: { id: 'file:///ws/train.py#L12', label: 'train.py:12', detail: "model.train(data='coco.yaml', batch=16)", kind: 'script', model: 'yolov8n.pt', batch: 16, imgsz: 640, verdict: 'fits', deviceBytes: result.estimates[0]!.bytes.device, vramBytes: 8 * 1024 ** 3, maxBatch: result.maxBatch },
  workspace: [
    { id: 'a', label: 'yolov8n-640-static.onnx', detail: 'models/yolov8n-640-static.onnx', kind: 'model', model: 'models/yolov8n-640-static.onnx', batch: 16, imgsz: 640, verdict: 'fits', deviceBytes: 3.6 * 1024 ** 3, vramBytes: 8 * 1024 ** 3, maxBatch: 36 },
    { id: 'b', label: 'train_big.py:40', detail: 'yolo11x batch=64', kind: 'script', model: 'yolo11x.pt', batch: 64, imgsz: 1280, verdict: 'oom', deviceBytes: 61 * 1024 ** 3, vramBytes: 8 * 1024 ** 3, maxBatch: 4 },
    { id: 'c', label: 'custom.yaml', detail: 'cfg/custom.yaml', kind: 'yaml', model: 'cfg/custom.yaml', batch: 32, imgsz: 640, verdict: 'tight', deviceBytes: 6.9 * 1024 ** 3, vramBytes: 8 * 1024 ** 3, maxBatch: 33 },
    { id: 'd', label: 'broken.onnx', detail: 'models/broken.onnx', kind: 'model', model: 'models/broken.onnx', batch: null, imgsz: null, verdict: 'error', deviceBytes: null, vramBytes: null, maxBatch: null, message: 'Not an ONNX file: bad protobuf at offset 12' },
  ],
  updatedAt: Date.now(),
};

const fakeApi = (kind: 'panel' | 'sidebar') => `
(() => {
  const state = ${JSON.stringify(kind === 'panel' ? { type: 'panelState', state: panelState } : { type: 'sidebarState', state: sidebarState })};
  let saved;
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage(m) {
      window.__posted.push(m);
      if (m.type === 'ready') setTimeout(() => window.postMessage(state, '*'), 10);
    },
    getState() { return saved; },
    setState(s) { saved = s; return s; },
  });
  document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' sample=' + e.sample + ' el=' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : e.target)));
})();`;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kind = url.pathname.includes('sidebar') ? 'sidebar' : 'panel';
  if (url.pathname === '/panel.html' || url.pathname === '/sidebar.html') {
    const nonce = makeNonce();
    let html = buildWebviewHtml({ kind, cspSource: base, nonce, scriptUri: `${base}/dist/webview/${kind}.js`, styleUris: [`${base}/theme.css`, `${base}/dist/webview/codicon.css`, `${base}/dist/webview/styles.css`], title: kind });
    html = html.replace('<script nonce', `<script nonce="${nonce}" src="${base}/fake-${kind}.js"></script>\n    <script nonce`);
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    return;
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (url.pathname.startsWith('/fake-')) {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(fakeApi(url.pathname.includes('sidebar') ? 'sidebar' : 'panel'));
    return;
  }
  if (url.pathname === '/theme.css') {
    const vars = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`).join('\n');
    res.writeHead(200, { 'content-type': 'text/css' }).end(`html { ${vars} }`);
    return;
  }
  try {
    const body = readFileSync(join(root, url.pathname));
    const type = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' }[extname(url.pathname)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
async function main(): Promise<void> {
  if (realModel) {
    // The estimator's own output instead of the synthetic sample.
    const { analyze } = await import('../../../src/core/analyze');
    const options = { model: realModel, batch: [16], imgsz: 640, gpu: { name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * 1024 ** 3, source: 'preset' } };
    result = await analyze(options);
    panelState = { ...panelState, options, result };
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  let problems = 0;
  try {
    for (const [kind, w] of [
      ['panel', width],
      ['sidebar', 300],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: w, height: 900 }, deviceScaleFactor: 1 });
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') {
          problems++;
          console.log(`[${kind}] ${m.type()}: ${m.text()}`);
        }
      });
      page.on('requestfailed', (r) => console.log(`[${kind}] request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) console.log(`[${kind}] HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('pageerror', (e) => {
        problems++;
        console.log(`[${kind}] page error: ${e.message}`);
      });
      await page.goto(`${base}/${kind}.html`);
      await page.waitForTimeout(700);
      await page.screenshot({ path: join(outDir, `${kind}-${theme}.png`), fullPage: true });
      if (kind === 'panel') {
        await page.click('#tab-layers');
        await page.waitForTimeout(200);
        await page.click('tr.layer-row >> nth=4');
        await page.waitForTimeout(200);
        await page.screenshot({ path: join(outDir, `panel-layers-${theme}.png`), fullPage: true });
        console.log('posted:', JSON.stringify(await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)));
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`${problems} console problems; screenshots in ${outDir}`);
}

void main();
