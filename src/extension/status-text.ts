// The status bar item's text and tooltip, from the active file's estimate and the GPU. Pure.
//   $(pass) b16 needs 7.8 GiB of 10.8 GiB     the active file's batch fits (what it needs of the usable VRAM)
//   $(error) b32 needs 13.1 GiB of 10.8 GiB   it does not
//   $(chip) GPU 3.1/24 GiB                    no model in the active file: the GPU's live use
// The figure is the one the hover, Problems, panel, sidebar and CLI show first (needsPhrase), and
// the colour follows the same verdict (verdictOf): never a threshold of its own.

import { maxBatchText } from '../core/max-batch';
import type { AnalysisResult, GpuInfo } from '../core/result';
import { formatBytes } from '../../webview/shared/format';
import { neededOf, needsPhrase, usableBytes, VERDICT_LABEL, verdictOf } from '../../webview/shared/memory';
import { pickEstimate, VERDICT_CODICON } from './hover-card';

/** Live GPU use, compact: "3.1/24 GiB". */
function gib(bytes: number): string {
  const v = bytes / 2 ** 30;
  return v >= 10 ? v.toFixed(0) : v.toFixed(1);
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** 'error' | 'warning' colours the item; undefined = default. */
  tone?: 'error' | 'warning';
}

export function statusForResult(result: AnalysisResult, batch?: number | null): StatusView {
  const est = pickEstimate(result, batch);
  if (!est) return { text: '$(chip) YOLO Memory', tooltip: 'No estimate' };
  const gpu = result.gpu;
  const v = verdictOf(est, gpu?.totalBytes, result.margin);
  const need = formatBytes(neededOf(est).bytes);
  const text = gpu ? `${VERDICT_CODICON[v]} b${est.batch} needs ${need} of ${formatBytes(usableBytes(gpu.totalBytes, result.margin))}` : `$(chip) b${est.batch} needs ${need}`;
  const lines = [
    `${result.model.name} · batch ${est.batch} · imgsz ${est.imgsz} · ${est.amp ? 'AMP' : 'fp32'}`,
    `${VERDICT_LABEL[v]}: ${needsPhrase(est, gpu?.totalBytes, result.margin)}` + (gpu ? ` (${gpu.name}, ${formatBytes(gpu.totalBytes)})` : ''),
  ];
  if (est.upper && gpu) lines.push(`Upper bound: ${formatBytes(est.upper.device)} on the device${est.verdictReason ? ` (${est.verdictReason})` : ''}`);
  if (result.maxBatch === 0) lines.push(`${maxBatchText(result)}`);
  else if (result.maxBatch !== null) lines.push(`Largest batch that fits: ${maxBatchText(result)}` + (result.maxBatchTight != null && result.maxBatchTight > result.maxBatch ? ` (may fit up to ${result.maxBatchTight})` : ''));
  lines.push('Click to open the memory panel');
  return { text, tooltip: lines.join('\n'), tone: v === 'oom' ? 'error' : v === 'tight' ? 'warning' : undefined };
}

export function statusForGpu(gpu: GpuInfo | null, message: string | null): StatusView {
  if (!gpu) return { text: '$(chip) YOLO Memory', tooltip: `${message ?? 'No GPU detected'}\nClick to analyze a model's training memory` };
  const live = gpu.usedBytes !== undefined ? `${gib(gpu.usedBytes)}/${gib(gpu.totalBytes)} GiB` : `${gib(gpu.totalBytes)} GiB`;
  const tip = [`${gpu.name}${gpu.index !== undefined ? ` (GPU ${gpu.index})` : ''}: ${gpu.usedBytes !== undefined ? `${formatBytes(gpu.usedBytes)} used of ` : ''}${formatBytes(gpu.totalBytes)}`];
  if (gpu.source === 'setting' || gpu.source === 'preset') tip.push('Planning GPU from the yoloMemory.gpu.memory setting');
  tip.push("Click to analyze a model's training memory");
  return { text: `$(chip) GPU ${live}`, tooltip: tip.join('\n') };
}
