// Builds a platform-specific .vsix: `npm run package [-- <target>]`, target one of TARGETS
// (default linux-x64). vsce runs with --no-dependencies, so node_modules never ships; the one
// runtime package that cannot be bundled (onnxruntime-node, a native addon, and its pure-JS
// companion onnxruntime-common) is copied beside the bundle into dist/node_modules/, with only the
// native binaries of the target platform (45 MB for linux-x64 instead of 288 MB for all).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_PACKAGES_FILE, noticesText } from './third-party-notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** VS Code target → onnxruntime-node's bin/napi-v6/<platform>/<arch> folder. */
export const TARGETS = {
  'linux-x64': ['linux', 'x64'],
  'linux-arm64': ['linux', 'arm64'],
  'darwin-arm64': ['darwin', 'arm64'],
  'win32-x64': ['win32', 'x64'],
  'win32-arm64': ['win32', 'arm64'],
};
// Not darwin-x64: onnxruntime-node 1.30 ships no binary for Intel Macs (bin/napi-v6/darwin/ has
// arm64 only), so a darwin-x64 package could not load its runtime; copyOnnxRuntime refuses it.
// The marketplace caps what users download; 60 MB keeps linux-x64 well below it and catches a
// packaging mistake such as shipping every platform's binaries.
const MAX_MB = { 'linux-x64': 60 };

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${[cmd === process.execPath ? 'node' : cmd, ...args.map((a) => relative(root, a) || a)].join(' ')} exited with ${r.status}`);
}

function copyOnnxRuntime(platform, arch) {
  const src = join(root, 'node_modules');
  const dest = join(root, 'dist', 'node_modules');
  const binDir = join('bin', 'napi-v6', platform, arch);
  if (!existsSync(join(src, 'onnxruntime-node', binDir))) {
    const version = JSON.parse(readFileSync(join(src, 'onnxruntime-node', 'package.json'), 'utf8')).version;
    fail(`onnxruntime-node ${version} ships no binary for ${platform}/${arch}, so this target cannot be packaged`);
  }
  rmSync(dest, { recursive: true, force: true });
  // Type declarations and source maps are of no use at run time.
  const copy = (from, to) => cpSync(from, to, { recursive: true, filter: (f) => !/\.(d\.ts|map)$/.test(f) });
  // onnxruntime-common: its manifest and built JS; lib/ is TypeScript source.
  for (const part of ['package.json', 'README.md', 'dist']) {
    copy(join(src, 'onnxruntime-common', part), join(dest, 'onnxruntime-common', part));
  }
  // The JS wrapper (dist/), its manifest and licence, and one platform's binaries; not the TS
  // sources, install scripts or the other platforms.
  for (const part of ['package.json', 'README.md', 'LICENSE', 'dist', binDir]) {
    const from = join(src, 'onnxruntime-node', part);
    if (existsSync(from)) copy(from, join(dest, 'onnxruntime-node', part));
  }
}

/** The user guide shipped as the extension's README (links in it are relative to the repo root,
 *  where vsce puts the readme inside the package). */
export const USER_README = 'docs/marketplace/README.md'; // relative to root: vsce matches it against package paths

/** dist/'s runtime packages beyond the bundles: copied by copyOnnxRuntime and build.mjs copyAssets. */
const COPIED_PACKAGES = ['onnxruntime-node', 'onnxruntime-common', 'web-tree-sitter', 'tree-sitter-python', '@vscode/codicons'];

/** ThirdPartyNotices.txt at the package root, from the production build's bundled packages plus
 *  the packages whose files are copied into dist/. */
function writeThirdPartyNotices(productName) {
  const listFile = join(root, 'dist', BUNDLED_PACKAGES_FILE);
  if (!existsSync(listFile)) fail(`${relative(root, listFile)} is missing: the production build records the bundled packages`);
  const bundled = JSON.parse(readFileSync(listFile, 'utf8'));
  try {
    writeFileSync(join(root, 'ThirdPartyNotices.txt'), noticesText(root, [...bundled, ...COPIED_PACKAGES], productName));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  rmSync(listFile); // a build record, not part of the package
}

export function packageTarget(target) {
  const pair = TARGETS[target];
  if (!pair) fail(`unknown target "${target}"; use one of ${Object.keys(TARGETS).join(', ')}`);
  if (!existsSync(join(root, 'src', 'extension', 'extension.ts'))) fail('src/extension/extension.ts is missing: nothing to package');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // A clean production build: no source maps and no stale bundles from development builds.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
  copyOnnxRuntime(...pair);
  writeThirdPartyNotices(manifest.displayName);
  const out = join(root, `${manifest.name}-${target}-${manifest.version}.vsix`);
  run(process.execPath, [
    join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package', '--no-dependencies', '--target', target, '--out', out,
    // The extension page shows the user guide; README.md in the repository is for developers.
    '--readme-path', USER_README,
    // The guide links to docs/*.md and docs/images/, which ship in the package (see .vscodeignore);
    // leaving the links relative keeps them working in VS Code's extension page instead of
    // pointing at a guessed repository URL.
    '--no-rewrite-relative-links',
  ]);
  const mb = statSync(out).size / 1024 / 1024;
  console.log(`${relative(root, out)}: ${mb.toFixed(1)} MB`);
  if (MAX_MB[target] && mb > MAX_MB[target]) fail(`${relative(root, out)} is ${mb.toFixed(1)} MB, over the ${MAX_MB[target]} MB limit`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const targets = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  for (const t of targets.length ? targets : ['linux-x64']) packageTarget(t);
}
