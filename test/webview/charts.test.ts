import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutBar, renderBreakdown } from '../../webview/panel/breakdownBar';
import { crossingFraction, linePieces, renderCurveChart, visibleCurve } from '../../webview/panel/curveChart';
import { peakIndex, phaseBands, renderTimelineChart } from '../../webview/panel/timelineChart';
import { formatBytes } from '../../webview/shared/format';
import { breakdownOf, needsPhrase, neededOf, verdictOf } from '../../webview/shared/memory';
import type { CurvePoint } from '../../src/core/result';
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

/** A curve sampled the way core/analyze.ts samples it (1, 2, 3, 4, 6, 8, 12, ... 64), memory linear
 *  in the batch, judged against `limit` like the estimator: device <= limit. */
function sparseCurve(limit: number, base = 1 * GIB, perImage = 0.1 * GIB): CurvePoint[] {
  const batches = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
  return batches.map((b) => {
    const device = base + perImage * b;
    return { batch: b, allocated: device * 0.8, reserved: device * 0.9, device, upperDevice: device, fits: device <= limit, verdict: device <= limit ? 'fits' : 'does-not-fit' };
  });
}

test('curve split: a segment that crosses the limit is cut where the device line meets it', () => {
  const limit = 7.2 * GIB; // 8 GiB with a 10 % margin
  const pts = sparseCurve(limit);
  // device = 1 + 0.1 b GiB meets 7.2 GiB at b = 62 (between the samples 48 and 64); the largest
  // integer batch that fits is 62, which the old drawing put on the red segment 48 -> 64.
  const a = pts.find((p) => p.batch === 48)!;
  const b = pts.find((p) => p.batch === 64)!;
  assert.equal(a.fits, true);
  assert.equal(b.fits, false);
  const t = crossingFraction(a, b, limit, 62);
  assert.ok(Math.abs(t - 14 / 16) < 1e-12, String(t));

  const device = linePieces(pts, 'device', limit, 62);
  assert.deepEqual(device.map((p) => p.bad), [false, true]);
  const [good, bad] = device as [(typeof device)[0], (typeof device)[0]];
  const cut = good.points.at(-1)!;
  assert.deepEqual(bad.points[0], cut, 'the two pieces meet at the cut');
  assert.ok(Math.abs(cut.batch - 62) < 1e-9, String(cut.batch));
  assert.ok(Math.abs(cut.bytes - limit) < 1, 'the device line is cut on the limit');
  assert.deepEqual(good.points.slice(0, -1).map((p) => p.batch), pts.filter((p) => p.fits).map((p) => p.batch));
  assert.deepEqual(bad.points.slice(1).map((p) => p.batch), [64]);
  // Every fitting sample lies on the fitting piece, every other one on the error piece.
  for (const p of pts) assert.equal(p.batch > cut.batch, p.fits === false, `batch ${p.batch}`);

  // The reserved line is cut at the same batch (one verdict per batch), at its own height there.
  const reserved = linePieces(pts, 'reserved', limit, 62);
  assert.deepEqual(reserved.map((p) => p.bad), [false, true]);
  const rcut = reserved[0]!.points.at(-1)!;
  assert.ok(Math.abs(rcut.batch - cut.batch) < 1e-9);
  assert.ok(Math.abs(rcut.bytes - (a.reserved + t * (b.reserved - a.reserved))) < 1);
});

test('curve split: a crossing on a sample is not a stretch of zero length; all-fit and no-GPU curves are one piece', () => {
  // 1 + 48 / 8 = 7 GiB, exact in binary: the limit falls on the sample 48, which fits (<=).
  const onSample = sparseCurve(7 * GIB, GIB, GIB / 8);
  assert.equal(onSample.find((p) => p.batch === 48)!.device, 7 * GIB);
  const pieces = linePieces(onSample, 'device', 7 * GIB, 48);
  assert.deepEqual(pieces.map((p) => p.bad), [false, true]);
  assert.equal(pieces[1]!.points[0]!.batch, 48, 'the error stretch starts at the last fitting sample');
  for (const p of pieces) for (let i = 1; i < p.points.length; i++) assert.ok(p.points[i]!.batch > p.points[i - 1]!.batch, 'no zero-length step');
  assert.deepEqual(linePieces(sparseCurve(100 * GIB), 'device', 100 * GIB, 64).map((p) => p.bad), [false]);
  const noGpu = sparseCurve(0).map((p) => ({ ...p, fits: null }));
  assert.deepEqual(linePieces(noGpu, 'device', null, null).map((p) => p.points.length), [noGpu.length]);
});

