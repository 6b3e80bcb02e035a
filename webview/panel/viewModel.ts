// The panel's header as a view-model: every number next to the text it is shown as. A test checks
// that each number is the result's own, so the panel cannot drift from the CLI's JSON.

import type { DeployPrecision } from '../../src/core/options';
import type { AnalysisResult, Estimate, GpuInfo } from '../../src/core/result';
import type { PanelState, Verdict } from '../../src/protocol/webview';
import { formatBytes, formatCount, formatGflops, formatPercent } from '../shared/format';
import { VERDICT_LABEL, verdictOf, verdictSentence } from '../shared/memory';

export interface Shown {
  value: number | null;
  text: string;
}

export interface HeaderVM {
  name: string;
  source: string;
  format: string;
  task: string;
  params: Shown;
  trainableParams: Shown;
  gflops: Shown;
  layers: Shown;
  gpuName: string;
  gpuTotal: Shown;
  /** Free VRAM as nvidia-smi last read it; '—' when the GPU is not one nvidia-smi reported. */
  gpuFree: Shown;
  /** Where "Free now" came from, for its tooltip ('' when there is no reading). */
  gpuFreeNote: string;
  gpuSource: string;
  verdict: Verdict;
  verdictLabel: string;
  verdictText: string;
  batch: Shown;
  batchPerGpu: Shown;
  imgsz: Shown;
  optimizer: string;
  amp: boolean;
  allocated: Shown;
  reserved: Shown;
  device: Shown;
  maxBatch: Shown;
  /** Largest batch that may fit (the estimate fits, the band's top does not), when above maxBatch. */
  maxBatchTight: Shown;
  margin: Shown;
  deployPrecision: DeployPrecision;
  /** Parameters x bytes per weight at the deployment precision. */
  deployBytes: Shown;
}

/** Bytes per weight for the deployment what-if (int8 keeps per-channel scales, which are tiny). */
export const DEPLOY_BYTES_PER_PARAM: Readonly<Record<DeployPrecision, number>> = { fp32: 4, fp16: 2, int8: 1 };

const shown = (value: number | null, fmt: (v: number) => string): Shown => ({ value, text: value === null ? '—' : fmt(value) });

/** The live reading that belongs to the planned GPU: the host's latest nvidia-smi reading when it
 *  is the same device (name, size, CUDA index), else the result's own used/free (a result made with
 *  a reading, as the CLI does). A --gpu-memory size, a preset or a what-if size has no reading. */
export function liveReading(planned: GpuInfo | null, now: GpuInfo | null | undefined): GpuInfo | null {
  if (!planned || planned.source !== 'nvidia-smi') return null;
  if (now && now.source === 'nvidia-smi' && now.name === planned.name && now.totalBytes === planned.totalBytes && now.index === planned.index) return now;
  return planned.usedBytes !== undefined || planned.freeBytes !== undefined ? planned : null;
}

/** Free bytes of a reading: nvidia-smi's own figure, else total minus used. */
export function freeBytesOf(g: GpuInfo | null): number | null {
  if (!g) return null;
  if (g.freeBytes !== undefined) return g.freeBytes;
  return g.usedBytes !== undefined ? Math.max(0, g.totalBytes - g.usedBytes) : null;
}

/** The estimate the header describes: the first one ("the" batch). */
export function mainEstimate(r: AnalysisResult): Estimate | null {
  return r.estimates[0] ?? null;
}

export function buildHeader(state: PanelState): HeaderVM | null {
  const r = state.result;
  if (!r) return null;
  const e = mainEstimate(r);
  const gpu = r.gpu;
  const dp = state.options.deployPrecision ?? 'fp32';
  const live = liveReading(gpu, state.gpuNow);
  const verdict = state.busy && !e ? 'pending' : verdictOf(e, gpu?.totalBytes, r.margin);
  return {
    name: r.model.name,
    source: r.model.source,
    format: r.model.format,
    task: r.model.task ?? 'unknown task',
    params: shown(r.model.params, formatCount),
    trainableParams: shown(r.model.trainableParams, formatCount),
    gflops: shown(r.model.gflops, formatGflops),
    layers: shown(r.model.layers, String),
    gpuName: gpu?.name ?? 'No GPU known',
    gpuTotal: shown(gpu?.totalBytes ?? null, formatBytes),
    gpuFree: shown(freeBytesOf(live), formatBytes),
    gpuFreeNote: live ? `nvidia-smi reading${live.usedBytes !== undefined ? `: ${formatBytes(live.usedBytes)} in use` : ''}` : '',
    gpuSource: gpu?.source ?? '',
    verdict,
    verdictLabel: VERDICT_LABEL[verdict],
    verdictText: e ? verdictSentence(e, gpu?.totalBytes, r.margin) : 'No estimate in this result',
    batch: shown(e?.batch ?? null, String),
    batchPerGpu: shown(e?.batchPerGpu ?? null, String),
    imgsz: shown(e?.imgsz ?? null, String),
    optimizer: e?.optimizer ?? '—',
    amp: e?.amp ?? false,
    allocated: shown(e?.bytes.allocated ?? null, formatBytes),
    reserved: shown(e?.bytes.reserved ?? null, formatBytes),
    device: shown(e?.bytes.device ?? null, formatBytes),
    maxBatch: shown(r.maxBatch, String),
    maxBatchTight: shown(r.maxBatchTight != null && r.maxBatch !== null && r.maxBatchTight > r.maxBatch ? r.maxBatchTight : null, String),
    margin: shown(r.margin, (m) => formatPercent(m, 0)),
    deployPrecision: dp,
    deployBytes: shown(r.model.params * DEPLOY_BYTES_PER_PARAM[dp], formatBytes),
  };
}
