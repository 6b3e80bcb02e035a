// A result that compared the data pipeline with free RAM is served from the worker's cache for a
// minute at most; one whose free RAM was fixed by the options (or that read no dataset) never
// expires. The handlers run in-process over a counting core, on a clock the test moves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzeOptions } from '../../src/core/options';
import type { AnalysisResult } from '../../src/core/result';
import { FREE_RAM_FRESH_MS } from '../../src/core/free-ram-freshness';
import { createHandlers, type CoreApi } from '../../src/worker/handlers';

/** A core whose analyses read free RAM (1000 + call number) on the test's clock, like datasetFacts. */
function countingCore(clock: () => number) {
  const calls: AnalyzeOptions[] = [];
  const core: CoreApi = {
    async analyze(options) {
      calls.push(options);
      const hostRam = options.data ? { freeRamBytes: options.freeRamBytes ?? 1000 + calls.length } : null;
      const freeRamReadAt = options.data && options.freeRamBytes === undefined ? clock() : null;
      return { model: { name: options.model }, dataset: options.data ? { hostRam, freeRamReadAt } : null } as unknown as AnalysisResult;
    },
    extractScript: () => ({ runs: [], notes: [] }) as never,
    queryGpus: async () => ({}) as never,
    datasetFiles: async () => ({}) as never,
    forgetDatasetScans: () => 0,
  };
  return { core, calls };
}

const signal = new AbortController().signal;

test('a result that read free RAM is recomputed after FREE_RAM_FRESH_MS; others stay cached', async () => {
  let clock = 1_000_000;
  const { core, calls } = countingCore(() => clock);
  const h = createHandlers(core, 8, () => clock);
  const withData = { model: 'yolov8n', batch: [16], data: '/nowhere/data.yaml', cache: 'ram' as const };
  const fixedRam = { ...withData, freeRamBytes: 64 * 2 ** 30 };
  const noData = { model: 'yolov8n', batch: [16] };

  for (const options of [withData, fixedRam, noData]) assert.equal((await h.analyze({ options }, signal)).cached, false);
  assert.equal(calls.length, 3);

  clock += FREE_RAM_FRESH_MS - 1;
  for (const options of [withData, fixedRam, noData]) assert.equal((await h.analyze({ options }, signal)).cached, true, JSON.stringify(options));

  clock += 1;
  const again = await h.analyze({ options: withData }, signal);
  assert.equal(again.cached, false, 'free RAM read a minute ago is read again');
  assert.equal((again.result.dataset!.hostRam as unknown as { freeRamBytes: number }).freeRamBytes, 1004);
  assert.equal((await h.analyze({ options: fixedRam }, signal)).cached, true, 'free RAM given by the options does not age');
  assert.equal((await h.analyze({ options: noData }, signal)).cached, true, 'no dataset, no free-RAM reading');
  assert.equal(calls.length, 4);
  assert.equal((await h.analyze({ options: withData }, signal)).cached, true, 'the new reading is cached again');
});
