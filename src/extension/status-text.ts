// The status bar item's text and tooltip, from the active file's estimate and the GPU. Pure.
//   $(chip) 7.8/12 GiB · b16 ✓      the active file's batch fits
//   $(chip) 13.1/12 GiB · b32 ✗     it does not
//   $(chip) GPU 3.1/24 GiB          no model in the active file: the GPU's live use

import { maxBatchText } from '../core/max-batch';
import type { AnalysisResult, GpuInfo } from '../core/result';
import { formatBytes } from '../../webview/shared/format';
import { VERDICT_LABEL, verdictOf } from '../../webview/shared/memory';
import { pickEstimate } from './hover-card';

const MARK = { fits: '✓', tight: '⚠', oom: '✗', unknown: '?', pending: '…', error: '✗' } as const;

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
  const used = gpu ? `${gib(est.bytes.device)}/${gib(gpu.totalBytes)} GiB` : formatBytes(est.bytes.device);
  const lines = [
    `${result.model.name} · batch ${est.batch} · imgsz ${est.imgsz} · ${est.amp ? 'AMP' : 'fp32'}`,
    `${VERDICT_LABEL[v]}: ${formatBytes(est.bytes.device)} on the device (reserved ${formatBytes(est.bytes.reserved)})` + (gpu ? ` of ${formatBytes(gpu.totalBytes)} on ${gpu.name}` : ''),
  ];
  if (result.maxBatch === 0) lines.push(`${maxBatchText(result)}`);
  else if (result.maxBatch !== null) lines.push(`Largest batch that fits: ${maxBatchText(result)}`);
  lines.push('Click to open the memory panel');
  return { text: `$(chip) ${used} · b${est.batch} ${MARK[v]}`, tooltip: lines.join('\n'), tone: v === 'oom' ? 'error' : v === 'tight' ? 'warning' : undefined };
}

export function statusForGpu(gpu: GpuInfo | null, message: string | null): StatusView {
  if (!gpu) return { text: '$(chip) YOLO Memory', tooltip: `${message ?? 'No GPU detected'}\nClick to analyze a model's training memory` };
  const live = gpu.usedBytes !== undefined ? `${gib(gpu.usedBytes)}/${gib(gpu.totalBytes)} GiB` : `${gib(gpu.totalBytes)} GiB`;
  const tip = [`${gpu.name}${gpu.index !== undefined ? ` (GPU ${gpu.index})` : ''}: ${gpu.usedBytes !== undefined ? `${formatBytes(gpu.usedBytes)} used of ` : ''}${formatBytes(gpu.totalBytes)}`];
  if (gpu.source === 'setting' || gpu.source === 'preset') tip.push('Planning GPU from the yoloMemory.gpu.memory setting');
  tip.push("Click to analyze a model's training memory");
  return { text: `$(chip) GPU ${live}`, tooltip: tip.join('\n') };
}
