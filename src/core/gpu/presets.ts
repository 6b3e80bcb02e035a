// Common GPUs, for planning a run on a machine without the GPU. `totalMiB` is what nvidia-smi's
// `memory.total` reports on that card (not the marketing "GB"): the estimator compares against the
// same number it would read from the real card. Values were taken from published nvidia-smi
// outputs; data-centre cards are listed as they report with ECC on (their default), which is why
// e.g. a V100 16GB shows 16160 MiB and an A10 23028 MiB.

import { nearest } from '../edit-distance';
import type { GpuInfo } from '../result';

export interface GpuPreset {
  /** The name exactly as nvidia-smi prints it (two cards may share one: RTX 4060 Ti 8 GB / 16 GB). */
  name: string;
  totalMiB: number;
  totalBytes: number;
  /** Short names a user may type ("3090", "a100-80gb", "t4"). Lower case, no spaces. */
  aliases: string[];
  /** False where Ultralytics' check_amp() turns AMP off for this GPU. */
  amp: boolean;
  /** Streaming multiprocessors (the CUDA context's stacks grow with them: memory/context.ts). */
  sms: number;
  /** CUDA compute capability, "major.minor". */
  computeCapability: string;
  /** Where memory.total and the SM count come from. */
  source: string;
}

const MIB = 2 ** 20;

