// Every byte of one Ultralytics training step on a CUDA device, for one training graph.
//
//   static     fp32 weights + buffers, EMA copy, optimizer state, the image batch, cuBLAS workspace,
//              and gradients when accumulation keeps them between steps
//   dynamic    the step's trace (memory/step.ts): saved activations, autocast copies, loss and
//              assigner temporaries, activation gradients, parameter gradients, optimizer temporaries
//   allocated  static + peak of the dynamic part, through the caching-allocator model (rounded blocks)
//   reserved   segments the allocator model holds after two steps and a validation pass
//   device     reserved + CUDA context (what nvidia-smi shows for the process)
//
// Each term is a function of the graph and the options; the constants are in constants.ts.

import { DTYPE_BYTES, type TrainGraph } from '../graph/types';
import { numel } from '../graph/builder';
import type { MemoryBytes } from '../result';
import { CachingAllocatorModel } from './allocator';
import { ASSIGNER_BYTES_PER_CELL, ASSIGNER_BYTES_PER_SCORE, CUBLAS_WORKSPACE_BYTES, CUBLASLT_WORKSPACE_BYTES, DDP_BUCKET_BYTES, NOMINAL_BATCH } from './constants';
import { cudaContext } from './context';
import { tensorDtypes, type Precision } from './precision';
import { replay, traceStep, type ReplayResult, type TraceEvent } from './step';
import type { SavedSummary } from './saved';

export type Optimizer = 'sgd' | 'adam' | 'adamw';

export interface EstimateInputs {
  precision: Precision;
  optimizer: Optimizer;
  objectsPerImage: number;
  /** Training batch on this GPU (decides gradient accumulation). */
  batchPerGpu: number;
  /** DDP world size: > 1 adds DDP's gradient buckets. */
  gpus: number;
  /** Boxes per image in validation (no mosaic there); default objectsPerImage. */
  validationObjectsPerImage?: number;
  /** nvidia-smi's name of the GPU, for the CUDA context's size (context.ts); unknown = a mid-size GPU. */
  gpuName?: string | null;
}

export interface StepEstimate {
  bytes: MemoryBytes;
  /** Reserved memory a validation pass at 2x batch needs (null when not modelled). */
  validationReserved: number | null;
  /** Reserved memory training needs when the allocator may release fully free cached segments
   *  (what decides out-of-memory); `bytes.reserved` is what it holds when memory is plentiful. */
  requiredReserved: number;
  saved: SavedSummary;
  replay: ReplayResult;
  peakPhase: string;
}

/** Optimizer state per trainable parameter, in fp32 values: SGD momentum 1, Adam/AdamW exp_avg + exp_avg_sq 2. */
export function optimizerSlots(opt: Optimizer): number {
  return opt === 'sgd' ? 1 : 2;
}

