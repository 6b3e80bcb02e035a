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
import { replay, traceSlots, traceStep, type ReplayResult, type TraceEvent, type TraceSlots } from './step';
import type { SavedSummary } from './saved';
import { muonWeightElements } from './musgd';

export type Optimizer = 'sgd' | 'adam' | 'adamw' | 'musgd';

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

/** Optimizer state per trainable parameter, in fp32 values: SGD momentum 1, Adam/AdamW exp_avg + exp_avg_sq 2
 *  (MuSGD: 1, plus a second buffer for conv/linear weights, see optimizerStateTensors). */
export function optimizerSlots(opt: Optimizer): number {
  return opt === 'sgd' || opt === 'musgd' ? 1 : 2;
}

/** The optimizer's state tensors (bytes each) after its first step. */
export function optimizerStateTensors(graph: TrainGraph, trainable: number[], opt: Optimizer): number[] {
  const slots = optimizerSlots(opt);
  const base = trainable.flatMap((t) => Array(slots).fill(t) as number[]);
  return opt === 'musgd' ? [...base, ...muonWeightElements(graph).map((n) => n * 4)] : base;
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

/** Everything of one step that depends on the graphs (and so on the batch): the trace events of a
 *  training step and of a validation pass, with the few sizes the simulation reads besides them.
 *  The simulation (simulateStep) reads nothing else, which is what lets batch-scaling.ts build
 *  these for a new batch from two traced ones instead of re-tracing the graphs. */
export interface StepTraces {
  /** Parameter, trainable and buffer tensors (batch-independent). */
  tensors: { params: number[]; trainable: number[]; buffers: number[] };
  /** The optimizer's state tensors after its first step (bytes each; batch-independent). */
  state: number[];
  /** BLAS workspaces kept for the run (batch-independent). */
  blas: number[];
  /** Elements of the image batch. */
  pixels: number;
  /** Training step's events (forward, loss, backward, optimizer). */
  events: TraceEvent[];
  /** The events' tensor slots (batch-independent: shared by scaled traces). */
  slots: TraceSlots;
  /** Saved activation bytes (the trace's SavedSummary.activationBytes). */
  activationBytes: number;
  /** The validation pass at 2x batch: its image elements and events; null when not modelled. */
  validation: { pixels: number; events: TraceEvent[]; slots: TraceSlots } | null;
}

/** Traces one training step (and a validation pass) of the graphs. */
export function traceStepGraphs(graph: TrainGraph, inp: EstimateInputs, validationGraph?: TrainGraph): { traces: StepTraces; saved: SavedSummary } {
  const tensors = parameterTensors(graph);
  const trainableBytes = sum(tensors.trainable);
  const gradsPersist = accumulationSteps(inp.batchPerGpu) > 1;
  const assigner = assignerTensors(graph, inp.objectsPerImage, inp.precision === 'amp' ? 2 : 4);
  const dtypes = tensorDtypes(graph, inp.precision);
  const trace = traceStep(graph, {
    precision: inp.precision,
    gradsPersist,
    assignerBytes: assigner,
    optimizerTempBytes: trainableBytes,
    convWorkspace: convWorkspaceBytes(graph, dtypes),
    convBackwardWorkspace: convBackwardWorkspace(graph, dtypes),
    training: true,
  });
  let validation: StepTraces['validation'] = null;
  if (validationGraph) {
    // the forward's cuDNN workspaces are requested under no_grad as in training (measured on the H100:
    // without them validation's need was 40-50 % low, docs/gpu-measurements.md)
    const valDtypes = tensorDtypes(validationGraph, inp.precision);
    const val = traceStep(validationGraph, { precision: inp.precision, gradsPersist: false, assignerBytes: 0, optimizerTempBytes: 0, convWorkspace: convWorkspaceBytes(validationGraph, valDtypes), training: false });
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
    validation = { pixels: numel(validationGraph.tensors[validationGraph.input].shape), events: val.events, slots: traceSlots(val.events) };
  }
  const traces: StepTraces = {
    tensors,
    state: optimizerStateTensors(graph, tensors.trainable, inp.optimizer),
    blas: blasWorkspaces(graph),
    pixels: numel(graph.tensors[graph.input].shape),
    events: trace.events,
    slots: traceSlots(trace.events),
    activationBytes: trace.saved.activationBytes,
    validation,
  };
  return { traces, saved: trace.saved };
}

export function estimateStep(graph: TrainGraph, inp: EstimateInputs, validationGraph?: TrainGraph): StepEstimate {
  const { traces, saved } = traceStepGraphs(graph, inp, validationGraph);
  return { ...simulateStep(traces, inp), saved };
}

/** The step's memory from its traces: the caching allocator over model load, two training steps and
 *  a validation pass, and the unrounded peak with its breakdown. */
export function simulateStep(t: StepTraces, inp: EstimateInputs): Omit<StepEstimate, 'saved'> {
  const tensors = t.tensors;
  const paramBytes = sum(tensors.params);
  const bufferBytes = sum(tensors.buffers);
  const trainableBytes = sum(tensors.trainable);
  const stateBytes = sum(t.state);
  const gradsPersist = accumulationSteps(inp.batchPerGpu) > 1;
  const inputBytes = t.pixels * 4;
  const blas = t.blas;
  const blasBytes = sum(blas);

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
  const pixels = t.pixels;
  for (let step = 0; step < 2; step++) {
    // preprocess_batch: uint8 batch to the device, .float(), / 255
    const u8 = alloc.malloc(pixels);
    const f1 = alloc.malloc(pixels * 4);
    alloc.free(u8);
    const image = alloc.malloc(pixels * 4);
    alloc.free(f1);
    if (gradsPersist && grads.length === 0) grads = handles(tensors.trainable);
    runTrace(alloc, t.events, t.slots);
    if (!gradsPersist) {
      // backward created the parameter gradients (as pg:* events, already freed by runTrace's end);
      // keep them alive across the optimizer step like the real step does
      grads = handles(tensors.trainable);
    }
    if (optimizerState.length === 0) optimizerState = handles(t.state);
    if (!gradsPersist) {
      for (const g of grads) alloc.free(g);
      grads = [];
    }
    alloc.free(image);
  }
  const trainReserved = alloc.reserved;
  const trainRequired = alloc.peakRequired;
  let validationReserved: number | null = null;
  if (t.validation) {
    // Ultralytics' trainer calls _clear_memory (gc + torch.cuda.empty_cache) before validating when
    // more than half the GPU is in use — the case that matters here — so validation starts from the
    // resident tensors only: weights, EMA, optimizer state (gradients were set to None), workspaces.
    const v = new CachingAllocatorModel();
    for (const sizes of [tensors.params, tensors.buffers, tensors.params, tensors.buffers]) sizes.forEach((x) => v.malloc(x));
    t.state.forEach((x) => v.malloc(x));
    blas.forEach((x) => v.malloc(x));
    const vpix = t.validation.pixels;
    // BaseValidator.preprocess: the uint8 batch is stored on the device first (batch["img"] = ....to(device)),
    // then replaced by (img.half() or img.float()) / 255: all three exist until the replacement
    const elemIn = inp.precision === 'amp' ? 2 : 4;
    // two batches: the second meets the blocks the first left cached, split for other sizes
    for (let k = 0; k < VALIDATION_BATCHES_REPLAYED; k++) {
      const u8 = v.malloc(vpix);
      const cast = v.malloc(vpix * elemIn);
      const image = v.malloc(vpix * elemIn);
      v.free(cast);
      v.free(u8);
      runTrace(v, t.validation.events, t.validation.slots);
      v.free(image);
    }
    validationReserved = v.peakRequired;
  }

  // ---- the unrounded peak and its breakdown ----
  const ddpBytes = sum(ddpBuckets);
  const staticBytes = 2 * (paramBytes + bufferBytes) + stateBytes + inputBytes + blasBytes + ddpBytes + (gradsPersist ? trainableBytes : 0);
  const rp = replay(t.events, staticBytes, t.slots);
  const at = rp.atPeak;
  const allocated = Math.max(alloc.peakAllocated, rp.peak);
  const reserved = Math.max(trainReserved, allocated);
  const activations = t.activationBytes;
  // the loss's and the label assigner's tensors at their own peak (in the loss phase), as the term is
  // documented: at the step's overall peak they may already be freed (a pose or OBB model with few
  // classes peaks in backward), which would show the assigner as 0 B although it ran
  const lossAndAssigner = rp.maxByCat.lossAndAssigner ?? 0;
  const workspace = blasBytes + (at.workspace ?? 0);
  const context = cudaContext(inp.gpuName).bytes;
  const bytes: MemoryBytes = {
    weights: paramBytes + bufferBytes,
    gradients: trainableBytes + ddpBytes,
    optimizerState: stateBytes,
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
  return { bytes, validationReserved, requiredReserved: Math.max(trainRequired, allocated), replay: rp, peakPhase: rp.peakPhase };
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

/** Replays trace events through the allocator model. Tensors still live at the end are freed in
 *  the order they became live (the order a Map keyed by id would give: which of two equal free
 *  blocks a later request takes depends on it). */
function runTrace(alloc: CachingAllocatorModel, events: TraceEvent[], slots: TraceSlots): void {
  const handle = new Float64Array(slots.count).fill(-1);
  const since = new Float64Array(slots.count);
  let stamp = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === 'alloc') {
      const k = slots.slot[i];
      if (handle[k] < 0) since[k] = stamp++;
      handle[k] = alloc.malloc(e.bytes);
    } else if (e.kind === 'free') {
      const k = slots.slot[i];
      if (handle[k] >= 0) {
        alloc.free(handle[k]);
        handle[k] = -1;
      }
    }
  }
  const left: number[] = [];
  for (let k = 0; k < slots.count; k++) if (handle[k] >= 0) left.push(k);
  left.sort((a, b) => since[a] - since[b]);
  for (const k of left) alloc.free(handle[k]);
}
