// `npm test` after the build and the typecheck: the unit phase, then the end-to-end phase — the
// second runs even when the first fails, so one failure never hides the other suite's result. The
// last lines repeat each phase's summary (passed / failed / skipped with reasons), which each
// runner appends to the file named by YOLO_MEM_TEST_SUMMARY; the exit code is non-zero when either
// phase failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'yolo-mem-test-all-'));
const summary = join(dir, 'summary.txt');
let failed = false;
for (const script of [join(root, 'scripts', 'run-tests.mjs'), join(root, 'scripts', 'e2e', 'run.mjs')]) {
  const r = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit', env: { ...process.env, YOLO_MEM_TEST_SUMMARY: summary } });
  if (r.status !== 0) failed = true;
}
let lines = '';
try {
  lines = readFileSync(summary, 'utf8');
} catch {
  lines = 'no phase wrote a summary\n';
}
rmSync(dir, { recursive: true, force: true });
console.log(`\n${lines.trimEnd()}`);
process.exit(failed ? 1 : 0);
