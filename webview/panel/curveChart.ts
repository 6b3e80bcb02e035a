// Memory vs batch size as an SVG string: `reserved` and `device` lines, the VRAM and safety-margin
// lines, the stretch past the usable limit drawn in the error colour (cut where the device line
// crosses the limit), the current and the largest fitting batch marked. Colours come from CSS classes (theme variables), never inline styles (CSP).

import type { CurvePoint } from '../../src/core/result';
import { escapeHtml, formatBytes } from '../shared/format';
import { byteTicks, integerTicks, linear, px } from '../shared/scale';

export interface CurveInput {
  curve: readonly CurvePoint[];
  vramBytes: number | null;
  margin: number;
  currentBatch: number;
  /** Largest batch that surely fits (verdict 'fits'). */
  maxBatch: number | null;
  /** Largest batch that may fit (the central estimate fits); the lines change colour there. */
  maxBatchTight?: number | null;
}

export interface CurveGeometry {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const CURVE_GEOMETRY: CurveGeometry = { width: 640, height: 260, left: 56, right: 16, top: 14, bottom: 34 };

/** Points drawn: batch 1 up to 2 x max batch (or all points when the max is unknown). */
export function visibleCurve(curve: readonly CurvePoint[], maxBatch: number | null, currentBatch: number): CurvePoint[] {
  const sorted = [...curve].sort((a, b) => a.batch - b.batch);
  if (maxBatch === null || maxBatch < 1) return sorted;
  const limit = Math.max(2 * maxBatch, currentBatch);
  return sorted.filter((p) => p.batch <= limit);
}

/** A point of a drawn line, in data units (batch, bytes). */
export interface LinePoint {
  batch: number;
  bytes: number;
}

/** A run of a line that is all fitting or all not fitting. */
export interface LinePiece {
  points: LinePoint[];
  bad: boolean;
}

/** Where, as a fraction of the way from `a` to `b`, a segment stops fitting (or starts to). The fit
 *  is decided by device bytes against the usable limit (core/analyze.ts), so the split is where the
 *  straight device line meets the limit. A segment that turns bad without crossing it (validation
 *  needs more than training) changes at the largest fitting batch when that lies on it; with
 *  neither known, halfway: the change is somewhere between two sampled batches. */
export function crossingFraction(a: CurvePoint, b: CurvePoint, limit: number | null, maxBatch: number | null): number {
  const rising = b.device - a.device;
  if (limit !== null && rising !== 0) {
    const t = (limit - a.device) / rising;
    if (t > 0 && t < 1) return t;
  }
  if (b.fits === false && maxBatch !== null && maxBatch >= a.batch && maxBatch < b.batch) return (maxBatch - a.batch) / (b.batch - a.batch);
  return 0.5;
}

/** One line (`device` or `reserved`) as pieces split where `fits` changes, each non-fitting stretch
 *  its own piece. A segment between a fitting and a non-fitting batch is cut at the crossing (see
 *  crossingFraction), so a fitting batch never sits on the error colour. Both lines are cut at the
 *  same batch: `fits` is one verdict per batch, decided by the device line. */
export function linePieces(pts: readonly CurvePoint[], key: 'reserved' | 'device', limit: number | null, maxBatch: number | null): LinePiece[] {
  const out: LinePiece[] = [];
  const add = (from: LinePoint, to: LinePoint, bad: boolean) => {
    const last = out[out.length - 1];
    if (last && last.bad === bad) last.points.push(to);
    else out.push({ points: [from, to], bad });
  };
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const from = { batch: a.batch, bytes: a[key] };
    const to = { batch: b.batch, bytes: b[key] };
    const badA = a.fits === false;
    const badB = b.fits === false;
    if (badA === badB) {
      add(from, to, badB);
      continue;
    }
    const t = crossingFraction(a, b, limit, maxBatch);
    // A change right on a sample (the limit met exactly, or the last fitting batch sampled): no
    // zero-length stretch, the whole segment takes the other end's colour.
    if (t <= 0 || t >= 1) {
      add(from, to, t <= 0 ? badB : badA);
      continue;
    }
    const cut = { batch: a.batch + t * (b.batch - a.batch), bytes: a[key] + t * (b[key] - a[key]) };
    add(from, cut, badA);
    add(cut, to, badB);
  }
  return out;
}

