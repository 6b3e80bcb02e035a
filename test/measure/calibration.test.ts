// How stored measurements change the figure the estimator plans with on that machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrate, contextKey, toStored, upsertMeasurement, type MeasurementContext, type StoredMeasurement } from '../../src/core/measure/calibration';
import type { BatchMeasurement } from '../../src/core/measure/run-probe';

const ctx: MeasurementContext = { machine: 'm1', gpuName: 'NVIDIA H100', driver: '580', torch: '2.11', ultralytics: '8.4.190', model: 'yolov8n', imgsz: 640, amp: true, optimizer: 'auto', data: null };
const MiB = 2 ** 20;
const stored = (batch: number, outcome: 'fits' | 'oom', measured: number | null, estimated: number | null, c = ctx): StoredMeasurement => ({ context: c, batch, outcome, oomPhase: outcome === 'oom' ? 'steady' : null, measuredBytes: measured, measuredFigure: measured === null ? null : 'nvidia-smi', estimatedBytes: estimated, measuredAt: '2026-12-02T00:00:00.000Z' });

test('no measurement: the estimate stands', () => {
  assert.deepEqual(calibrate(1000 * MiB, 16, ctx, []), { bytes: 1000 * MiB, source: 'estimate', fitsMeasured: null, from: null, ratio: null });
});

test('the same configuration measured: its figure replaces the estimate', () => {
  const c = calibrate(1000 * MiB, 16, ctx, [stored(16, 'fits', 1100 * MiB, 1000 * MiB)]);
  assert.equal(c.source, 'measured');
  assert.equal(c.bytes, 1100 * MiB);
  assert.equal(c.fitsMeasured, true);
});

test('another batch: scaled by measured / estimated of the nearest measured batch', () => {
  const list = [stored(8, 'fits', 600 * MiB, 500 * MiB), stored(64, 'fits', 4400 * MiB, 4000 * MiB)];
  const near8 = calibrate(1000 * MiB, 12, ctx, list); // log-distance to 8 < to 64
  assert.equal(near8.source, 'scaled');
  assert.equal(near8.ratio, 1.2);
  assert.equal(near8.bytes, 1200 * MiB);
  assert.equal(near8.fitsMeasured, true); // 64 fits, so 12 does
  const near64 = calibrate(3000 * MiB, 48, ctx, list);
  assert.equal(near64.ratio, 1.1);
  assert.equal(near64.bytes, 3300 * MiB);
});

test('an out-of-memory measurement: that batch and every larger one does not fit', () => {
  const list = [stored(8, 'fits', 600 * MiB, 500 * MiB), stored(32, 'oom', null, 2000 * MiB)];
  assert.equal(calibrate(2000 * MiB, 32, ctx, list).fitsMeasured, false);
  assert.equal(calibrate(4000 * MiB, 64, ctx, list).fitsMeasured, false);
  assert.equal(calibrate(1000 * MiB, 16, ctx, list).fitsMeasured, null);
});

test('a measurement from another driver, version, model or setting is not used', () => {
  for (const change of [{ driver: '575' }, { ultralytics: '8.3.0' }, { model: 'yolo11s' }, { imgsz: 320 }, { amp: false }, { machine: 'm2' }, { data: 'coco.yaml' }]) {
    const other = { ...ctx, ...change };
    assert.notEqual(contextKey(other), contextKey(ctx));
    assert.equal(calibrate(1000 * MiB, 16, ctx, [stored(16, 'fits', 1100 * MiB, 1000 * MiB, other)]).source, 'estimate', JSON.stringify(change));
  }
});

test('storing: a new measurement of the same context and batch replaces the old; the list is bounded', () => {
  let list: StoredMeasurement[] = [];
  list = upsertMeasurement(list, stored(16, 'fits', 1000, 900));
  list = upsertMeasurement(list, stored(16, 'fits', 1100, 900));
  list = upsertMeasurement(list, stored(32, 'fits', 2000, 1800));
  assert.deepEqual(list.map((s) => [s.batch, s.measuredBytes]), [[16, 1100], [32, 2000]]);
  for (let b = 1; b <= 10; b++) list = upsertMeasurement(list, stored(100 + b, 'fits', b, b), 5);
  assert.equal(list.length, 5);
  assert.equal(list.at(-1)!.batch, 110);
});

test('toStored keeps the largest device figure over the phases; errors are not stored', () => {
  const m: BatchMeasurement = { batch: 16, outcome: 'fits', oomPhase: null, message: '', versions: null, device: null, phases: { first_step: { maxAllocatedBytes: 1, reservedBytes: 5, maxReservedBytes: 5, nvidiaSmiBytes: 900 }, validation: { maxAllocatedBytes: 1, reservedBytes: 5, maxReservedBytes: 5, nvidiaSmiBytes: 950 } } };
  const s = toStored(m, ctx, 800, new Date(0))!;
  assert.equal(s.measuredBytes, 950);
  assert.equal(s.measuredFigure, 'nvidia-smi');
  assert.equal(toStored({ ...m, outcome: 'error' }, ctx, 800, new Date(0)), null);
});
