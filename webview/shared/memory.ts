// What both views say about an estimate: the verdict against the GPU, and the breakdown segments.
// Pure; the numbers come straight from the AnalysisResult, nothing is re-estimated here.

import type { Estimate, MemoryBytes } from '../../src/core/result';
import type { Verdict } from '../../src/protocol/webview';
import { formatBytes, formatPercent } from './format';

/** For a result without the estimator's own verdict (older results): within this fraction of the
 *  usable VRAM the run is called "tight". A current result carries `verdict` from the error band
 *  (src/core/memory/band.ts), which is what every view shows. */
export const TIGHT_FRACTION = 0.9;

/** VRAM the run may use: total minus the safety margin. */
export function usableBytes(totalBytes: number, margin: number): number {
  return totalBytes * (1 - margin);
}

export function verdictOf(est: (Pick<Estimate, 'fits' | 'bytes'> & Partial<Pick<Estimate, 'verdict'>>) | null | undefined, totalBytes: number | null | undefined, margin: number): Verdict {
  if (!est) return 'pending';
  if (est.fits === null || !totalBytes) return 'unknown';
  if (est.verdict === 'fits' || est.verdict === 'tight') return est.verdict;
  if (est.verdict === 'does-not-fit') return 'oom';
  if (!est.fits) return 'oom';
  return est.bytes.device > TIGHT_FRACTION * usableBytes(totalBytes, margin) ? 'tight' : 'fits';
}

export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  fits: 'Fits',
  tight: 'Tight: may not fit',
  oom: 'Out of memory',
  unknown: 'No GPU to check',
  pending: 'Estimating…',
  error: 'Error',
};

export const VERDICT_ICON: Readonly<Record<Verdict, string>> = {
  fits: 'pass',
  tight: 'warning',
  oom: 'error',
  unknown: 'question',
  pending: 'loading',
  error: 'error',
};

/** One sentence: "Fits: 5.1 GiB of 8 GiB (64 %), 10 % margin kept" / "Needs 9.2 GiB, 7.2 GiB usable". */
export function verdictSentence(est: Estimate, totalBytes: number | null | undefined, margin: number): string {
  const v = verdictOf(est, totalBytes, margin);
  const dev = formatBytes(est.bytes.device);
  if (v === 'unknown' || !totalBytes) return `Needs ${dev} on the GPU; no GPU known to check against`;
  const usable = usableBytes(totalBytes, margin);
  if (v === 'oom') {
    const what = est.limitedBy === 'validation' && est.validationDevice !== null ? `Validation needs ${formatBytes(est.validationDevice)}` : `Needs ${dev}`;
    return `${what}; ${formatBytes(usable)} usable of ${formatBytes(totalBytes)} (${formatPercent(margin, 0)} margin)`;
  }
  const used = `Uses ${dev} of ${formatBytes(totalBytes)} (${formatPercent(est.bytes.device / totalBytes, 0)}), ${formatPercent(margin, 0)} margin kept`;
  // the band's top: real runs reached up to this much (the estimate's upper bound)
  return est.upper && v === 'tight' ? `${used}; up to ${formatBytes(est.upper.device)} in comparable real runs` : used;
}

export interface Segment {
  key: keyof MemoryBytes | 'other';
  label: string;
  bytes: number;
  /** CSS class that picks the theme colour. */
  cls: string;
  /** What the term is, for the tooltip. */
  help: string;
}

/** The terms of the device total, in stacking order. */
export const SEGMENT_DEFS: ReadonlyArray<Omit<Segment, 'bytes'> & { key: keyof MemoryBytes }> = [
  { key: 'weights', label: 'Weights', cls: 'seg-weights', help: 'fp32 master weights and buffers' },
  { key: 'gradients', label: 'Gradients', cls: 'seg-gradients', help: 'one gradient per trainable parameter' },
  { key: 'optimizerState', label: 'Optimizer state', cls: 'seg-optimizer', help: 'momentum / Adam moments' },
  { key: 'ema', label: 'EMA', cls: 'seg-ema', help: 'exponential moving average copy of the model' },
  { key: 'activations', label: 'Activations', cls: 'seg-activations', help: 'tensors the layers save for backward' },
  { key: 'lossAndAssigner', label: 'Loss & assigner', cls: 'seg-loss', help: 'loss and label-assignment tensors at their peak' },
  { key: 'workspace', label: 'cuDNN workspace', cls: 'seg-workspace', help: 'cuDNN / cuBLAS workspaces' },
  { key: 'allocatorOverhead', label: 'Allocator overhead', cls: 'seg-allocator', help: 'reserved − allocated: caching allocator rounding and cached blocks' },
  { key: 'cudaContext', label: 'CUDA context', cls: 'seg-context', help: 'CUDA context, outside the allocator' },
];

export interface Breakdown {
  segments: Segment[];
  /** Sum of the listed terms (plus "other"). */
  total: number;
  device: number;
  /** Listed terms minus device when they overlap (not all live at the peak at once), else 0. */
  overlap: number;
}

/** The device total as stacked terms. Terms the result lists separately are not all live at the
 *  same instant, so their sum can exceed `device`; then the overlap is reported, not hidden. When
 *  they sum to less, the rest is shown as "Other" (e.g. workspaces outside the allocator). */
export function breakdownOf(bytes: MemoryBytes): Breakdown {
  const segments: Segment[] = SEGMENT_DEFS.map((d) => ({ ...d, bytes: Math.max(0, bytes[d.key]) })).filter((s) => s.bytes > 0);
  const listed = segments.reduce((a, s) => a + s.bytes, 0);
  const rest = bytes.device - listed;
  if (rest > 0) segments.push({ key: 'other', label: 'Other', cls: 'seg-other', bytes: rest, help: 'device total not covered by the terms above' });
  return { segments, total: Math.max(listed, bytes.device), device: bytes.device, overlap: rest < 0 ? -rest : 0 };
}
