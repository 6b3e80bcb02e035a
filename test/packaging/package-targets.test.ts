// What `npm run package` can build: every listed target has onnxruntime-node's native binary (an
// Intel-Mac package could not load its runtime, so darwin-x64 is not listed), and the notices
// generator finds a licence for every package the bundles are made of.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const evalModule = (code: string): unknown => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }));

test('every package target has its onnxruntime binary; darwin-x64 is not listed', () => {
  const targets = evalModule("const m = await import('./scripts/package.mjs'); console.log(JSON.stringify(m.TARGETS));") as Record<string, [string, string]>;
  assert.ok(!('darwin-x64' in targets));
  assert.ok(Object.keys(targets).length >= 4);
  for (const [target, [platform, arch]] of Object.entries(targets)) {
    assert.ok(existsSync(join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', platform, arch)), target);
  }
});

test('ThirdPartyNotices covers every package esbuild bundles into the extension, worker, CLI and webviews', async () => {
  const entries = ['src/extension/extension.ts', 'src/worker/worker.ts', 'src/cli/cli.ts', 'webview/panel/main.ts', 'webview/sidebar/main.ts'];
  const metafiles = [];
  for (const e of entries) {
    const platform = e.startsWith('webview') ? 'browser' : 'node';
    const r = await esbuild.build({ entryPoints: [join(root, e)], bundle: true, write: false, metafile: true, platform, external: ['vscode', 'onnxruntime-node'], logLevel: 'silent' });
    metafiles.push(r.metafile);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'yolo-mem-meta-')), 'metafiles.json');
  writeFileSync(file, JSON.stringify(metafiles));
  const code = `const m = await import('./scripts/third-party-notices.mjs');
    const fs = await import('node:fs');
    const pkgs = m.packagesFromMetafiles(JSON.parse(fs.readFileSync(${JSON.stringify(file)}, 'utf8')));
    const text = m.noticesText(process.cwd(), pkgs, 'X');
    console.log(JSON.stringify({ pkgs, text }));`;
  const { pkgs, text } = evalModule(code) as { pkgs: string[]; text: string };
  for (const p of ['yaml', 'vscode-jsonrpc', 'web-tree-sitter', '@vscode/webview-ui-toolkit']) assert.ok(pkgs.includes(p), `${p} is bundled`);
  for (const p of pkgs) assert.match(text, new RegExp(`^${p.replace(/[/.]/g, '\\$&')} \\d`, 'm'), p);
  assert.ok(!pkgs.some((p) => p === 'onnxruntime-node'), 'the native runtime is copied, not bundled');
});
