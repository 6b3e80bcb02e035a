// `npm run test:e2e [-- <file filter>...]` (and the second phase of `npm test`): prepares what the end-to-end suite needs once
// (Chromium check, cached code-server, a freshly packaged .vsix for this machine), then runs
// test/e2e/*.test.ts with Node's test runner, one file at a time (each starts its own
// code-server and browser; two at once would fight over 2 cores and make timings flaky).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeServer } from './install-code-server.mjs';
import { ensureSystemPackages, SYSTEM_PACKAGES } from '../system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const chromium = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

function fail(message) {
  console.error(`test:e2e: ${message}`);
  // a phase that could not start still reports, so `npm test`'s last lines say why
  if (process.env.YOLO_MEM_TEST_SUMMARY) appendFileSync(process.env.YOLO_MEM_TEST_SUMMARY, `end-to-end tests: not run (${message.split('\n')[0]})\n`);
  process.exit(1);
}

// The system packages the suite needs: installed here when missing (root + apt only, nothing else
// upgraded; scripts/system-deps.mjs), so `npm test` works as the README says; elsewhere named.
if (!process.env.E2E_CHROMIUM) {
  const missing = ensureSystemPackages((m) => console.log(`test:e2e: ${m}`));
  if (missing.length) console.log(`test:e2e: ${missing.join(", ")} not installed (apt-get install -y --no-upgrade ${missing.join(" ")})`);
}
if (!existsSync(chromium)) fail(`Chromium not found at ${chromium}: apt-get install -y --no-upgrade ${SYSTEM_PACKAGES.join(' ')} (or set E2E_CHROMIUM)`);
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
const tmp = mkdtempSync(join(tmpdir(), 'yolo-mem-e2e-'));
const summaryFile = join(tmp, 'summary.json');
const r = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test', '--test-concurrency=1',
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`, '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'summary-reporter.mjs')}`, `--test-reporter-destination=${summaryFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, E2E_VSIX: vsix } },
);
let summary = null;
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  // no summary: the runner itself failed before reporting
}
rmSync(tmp, { recursive: true, force: true });
console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const line = `end-to-end tests (${files.length} files): ${summary ? summary.line : `no summary (test runner exit ${r.status})`}`;
console.log(line);
if (process.env.YOLO_MEM_TEST_SUMMARY) appendFileSync(process.env.YOLO_MEM_TEST_SUMMARY, line + '\n');
process.exit(r.status ?? 1);
