// Installs code-server (a real VS Code workbench served over HTTP) into a cache folder for the
// end-to-end tests and `npm run demo`. It is deliberately not a devDependency: it is ~300 MB and
// needs native builds, which would make every `npm ci` slow for people who never run e2e.
//
// Idempotent: a finished install leaves a marker file, and a cached install that still answers
// `--version` is reused. See /work/shared/E2E-RECIPE.md for why each workaround below exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // the newest release that runs on Node 20
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(root, '.e2e-cache', `code-server-${CODE_SERVER_VERSION}`);
const marker = join(cacheDir, '.installed');
/** Absolute path of code-server's launcher script inside the cache. */
export const codeServerBin = join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** True when the cached code-server exists and starts far enough to print its version. */
export function codeServerWorks() {
  if (!existsSync(marker) || !existsSync(codeServerBin)) return false;
  const r = spawnSync(process.execPath, [codeServerBin, '--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && r.stdout.includes(CODE_SERVER_VERSION);
}

// @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless a tarball of
// the same name is already in its cache folder, so we seed that folder from the system `rg`.
function seedRipgrepCache() {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep is missing: install it first (apt-get install -y ripgrep)');
  const triple = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!triple) throw new Error(`no ripgrep cache name known for architecture ${process.arch}`);
  const dir = join(process.env.TMPDIR || tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const tarball = join(dir, `ripgrep-v13.0.0-10-${triple}.tar.gz`);
  if (existsSync(tarball)) return;
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-seed-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    chmodSync(join(staging, 'rg'), 0o755);
    const t = spawnSync('tar', ['-czf', tarball, '-C', staging, 'rg'], { stdio: 'inherit' });
    if (t.status !== 0) throw new Error('could not create the ripgrep cache tarball');
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function installCodeServer({ quiet = false } = {}) {
  if (codeServerWorks()) {
    if (!quiet) console.log(`code-server ${CODE_SERVER_VERSION} already installed in ${cacheDir}`);
    return codeServerBin;
  }
  seedRipgrepCache();
  // Install into a staging folder and rename at the end, so an interrupted install is never
  // mistaken for a finished one.
  const staging = `${cacheDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'e2e-code-server', private: true }, null, 2));
  const env = {
    ...process.env,
    npm_config_yes: 'true', // node-pty runs `npx node-gyp`, which aborts under yes=false
    ONNXRUNTIME_NODE_INSTALL: 'skip',
    // code-server needs its install scripts (native modules); under `npm test` the repository's
    // .npmrc `ignore-scripts=true` reaches this child as npm_config_ignore_scripts
    npm_config_ignore_scripts: 'false',
  };
  // node-gyp must use local headers: there is no internet to download them from.
  if (existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  console.log(`installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (about a minute)…`);
  const started = Date.now();
  const r = spawnSync(
    'npm',
    ['install', `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'],
    { cwd: staging, env, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' },
  );
  if (r.status !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status})`);
  rmSync(cacheDir, { recursive: true, force: true });
  renameSync(staging, cacheDir);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  if (!codeServerWorks()) throw new Error(`code-server was installed in ${cacheDir} but does not start`);
  console.log(`code-server ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerBin;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    installCodeServer();
  } catch (e) {
    console.error(`install-code-server: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
