// One esbuild script for every bundle: extension host entry, estimator worker, CLI, webviews.
// Native and runtime-loaded packages stay external: onnxruntime-node ships its own .node binaries.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_PACKAGES_FILE, packagesFromMetafiles } from './third-party-notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', 'onnxruntime-node'],
  logLevel: 'warning',
};

const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', opts: nodeCommon },
  { in: 'src/worker/worker.ts', out: 'dist/worker.js', opts: nodeCommon },
  { in: 'src/cli/cli.ts', out: 'dist/cli.js', opts: { ...nodeCommon, banner: { js: '#!/usr/bin/env node' } } },
  { in: 'webview/panel/main.ts', out: 'dist/webview/panel.js', opts: { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning' } },
  { in: 'webview/sidebar/main.ts', out: 'dist/webview/sidebar.js', opts: { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning' } },
].filter((e) => existsSync(join(root, e.in)));

// Runtime assets that are loaded from disk rather than bundled.
function copyAssets() {
  mkdirSync(join(root, 'dist', 'webview'), { recursive: true });
  for (const [from, to] of [
    ['node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm'],
    ['node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm'],
    ['webview/shared/styles.css', 'dist/webview/styles.css'],
    ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf'],
  ]) {
    if (existsSync(join(root, from))) cpSync(join(root, from), join(root, to));
  }
}

// A production build records what each bundle was made from (esbuild's metafile): the packages in
// it are the ones ThirdPartyNotices.txt must cover (scripts/package.mjs writes it from this list).
const contexts = await Promise.all(
  entries.map((e) => esbuild.context({ ...e.opts, metafile: production, entryPoints: [join(root, e.in)], outfile: join(root, e.out) })),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  copyAssets();
  console.log(`watching ${entries.length} bundles`);
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  copyAssets();
  if (production) {
    const packages = packagesFromMetafiles(results.map((r) => r.metafile));
    writeFileSync(join(root, 'dist', BUNDLED_PACKAGES_FILE), JSON.stringify(packages.sort(), null, 1) + '\n');
  }
  console.log(`built ${entries.map((e) => e.out).join(', ')}`);
}