function pathOf(points: readonly LinePoint[], x: (v: number) => number, y: (v: number) => number): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${px(x(p.batch))},${px(y(p.bytes))}`).join('');
}

/** The batch where the device line first leaves the fitting colour, for the chart's description. */
function firstCut(pieces: readonly LinePiece[]): number | null {
  const i = pieces.findIndex((p) => p.bad);
  return i > 0 ? pieces[i]!.points[0]!.batch : null;
}

/** The lines follow the central estimate: a point is drawn in the error colour when not even the
 *  estimate fits ('does-not-fit'); a 'tight' point is inside the band and keeps its colour. */
function centralPoints(curve: readonly CurvePoint[]): CurvePoint[] {
  return curve.map((p) => (p.verdict === undefined || p.verdict === null ? p : { ...p, fits: p.verdict !== 'does-not-fit' }));
}

/** The band between the device line and the upper bound, as one closed path. */
function bandPath(pts: readonly CurvePoint[], x: (v: number) => number, y: (v: number) => number): string | null {
  const withUpper = pts.filter((p) => typeof p.upperDevice === 'number' && p.upperDevice > p.device);
  if (withUpper.length < 2) return null;
  const top = withUpper.map((p, i) => `${i ? 'L' : 'M'}${px(x(p.batch))},${px(y(p.upperDevice))}`).join('');
  const bottom = [...withUpper].reverse().map((p) => `L${px(x(p.batch))},${px(y(p.device))}`).join('');
  return `${top}${bottom}Z`;
}

export function renderCurveChart(input: CurveInput, g: CurveGeometry = CURVE_GEOMETRY): string {
  const crossAt = input.maxBatchTight ?? input.maxBatch;
  const pts = centralPoints(visibleCurve(input.curve, crossAt, input.currentBatch));
  if (!pts.length) return `<p class="empty">No memory-vs-batch curve in this result.</p>`;
  const usable = input.vramBytes !== null ? input.vramBytes * (1 - input.margin) : null;
  const lines = { reserved: linePieces(pts, 'reserved', usable, crossAt), device: linePieces(pts, 'device', usable, crossAt) };
  const cut = firstCut(lines.device);
  const yMaxData = Math.max(...pts.map((p) => Math.max(p.device, p.reserved, p.upperDevice ?? 0)), input.vramBytes ?? 0);
  const yt = byteTicks(yMaxData * 1.04);
  // The x axis starts at 0 so batch 1 sits just right of the axis, like the other ticks.
  const xt = integerTicks(0, Math.max(...pts.map((p) => p.batch), input.currentBatch));
  const x = linear(xt.min, xt.max, g.left, g.width - g.right);
  const y = linear(0, yt.max, g.height - g.bottom, g.top);
  const x0 = g.left;
  const x1 = g.width - g.right;
  const parts: string[] = [];
  const title = 'Memory vs batch size';
  const desc =
    `Device and reserved memory for batch ${pts[0]!.batch} to ${pts[pts.length - 1]!.batch}.` +
    (input.vramBytes !== null ? ` VRAM ${formatBytes(input.vramBytes)}, usable with margin ${formatBytes(usable)}.` : ' No GPU known.') +
    (input.maxBatch !== null ? ` Largest batch that fits: ${input.maxBatch}.` : '') +
    (input.maxBatchTight != null && input.maxBatch !== null && input.maxBatchTight > input.maxBatch ? ` Batches ${input.maxBatch + 1} to ${input.maxBatchTight} are tight: the estimate fits, the band's upper bound does not.` : '') +
    (pts.some((p) => typeof p.upperDevice === 'number' && p.upperDevice > p.device) ? ' The shaded band reaches the upper bound that 90 % of comparable real runs stayed under.' : '') +
    (cut !== null ? ` Both lines are in their own colour while the batch fits and in the error colour from batch ${formatBatch(cut)} on, where device memory passes the usable limit.` : '');
  parts.push(`<svg class="chart curve-chart" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-labelledby="curve-title curve-desc" preserveAspectRatio="xMidYMid meet">`);
  parts.push(`<title id="curve-title">${title}</title><desc id="curve-desc">${escapeHtml(desc)}</desc>`);
  // Grid and axes.
  for (let i = 0; i < yt.values.length; i++) {
    const yy = px(y(yt.values[i]!));
    parts.push(`<line class="grid" x1="${x0}" x2="${x1}" y1="${yy}" y2="${yy}"></line>`);
    parts.push(`<text class="tick" x="${x0 - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${yt.labels[i]}</text>`);
  }
  parts.push(`<text class="axis-label" transform="translate(12 ${px((g.top + g.height - g.bottom) / 2)}) rotate(-90)" text-anchor="middle">memory (${yt.unit})</text>`);
  for (const v of xt.values) {
    const xx = px(x(v));
    parts.push(`<line class="tick-mark" x1="${xx}" x2="${xx}" y1="${g.height - g.bottom}" y2="${g.height - g.bottom + 4}"></line>`);
    parts.push(`<text class="tick" x="${xx}" y="${g.height - g.bottom + 15}" text-anchor="middle">${v}</text>`);
  }
  parts.push(`<line class="axis" x1="${x0}" x2="${x1}" y1="${g.height - g.bottom}" y2="${g.height - g.bottom}"></line>`);
  parts.push(`<text class="axis-label" x="${(x0 + x1) / 2}" y="${g.height - 3}" text-anchor="middle">batch size</text>`);
  // VRAM and margin lines.
  if (input.vramBytes !== null) {
    const yv = px(y(input.vramBytes));
    parts.push(`<line class="vram-line" x1="${x0}" x2="${x1}" y1="${yv}" y2="${yv}"></line>`);
    parts.push(`<text class="line-label vram-label" x="${x1}" y="${Number(yv) - 4}" text-anchor="end">VRAM ${escapeHtml(formatBytes(input.vramBytes))}</text>`);
    if (usable !== null && input.margin > 0) {
      const ym = px(y(usable));
      parts.push(`<line class="margin-line" x1="${x0}" x2="${x1}" y1="${ym}" y2="${ym}"></line>`);
      parts.push(`<text class="line-label margin-label" x="${x1}" y="${Number(ym) + 12}" text-anchor="end">margin ${Math.round(input.margin * 100)} %: ${escapeHtml(formatBytes(usable))}</text>`);
    }
  }
  // Markers for the current and the largest fitting batch.
  const marker = (batch: number, cls: string, label: string, dy: number) => {
    const xx = px(x(batch));
    parts.push(`<line class="${cls}" x1="${xx}" x2="${xx}" y1="${g.top}" y2="${g.height - g.bottom}"></line>`);
    parts.push(`<text class="marker-label ${cls}-label" x="${xx}" y="${g.top + dy}" text-anchor="${Number(xx) > (x0 + x1) / 2 ? 'end' : 'start'}" dx="${Number(xx) > (x0 + x1) / 2 ? -4 : 4}">${escapeHtml(label)}</text>`);
  };
  if (input.maxBatch !== null && input.maxBatch >= 1) marker(input.maxBatch, 'max-marker', `max ${input.maxBatch}`, 10);
  marker(input.currentBatch, 'current-marker', `batch ${input.currentBatch}`, 24);
  // The band, under the lines.
  const band = bandPath(pts, x, y);
  if (band) parts.push(`<path class="curve-band" d="${band}"></path>`);
  // Lines.
  for (const key of ['reserved', 'device'] as const) {
    for (const p of lines[key]) parts.push(`<path class="curve curve-${key}${p.bad ? ' oom' : ''}" d="${pathOf(p.points, x, y)}"></path>`);
  }
  // Points, with a tooltip each.
  for (const p of pts) {
    const verdict = p.verdict === 'tight' ? ' — tight: may not fit' : p.fits === false ? ' — does not fit' : p.fits ? ' — fits' : '';
    const upper = typeof p.upperDevice === 'number' && p.upperDevice > p.device ? `, up to ${formatBytes(p.upperDevice)}` : '';
    const tip = `batch ${p.batch}: device ${formatBytes(p.device)}${upper}, reserved ${formatBytes(p.reserved)}, allocated ${formatBytes(p.allocated)}${verdict}`;
    parts.push(`<circle class="pt${p.fits === false ? ' oom' : ''}" cx="${px(x(p.batch))}" cy="${px(y(p.device))}" r="2.5"><title>${escapeHtml(tip)}</title></circle>`);
  }
  parts.push(`</svg>`);
  return parts.join('');
}

/** A cut between two sampled batches is fractional: one decimal says where, without false precision. */
function formatBatch(b: number): string {
  return Number.isInteger(b) ? String(b) : `≈${b.toFixed(1)}`;
}
