// What both views say about an estimate: the verdict against the GPU, and the breakdown segments.
// Pure; the numbers come straight from the AnalysisResult, nothing is re-estimated here.

import type { Estimate, MemoryBytes } from '../../src/core/result';
import type { Verdict } from '../../src/protocol/webview';
import { formatBytes, formatPercent } from './format';

/** VRAM the run may use: total minus the safety margin. */
export function usableBytes(totalBytes: number, margin: number): number {
  return totalBytes * (1 - margin);
}

/** What every surface reads of an estimate to judge it. `verdict` is the core's three-state verdict
 *  when the result carries one (fits / tight / does-not-fit, from the estimate's error band); until
 *  then `fits` decides, and nothing here re-judges a number with a threshold of its own — so the
 *  batch the tool recommends (`maxBatch`, the largest that fits) is always shown as fitting. */
export type JudgedEstimate = Pick<Estimate, 'fits' | 'bytes'> & Partial<Pick<Estimate, 'neededDevice' | 'validationDevice' | 'limitedBy'>> & {
  verdict?: 'fits' | 'tight' | 'does-not-fit' | null;
};

export function verdictOf(est: JudgedEstimate | null | undefined, totalBytes: number | null | undefined, _margin?: number): Verdict {
  if (!est) return 'pending';
  if (est.fits === null || !totalBytes) return 'unknown';
  if (est.verdict === 'tight') return 'tight';
  if (est.verdict === 'does-not-fit') return 'oom';
  if (est.verdict === 'fits') return 'fits';
  return est.fits ? 'fits' : 'oom';
}

/** The one figure every surface shows first: what the run needs on the device, the number the
 *  verdict compares with the usable VRAM. Training's need (Estimate.neededDevice: what decides
 *  out-of-memory), or validation's at 2x batch when that is larger (it is compared too). */
export function neededOf(est: JudgedEstimate): { bytes: number; by: 'train' | 'validation' } {
  const train = est.neededDevice ?? est.bytes.device;
  const val = est.validationDevice ?? null;
  return val !== null && val > train ? { bytes: val, by: 'validation' } : { bytes: train, by: 'train' };
}

/** "needs 10.8 GiB of 10.8 GiB usable" — the decisive figure against the usable VRAM, in the same
 *  words in the hover, status bar tooltip, Problems, panel, sidebar and CLI. */
export function needsPhrase(est: JudgedEstimate, totalBytes: number | null | undefined, margin: number): string {
  const n = neededOf(est);
  const what = `needs ${formatBytes(n.bytes)}${n.by === 'validation' ? ' (validation at 2× batch)' : ''}`;
  return totalBytes ? `${what} of ${formatBytes(usableBytes(totalBytes, margin))} usable` : `${what}; no GPU known to check against`;
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

/** One sentence: "Needs 5.1 GiB of 7.2 GiB usable (8 GiB, 10 % kept free)". */
export function verdictSentence(est: Estimate, totalBytes: number | null | undefined, margin: number): string {
  const phrase = needsPhrase(est, totalBytes, margin);
  const sentence = phrase.charAt(0).toUpperCase() + phrase.slice(1);
  const base = totalBytes ? `${sentence} (${formatBytes(totalBytes)}, ${formatPercent(margin, 0)} kept free)` : sentence;
  // the band's top: real runs reached up to this much (the estimate's upper bound)
  return est.upper && verdictOf(est, totalBytes, margin) === 'tight' ? `${base}; up to ${formatBytes(est.upper.device)} in comparable real runs` : base;
}

/** The totals other than the decisive one, each with what it is in plain words: the breakdown's
 *  footer in the panel, the hover's details and the Markdown export say the same. */
export function otherTotals(est: Estimate): { key: string; label: string; bytes: number; short: string; help: string }[] {
  const out = [
    { key: 'allocated', label: 'Allocated (peak)', bytes: est.bytes.allocated, short: 'live tensors at the peak', help: 'tensors alive at the busiest moment of a step (torch max_memory_allocated)' },
    { key: 'reserved', label: 'Reserved', bytes: est.bytes.reserved, short: "held by PyTorch's cache", help: "what PyTorch's memory cache holds with room to spare: Ultralytics' GPU_mem column" },
    { key: 'device', label: 'On the device', bytes: est.bytes.device, short: 'what nvidia-smi shows', help: 'reserved + CUDA context: what nvidia-smi shows when memory is plentiful (PyTorch gives cached blocks back before failing, so a run needs less)' },
  ];
  if (est.validationDevice !== null) out.push({ key: 'validation', label: 'Validation', bytes: est.validationDevice, short: '2× batch, no gradients', help: 'the validation pass at twice the batch, without gradients, after training memory is released' });
  return out;
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
  { key: 'allocatorOverhead', label: 'Allocator overhead', cls: 'seg-allocator', help: "PyTorch's memory cache: blocks rounded up and freed blocks kept for reuse (reserved − allocated)" },
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