/** Parameter and buffer tensors as the model holds them (one block per tensor for the allocator). */
export function parameterTensors(graph: TrainGraph): { params: number[]; trainable: number[]; buffers: number[] } {
  const params: number[] = [];
  const trainable: number[] = [];
  const buffers: number[] = [];
  for (const op of graph.ops) {
    if (op.params <= 0) continue;
    if (op.kind === 'batchnorm') {
      const c = Number(op.attrs.channels);
      params.push(c * 4, c * 4);
      trainable.push(c * 4, c * 4);
      buffers.push(c * 4, c * 4, 8);
    } else {
      const w = Number(op.attrs.weight ?? op.params);
      const rest = op.params - w;
      params.push(w * 4);
      if (rest > 0) params.push(rest * 4);
      if (op.trainableParams > 0) {
        trainable.push(w * 4);
        if (rest > 0) trainable.push(rest * 4);
      }
    }
  }
  return { params, trainable, buffers };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Ultralytics accumulates gradients to a nominal batch of 64: accumulate = max(round(64 / batch), 1). */
export function accumulationSteps(batch: number): number {
  return Math.max(Math.round(NOMINAL_BATCH / batch), 1);
}

/** Anchor points of the head's levels (8,400 at 640 for strides 8/16/32). */
function anchorsOf(graph: TrainGraph): number {
  if (!graph.head) return 0;
  let a = 0;
  for (const l of graph.head.levels) {
    const s = graph.tensors[l].shape;
    a += s.length === 5 ? s[1] * s[2] * s[3] : (s[2] ?? 1) * (s[3] ?? 1);
  }
  return a;
}

/** The TaskAlignedAssigner's temporaries at its peak, tensor by tensor (the allocator sees tensors,
 *  not one block): its input scores (sigmoid of the class logits, in the logits' type) stay alive
 *  while it first builds ~9 fp32 (B, boxes, A) metric tensors, later the (B, A, nc) targets
 *  (int64 zeros, two bool masks, the int64 torch.where result); the larger phase is the peak. */
export function assignerTensors(graph: TrainGraph, objectsPerImage: number, scoreBytes: number): number[] {
  if (!graph.head || graph.head.style !== 'v8') return [];
  const anchors = anchorsOf(graph);
  const scores = graph.batch * anchors * graph.head.nc;
  const cells = graph.batch * objectsPerImage * anchors;
  const metrics: number[] = Array(ASSIGNER_BYTES_PER_CELL / 4).fill(cells * 4);
  const targets = [scores * 8, scores, scores, scores * 8];
  const phase = cells * ASSIGNER_BYTES_PER_CELL >= scores * ASSIGNER_BYTES_PER_SCORE ? metrics : targets;
  return [scores * scoreBytes, ...phase].filter((b) => b > 0);
}

export function assignerBytes(graph: TrainGraph, objectsPerImage: number, scoreBytes: number): number {
  return sum(assignerTensors(graph, objectsPerImage, scoreBytes));
}

/** cuDNN workspace requested around a convolution: up to the size of its output in the compute type
 *  (implicit-precomputed GEMM and Winograd algorithms scale with the output; the deterministic
 *  algorithms Ultralytics forces are among them). */
export function convWorkspaceBytes(graph: TrainGraph, dtypes: string[]): (op: number) => number {
  return (i) => {
    const out = graph.ops[i].outputs[0];
    return numel(graph.tensors[out].shape) * DTYPE_BYTES[dtypes[out] as keyof typeof DTYPE_BYTES];
  };
}

/** cuDNN workspace of each backward pass of a convolution: the larger of its input and output in the
 *  compute type. Backward-data writes an input-sized result and backward-filter reads both, so the
 *  staging a GEMM-based algorithm does scales with the larger operand; a strided conv's input is 4x
 *  its output. Measured on an H100 (docs/gpu-measurements.md) the requests were 1-7x the output:
 *  this rule is the low end of that range, not a fit to it. */
export function convBackwardWorkspace(graph: TrainGraph, dtypes: string[]): (op: number) => number {
  return (i) => {
    const op = graph.ops[i];
    const out = op.outputs[0];
    const elem = DTYPE_BYTES[dtypes[out] as keyof typeof DTYPE_BYTES];
    return Math.max(numel(graph.tensors[op.inputs[0]].shape), numel(graph.tensors[out].shape)) * elem;
  };
}

/** Workspaces the BLAS libraries keep (see CUBLAS_WORKSPACE_BYTES): cuBLAS's always, as before, and
 *  cuBLASLt's when a Linear layer runs its matmul + bias through cuBLASLt (a classification head).
 *  A plain matmul (the DFL decode, attention) goes through cuBLAS and adds nothing. */
function blasWorkspaces(graph: TrainGraph): number[] {
  const usesLt = graph.ops.some((o) => !o.inferenceOnly && o.kind === 'linear' && o.attrs.bias !== false);
  return usesLt ? [CUBLAS_WORKSPACE_BYTES, CUBLASLT_WORKSPACE_BYTES] : [CUBLAS_WORKSPACE_BYTES];
}

const VALIDATION_BATCHES_REPLAYED = 2;

export function estimateStep(graph: TrainGraph, inp: EstimateInputs, validationGraph?: TrainGraph): StepEstimate {
  const tensors = parameterTensors(graph);
  const paramBytes = sum(tensors.params);
  const bufferBytes = sum(tensors.buffers);
  const trainableBytes = sum(tensors.trainable);
  const slots = optimizerSlots(inp.optimizer);
  const gradsPersist = accumulationSteps(inp.batchPerGpu) > 1;
  const inputBytes = numel(graph.tensors[graph.input].shape) * 4;
  const assigner = assignerTensors(graph, inp.objectsPerImage, inp.precision === 'amp' ? 2 : 4);

  const dtypes = tensorDtypes(graph, inp.precision);
  const blas = blasWorkspaces(graph);
  const blasBytes = sum(blas);
  const trace = traceStep(graph, {
    precision: inp.precision,
    gradsPersist,
    assignerBytes: assigner,
    optimizerTempBytes: trainableBytes,
    convWorkspace: convWorkspaceBytes(graph, dtypes),
    convBackwardWorkspace: convBackwardWorkspace(graph, dtypes),
    training: true,
  });

  // ---- the caching allocator over: model load, two training steps, one validation pass ----
  const alloc = new CachingAllocatorModel();
  const handles = (sizes: number[]) => sizes.map((s) => alloc.malloc(s));
  handles(tensors.params);
  handles(tensors.buffers);
  handles(tensors.params); // EMA copy (deepcopy of the model: params + buffers)
  handles(tensors.buffers);
  handles(blas);
  const ddpBuckets = inp.gpus > 1 ? ddpBucketSizes(trainableBytes) : [];
  handles(ddpBuckets);
  let optimizerState: number[] = [];
  let grads: number[] = [];
  const pixels = numel(graph.tensors[graph.input].shape);
  for (let step = 0; step < 2; step++) {
    // preprocess_batch: uint8 batch to the device, .float(), / 255
    const u8 = alloc.malloc(pixels);
    const f1 = alloc.malloc(pixels * 4);
    alloc.free(u8);
    const image = alloc.malloc(pixels * 4);
    alloc.free(f1);
    if (gradsPersist && grads.length === 0) grads = handles(tensors.trainable);
    runTrace(alloc, trace.events);
    if (!gradsPersist) {
      // backward created the parameter gradients (as pg:* events, already freed by runTrace's end);
      // keep them alive across the optimizer step like the real step does
      grads = handles(tensors.trainable);
    }
    if (optimizerState.length === 0) optimizerState = handles(tensors.trainable.flatMap((t) => Array(slots).fill(t)));
    if (!gradsPersist) {
      for (const g of grads) alloc.free(g);
      grads = [];
    }
    alloc.free(image);
  }
  const trainReserved = alloc.reserved;
  const trainRequired = alloc.peakRequired;
  let validationReserved: number | null = null;
  if (validationGraph) {
    // Ultralytics' trainer calls _clear_memory (gc + torch.cuda.empty_cache) before validating when
    // more than half the GPU is in use — the case that matters here — so validation starts from the
    // resident tensors only: weights, EMA, optimizer state (gradients were set to None), workspaces.
    const v = new CachingAllocatorModel();
    for (const sizes of [tensors.params, tensors.buffers, tensors.params, tensors.buffers]) sizes.forEach((x) => v.malloc(x));
    tensors.trainable.forEach((t) => {
      for (let k = 0; k < slots; k++) v.malloc(t);
    });
    blas.forEach((x) => v.malloc(x));
    // the forward's cuDNN workspaces are requested under no_grad as in training (measured on the H100:
    // without them validation's need was 40-50 % low, docs/gpu-measurements.md)
    const valDtypes = tensorDtypes(validationGraph, inp.precision);
    const val = traceStep(validationGraph, { precision: inp.precision, gradsPersist: false, assignerBytes: 0, optimizerTempBytes: 0, convWorkspace: convWorkspaceBytes(validationGraph, valDtypes), training: false });
    const vpix = numel(validationGraph.tensors[validationGraph.input].shape);
    // BaseValidator.preprocess: the uint8 batch is stored on the device first (batch["img"] = ....to(device)),
    // then replaced by (img.half() or img.float()) / 255: all three exist until the replacement
    const elemIn = inp.precision === 'amp' ? 2 : 4;
    // the validator also computes the loss (no_grad): the head's outputs and the assigner at 2x batch
    const head = validationGraph.head;
    if (head) {
      const elem = inp.precision === 'amp' ? 2 : 4;
      const outputs = head.levels.reduce((a, l) => a + numel(validationGraph.tensors[l].shape) * elem, 0);
      val.events.push({ kind: 'alloc', id: 'val-outputs', bytes: outputs, cat: 'lossAndAssigner' });
      assignerTensors(validationGraph, inp.validationObjectsPerImage ?? inp.objectsPerImage, elem).forEach((bytes, k) =>
        val.events.push({ kind: 'alloc', id: `val-assigner:${k}`, bytes, cat: 'lossAndAssigner' }),
      );
    }
    // two batches: the second meets the blocks the first left cached, split for other sizes
    for (let k = 0; k < VALIDATION_BATCHES_REPLAYED; k++) {
      const u8 = v.malloc(vpix);
      const cast = v.malloc(vpix * elemIn);
      const image = v.malloc(vpix * elemIn);
      v.free(cast);
      v.free(u8);
      runTrace(v, val.events);
      v.free(image);
    }
    validationReserved = v.peakRequired;
  }

  // ---- the unrounded peak and its breakdown ----
  const ddpBytes = sum(ddpBuckets);
  const staticBytes = 2 * (paramBytes + bufferBytes) + slots * trainableBytes + inputBytes + blasBytes + ddpBytes + (gradsPersist ? trainableBytes : 0);
  const rp = replay(trace.events, staticBytes);
  const at = rp.atPeak;
  const allocated = Math.max(alloc.peakAllocated, rp.peak);
  const reserved = Math.max(trainReserved, allocated);
  const activations = trace.saved.activationBytes;
  // the loss's and the label assigner's tensors at their own peak (in the loss phase), as the term is
  // documented: at the step's overall peak they may already be freed (a pose or OBB model with few
  // classes peaks in backward), which would show the assigner as 0 B although it ran
  const lossAndAssigner = rp.maxByCat.lossAndAssigner ?? 0;
  const workspace = blasBytes + (at.workspace ?? 0);
  const context = cudaContext(inp.gpuName).bytes;
  const bytes: MemoryBytes = {
    weights: paramBytes + bufferBytes,
    gradients: trainableBytes + ddpBytes,
    optimizerState: slots * trainableBytes,
    ema: paramBytes + bufferBytes,
    activations,
    lossAndAssigner,
    workspace,
    allocatorOverhead: reserved - allocated,
    allocated,
    reserved,
    cudaContext: context,
    device: reserved + context,
  };
  return { bytes, validationReserved, requiredReserved: Math.max(trainRequired, allocated), saved: trace.saved, replay: rp, peakPhase: rp.peakPhase };
}

/** DDP gradient buckets: 1 MiB first, then up to DDP_BUCKET_BYTES each, together the gradients' size. */
export function ddpBucketSizes(gradBytes: number): number[] {
  const out: number[] = [];
  let left = gradBytes;
  let cap = 1 << 20;
  while (left > 0) {
    const b = Math.min(cap, left);
    out.push(b);
    left -= b;
    cap = DDP_BUCKET_BYTES;
  }
  return out;
}

/** Replays trace events through the allocator model. */
function runTrace(alloc: CachingAllocatorModel, events: TraceEvent[]): void {
  const live = new Map<string, number>();
  for (const e of events) {
    if (e.kind === 'alloc') live.set(e.id, alloc.malloc(e.bytes));
    else if (e.kind === 'free') {
      const h = live.get(e.id);
      if (h !== undefined) {
        alloc.free(h);
        live.delete(e.id);
      }
    }
  }
  for (const h of live.values()) alloc.free(h);
}
