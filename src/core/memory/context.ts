// The CUDA context: what nvidia-smi shows for a training process beyond PyTorch's caching allocator.
//
// Three parts, each with its mechanism:
//  - stacks: the driver reserves local memory for the call stack of every thread the GPU can hold at
//    once — SMs x max resident threads per SM x cudaLimitStackSize (1 KiB by default). This is why a
//    big data-centre GPU's context is larger than a small card's: 264 MiB on an H100 SXM, 60 MiB on a T4;
//  - runtime: the driver's and CUDA runtime's own state and the kernels PyTorch loads at initialisation
//    (lazy module loading, the default since PyTorch 1.13 / CUDA 11.7);
//  - libraries: cuDNN's and cuBLAS's kernels, loaded lazily when the first training step calls them.
// Sources and the figures behind the two constants: docs/memory-model.md §7, docs/gpu-measurements.md.

const MIB = 2 ** 20;

/** cudaLimitStackSize's default: 1 KiB of local memory per thread. */
export const STACK_BYTES_PER_THREAD = 1024;

/** Runtime state at initialisation without the stacks: the median of 133 MiB (RTX 3090, torch 2.7,
 *  InvokeAI#9413: 256 MiB at init less 123 MiB of stacks), 213 MiB (RTX 6000 Ada, torch 2.10,
 *  unsloth-zoo#1053: 426 less 213) and 256 MiB (H100, torch 2.11, measured: 520 less 264). */
export const RUNTIME_BYTES = 213 * MIB;

/** cuDNN and cuBLAS kernels loaded during the first step: measured on an H100 with torch 2.11 as the
 *  growth of nvidia-smi's figure beyond memory_reserved() from init to the end of the steps, 84 MiB
 *  (deterministic algorithms) to 240 MiB (PyTorch's defaults); the middle of the two. */
export const LIBRARY_KERNEL_BYTES = 162 * MIB;

/** A GPU's streaming multiprocessors and its max resident threads per SM, from NVIDIA's specifications. */
interface SmSpec {
  sms: number;
  threadsPerSm: number;
}

// Matched against nvidia-smi's name, first match wins (so 'H100 PCIe' precedes 'H100').
const SM_TABLE: Array<[RegExp, SmSpec]> = [
  [/H100.*PCIe/i, { sms: 114, threadsPerSm: 2048 }],
  [/\bB200\b/i, { sms: 148, threadsPerSm: 2048 }],
  [/\b(GH200|H200|H100|H800)\b/i, { sms: 132, threadsPerSm: 2048 }],
  [/\b(A100|A800)\b/i, { sms: 108, threadsPerSm: 2048 }],
  [/\bA30\b/i, { sms: 56, threadsPerSm: 2048 }],
  [/\bA10G?\b/i, { sms: 72, threadsPerSm: 1536 }],
  [/\bA40\b|RTX A6000/i, { sms: 84, threadsPerSm: 1536 }],
  [/RTX A5000/i, { sms: 64, threadsPerSm: 1536 }],
  [/RTX A4000/i, { sms: 48, threadsPerSm: 1536 }],
  [/\bL40S?\b|RTX 6000 Ada/i, { sms: 142, threadsPerSm: 1536 }],
  [/\bL4\b/i, { sms: 58, threadsPerSm: 1536 }],
  [/\bV100\b/i, { sms: 80, threadsPerSm: 2048 }],
  [/\bP100\b/i, { sms: 56, threadsPerSm: 2048 }],
  [/\bT4\b/i, { sms: 40, threadsPerSm: 1024 }],
  [/RTX 5090/i, { sms: 170, threadsPerSm: 1536 }],
  [/RTX 5080/i, { sms: 84, threadsPerSm: 1536 }],
  [/RTX 5070 Ti/i, { sms: 70, threadsPerSm: 1536 }],
  [/RTX 5070/i, { sms: 48, threadsPerSm: 1536 }],
  [/RTX 5060 Ti/i, { sms: 36, threadsPerSm: 1536 }],
  [/RTX 4090/i, { sms: 128, threadsPerSm: 1536 }],
  [/RTX 4080 SUPER/i, { sms: 80, threadsPerSm: 1536 }],
  [/RTX 4080/i, { sms: 76, threadsPerSm: 1536 }],
  [/RTX 4070 Ti SUPER/i, { sms: 66, threadsPerSm: 1536 }],
  [/RTX 4070 Ti/i, { sms: 60, threadsPerSm: 1536 }],
  [/RTX 4070/i, { sms: 46, threadsPerSm: 1536 }],
  [/RTX 4060 Ti/i, { sms: 34, threadsPerSm: 1536 }],
  [/RTX 4060/i, { sms: 24, threadsPerSm: 1536 }],
  [/RTX 3090 Ti/i, { sms: 84, threadsPerSm: 1536 }],
  [/RTX 3090/i, { sms: 82, threadsPerSm: 1536 }],
  [/RTX 3080 Ti/i, { sms: 80, threadsPerSm: 1536 }],
  [/RTX 3080/i, { sms: 68, threadsPerSm: 1536 }],
  [/RTX 3070/i, { sms: 46, threadsPerSm: 1536 }],
  [/RTX 3060 Ti/i, { sms: 38, threadsPerSm: 1536 }],
  [/RTX 3060/i, { sms: 28, threadsPerSm: 1536 }],
  [/RTX 3050/i, { sms: 20, threadsPerSm: 1536 }],
  [/RTX 2080 Ti/i, { sms: 68, threadsPerSm: 1024 }],
  [/GTX 1080 Ti/i, { sms: 28, threadsPerSm: 2048 }],
  [/GTX 1060/i, { sms: 10, threadsPerSm: 2048 }],
  [/GTX 1660 Ti/i, { sms: 24, threadsPerSm: 1024 }],
  [/GTX 1660/i, { sms: 22, threadsPerSm: 1024 }],
  [/GTX 1650/i, { sms: 14, threadsPerSm: 1024 }],
  // Jetson Orin (compute capability 8.7: 1,536 threads per SM); nvidia-smi names them all "Orin"
  [/AGX Orin 32GB/i, { sms: 14, threadsPerSm: 1536 }],
  [/AGX Orin/i, { sms: 16, threadsPerSm: 1536 }],
  [/Orin (NX|Nano)/i, { sms: 8, threadsPerSm: 1536 }],
];

/** An unknown GPU (a --gpu-memory size, a name not in the table): a 128-SM, 1,536-thread card's
 *  stacks (192 MiB), between a T4's 40 MiB and an H100's 264 MiB. */
const DEFAULT_SM: SmSpec = { sms: 128, threadsPerSm: 1536 };

export interface CudaContextEstimate {
  bytes: number;
  stackBytes: number;
  /** The SM count used, and whether it came from the GPU's name. */
  sms: number;
  knownGpu: boolean;
}

export function smSpec(gpuName: string | null | undefined): SmSpec | null {
  if (!gpuName) return null;
  return SM_TABLE.find(([re]) => re.test(gpuName))?.[1] ?? null;
}

export function cudaContext(gpuName?: string | null): CudaContextEstimate {
  const known = smSpec(gpuName);
  const spec = known ?? DEFAULT_SM;
  const stackBytes = spec.sms * spec.threadsPerSm * STACK_BYTES_PER_THREAD;
  return { bytes: stackBytes + RUNTIME_BYTES + LIBRARY_KERNEL_BYTES, stackBytes, sms: spec.sms, knownGpu: known !== null };
}
