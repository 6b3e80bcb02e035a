// Common GPUs, for planning a run on a machine without the GPU. `totalMiB` is what nvidia-smi's
// `memory.total` reports on that card (not the marketing "GB"): the estimator compares against the
// same number it would read from the real card. Values were taken from published nvidia-smi
// outputs; data-centre cards are listed as they report with ECC on (their default), which is why
// e.g. a V100 16GB shows 16160 MiB and an A10 23028 MiB.

import type { GpuInfo } from '../result';

export interface GpuPreset {
  /** The name exactly as nvidia-smi prints it. */
  name: string;
  totalMiB: number;
  totalBytes: number;
  /** Short names a user may type ("3090", "a100-80gb", "t4"). Lower case, no spaces. */
  aliases: string[];
  /** False where Ultralytics' check_amp() turns AMP off for this GPU. */
  amp: boolean;
}

const MIB = 2 ** 20;

// [nvidia-smi name, memory.total MiB, aliases]
const TABLE: Array<[string, number, string[]]> = [
  ['Tesla T4', 15360, ['t4']],
  ['NVIDIA L4', 23034, ['l4']],
  ['NVIDIA A10', 23028, ['a10']],
  ['NVIDIA A10G', 23028, ['a10g']],
  ['NVIDIA A100-SXM4-40GB', 40960, ['a100', 'a100-40gb', 'a10040gb']],
  ['NVIDIA A100-SXM4-80GB', 81920, ['a100-80gb', 'a10080gb']],
  ['NVIDIA H100 80GB HBM3', 81559, ['h100', 'h100-80gb', 'h10080gb']],
  ['NVIDIA H200', 143771, ['h200']],
  ['Tesla V100-SXM2-16GB', 16160, ['v100', 'v100-16gb', 'v10016gb']],
  ['Tesla V100-SXM2-32GB', 32510, ['v100-32gb', 'v10032gb']],
  ['Tesla P100-PCIE-16GB', 16280, ['p100']],
  ['NVIDIA RTX A6000', 49140, ['a6000', 'rtxa6000']],
  ['NVIDIA GeForce RTX 4090', 24564, ['4090', 'rtx4090']],
  ['NVIDIA GeForce RTX 4080', 16376, ['4080', 'rtx4080']],
  ['NVIDIA GeForce RTX 4070', 12282, ['4070', 'rtx4070']],
  ['NVIDIA GeForce RTX 4060', 8188, ['4060', 'rtx4060']],
  ['NVIDIA GeForce RTX 3090 Ti', 24564, ['3090ti', 'rtx3090ti']],
  ['NVIDIA GeForce RTX 3090', 24576, ['3090', 'rtx3090']],
  ['NVIDIA GeForce RTX 3080', 10240, ['3080', 'rtx3080']],
  ['NVIDIA GeForce RTX 3060', 12288, ['3060', 'rtx3060']],
  ['NVIDIA GeForce RTX 2080 Ti', 11264, ['2080ti', 'rtx2080ti']],
  ['NVIDIA GeForce GTX 1080 Ti', 11264, ['1080ti', 'gtx1080ti']],
  ['NVIDIA GeForce GTX 1660 Ti', 6144, ['1660ti', 'gtx1660ti']],
  ['NVIDIA GeForce GTX 1660', 6144, ['1660', 'gtx1660']],
  ['NVIDIA GeForce GTX 1650', 4096, ['1650', 'gtx1650']],
];

// Ultralytics ultralytics/utils/checks.py check_amp(): GPUs whose name matches this pattern get
// AMP disabled ("may cause NaN losses or zero-mAP results"), copied verbatim.
const AMP_BROKEN = /(nvidia|geforce|quadro|tesla).*?(1660|1650|1630|t400|t550|t600|t1000|t1200|t2000|k40m)/i;

/** Whether Ultralytics would train with AMP on a GPU of this name (its check_amp name rule). */
export function ampSupported(gpuName: string): boolean {
  return !AMP_BROKEN.test(gpuName);
}

export const GPU_PRESETS: readonly GpuPreset[] = TABLE.map(([name, totalMiB, aliases]) => ({
  name,
  totalMiB,
  totalBytes: totalMiB * MIB,
  aliases,
  amp: ampSupported(name),
}));

function squash(s: string): string {
  return s.toLowerCase().replace(/^(?:(?:nvidia|tesla|geforce)\s+)+/, '').replace(/[\s_]+/g, '');
}

/**
 * Finds a preset by its nvidia-smi name or an alias ("RTX 3090", "rtx3090", "3090", "a100-80gb").
 * Case and spaces are ignored; returns null when nothing matches exactly (no fuzzy guessing).
 */
export function findGpuPreset(query: string): GpuPreset | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  const qs = q.replace(/[\s_]+/g, '');
  for (const p of GPU_PRESETS) {
    if (p.name.toLowerCase() === q || p.aliases.includes(qs)) return p;
  }
  // "GeForce RTX 3090" / "RTX 3090" / "Tesla T4": compare with vendor prefixes stripped.
  const stripped = squash(q);
  for (const p of GPU_PRESETS) {
    if (squash(p.name) === stripped || p.aliases.includes(stripped)) return p;
  }
  return null;
}

/** A preset as the estimator's GpuInfo (source 'preset'). */
export function presetToGpuInfo(p: GpuPreset): GpuInfo {
  return { name: p.name, totalBytes: p.totalBytes, source: 'preset' };
}
