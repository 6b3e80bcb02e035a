// The estimator's result: the one JSON shape behind the CLI's `--json`, the worker's replies, the
// hover card, the panel and the sidebar. Sizes are integer bytes. A field whose model is not built
// yet is `null`, never invented.

import type { Group, Task } from './graph/types';

export interface AnalysisModel {
  name: string;
  /** Path of the file, or `builtin:<name>` for a built-in architecture. */
  source: string;
  /** 'onnx' | 'yaml' | 'builtin' | 'checkpoint' */
  format: string;
  task: Task | null;
  params: number;
  trainableParams: number;
  buffers: number;
  /** Forward GFLOPs at the estimate's image size, batch 1 (2 x MACs, as Ultralytics reports). */
  gflops: number;
  /** Parameters of the deployed model: after Ultralytics' fuse() (Conv+BN folded; end-to-end heads
   *  keep only the one-to-one branch): what the official tables list. `params` is the training-time
   *  count (every branch). An ONNX export is already deployed: its own count. */
  deployParams?: number;
  /** GFLOPs of the deployed model at 640x640, batch 1 (the official tables' column). */
  deployGflops?: number;
  /** Number of rows in `layers`. */
  layers: number;
  /** Per-group totals (backbone / neck / head). */
  groups: GroupTotals[];
  /** Facts about how the model was read (assumptions, fallbacks, unsupported ops). */
  notes: string[];
}

export interface GroupTotals {
  group: Group;
  params: number;
  flops: number;
  activationBytes: number;
}

export interface GpuInfo {
  name: string;
  totalBytes: number;
  /** 'nvidia-smi' | 'setting' | 'preset' | 'flag' */
  source: string;
  index?: number;
  usedBytes?: number;
  freeBytes?: number;
  driverVersion?: string;
}

export interface MemoryBytes {
  /** fp32 master weights plus buffers. */
  weights: number;
  gradients: number;
  optimizerState: number;
  ema: number;
  /** Tensors saved for backward by the model's layers (the activation memory). */
  activations: number;
  /** Loss and label-assignment tensors (saved and transient) at their peak. */
  lossAndAssigner: number;
  /** cuDNN / cuBLAS workspaces. */
  workspace: number;
  /** reserved - allocated: the caching allocator's rounding and cached free blocks. */
  allocatorOverhead: number;
  /** Peak of live tensors: what torch.cuda.max_memory_allocated() reports. */
  allocated: number;
  /** What torch.cuda.memory_reserved() reports (Ultralytics' GPU_mem column). */
  reserved: number;
  /** CUDA context, outside the allocator. */
  cudaContext: number;
  /** What nvidia-smi shows for the process when memory is plentiful: reserved + CUDA context.
   *  On a GPU smaller than that, what the allocator can hold there (never below what the step needs).
   *  The verdict is decided by Estimate.neededDevice, not by this. */
  device: number;
}

export interface Estimate {
  batch: number;
  /** Batch per GPU (batch / gpus under DDP). */
  batchPerGpu: number;
  imgsz: number;
  amp: boolean;
  /** The optimizer actually modelled ('sgd' | 'adam' | 'adamw'), after resolving 'auto'. */
  optimizer: string;
  bytes: MemoryBytes;
  /** Device bytes the step needs: what decides out-of-memory, `fits` and maxBatch. PyTorch releases
   *  fully free cached segments and retries before failing, so this is below `bytes.device` when the
   *  allocator would otherwise keep fragmented blocks cached (`bytes.reserved` is what it holds with
   *  room to spare; the two differ by those cached blocks, typically a few MiB). Above the GPU's
   *  size it is the need, not the card: how far over is neededDevice - gpu.totalBytes. */
  neededDevice: number;
  /** Validation at 2x batch under no_grad (Ultralytics' val loader): its device bytes. */
  validationDevice: number | null;
  /** True only when the verdict is 'fits' (the upper bound fits the GPU with the safety margin);
   *  null when no GPU is known. */
  fits: boolean | null;
  /** 'train' | 'validation' when it does not fit: what breaks first. */
  limitedBy: string | null;
  /** 'fits' (the upper bound fits), 'tight' (the central estimate fits, the upper bound does not),
   *  'does-not-fit' (not even the central estimate); null when no GPU is known. */
  verdict: Verdict | null;
  /** Upper bound of the band: ≥ 90 % of comparable real runs stayed under it (memory/band.ts). */
  upper: { reserved: number; device: number };
  /** Why the verdict is 'tight' (or 'does-not-fit'), in one sentence; null for 'fits'. */
  verdictReason: string | null;
  /** Present when measurements on this machine decided the verdict (core/measure/apply.ts): the
   *  measured device figure at this batch, or the estimate scaled by one at `fromBatch`; bytes null
   *  when the measurement ran out of memory. Added by the extension, never by the estimator. */
  measured?: { source: 'measured' | 'scaled'; bytes: number | null; fromBatch: number; note: string };
}

export type Verdict = 'fits' | 'tight' | 'does-not-fit';

/** How wide the band is and where it comes from (the calibration set, docs/accuracy.md). */
export interface ErrorBandInfo {
  /** 'dataset' when boxes per image were read or given, 'assumed' otherwise. */
  knowledge: 'dataset' | 'dense' | 'assumed';
  /** upper = estimate x factor. */
  factor: number;
  /** Cross-validated share of real runs under the bound, and how many runs the factor rests on. */
  coverage: number;
  runs: number;
  /** One line for the views: what the band means. */
  note: string;
}

