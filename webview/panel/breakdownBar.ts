// The memory breakdown: one stacked horizontal bar of the device total's terms against the VRAM
// line (and the margin line), plus a legend table with each term's bytes and share.

import type { MemoryBytes } from '../../src/core/result';
import { escapeHtml, formatBytes, formatPercent } from '../shared/format';
import { breakdownOf, type Breakdown } from '../shared/memory';
import { byteTicks, linear, px } from '../shared/scale';

export const BAR_GEOMETRY = { width: 640, height: 64, left: 8, right: 8, barTop: 16, barHeight: 22 };

export interface BarSegment {
  key: string;
  label: string;
  cls: string;
  bytes: number;
  x: number;
  width: number;
}

/** Segments laid out left to right on a scale that holds both the stack and the VRAM. */
export function layoutBar(b: Breakdown, vramBytes: number | null, g = BAR_GEOMETRY): { segments: BarSegment[]; scaleMax: number; x: (v: number) => number } {
  const ticks = byteTicks(Math.max(b.total, vramBytes ?? 0));
  const x = linear(0, ticks.max, g.left, g.width - g.right);
  let acc = 0;
  const segments = b.segments.map((s) => {
    const seg = { key: s.key, label: s.label, cls: s.cls, bytes: s.bytes, x: x(acc), width: x(acc + s.bytes) - x(acc) };
    acc += s.bytes;
    return seg;
  });
  return { segments, scaleMax: ticks.max, x };
}

/** `needed`: the decisive figure (what the run needs on the device, the number compared with the
 *  usable VRAM), listed first among the totals when given. */
export function renderBreakdown(bytes: MemoryBytes, vramBytes: number | null, margin: number, g = BAR_GEOMETRY, needed?: { bytes: number; by: 'train' | 'validation' }): string {
  const b = breakdownOf(bytes);
  const { segments, x } = layoutBar(b, vramBytes, g);
  const parts: string[] = [];
  const desc = `Device total ${formatBytes(b.device)}` + (vramBytes !== null ? ` of ${formatBytes(vramBytes)} VRAM` : '') + ': ' + b.segments.map((s) => `${s.label} ${formatBytes(s.bytes)}`).join(', ');
  parts.push(`<svg class="chart breakdown-bar" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-labelledby="bd-title bd-desc" preserveAspectRatio="xMidYMid meet">`);
  parts.push(`<title id="bd-title">Memory breakdown</title><desc id="bd-desc">${escapeHtml(desc)}</desc>`);
  parts.push(`<rect class="bar-track" x="${g.left}" y="${g.barTop}" width="${g.width - g.left - g.right}" height="${g.barHeight}"></rect>`);
  for (const s of segments) {
    parts.push(`<rect class="seg ${s.cls}" x="${px(s.x)}" y="${g.barTop}" width="${px(Math.max(0, s.width))}" height="${g.barHeight}"><title>${escapeHtml(`${s.label}: ${formatBytes(s.bytes)}`)}</title></rect>`);
  }
  const yb = g.barTop + g.barHeight;
  const deviceX = px(x(b.device));
  parts.push(`<line class="device-line" x1="${deviceX}" x2="${deviceX}" y1="${g.barTop - 4}" y2="${yb + 4}"></line>`);
  if (vramBytes !== null) {
    const vx = px(x(vramBytes));
    parts.push(`<line class="vram-line" x1="${vx}" x2="${vx}" y1="${g.barTop - 10}" y2="${yb + 10}"></line>`);
    parts.push(`<text class="line-label vram-label" x="${vx}" y="${g.barTop - 12}" text-anchor="end">VRAM ${escapeHtml(formatBytes(vramBytes))}</text>`);
    if (margin > 0) {
      const mx = px(x(vramBytes * (1 - margin)));
      parts.push(`<line class="margin-line" x1="${mx}" x2="${mx}" y1="${g.barTop - 6}" y2="${yb + 6}"></line>`);
    }
  }
  parts.push(`<text class="line-label device-label" x="${deviceX}" y="${yb + 18}" text-anchor="${x(b.device) > g.width / 2 ? 'end' : 'start'}">device ${escapeHtml(formatBytes(b.device))}</text>`);
  parts.push(`</svg>`);
  // Legend: a real table, so screen readers and copy/paste get the numbers.
  const rows = b.segments
    .map(
      (s) =>
        `<tr><td><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect class="seg ${s.cls}" width="10" height="10"></rect></svg>${escapeHtml(s.label)}</td>` +
        `<td class="num">${formatBytes(s.bytes)}</td><td class="num">${formatPercent(b.device ? s.bytes / b.device : null)}</td><td class="help">${escapeHtml(s.help)}</td></tr>`,
    )
    .join('');
  const total = (label: string, v: number, help: string, cls = 'total') =>
    `<tr class="${cls}"><td>${escapeHtml(label)}</td><td class="num">${formatBytes(v)}</td><td class="num">${formatPercent(b.device ? v / b.device : null)}</td><td class="help">${escapeHtml(help)}</td></tr>`;
  const totals =
    (needed
      ? total(
          'Needs',
          needed.bytes,
          needed.by === 'validation' ? 'what validation at 2× batch needs on the device: the figure compared with the usable VRAM' : 'what the run needs on the device (PyTorch frees cached blocks before failing): the figure compared with the usable VRAM',
          'total decisive',
        )
      : '') +
    total('Allocated (peak)', bytes.allocated, 'tensors alive at the busiest moment of a step (torch max_memory_allocated)') +
    total('Reserved', bytes.reserved, "what PyTorch's memory cache holds with room to spare (Ultralytics' GPU_mem)") +
    total('On the device', bytes.device, 'reserved + CUDA context: what nvidia-smi shows when memory is plentiful');
  const overlap = b.overlap > 0 ? `<p class="note">The terms add up to ${formatBytes(b.total)}, ${formatBytes(b.overlap)} more than the device total: not all of them are live at the peak at once.</p>` : '';
  return `${parts.join('')}<table class="legend" aria-label="Memory terms"><thead><tr><th scope="col">Term</th><th scope="col" class="num">Bytes</th><th scope="col" class="num">of device</th><th scope="col" class="help">What it is</th></tr></thead><tbody>${rows}${totals}</tbody></table>${overlap}`;
}