// Sources, by the letter each row cites:
//  s  memory.total as nvidia-smi prints it, from published nvidia-smi outputs (GitHub issues and CI
//     logs that quote `nvidia-smi` or `--query-gpu=memory.total`); e.g. modal-labs/modal-client#2797
//     lists H100 81559, A100 80GB 81920, A100 40GB 40960, A10 23028, L40S 46068, L4 23034, T4 15360
//     MiB; NVIDIA/TensorRT-LLM#10278 shows B200 183359 MiB; akash-network/provider-configs#99 L40S
//     46068; RTX 5090 32607 (noonghunna/club-3090 bench issues) and RTX 5070 12227 MiB
//     (shkhln/libc6-shim#14). GH200 480GB (97871) is not yet checked against a recorded output.
//  g  GeForce cards without ECC: memory.total is the board's memory in MiB less what the driver keeps
//     (0-12 MiB for Ada and older: 8188 for an 8 GB Ada card, 16376 for a 16 GB one; ~80 MiB on
//     Blackwell, as the 5090's 32607 and the 5070's 12227 show). Not every row is checked against a
//     recorded output of that very card; a real card's nvidia-smi reading always takes precedence.
//  j  Jetson modules: memory is shared with the CPU and nvidia-smi reports no memory.total; the
//     figure is the module's LPDDR5 (NVIDIA Jetson Orin series data sheet), of which the OS and the
//     data loader take a share, so plan with a margin.
//  SM counts and compute capabilities: NVIDIA's product specifications and the CUDA GPUs list
//  (developer.nvidia.com/cuda-gpus); the per-SM thread limits behind the context are in
//  memory/context.ts.
type Row = [name: string, totalMiB: number, aliases: string[], sms: number, cc: string, source: 's' | 'g' | 'j'];
const TABLE: Row[] = [
  // data centre (ECC on, their default)
  ['Tesla T4', 15360, ['t4'], 40, '7.5', 's'],
  ['NVIDIA L4', 23034, ['l4'], 58, '8.9', 's'],
  ['NVIDIA A10', 23028, ['a10'], 72, '8.6', 's'],
  ['NVIDIA A10G', 23028, ['a10g'], 72, '8.6', 's'],
  ['NVIDIA A40', 46068, ['a40'], 84, '8.6', 's'],
  ['NVIDIA L40S', 46068, ['l40s'], 142, '8.9', 's'],
  ['NVIDIA L40', 46068, ['l40'], 142, '8.9', 's'],
  ['NVIDIA A100-SXM4-40GB', 40960, ['a100', 'a100-40gb', 'a10040gb'], 108, '8.0', 's'],
  ['NVIDIA A100-PCIE-40GB', 40960, ['a100-pcie-40gb'], 108, '8.0', 's'],
  ['NVIDIA A100-SXM4-80GB', 81920, ['a100-80gb', 'a10080gb'], 108, '8.0', 's'],
  ['NVIDIA A100 80GB PCIe', 81920, ['a100-80gb-pcie'], 108, '8.0', 's'],
  ['NVIDIA H100 80GB HBM3', 81559, ['h100', 'h100-80gb', 'h10080gb', 'h100-sxm'], 132, '9.0', 's'],
  ['NVIDIA H100 PCIe', 81559, ['h100-pcie'], 114, '9.0', 's'],
  ['NVIDIA H200', 143771, ['h200'], 132, '9.0', 's'],
  ['NVIDIA GH200 480GB', 97871, ['gh200'], 132, '9.0', 's'],
  ['NVIDIA B200', 183359, ['b200'], 148, '10.0', 's'],
  ['Tesla V100-SXM2-16GB', 16160, ['v100', 'v100-16gb', 'v10016gb'], 80, '7.0', 's'],
  ['Tesla V100-SXM2-32GB', 32510, ['v100-32gb', 'v10032gb'], 80, '7.0', 's'],
  ['Tesla P100-PCIE-16GB', 16280, ['p100'], 56, '6.0', 's'],
  ['NVIDIA RTX A6000', 49140, ['a6000', 'rtxa6000'], 84, '8.6', 's'],
  // GeForce
  ['NVIDIA GeForce RTX 5090', 32607, ['5090', 'rtx5090'], 170, '12.0', 's'],
  ['NVIDIA GeForce RTX 5080', 16303, ['5080', 'rtx5080'], 84, '12.0', 'g'],
  ['NVIDIA GeForce RTX 5070 Ti', 16303, ['5070ti', 'rtx5070ti'], 70, '12.0', 'g'],
  ['NVIDIA GeForce RTX 5070', 12227, ['5070', 'rtx5070'], 48, '12.0', 's'],
  ['NVIDIA GeForce RTX 5060 Ti', 16311, ['5060ti', 'rtx5060ti', '5060ti-16gb'], 36, '12.0', 'g'],
  ['NVIDIA GeForce RTX 4090', 24564, ['4090', 'rtx4090'], 128, '8.9', 's'],
  ['NVIDIA GeForce RTX 4080 SUPER', 16376, ['4080super', 'rtx4080super'], 80, '8.9', 'g'],
  ['NVIDIA GeForce RTX 4080', 16376, ['4080', 'rtx4080'], 76, '8.9', 'g'],
  ['NVIDIA GeForce RTX 4070 Ti SUPER', 16376, ['4070tisuper', 'rtx4070tisuper'], 66, '8.9', 'g'],
  ['NVIDIA GeForce RTX 4070', 12282, ['4070', 'rtx4070'], 46, '8.9', 'g'],
  ['NVIDIA GeForce RTX 4060 Ti', 8188, ['4060ti', 'rtx4060ti', '4060ti-8gb'], 34, '8.9', 'g'],
  ['NVIDIA GeForce RTX 4060 Ti', 16380, ['4060ti-16gb', 'rtx4060ti-16gb'], 34, '8.9', 'g'],
  ['NVIDIA GeForce RTX 4060', 8188, ['4060', 'rtx4060'], 24, '8.9', 'g'],
  ['NVIDIA GeForce RTX 3090 Ti', 24564, ['3090ti', 'rtx3090ti'], 84, '8.6', 'g'],
  ['NVIDIA GeForce RTX 3090', 24576, ['3090', 'rtx3090'], 82, '8.6', 's'],
  ['NVIDIA GeForce RTX 3080', 10240, ['3080', 'rtx3080'], 68, '8.6', 'g'],
  ['NVIDIA GeForce RTX 3070', 8192, ['3070', 'rtx3070'], 46, '8.6', 'g'],
  ['NVIDIA GeForce RTX 3060 Ti', 8192, ['3060ti', 'rtx3060ti'], 38, '8.6', 'g'],
  ['NVIDIA GeForce RTX 3060', 12288, ['3060', 'rtx3060'], 28, '8.6', 's'],
  ['NVIDIA GeForce RTX 3050', 8192, ['3050', 'rtx3050'], 20, '8.6', 'g'],
  ['NVIDIA GeForce RTX 2080 Ti', 11264, ['2080ti', 'rtx2080ti'], 68, '7.5', 'g'],
  ['NVIDIA GeForce GTX 1080 Ti', 11264, ['1080ti', 'gtx1080ti'], 28, '6.1', 'g'],
  ['NVIDIA GeForce GTX 1660 Ti', 6144, ['1660ti', 'gtx1660ti'], 24, '7.5', 'g'],
  ['NVIDIA GeForce GTX 1660', 6144, ['1660', 'gtx1660'], 22, '7.5', 'g'],
  ['NVIDIA GeForce GTX 1650', 4096, ['1650', 'gtx1650'], 14, '7.5', 'g'],
  // Jetson (unified memory)
  ['Jetson AGX Orin 64GB', 65536, ['agx-orin-64gb', 'agxorin', 'orin'], 16, '8.7', 'j'],
  ['Jetson AGX Orin 32GB', 32768, ['agx-orin-32gb'], 14, '8.7', 'j'],
  ['Jetson Orin NX 16GB', 16384, ['orin-nx-16gb', 'orinnx'], 8, '8.7', 'j'],
  ['Jetson Orin Nano 8GB', 8192, ['orin-nano-8gb', 'orinnano'], 8, '8.7', 'j'],
];