export interface LayerRow {
  index: number;
  name: string;
  /** Op kind (conv2d, batchnorm, silu, ...) */
  type: string;
  /** What it came from (ONNX op type or torch module) */
  source: string;
  /** Top-level module index (model.model[i]) or null. */
  module: number | null;
  moduleType: string;
  modulePath: string;
  group: Group;
  outputShape: number[];
  params: number;
  flops: number;
  outputBytes: number;
  /** Bytes this layer saves for backward at the requested batch (first saver of a storage owns it).
   *  Summed over `layers` and `lossLayers` this is `bytes.activations`; autocast's fp16 weight
   *  copies are not in it (they are part of `allocated`). */
  activationBytes: number;
  inferenceOnly?: boolean;
  unsupported?: string;
  /** Set on a row whose output leaves its module (read by another module, the loss, or a model
   *  output): a module's outputs, e.g. every level of a Detect head. */
  moduleOutput?: true;
  /** Every output shape of a node with several outputs (ONNX rows); outputShape is the first. */
  outputShapes?: number[][];
}

export interface TimelinePoint {
  /** 'forward' | 'loss' | 'backward' | 'optimizer' */
  phase: string;
  label: string;
  /** Index (LayerRow.index, in `layers` or `lossLayers`) of the row this point follows, or null. */
  layer: number | null;
  /** Live allocated bytes after this step. */
  liveBytes: number;
}

export interface CurvePoint {
  batch: number;
  allocated: number;
  /** memory_reserved() with room to spare (capped at the GPU's room). */
  reserved: number;
  /** Device bytes the step needs (Estimate.neededDevice): what `fits` compares with the VRAM. */
  device: number;
  /** Upper bound of the device bytes (the band's top edge on the chart). */
  upperDevice: number;
  fits: boolean | null;
  verdict: Verdict | null;
}

/** Deployment what-if: the fused (inference) model's weights at each precision, and the peak of one
 *  batch-1 forward pass without gradients at the chosen precision. */
export interface Deployment {
  precision: 'fp32' | 'fp16' | 'int8';
  /** Fused parameters: BatchNorm folded into the convolutions (one bias per folded conv). */
  fusedParams: number;
  weightBytes: { fp32: number; fp16: number; int8: number };
  /** Peak live activations of a batch-1 forward (no_grad) at `precision`, weights excluded. */
  inferenceActivationBytes: number;
}

/** What the dataset a run points at means for memory (issue: dataset-aware estimates). */
export interface DatasetSummary {
  /** The dataset YAML as given. */
  source: string;
  /** null when the YAML was not found locally (e.g. an Ultralytics built-in like coco8.yaml). */
  images: number | null;
  objects: { max: number; p99: number; mean: number } | null;
  /** "sampled N of M images" when the scan hit its budget, else null. */
  sampled: string | null;
  /** Boxes per image the label assigner is padded to in the worst batch (what the estimate used). */
  assignerObjects: number | null;
  explanation: string;
  /** Host memory of the data pipeline (cache=ram, loader workers, pinned batches). */
  hostRam: import('./dataset/host-ram').HostRamEstimate | null;
  /** When `hostRam` read the machine's free RAM (ms since the epoch): the one input outside the
   *  options and files, so caches expire the result by it. null when the options fixed free RAM
   *  or nothing was estimated. */
  freeRamReadAt: number | null;
  notes: string[];
}

/** What AutoBatch is predicted to pick (AnalyzeOptions.autoBatchFraction); `estimates[0]` is at that batch. */
export interface AutoBatchResult {
  batch: number;
  fraction: number;
  /** What AutoBatch reads as available (total minus the CUDA context). */
  availableBytes: number;
  /** Its profile as modelled: memory_reserved() after forward + backward per probed batch (null: out of memory). */
  profile: Array<{ batch: number; reservedBytes: number | null }>;
}

/** Version of this JSON shape: 2 added verdict / upper / maxBatchTight / errorBand (issue #21). */
export const RESULT_SCHEMA_VERSION = 2;

export interface AnalysisResult {
  schemaVersion: number;
  model: AnalysisModel;
  gpu: GpuInfo | null;
  estimates: Estimate[];
  /** Largest batch that surely fits: its upper bound fits the GPU with the margin (verdict 'fits');
   *  null when no GPU is known. */
  maxBatch: number | null;
  /** Largest batch that may fit: its central estimate fits (verdict 'fits' or 'tight'). */
  maxBatchTight: number | null;
  /** The error band applied to every estimate. */
  errorBand: ErrorBandInfo;
  /** True when the search reached the largest batch the estimator evaluates exactly (core/max-batch.ts)
   *  and that batch still fits: the real largest batch is at least maxBatch. */
  maxBatchAtLeast?: boolean;
  /** Safety margin used (0.1 = 10 %). */
  margin: number;
  /** One row per model layer: ONNX nodes for an .onnx file, training ops for a YAML or built-in. */
  layers: LayerRow[];
  /** The loss's ops (group 'loss'): their saved tensors are part of `bytes.activations`. */
  lossLayers: LayerRow[];
  /** Memory vs batch, for the chart. */
  curve: CurvePoint[];
  /** True for a `quick` analysis: maxBatch and maxBatchTight are null because they were not searched,
   *  and the curve holds only the asked batches. Absent in a full analysis. */
  partial?: boolean;
  /** Live memory through one training step at the first estimate's batch. */
  timeline: TimelinePoint[];
  deployment: Deployment;
  /** Present when the request named a dataset. */
  dataset: DatasetSummary | null;
  /** Assumptions that shaped the numbers (optimizer 'auto' resolution, objects per image, ...). */
  assumptions: string[];
  /** Present when AutoBatch was asked for (autoBatchFraction): its predicted pick, null without a GPU. */
  autoBatch?: AutoBatchResult | null;
}