test('curve split: a batch that fails on validation (device under the limit) is cut at the largest fitting batch', () => {
  const limit = 7.2 * GIB;
  const pts = sparseCurve(limit).map((p) => (p.batch > 40 ? { ...p, fits: false } : p));
  const a = pts.find((p) => p.batch === 32)!;
  const b = pts.find((p) => p.batch === 48)!;
  assert.ok(b.device < limit, 'the device line does not cross here');
  assert.equal(crossingFraction(a, b, limit, 40), (40 - 32) / 16);
  const cut = linePieces(pts, 'device', limit, 40)[0]!.points.at(-1)!;
  assert.equal(cut.batch, 40);
  // Nothing known about where it changes: halfway between the two samples.
  assert.equal(crossingFraction(a, b, null, null), 0.5);
});

test('curve chart: the error stretch starts at the cut, on the usable-limit line, and the description says so', () => {
  const limit = 7.2 * GIB;
  const svg = renderCurveChart({ curve: sparseCurve(limit), vramBytes: 8 * GIB, margin: 0.1, currentBatch: 16, maxBatch: 62 });
  const fitD = /<path class="curve curve-device" d="([^"]+)"/.exec(svg)![1]!;
  const badD = /<path class="curve curve-device oom" d="([^"]+)"/.exec(svg)![1]!;
  const lastFit = fitD.split('L').at(-1)!;
  assert.equal(badD.slice(1).split('L')[0], lastFit, 'the error stretch starts where the fitting one ends');
  const marginY = /<line class="margin-line" x1="[^"]+" x2="[^"]+" y1="([^"]+)"/.exec(svg)![1]!;
  assert.equal(lastFit.split(',')[1], marginY, 'the cut is on the usable-limit line');
  assert.match(svg, /in the error colour from batch 62 on, where device memory passes the usable limit/);
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

test('verdicts: fits, out of memory, unknown; tight only from the core verdict, never a threshold of its own', () => {
  const e = sampleResult().estimates[0]!;
  assert.equal(verdictOf(e, 8 * GIB, 0.1), 'fits');
  // near the limit but fitting: "fits" (the recommended largest batch must never read as a warning)
  assert.equal(verdictOf({ fits: true, bytes: { ...e.bytes, device: 0.95 * 0.9 * 8 * GIB } }, 8 * GIB, 0.1), 'fits');
  assert.equal(verdictOf({ ...e, verdict: 'tight' }, 8 * GIB, 0.1), 'tight');
  assert.equal(verdictOf({ ...e, fits: false, verdict: 'does-not-fit' }, 8 * GIB, 0.1), 'oom');
  assert.equal(verdictOf({ ...e, fits: false, verdict: undefined }, 8 * GIB, 0.1), 'oom');
  assert.equal(verdictOf({ ...e, fits: false, verdict: 'tight' }, 8 * GIB, 0.1), 'tight');
  assert.equal(verdictOf({ ...e, fits: null }, null, 0.1), 'unknown');
  assert.equal(verdictOf(null, 8 * GIB, 0.1), 'pending');
});

test('the decisive figure: what training (or validation, when larger) needs, against the usable VRAM', () => {
  const e = sampleResult().estimates[0]!;
  const train = { ...e, neededDevice: 5 * GIB, validationDevice: 4 * GIB };
  assert.deepEqual(neededOf(train), { bytes: 5 * GIB, by: 'train' });
  assert.equal(needsPhrase(train, 8 * GIB, 0.1), 'needs 5 GiB of 7.2 GiB usable');
  const val = { ...e, neededDevice: 5 * GIB, validationDevice: 7.5 * GIB };
  assert.deepEqual(neededOf(val), { bytes: 7.5 * GIB, by: 'validation' });
  assert.equal(needsPhrase(val, 8 * GIB, 0.1), 'needs 7.5 GiB (validation at 2× batch) of 7.2 GiB usable');
  assert.equal(needsPhrase(train, null, 0.1), 'needs 5 GiB; no GPU known to check against');
});
