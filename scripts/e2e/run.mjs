// `npm run test:e2e [-- <file filter>...]`: prepares what the end-to-end suite needs once
// (Chromium check, cached code-server, a freshly packaged .vsix for this machine), then runs
// test/e2e/*.test.ts with Node's test runner, one file at a time (each starts its own
// code-server and browser; two at once would fight over 2 cores and make timings flaky).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeServer } from './install-code-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const chromium = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

function fail(message) {
  console.error(`test:e2e: ${message}`);
  process.exit(1);
}

// The system packages the suite needs. On a fresh Debian machine run as root (CI, a new container)
// they are installed here, so `npm test` works as the README says; elsewhere they are named.
const SYSTEM_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];
function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}
function aptInstall() {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const ok =
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' }).status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-qq', ...SYSTEM_PACKAGES], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    if (ok) return true;
    console.error(`test:e2e: apt-get failed (attempt ${attempt}), retrying in ${attempt * 10} s`);
    spawnSync('sleep', [String(attempt * 10)]);
  }
  return false;
}
if ((!existsSync(chromium) || !which('rg')) && !process.env.E2E_CHROMIUM) {
  if (process.getuid?.() === 0 && which('apt-get')) {
    console.log(`test:e2e: installing ${SYSTEM_PACKAGES.join(', ')} with apt-get`);
    if (!aptInstall()) fail(`could not install ${SYSTEM_PACKAGES.join(', ')} with apt-get`);
  }
}
if (!existsSync(chromium)) fail(`Chromium not found at ${chromium}: apt-get install -y ${SYSTEM_PACKAGES.join(' ')} (or set E2E_CHROMIUM)`);
const started = Date.now();
try {
  installCodeServer({ quiet: true });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

let vsix = process.env.E2E_VSIX;
if (!vsix) {
  const target = `${process.platform}-${process.arch}`;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), target], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) fail(`packaging the extension failed:\n${r.stdout}${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop();
  const name = line?.match(/^(\S+\.vsix):/)?.[1];
  if (!name) fail(`could not find the .vsix name in the packaging output:\n${r.stdout}`);
  vsix = join(root, name);
  console.log(`packaged ${line}`);
}
console.log(`e2e prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const dir = join(root, 'test', 'e2e');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts') && (!filters.length || filters.some((x) => f.includes(x))))
  .sort()
  .map((f) => join('test', 'e2e', f));
if (!files.length) fail(`no e2e test file matches ${filters.join(', ')}`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, E2E_VSIX: vsix },
});
console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(r.status ?? 1);
