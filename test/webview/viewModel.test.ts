// The panel shows the result's own numbers: every value in the header view-model is the field of
// the AnalysisResult it claims to be, and its text is that value formatted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GpuInfo } from '../../src/core/result';
import { planningGpu } from '../../src/extension/run-options';
import { buildHeader, DEPLOY_BYTES_PER_PARAM, freeBytesOf, liveReading } from '../../webview/panel/viewModel';
import { formatBytes, formatCount, formatGflops } from '../../webview/shared/format';
import { sampleResult } from './sample';

test('header numbers are the result fields, formatted', () => {
  const r = sampleResult();
  const h = buildHeader({ options: { model: 'yolov8n.pt', deployPrecision: 'int8' }, result: r, resultSeq: 0, busy: false, error: null })!;
  const e = r.estimates[0]!;
  const pairs: [{ value: number | null; text: string }, number, (v: number) => string][] = [
    [h.params, r.model.params, formatCount],
    [h.gflops, r.model.gflops, formatGflops],
    [h.gpuTotal, r.gpu!.totalBytes, formatBytes],
    [h.gpuFree, r.gpu!.freeBytes!, formatBytes],
    [h.allocated, e.bytes.allocated, formatBytes],
    [h.reserved, e.bytes.reserved, formatBytes],
    [h.device, e.bytes.device, formatBytes],
    [h.deployBytes, r.model.params * DEPLOY_BYTES_PER_PARAM.int8, formatBytes],
  ];
  for (const [shown, value, fmt] of pairs) {
    assert.equal(shown.value, value);
    assert.equal(shown.text, fmt(value));
  }
  assert.equal(h.batch.value, e.batch);
  assert.equal(h.imgsz.value, e.imgsz);
  assert.equal(h.maxBatch.value, r.maxBatch);
  assert.equal(h.layers.value, r.layers.length);
  assert.equal(h.verdict, 'fits');
  assert.match(h.verdictText, new RegExp(formatBytes(e.bytes.device).replace('.', '\\.')));
  assert.equal(h.optimizer, e.optimizer);
});

test('without a GPU there is no verdict and no free memory', () => {
  const r = sampleResult({ gpu: false });
  const h = buildHeader({ options: { model: 'x' }, result: r, resultSeq: 0, busy: false, error: null })!;
  assert.equal(h.verdict, 'unknown');
  assert.equal(h.gpuTotal.text, '—');
  assert.equal(h.maxBatch.value, null);
  assert.match(h.verdictText, /no GPU known/);
});

test('no result yet: no header', () => {
  assert.equal(buildHeader({ options: { model: 'x' }, result: null, resultSeq: 0, busy: true, error: null }), null);
});

// "Free now": the extension plans against the GPU without its live use (planningGpu), so the
// result's GPU has no used/free; the reading reaches the panel beside it, as `gpuNow`.
describe('Free now', () => {
  const GIB = 1024 ** 3;
  const reading: GpuInfo = { name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * GIB, source: 'nvidia-smi', index: 0, driverVersion: '550', usedBytes: 1.5 * GIB, freeBytes: 6.5 * GIB };
  const planned = (gpu: GpuInfo | null) => ({ ...sampleResult(), gpu });
  const header = (gpu: GpuInfo | null, gpuNow?: GpuInfo | null) =>
    buildHeader({ options: { model: 'yolov8n.pt' }, result: planned(gpu), resultSeq: 0, busy: false, error: null, ...(gpuNow !== undefined ? { gpuNow } : {}) })!;

  test('the live reading of the planned GPU is shown', () => {
    const plan = planningGpu(reading)!;
    assert.equal(plan.freeBytes, undefined, 'the planning GPU carries no live use');
    const h = header(plan, reading);
    assert.equal(h.gpuFree.value, 6.5 * GIB);
    assert.equal(h.gpuFree.text, formatBytes(6.5 * GIB));
    assert.match(h.gpuFreeNote, /nvidia-smi reading: 1\.5 GiB in use/);
    assert.equal(h.gpuTotal.value, 8 * GIB);
  });

  test('a newer reading replaces the older one; used alone gives total minus used', () => {
    const plan = planningGpu(reading)!;
    assert.equal(header(plan, { ...reading, usedBytes: 3 * GIB, freeBytes: 5 * GIB }).gpuFree.value, 5 * GIB);
    const { freeBytes: _f, ...usedOnly } = reading;
    assert.equal(header(plan, { ...usedOnly, usedBytes: 2 * GIB }).gpuFree.value, 6 * GIB);
  });

  test('no reading, another device, or a GPU nvidia-smi did not report: "—"', () => {
    const plan = planningGpu(reading)!;
    assert.equal(header(plan).gpuFree.text, '—');
    assert.equal(header(plan, null).gpuFree.text, '—');
    assert.equal(header(plan, { ...reading, index: 1 }).gpuFree.text, '—', 'another CUDA device');
    assert.equal(header(plan, { ...reading, name: 'NVIDIA A100', totalBytes: 80 * GIB }).gpuFree.text, '—');
    const { usedBytes: _u, freeBytes: _f, ...noUse } = reading;
    assert.equal(header(plan, noUse).gpuFree.text, '—', 'nvidia-smi gave no used/free');
    // --gpu-memory / the gpu.memory setting, a preset, a what-if size: no live reading belongs to it.
    assert.equal(header({ name: '12GB GPU', totalBytes: 12 * GIB, source: 'setting' }, reading).gpuFree.text, '—');
    assert.equal(header({ name: 'Tesla T4', totalBytes: 15 * GIB, source: 'preset' }, reading).gpuFree.text, '—');
    assert.equal(header({ ...reading, source: 'preset' }, reading).gpuFree.text, '—', 'a preset of the same size is not the device');
    assert.equal(header(null, reading).gpuFree.text, '—');
  });

  test('liveReading and freeBytesOf directly', () => {
    assert.equal(liveReading(planningGpu(reading), reading), reading);
    assert.equal(liveReading(reading, undefined), reading, "a result made with a reading (the CLI's) keeps its own");
    assert.equal(liveReading(planningGpu(reading), undefined), null);
    assert.equal(freeBytesOf(null), null);
    assert.equal(freeBytesOf({ name: 'x', totalBytes: 4, source: 'nvidia-smi', usedBytes: 5 }), 0, 'never negative');
  });
});
