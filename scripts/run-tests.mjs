// Runs every *.test.ts under test/ with Node's own test runner (TypeScript through tsx), except the
// end-to-end suite in test/e2e/, which scripts/e2e/run.mjs runs (it needs Chromium and code-server).
// Before the first browser test (test/webview/) the system packages it needs are put in place
// (scripts/system-deps.mjs). The last line is the summary: passed, failed, skipped with reasons.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureSystemPackages } from './system-deps.mjs';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'e2e') continue;
      if (name === 'corpus' || name === 'fixtures' || name === 'data') continue;
      out.push(...find(p));
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = find(join(root, 'test')).map((f) => relative(root, f)).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.some((f) => f.startsWith(join('test', 'webview')))) {
  const missing = ensureSystemPackages((m) => console.log(`test: ${m}`));
  if (missing.length) console.log(`test: ${missing.join(', ')} not installed (not root, or no apt-get): the browser tests will skip`);
}
const dir = mkdtempSync(join(tmpdir(), 'yolo-mem-tests-'));
const summaryFile = join(dir, 'summary.json');
const r = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`, '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'summary-reporter.mjs')}`, `--test-reporter-destination=${summaryFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
let summary = null;
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  // no summary: the runner itself failed before reporting
}
rmSync(dir, { recursive: true, force: true });
const line = `unit tests (${files.length} files): ${summary ? summary.line : `no summary (test runner exit ${r.status})`}`;
console.log(line);
if (process.env.YOLO_MEM_TEST_SUMMARY) appendFileSync(process.env.YOLO_MEM_TEST_SUMMARY, line + '\n');
process.exit(r.status ?? 1);
