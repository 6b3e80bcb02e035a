// The malformed-input corpus (test/corpus/): ~250 hostile or broken models, YAMLs, scripts and
// nvidia-smi behaviours, generated into a temp folder and run through the public entry points:
// analyze() and the CLI's main() for models, scanScriptAsync() for scripts, discoverGpus() and the
// CLI for nvidia-smi. Each case must give its expected one-line message naming the file, no stack
// trace, exit code 1 for a bad model, and finish. Cases run in a worker thread that is killed when
// one runs far past its expected time, so a hang fails the test instead of stalling it.
// (It lives in test/fuzz/ because scripts/run-tests.mjs treats test/corpus/ as data.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseRunner, judge } from '../corpus/harness';
import { generateCorpus } from '../corpus/index';
import type { CaseOutcome } from '../corpus/run-case';
import { installFakeNvidiaSmi } from '../helpers/fake-nvidia-smi';

test('malformed-input corpus: expected one-line errors, no stack traces, no hangs, bounded memory', { timeout: 900_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'yolo-corpus-'));
  const fake = installFakeNvidiaSmi();
  const runner = new CaseRunner(dir, fake.dir);
  try {
    const cases = generateCorpus(dir, { big: true });
    assert.ok(cases.length >= 200, `corpus has ${cases.length} cases`);
    const failures: string[] = [];
    const byFamily = new Map<string, number>();
    let heapFirst = 0;
    let heapMax = 0;
    for (const c of cases) {
      byFamily.set(c.family, (byFamily.get(c.family) ?? 0) + 1);
      let o: CaseOutcome;
      try {
        o = await runner.run(c);
      } catch (e) {
        failures.push(`${c.id} (${c.note}): ${(e as Error).message}`);
        continue;
      }
      heapFirst ||= o.heapMiB;
      heapMax = Math.max(heapMax, o.heapMiB);
      for (const b of judge(c, o)) failures.push(`${c.id} (${c.note}): ${b}`);
    }
    t.diagnostic(`${cases.length} cases: ${[...byFamily].map(([f, n]) => `${f} ${n}`).join(', ')}`);
    t.diagnostic(`worker heap after the first case ${heapFirst.toFixed(0)} MiB, at most ${heapMax.toFixed(0)} MiB`);
    assert.deepEqual(failures, []);
    // the whole corpus in one worker must not accumulate memory (caches bounded, nothing retained)
    assert.ok(heapMax < heapFirst + 1024, `heap grew from ${heapFirst.toFixed(0)} to ${heapMax.toFixed(0)} MiB`);
  } finally {
    await runner.close();
    fake.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
