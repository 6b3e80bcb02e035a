// Measurements on this machine decide the verdict every surface shows (core/measure/apply.ts), and
// the host's estimate cache hands results out through that overlay (extension/estimates.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import type { MeasurementContext, StoredMeasurement } from '../../src/core/measure/calibration';
import { applyMeasurements } from '../../src/core/measure/apply';
import { EstimateService } from '../../src/extension/estimates';
import { batchProblem } from '../../src/extension/batch-diagnostics';
import { statusForResult } from '../../src/extension/status-text';
import type { AnalysisResult } from '../../src/core/result';

const GIB = 2 ** 30;
const gpu = { name: 'NVIDIA GeForce RTX 3060', totalBytes: 12 * GIB, source: 'nvidia-smi' };
const ctx: MeasurementContext = { machine: 'm1', gpuName: gpu.name, driver: '550', torch: '2.11', ultralytics: '8.4.190', model: 'yolov8s', imgsz: 640, amp: true, optimizer: 'auto', data: null };
const stored = (batch: number, measured: number | null, estimated: number, outcome: 'fits' | 'oom' = 'fits', at = '2026-12-02T10:00:00.000Z', c = ctx): StoredMeasurement => ({ context: c, batch, outcome, oomPhase: outcome === 'oom' ? 'train_step' : null, measuredBytes: measured, measuredFigure: outcome === 'oom' ? null : 'nvidia-smi', estimatedBytes: estimated, measuredAt: at });
const options = { model: 'yolov8s', batch: [8], imgsz: 640 };

test('no matching measurement leaves the result as it is (same object)', async () => {
  const r = await analyze({ ...options, gpu });
  assert.equal(applyMeasurements(r, options, [], 'm1'), r);
  assert.equal(applyMeasurements(r, options, [stored(8, 2 * GIB, r.estimates[0]!.neededDevice)], 'another-machine'), r);
  assert.equal(applyMeasurements(r, options, [stored(8, 2 * GIB, r.estimates[0]!.neededDevice, 'fits', undefined, { ...ctx, imgsz: 320 })], 'm1'), r);
});

test('an out-of-memory measurement at this batch makes it "does not fit" everywhere, and caps the largest batch below it', async () => {
  const r = await analyze({ ...options, gpu });
  assert.equal(r.estimates[0]!.verdict, 'fits', 'the estimator alone says it fits');
  const m = applyMeasurements(r, options, [stored(8, null, r.estimates[0]!.neededDevice, 'oom')], 'm1');
  const e = m.estimates[0]!;
  assert.equal(e.verdict, 'does-not-fit');
  assert.equal(e.fits, false);
  assert.match(e.verdictReason!, /measured on this GPU: out of memory at batch 8 \(train step\)/);
  assert.equal(e.measured?.source, 'measured');
  assert.ok(m.maxBatch !== null && m.maxBatch <= 7, `max batch ${m.maxBatch}`);
  assert.ok(m.assumptions.some((a) => /measured out of memory on this GPU at batch 8/.test(a)));
  // the surfaces judge by it: a Problems marker, an error status
  const run = { settings: { batch: { value: 8, raw: '8', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } } } } } as never;
  const problem = batchProblem(run, m, true);
  assert.equal(problem?.severity, 'warning');
  assert.equal(problem?.fix?.batch, m.maxBatch);
  assert.equal(statusForResult(m, 8).tone, 'error');
  assert.equal(batchProblem(run, r, true), null, 'the estimate alone gives no marker');
});

test('a measured peak decides the verdict: under the usable VRAM fits, above it is tight', async () => {
  const r = await analyze({ ...options, gpu });
  const need = r.estimates[0]!.neededDevice;
  const under = applyMeasurements(r, options, [stored(8, 5 * GIB, need)], 'm1').estimates[0]!;
  assert.equal(under.verdict, 'fits');
  assert.equal(under.verdictReason, null);
  assert.equal(under.measured?.bytes, 5 * GIB);
  const over = applyMeasurements(r, options, [stored(8, 11.5 * GIB, need)], 'm1').estimates[0]!;
  assert.equal(over.verdict, 'tight');
  assert.match(over.verdictReason!, /measured on this GPU: 11\.5 GiB at batch 8, above the 10\.8 GiB usable/);
});

test('a measurement at another batch scales the estimate; only the newest software stack counts', async () => {
  const r = await analyze({ ...options, batch: [32], gpu });
  const need = r.estimates[0]!.neededDevice;
  // measured 1.5x the estimate at batch 8: batch 32 scaled by 1.5 is over 12 GiB
  const at8 = applyMeasurements(r, { ...options, batch: [32] }, [stored(8, 1.5 * 3 * GIB, 3 * GIB)], 'm1').estimates[0]!;
  assert.equal(at8.measured?.source, 'scaled');
  assert.equal(at8.measured?.fromBatch, 8);
  assert.equal(at8.verdict, need * 1.5 <= 12 * GIB * (1 - r.margin) ? 'fits' : 'does-not-fit');
  // an older stack's out-of-memory is not mixed with the newer stack's measurements
  const old = stored(32, null, need, 'oom', '2026-01-01T00:00:00.000Z', { ...ctx, driver: '535' });
  const fresh = stored(32, 4 * GIB, need, 'fits', '2026-12-01T00:00:00.000Z');
  assert.equal(applyMeasurements(r, { ...options, batch: [32] }, [old, fresh], 'm1').estimates[0]!.verdict, 'fits');
});

test('the host cache hands every result out through the overlay, cached or not', async () => {
  const r = await analyze({ ...options, gpu });
  let measurements: StoredMeasurement[] = [];
  let calls = 0;
  const client = { analyze: async () => (calls++, { result: r, cached: false, elapsedMs: 1 }) };
  const svc = new EstimateService(client as never, Date.now, (o, res) => applyMeasurements(res, o, measurements, 'm1'));
  const o = { ...options, gpu };
  const first = await svc.estimate(o);
  assert.equal(first.estimates[0]!.verdict, 'fits');
  measurements = [stored(8, null, r.estimates[0]!.neededDevice, 'oom')];
  // no re-estimate: the cached result is judged again on the next read
  assert.equal(svc.peek(o)!.estimates[0]!.verdict, 'does-not-fit');
  assert.equal((await svc.estimate(o)).estimates[0]!.verdict, 'does-not-fit');
  assert.equal(calls, 1);
  const seen: AnalysisResult[] = [];
  svc.onDidEstimate((e) => e.result && seen.push(e.result));
  svc.clear();
  await svc.estimate(o);
  assert.equal(seen[0]!.estimates[0]!.verdict, 'does-not-fit', 'the event carries the judged result');
});
