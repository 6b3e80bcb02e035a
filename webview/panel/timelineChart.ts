// Live memory through one training step (forward layer by layer, loss, backward, optimizer step)
// as an SVG string. Phases are shaded bands; the selected layer gets a marker; each point carries
// its layer index so a click can select the table row.

import type { TimelinePoint } from '../../src/core/result';
import { escapeHtml, formatBytes } from '../shared/format';
import { byteTicks, linear, px } from '../shared/scale';

export const TIMELINE_GEOMETRY = { width: 640, height: 220, left: 56, right: 16, top: 22, bottom: 8 };

export const PHASE_LABEL: Readonly<Record<string, string>> = { forward: 'Forward', loss: 'Loss', backward: 'Backward', optimizer: 'Optimizer' };

export interface PhaseBand {
  phase: string;
  from: number;
  to: number;
}

/** Consecutive runs of one phase, as [from, to] point indices (inclusive). */
export function phaseBands(points: readonly TimelinePoint[]): PhaseBand[] {
  const bands: PhaseBand[] = [];
  points.forEach((p, i) => {
    const last = bands[bands.length - 1];
    if (last && last.phase === p.phase) last.to = i;
    else bands.push({ phase: p.phase, from: i, to: i });
  });
  return bands;
}

/** Index of the peak point (first one when tied), or -1. */
export function peakIndex(points: readonly TimelinePoint[]): number {
  let best = -1;
  points.forEach((p, i) => {
    if (best < 0 || p.liveBytes > points[best]!.liveBytes) best = i;
  });
  return best;
}

export function renderTimelineChart(points: readonly TimelinePoint[], selectedLayer: number | null, g = TIMELINE_GEOMETRY): string {
  if (!points.length) return `<p class="empty">No training-step timeline in this result.</p>`;
  const n = points.length;
  const yt = byteTicks(Math.max(...points.map((p) => p.liveBytes)) * 1.06);
  const x0 = g.left;
  const x1 = g.width - g.right;
  const x = linear(0, Math.max(1, n - 1), x0, x1);
  const y = linear(0, yt.max, g.height - g.bottom, g.top);
  const step = (x1 - x0) / Math.max(1, n - 1);
  const peak = peakIndex(points);
  const parts: string[] = [];
  parts.push(`<svg class="chart timeline-chart" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-labelledby="tl-title tl-desc" preserveAspectRatio="xMidYMid meet">`);
  parts.push(
    `<title id="tl-title">Live memory through one training step</title><desc id="tl-desc">${escapeHtml(`${n} steps; peak ${formatBytes(points[peak]!.liveBytes)} at ${points[peak]!.label} (${points[peak]!.phase}).`)}</desc>`,
  );
  for (const b of phaseBands(points)) {
    const bx0 = Math.max(x0, x(b.from) - step / 2);
    const bx1 = Math.min(x1, x(b.to) + step / 2);
    parts.push(`<rect class="band band-${escapeHtml(b.phase)}" x="${px(bx0)}" y="${g.top}" width="${px(Math.max(0.5, bx1 - bx0))}" height="${g.height - g.top - g.bottom}"></rect>`);
    if (bx1 - bx0 > 40) parts.push(`<text class="band-label" x="${px((bx0 + bx1) / 2)}" y="${g.top - 6}" text-anchor="middle">${escapeHtml(PHASE_LABEL[b.phase] ?? b.phase)}</text>`);
  }
  for (let i = 0; i < yt.values.length; i++) {
    const yy = px(y(yt.values[i]!));
    parts.push(`<line class="grid" x1="${x0}" x2="${x1}" y1="${yy}" y2="${yy}"></line>`);
    parts.push(`<text class="tick" x="${x0 - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${yt.labels[i]}</text>`);
  }
  parts.push(`<text class="axis-label" transform="translate(12 ${px((g.top + g.height - g.bottom) / 2)}) rotate(-90)" text-anchor="middle">live (${yt.unit})</text>`);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${px(x(i))},${px(y(p.liveBytes))}`).join('');
  parts.push(`<path class="timeline-area" d="${line}L${px(x(n - 1))},${px(y(0))}L${px(x(0))},${px(y(0))}Z"></path>`);
  parts.push(`<path class="timeline-line" d="${line}"></path>`);
  // Peak marker.
  const pxk = px(x(peak));
  const pyk = px(y(points[peak]!.liveBytes));
  parts.push(`<circle class="peak" cx="${pxk}" cy="${pyk}" r="3"></circle>`);
  parts.push(`<text class="marker-label peak-label" x="${pxk}" y="${Number(pyk) - 6}" text-anchor="${x(peak) > (x0 + x1) / 2 ? 'end' : 'start'}">peak ${escapeHtml(formatBytes(points[peak]!.liveBytes))}</text>`);
  // Selected layer: its forward point(s) and the matching backward point(s).
  if (selectedLayer !== null) {
    points.forEach((p, i) => {
      if (p.layer !== selectedLayer) return;
      const xx = px(x(i));
      parts.push(`<line class="selected-marker" x1="${xx}" x2="${xx}" y1="${g.top}" y2="${g.height - g.bottom}"></line>`);
      parts.push(`<circle class="selected-point" cx="${xx}" cy="${px(y(p.liveBytes))}" r="3.5"></circle>`);
    });
  }
  // Hit areas: one thin column per point with its tooltip and layer.
  const w = Math.max(1, step);
  points.forEach((p, i) => {
    const tip = `${PHASE_LABEL[p.phase] ?? p.phase}: ${p.label} — ${formatBytes(p.liveBytes)} live`;
    const layerAttr = p.layer !== null ? ` data-layer="${p.layer}"` : '';
    parts.push(`<rect class="hit" x="${px(x(i) - w / 2)}" y="${g.top}" width="${px(w)}" height="${g.height - g.top - g.bottom}"${layerAttr}><title>${escapeHtml(tip)}</title></rect>`);
  });
  parts.push(`</svg>`);
  return parts.join('');
}
