// GPU discovery for the estimator: nvidia-smi's list, narrowed by CUDA_VISIBLE_DEVICES, then the
// one GPU training would use: the requested CUDA index, or else the one with the most free memory
// (the one a user would pick by hand).

import type { GpuInfo } from '../result';
import { queryNvidiaSmi, type NvidiaGpu, type NvidiaSmiFailure, type NvidiaSmiOptions } from './nvidia-smi';
import { applyVisibleDevices, visibleDevicesNeedUuid } from './visible-devices';

export interface DiscoverOptions extends Omit<NvidiaSmiOptions, 'withUuid'> {
  /** CUDA device index to pick (as training sees it, after CUDA_VISIBLE_DEVICES). */
  device?: number;
}

export interface GpuDiscovery {
  state: 'ok';
  /** Every GPU nvidia-smi listed. */
  gpus: NvidiaGpu[];
  /** The ones training can see, in CUDA order. */
  visible: NvidiaGpu[];
  /** Index into `visible` (the CUDA index) of the chosen GPU; null when none is visible. */
  cudaIndex: number | null;
  /** The chosen GPU in the estimator's shape; null when none is visible. */
  gpu: GpuInfo | null;
  notes: string[];
}

export type GpuDiscoveryResult = GpuDiscovery | NvidiaSmiFailure;

export function toGpuInfo(g: NvidiaGpu): GpuInfo {
  const info: GpuInfo = { name: g.name, totalBytes: g.totalBytes, source: 'nvidia-smi', index: g.index, driverVersion: g.driverVersion };
  if (g.usedBytes !== null) info.usedBytes = g.usedBytes;
  if (g.freeBytes !== null) info.freeBytes = g.freeBytes;
  return info;
}

/** CUDA index of the GPU to use: `device` when given and visible, else the most free memory. */
export function pickGpu(visible: NvidiaGpu[], device?: number): { cudaIndex: number | null; note?: string } {
  if (!visible.length) return { cudaIndex: null };
  if (device !== undefined) {
    if (Number.isInteger(device) && device >= 0 && device < visible.length) return { cudaIndex: device };
    return { cudaIndex: null, note: `device ${device} is not visible: training sees ${visible.length} GPU${visible.length === 1 ? '' : 's'} (cuda:0..${visible.length - 1})` };
  }
  let best = 0;
  const free = (g: NvidiaGpu) => g.freeBytes ?? g.totalBytes;
  for (let i = 1; i < visible.length; i++) if (free(visible[i]) > free(visible[best])) best = i;
  return { cudaIndex: best };
}

/** Runs nvidia-smi and applies CUDA_VISIBLE_DEVICES (from `env`, default process.env). */
export async function discoverGpus(opts: DiscoverOptions = {}): Promise<GpuDiscoveryResult> {
  const env = opts.env ?? process.env;
  const cvd = env.CUDA_VISIBLE_DEVICES;
  const res = await queryNvidiaSmi({ ...opts, env, withUuid: visibleDevicesNeedUuid(cvd) });
  if (res.state !== 'ok') return res;
  const notes = [...res.notes];
  const { visible, notes: cvdNotes } = applyVisibleDevices(res.gpus, cvd);
  notes.push(...cvdNotes);
  if (new Set(visible.map((g) => g.name)).size > 1 && env.CUDA_DEVICE_ORDER !== 'PCI_BUS_ID') {
    // CUDA's default order is fastest-first, nvidia-smi's is PCI bus order; they agree on
    // identical GPUs, and CUDA_DEVICE_ORDER=PCI_BUS_ID makes them agree always.
    notes.push('CUDA numbers GPUs fastest-first unless CUDA_DEVICE_ORDER=PCI_BUS_ID; with mixed GPUs cuda:N may not be nvidia-smi GPU N');
  }
  const pick = pickGpu(visible, opts.device);
  if (pick.note) notes.push(pick.note);
  return {
    state: 'ok',
    gpus: res.gpus,
    visible,
    cudaIndex: pick.cudaIndex,
    gpu: pick.cudaIndex === null ? null : toGpuInfo(visible[pick.cudaIndex]),
    notes,
  };
}
