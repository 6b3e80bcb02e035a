// The hover's measured line and the store it reads (globalState stand-in: a Map-backed Memento).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import type { MeasurementContext, StoredMeasurement } from '../../src/core/measure/calibration';
import { measuredHoverLine } from '../../src/core/measure/view';
import { MeasurementStore } from '../../src/extension/measure/measurement-store';
import { hoverMeasuredLine } from '../../src/extension/measure/hover-measured';

function memento() {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T, update: async (k: string, v: unknown) => void (v === undefined ? m.delete(k) : m.set(k, v)), keys: () => [...m.keys()] };
}
const GIB = 2 ** 30;
const gpu = { name: 'NVIDIA GeForce RTX 3060', totalBytes: 12 * GIB, source: 'nvidia-smi' };
const ctx: MeasurementContext = { machine: 'this-machine', gpuName: gpu.name, driver: '550', torch: '2.11', ultralytics: '8.4.190', model: 'yolov8n', imgsz: 640, amp: true, optimizer: 'auto', data: null };
const stored = (batch: number, measured: number, estimated: number, outcome: 'fits' | 'oom' = 'fits'): StoredMeasurement => ({ context: ctx, batch, outcome, oomPhase: outcome === 'oom' ? 'validation' : null, measuredBytes: measured, measuredFigure: 'nvidia-smi', estimatedBytes: estimated, measuredAt: '2026-12-02T10:00:00.000Z' });

test('the hover line says measured and estimate in GiB, or where it ran out of memory', () => {
  assert.equal(measuredHoverLine(stored(16, 7.9 * GIB, 7.6 * GIB)), 'measured on this GPU: 7.9 GiB (estimate 7.6)');
  assert.equal(measuredHoverLine(stored(64, 0, 11 * GIB, 'oom')), 'measured on this GPU: out of memory at batch 64 (validation) (estimate 11.0)');
});

test('the hover uses the exact measurement, else scales by the nearest, else says nothing', async () => {
  const store = new MeasurementStore(memento() as never);
  const options = { model: 'yolov8n', batch: [16], imgsz: 640 };
  const result = await analyze({ ...options, gpu });
  assert.equal(hoverMeasuredLine(store, 'this-machine', options, result), undefined);
  const est = result.estimates[0].bytes.device;
  await store.add(stored(8, Math.round(est * 0.6), Math.round(est * 0.5)));
  const scaled = hoverMeasuredLine(store, 'this-machine', options, result)!;
  assert.match(scaled, /scaled by the measurement at batch 8 \(×1\.20\): [\d.]+ GiB \(estimate [\d.]+\)/);
  assert.equal(hoverMeasuredLine(store, 'another-machine', options, result), undefined);
  await store.add(stored(16, 2 * GIB, est));
  assert.equal(hoverMeasuredLine(store, 'this-machine', options, result), `$(pulse) measured on this GPU: 2.0 GiB (estimate ${(est / GIB).toFixed(1)})`);
  assert.equal(await store.clear(), 2);
  assert.equal(hoverMeasuredLine(store, 'this-machine', options, result), undefined);
});
