// Which GPU an open analysis panel checks against when the planning GPU changes (nvidia-smi answers
// late, the user edits the gpu.memory setting, another device is selected). The panel follows the
// planning GPU until the user types a VRAM size of their own (a what-if): from then on a newly
// detected GPU does not override that choice, and only the live "Free now" reading keeps updating.
// Typing the planning GPU's size again goes back to following it.

import type { AnalyzeOptions } from '../../core/options';
import type { GpuInfo } from '../../core/result';
import type { OptionsPatch } from '../../protocol/webview';
import { sameGpu } from '../gpu-state';
import { isWhatIfGpu } from './applyPatch';

/** The VRAM a GPU choice shows in the panel's field (null: no GPU, the field is empty). */
function totalOf(gpu: GpuInfo | null | undefined): number | null {
  return gpu?.totalBytes ?? null;
}

export class GpuFollow {
  private following: boolean;
  /** The GPU an automatic switch replaced, until the webview shows the new one: its VRAM field may
   *  still hold the old size, and every patch carries that field. */
  private replaced: { gpu: GpuInfo | null } | null = null;

  constructor(gpu: GpuInfo | null | undefined) {
    this.following = !isWhatIfGpu(gpu);
  }

  /** True while the panel's GPU is the planning one (not the user's what-if). */
  get follows(): boolean {
    return this.following;
  }

  /** Options from the host (the command ran again, a restored panel): they carry the planning GPU,
   *  unless they are a restored what-if. Returns the options with the planning GPU in place of an
   *  outdated one (the host built them before the GPU changed). */
  hostOptions(options: AnalyzeOptions, planning: GpuInfo | null | undefined): AnalyzeOptions {
    this.following = !isWhatIfGpu(options.gpu);
    this.replaced = null;
    // Unknown yet (null): keep what the options say until a reading arrives.
    if (!this.following || !planning || sameGpu(options.gpu ?? null, planning)) return options;
    return { ...options, gpu: planning };
  }

  /** The planning GPU changed: the options to estimate next, or null when nothing changes (a
   *  what-if stays; the same GPU is already in place). */
  planningChanged(options: AnalyzeOptions, planning: GpuInfo | null): AnalyzeOptions | null {
    if (!this.following || sameGpu(options.gpu ?? null, planning)) return null;
    this.replaced ??= { gpu: options.gpu ?? null };
    return { ...options, gpu: planning };
  }

  /** A patch from the webview, before it is applied: a VRAM size that is the replaced GPU's (the
   *  field had not caught up with the switch) is not a choice, so it is dropped. */
  incoming(patch: OptionsPatch, current: AnalyzeOptions): OptionsPatch {
    if (patch.gpuTotalBytes === undefined || !this.replaced) return patch;
    if (patch.gpuTotalBytes === totalOf(current.gpu)) {
      this.replaced = null; // the field shows the current GPU: caught up
      return patch;
    }
    if (this.following && patch.gpuTotalBytes === totalOf(this.replaced.gpu)) {
      const { gpuTotalBytes: _stale, ...rest } = patch;
      return rest;
    }
    return patch;
  }

  /** After the patch was applied: a changed GPU is the user's choice, unless it is the planning
   *  GPU's size (then it is the planning GPU itself, followed again). */
  applied(before: AnalyzeOptions, after: AnalyzeOptions, planning: GpuInfo | null | undefined): AnalyzeOptions {
    if (sameGpu(before.gpu ?? null, after.gpu ?? null)) return after;
    this.replaced = null;
    if (planning && after.gpu && after.gpu.totalBytes === planning.totalBytes) {
      this.following = true;
      return { ...after, gpu: planning };
    }
    this.following = false;
    return after;
  }
}
