// CI-sized run of the fuzz properties (test/fuzz/properties.ts): a few hundred random inputs per
// parser (the slowest call is reported, not bounded: see enforceCallBound), and the heap checked for growth across the whole run.
// `npm run fuzz -- --runs 100000` runs the same properties for long (scripts/fuzz.ts).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initPythonParser } from '../../src/core/scripts/index';
import { allProperties } from './properties';

const RUNS = 300;

before(async () => {
  await initPythonParser();
});

const heapStart = process.memoryUsage().heapUsed;

for (const p of allProperties()) {
  test(p.name, () => {
    // a fixed seed keeps CI reproducible; the long run uses fresh seeds
    fc.assert(p.property as fc.IProperty<unknown>, { numRuns: RUNS, seed: 20_260_101 });
    assert.equal(p.stats.calls >= RUNS / 2, true, `only ${p.stats.calls} calls reached the parser`);
  });
}

test('heap stays bounded across every property run', () => {
  const grown = (process.memoryUsage().heapUsed - heapStart) / 2 ** 20;
  assert.ok(grown < 256, `heap grew ${grown.toFixed(0)} MiB`);
});
