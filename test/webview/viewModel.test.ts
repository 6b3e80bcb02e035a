// The panel shows the result's own numbers: every value in the header view-model is the field of
// the AnalysisResult it claims to be, and its text is that value formatted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildHeader, DEPLOY_BYTES_PER_PARAM } from '../../webview/panel/viewModel';
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
