import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutBar, renderBreakdown } from '../../webview/panel/breakdownBar';
import { renderCurveChart, visibleCurve } from '../../webview/panel/curveChart';
import { peakIndex, phaseBands, renderTimelineChart } from '../../webview/panel/timelineChart';
import { formatBytes } from '../../webview/shared/format';
import { breakdownOf, verdictOf } from '../../webview/shared/memory';
import { sampleResult } from './sample';

const GIB = 1024 ** 3;

test('breakdown segments are the result terms, in order, plus "Other" up to the device total', () => {
  const bytes = sampleResult().estimates[0]!.bytes;
  const b = breakdownOf(bytes);
  assert.deepEqual(
    b.segments.map((s) => s.key),
    ['weights', 'gradients', 'optimizerState', 'ema', 'activations', 'lossAndAssigner', 'workspace', 'allocatorOverhead', 'cudaContext'],
  );
  for (const s of b.segments) if (s.key !== 'other') assert.equal(s.bytes, bytes[s.key]);
  assert.equal(b.segments.reduce((a, s) => a + s.bytes, 0), bytes.device);
  assert.equal(b.overlap, 0);
  const more = breakdownOf({ ...bytes, device: bytes.device + 1024 ** 2 });
  assert.deepEqual(more.segments.at(-1), { key: 'other', label: 'Other', cls: 'seg-other', bytes: 1024 ** 2, help: 'device total not covered by the terms above' });
  assert.deepEqual(breakdownOf({ ...bytes, ema: 0 }).segments.find((s) => s.key === 'ema'), undefined, 'zero terms are left out');
});

test('terms that overlap the device total are reported, not squeezed', () => {
  const bytes = { ...sampleResult().estimates[0]!.bytes };
  bytes.device = bytes.activations; // everything else now overlaps
  const b = breakdownOf(bytes);
  assert.ok(b.overlap > 0);
  assert.equal(b.total, b.segments.reduce((a, s) => a + s.bytes, 0));
  assert.ok(!b.segments.some((s) => s.key === 'other'));
  assert.match(renderBreakdown(bytes, 8 * GIB, 0.1), /not all of them are live at the peak at once/);
});

test('bar layout: segments abut, and the scale holds both the stack and the VRAM', () => {
  const bytes = sampleResult().estimates[0]!.bytes;
  const { segments, scaleMax } = layoutBar(breakdownOf(bytes), 8 * GIB);
  assert.ok(scaleMax >= 8 * GIB && scaleMax >= bytes.device);
  for (let i = 1; i < segments.length; i++) assert.ok(Math.abs(segments[i]!.x - (segments[i - 1]!.x + segments[i - 1]!.width)) < 1e-9);
  const html = renderBreakdown(bytes, 8 * GIB, 0.1);
  assert.match(html, /VRAM 8 GiB/);
  assert.match(html, new RegExp(`device ${formatBytes(bytes.device)}`));
  assert.match(html, /class="margin-line"/);
  assert.ok(!/style=/.test(html));
});

test('curve: drawn up to 2 x max batch, non-fitting stretch in the error class, markers', () => {
  const r = sampleResult();
  const pts = visibleCurve(r.curve, r.maxBatch, 16);
  assert.equal(pts[pts.length - 1]!.batch, Math.min(64, 2 * r.maxBatch!));
  const svg = renderCurveChart({ curve: r.curve, vramBytes: 8 * GIB, margin: r.margin, currentBatch: 16, maxBatch: r.maxBatch });
  assert.match(svg, /class="curve curve-device"/);
  assert.match(svg, /class="curve curve-device oom"/);
  assert.match(svg, /class="curve curve-reserved oom"/);
  assert.match(svg, new RegExp(`max ${r.maxBatch}`));
  assert.match(svg, /batch 16/);
  assert.match(svg, /class="vram-line"/);
  assert.match(svg, /margin 10 %: 7.2 GiB/);
  const oomPoints = (svg.match(/class="pt oom"/g) ?? []).length;
  assert.equal(oomPoints, pts.filter((p) => p.fits === false).length);
  assert.match(svg, /role="img"/);
  assert.ok(!/style=/.test(svg));
});

test('curve without a GPU: no VRAM line, all points drawn', () => {
  const r = sampleResult({ gpu: false });
  const svg = renderCurveChart({ curve: r.curve, vramBytes: null, margin: r.margin, currentBatch: 16, maxBatch: null });
  assert.ok(!svg.includes('vram-line'));
  assert.equal((svg.match(/<circle class="pt"/g) ?? []).length, r.curve.length);
  assert.match(renderCurveChart({ curve: [], vramBytes: null, margin: 0, currentBatch: 1, maxBatch: null }), /No memory-vs-batch curve/);
});

test('timeline: phase bands, peak, and the selected layer marked at forward and backward', () => {
  const r = sampleResult({ layers: 30 });
  const bands = phaseBands(r.timeline);
  assert.deepEqual(
    bands.map((b) => b.phase),
    ['forward', 'loss', 'backward', 'optimizer'],
  );
  assert.equal(bands[0]!.to - bands[0]!.from + 1, 30);
  const peak = peakIndex(r.timeline);
  assert.equal(r.timeline[peak]!.liveBytes, Math.max(...r.timeline.map((p) => p.liveBytes)));
  const svg = renderTimelineChart(r.timeline, 7);
  assert.equal((svg.match(/class="selected-marker"/g) ?? []).length, 2);
  assert.match(svg, new RegExp(`peak ${formatBytes(r.timeline[peak]!.liveBytes).replace('.', '\\.')}`));
  assert.equal((svg.match(/class="hit"/g) ?? []).length, r.timeline.length);
  assert.equal((svg.match(/data-layer="7"/g) ?? []).length, 2);
  assert.equal((renderTimelineChart(r.timeline, null).match(/selected-marker/g) ?? []).length, 0);
});

test('verdicts: fits, tight within 90 % of the usable VRAM, out of memory, unknown', () => {
  const e = sampleResult().estimates[0]!;
  assert.equal(verdictOf(e, 8 * GIB, 0.1), 'fits');
  assert.equal(verdictOf({ fits: true, bytes: { ...e.bytes, device: 0.95 * 0.9 * 8 * GIB } }, 8 * GIB, 0.1), 'tight');
  assert.equal(verdictOf({ ...e, fits: false }, 8 * GIB, 0.1), 'oom');
  assert.equal(verdictOf({ ...e, fits: null }, null, 0.1), 'unknown');
  assert.equal(verdictOf(null, 8 * GIB, 0.1), 'pending');
});
