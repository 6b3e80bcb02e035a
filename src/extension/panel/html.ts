// The one HTML page both webviews (panel and sidebar) are served from. Pure: takes the already
// resolved webview URIs, so tests check the CSP without a VS Code. The page holds no inline script
// or style; the bundle builds the DOM (the nonce also admits the toolkit's nonce-bearing probe style).

import { randomBytes } from 'node:crypto';

export type WebviewKind = 'panel' | 'sidebar';

export interface WebviewHtmlInput {
  kind: WebviewKind;
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview URIs (asWebviewUri) of the bundle and the style sheets. */
  scriptUri: string;
  styleUris: readonly string[];
  title: string;
}

/** 128 bits from the OS RNG, base64: a fresh one for every HTML build. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    // the nonce lets the UI toolkit's one probe (an empty <style> that tests :focus-visible support,
    // given the nonce it reads from the csp-nonce meta tag) pass instead of logging a violation;
    // inline style attributes stay refused
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function buildWebviewHtml(i: WebviewHtmlInput): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(i.nonce)) throw new Error('webview nonce must be base64 of at least 16 characters');
  const styles = i.styleUris.map((u) => `<link rel="stylesheet" href="${attr(u)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(i.cspSource, i.nonce))}">
    <meta property="csp-nonce" content="${attr(i.nonce)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${attr(i.title)}</title>
  </head>
  <body class="view-${i.kind}">
    <div id="root" data-kind="${i.kind}" aria-busy="true"><p class="loading">Loading…</p></div>
    <script nonce="${attr(i.nonce)}" src="${attr(i.scriptUri)}"></script>
  </body>
</html>
`;
}
