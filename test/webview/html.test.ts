import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildWebviewHtml, contentSecurityPolicy, makeNonce } from '../../src/extension/panel/html';

const input = {
  kind: 'panel' as const,
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: makeNonce(),
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/panel.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/styles.css'],
  title: 'Memory: "yolo" <v8>',
};

test('the CSP allows nothing but our nonce script and resources from the webview source', () => {
  const csp = contentSecurityPolicy(input.cspSource, 'abc');
  assert.equal(csp, `default-src 'none'; script-src 'nonce-abc'; style-src ${input.cspSource} 'nonce-abc'; font-src ${input.cspSource}; img-src ${input.cspSource} data:`);
  assert.ok(!csp.includes('unsafe'));
});

test('the page: one nonce script, linked styles, no inline script or style, escaped title', () => {
  const html = buildWebviewHtml(input);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, new RegExp(`<script nonce="${input.nonce.replace(/[+/=]/g, (c) => `\\${c}`)}" src="${input.scriptUri.replace(/[.+]/g, (c) => `\\${c}`)}"></script>`));
  assert.ok(!/<style/.test(html) && !/ style=/.test(html));
  assert.ok(!/\son\w+=/.test(html), 'no inline event handlers');
  assert.match(html, /<title>Memory: &quot;yolo&quot; &lt;v8&gt;<\/title>/);
  assert.match(html, /<body class="view-panel">/);
  assert.match(html, /http-equiv="Content-Security-Policy"/);
  assert.match(buildWebviewHtml({ ...input, kind: 'sidebar' }), /<body class="view-sidebar">/);
});

test('nonces are fresh and well-formed; a bad one is refused', () => {
  const a = makeNonce();
  assert.notEqual(a, makeNonce());
  assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
  assert.throws(() => buildWebviewHtml({ ...input, nonce: 'x" onload="alert(1)' }), /nonce/);
});
