// CUDA_VISIBLE_DEVICES decides which GPUs a training process sees, and renumbers them from 0 in
// the order listed. Entries are nvidia-smi indices or GPU UUIDs (or a unique UUID prefix). CUDA
// stops reading the list at the first entry it cannot use, keeping the ones before it; an empty
// value hides every GPU. This module applies those rules to nvidia-smi's list.

import type { NvidiaGpu } from './nvidia-smi';

export interface VisibleDevices {
  /** The GPUs the process would see, in CUDA order (visible[0] is cuda:0). */
  visible: NvidiaGpu[];
  notes: string[];
}

/** Whether the value names GPUs by UUID, so the nvidia-smi query must include `uuid`. */
export function visibleDevicesNeedUuid(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value.split(',').some((t) => /^(GPU|MIG)-/i.test(t.trim()));
}

export function applyVisibleDevices(gpus: NvidiaGpu[], value: string | undefined): VisibleDevices {
  const notes: string[] = [];
  if (value === undefined) return { visible: gpus.slice(), notes };
  const trimmed = value.trim();
  if (trimmed === '') {
    return { visible: [], notes: ['CUDA_VISIBLE_DEVICES is set but empty: no GPU is visible to training'] };
  }
  const visible: NvidiaGpu[] = [];
  for (const token of trimmed.split(',').map((t) => t.trim())) {
    let gpu: NvidiaGpu | undefined;
    if (/^\d+$/.test(token)) {
      gpu = gpus.find((g) => g.index === Number(token));
    } else if (/^MIG-/i.test(token)) {
      notes.push(`CUDA_VISIBLE_DEVICES names a MIG instance (${token}); its memory slice is not in nvidia-smi's GPU query`);
      break;
    } else if (/^GPU-/i.test(token)) {
      const matches = gpus.filter((g) => g.uuid && g.uuid.toLowerCase().startsWith(token.toLowerCase()));
      if (matches.length > 1) {
        notes.push(`CUDA_VISIBLE_DEVICES entry ${token} matches several GPUs; CUDA stops reading the list there`);
        break;
      }
      gpu = matches[0];
    }
    if (!gpu) {
      notes.push(`CUDA_VISIBLE_DEVICES entry "${token}" is not a GPU on this machine; CUDA ignores it and every entry after it`);
      break;
    }
    if (visible.includes(gpu)) {
      notes.push(`CUDA_VISIBLE_DEVICES lists GPU ${gpu.index} twice; CUDA stops reading the list there`);
      break;
    }
    visible.push(gpu);
  }
  return { visible, notes };
}
