// How a validated OptionsPatch from the panel changes the host's AnalyzeOptions. The model path is
// never in a patch: the webview cannot redirect the estimator to another file.

import type { AnalyzeOptions } from '../../core/options';
import type { GpuInfo } from '../../core/result';
import type { OptionsPatch } from '../../protocol/webview';
import { formatBytes } from '../../../webview/shared/format';

export function applyPatch(o: AnalyzeOptions, p: OptionsPatch): AnalyzeOptions {
  const next: AnalyzeOptions = { ...o };
  if (p.batch !== undefined) next.batch = [p.batch, ...(o.batch ?? []).slice(1).filter((b) => b !== p.batch)];
  if (p.imgsz !== undefined) next.imgsz = p.imgsz;
  if (p.amp !== undefined) next.amp = p.amp;
  if (p.optimizer !== undefined) next.optimizer = p.optimizer;
  if (p.gpus !== undefined) next.gpus = p.gpus;
  if (p.margin !== undefined) next.margin = p.margin;
  if (p.objectsPerImage === null) delete next.objectsPerImage;
  else if (p.objectsPerImage !== undefined) next.objectsPerImage = p.objectsPerImage;
  if (p.pruneRatio !== undefined) next.pruneRatio = p.pruneRatio;
  if (p.deployPrecision !== undefined) next.deployPrecision = p.deployPrecision;
  if (p.gpuTotalBytes !== undefined) next.gpu = p.gpuTotalBytes === null ? null : withTotal(o.gpu ?? null, p.gpuTotalBytes);
  return next;
}

const WHAT_IF = ' GPU (what-if)';

/** Keep the detected GPU when its size is unchanged; otherwise it is a what-if GPU of that size. */
function withTotal(gpu: GpuInfo | null, totalBytes: number): GpuInfo {
  if (gpu && gpu.totalBytes === totalBytes) return gpu;
  return { name: `${formatBytes(totalBytes)}${WHAT_IF}`, totalBytes, source: 'setting' };
}

/** A GPU the user typed into the panel (made by withTotal), as opposed to the planning GPU the host
 *  gave: a restored panel's options say which it had, and a what-if is never replaced by a newly
 *  detected GPU. The gpu.memory setting's GPU is named `<size> GPU`, without the suffix. */
export function isWhatIfGpu(gpu: GpuInfo | null | undefined): boolean {
  return !!gpu && gpu.source === 'setting' && gpu.name.endsWith(WHAT_IF);
}