const SOURCES: Record<Row[5], string> = {
  s: 'memory.total from published nvidia-smi outputs; SMs and compute capability from NVIDIA specifications',
  g: 'memory.total: board memory less the driver reserve, as GeForce nvidia-smi outputs show; SMs and compute capability from NVIDIA specifications',
  j: 'unified LPDDR5 shared with the CPU (NVIDIA Jetson Orin data sheet; nvidia-smi reports no memory.total); SMs and compute capability from NVIDIA specifications',
};

// Ultralytics ultralytics/utils/checks.py check_amp(): GPUs whose name matches this pattern get
// AMP disabled ("may cause NaN losses or zero-mAP results"), copied verbatim.
const AMP_BROKEN = /(nvidia|geforce|quadro|tesla).*?(1660|1650|1630|t400|t550|t600|t1000|t1200|t2000|k40m)/i;

/** Whether Ultralytics would train with AMP on a GPU of this name (its check_amp name rule). */
export function ampSupported(gpuName: string): boolean {
  return !AMP_BROKEN.test(gpuName);
}

export const GPU_PRESETS: readonly GpuPreset[] = TABLE.map(([name, totalMiB, aliases, sms, computeCapability, source]) => ({
  name,
  totalMiB,
  totalBytes: totalMiB * MIB,
  aliases,
  amp: ampSupported(name),
  sms,
  computeCapability,
  source: SOURCES[source],
}));

function squash(s: string): string {
  return s.toLowerCase().replace(/^(?:(?:nvidia|tesla|geforce)\s+)+/, '').replace(/[\s_]+/g, '');
}

/**
 * Finds a preset by its nvidia-smi name or an alias ("RTX 3090", "rtx3090", "3090", "a100-80gb"),
 * as nvidia-smi prints it on any driver ("NVIDIA GeForce RTX 3060", "GeForce RTX 3060") and with the
 * board's memory appended ("GeForce RTX 3060 12GB", "RTX 4060 Ti 16GB"), which also picks between
 * two cards of one name. Case and spaces are ignored; returns null when nothing matches exactly
 * (no fuzzy guessing: see nearestGpuNames for hints).
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
  // "GeForce RTX 3060 12GB": the name, then the board's memory in GB, which must agree with it.
  const m = /^(.*?)[\s-]*(\d+)\s*gb$/.exec(q);
  if (m && m[1]) {
    const gb = Number(m[2]);
    const rest = squash(m[1]);
    const named = GPU_PRESETS.filter((p) => squash(p.name) === rest || p.aliases.includes(rest));
    return named.find((p) => Math.abs(p.totalMiB / 1024 - gb) <= Math.max(1, 0.1 * gb)) ?? null;
  }
  return null;
}

/** Preset names and aliases closest to an unknown GPU name, for the "unknown GPU" message. */
export function nearestGpuNames(query: string, n = 3): string[] {
  const q = squash(query.trim().toLowerCase());
  const names = new Map<string, string>(); // squashed -> shown
  for (const p of GPU_PRESETS) {
    names.set(squash(p.name.toLowerCase()), p.name);
    for (const a of p.aliases) if (!names.has(a)) names.set(a, a);
  }
  const hits = nearest(q, [...names.keys()], Math.max(2, Math.floor(q.length / 3)), n * 2).map((k) => names.get(k)!);
  return [...new Set(hits)].slice(0, n);
}

/** How to name a preset so that findGpuPreset finds exactly it: its nvidia-smi name, with the
 *  board's memory appended where two cards share the name ("NVIDIA GeForce RTX 4060 Ti 16GB"). */
export function presetLabel(p: GpuPreset): string {
  const shared = GPU_PRESETS.filter((q) => q.name === p.name).length > 1;
  return shared ? `${p.name} ${Math.round(p.totalMiB / 1024)}GB` : p.name;
}

/** A preset as the estimator's GpuInfo (source 'preset'). */
export function presetToGpuInfo(p: GpuPreset): GpuInfo {
  return { name: p.name, totalBytes: p.totalBytes, source: 'preset' };
}
