// One training step replayed as a sequence of allocations and frees, from the training graph:
//
//  forward   each op allocates its outputs (views allocate nothing); an output is freed after its
//            last consumer unless autograd saved it; autocast copies and op-made saved tensors
//            (BatchNorm statistics, max-pool indices) are allocated by their op;
//  loss      the loss ops are part of the graph; the label assigner's no_grad work is a transient
//            block of (batch x objects x anchors) cells allocated and freed just before the loss;
//  backward  ops in reverse: the gradient of each input is allocated (accumulated in place when a
//            tensor feeds several ops), the gradient of the outputs is freed, parameter gradients
//            appear, a convolution's backward-data and backward-filter workspaces come and go, and a
//            saved storage is freed once the last op that saved it (in backward order) has run;
//  optimizer the step's temporaries (a gradient-sized foreach buffer) and the EMA update.
//
// The same trace feeds the caching-allocator model (reserved) and the timeline chart.

import { DTYPE_BYTES, type TrainGraph } from '../graph/types';
import { numel } from '../graph/builder';
import type { SavedSummary } from './saved';
import { savedForBackward } from './saved';
import type { Precision } from './precision';

/** What an allocation is, for the breakdown at the peak. */
export type TraceCategory = 'activations' | 'autocastCopies' | 'lossAndAssigner' | 'workspace' | 'gradients' | 'transient' | 'input';

export type TraceEvent =
  | { kind: 'alloc'; id: string; bytes: number; cat: TraceCategory }
  | { kind: 'free'; id: string }
  | { kind: 'mark'; phase: 'forward' | 'loss' | 'backward' | 'optimizer'; label: string; op: number | null };

export interface StepOptions {
  precision: Precision;
  /** Gradients already exist when the step starts (gradient accumulation keeps them between steps). */
  gradsPersist: boolean;
  /** The label assigner's temporaries (allocated together just before the loss, freed after):
   *  one size per tensor, or a single total. */
  assignerBytes: number | number[];
  /** Optimizer-step temporaries (bytes). */
  optimizerTempBytes: number;
  /** cuDNN workspace requested around each convolution (bytes, per conv op), or 0. */
  convWorkspace: (opIndex: number) => number;
  /** cuDNN workspace requested by each of a convolution's two backward passes (bytes), or 0. */
  convBackwardWorkspace?: (opIndex: number) => number;
  /** Record the training-only saved tensors (false = inference under no_grad). */
  training: boolean;
}

export interface StepTrace {
  events: TraceEvent[];
  saved: SavedSummary;
}

export function traceStep(graph: TrainGraph, opts: StepOptions): StepTrace {
  const saved = savedForBackward(graph, opts.training ? opts.precision : opts.precision);
  const dt = saved.dtypes;
  const events: TraceEvent[] = [];
  const bytesOf = (tensor: number) => numel(graph.tensors[tensor].shape) * DTYPE_BYTES[dt[tensor]];
  const storageOf = (tensor: number) => graph.tensors[tensor].storage;
  const ops = graph.ops.filter((o) => !o.inferenceOnly);

  // last forward consumer of each storage
  const lastUse = new Map<number, number>();
  for (const op of ops) for (const i of op.inputs) lastUse.set(storageOf(i), op.index);
  // the model's outputs (the head's level maps) are held by the caller until the loss returns
  const lastLossOp = ops.filter((o) => o.module.group === 'loss').at(-1)?.index;
  if (graph.head && lastLossOp !== undefined) for (const l of graph.head.levels) lastUse.set(storageOf(l), lastLossOp);
  // saved storages are freed in backward by their first saver (the last one backward reaches)
  const savedBy = new Map<number, number>();
  const releasedBy = new Map<number, number[]>(); // op index -> storages its backward releases
  if (opts.training) {
    for (const e of saved.perOp) {
      for (const it of e.items) {
        if (it.storage === null || savedBy.has(it.storage)) continue;
        savedBy.set(it.storage, e.op);
        releasedBy.set(e.op, [...(releasedBy.get(e.op) ?? []), it.storage]);
      }
    }
  }
  const alloc = (id: string, bytes: number, cat: TraceCategory) => events.push({ kind: 'alloc', id, bytes, cat });
  const free = (id: string) => events.push({ kind: 'free', id });

  // ---- forward + loss ----
  for (const op of ops) {
    if (op.kind === 'input') continue; // the batch exists before the step
    if (op.attrs.assigner === true) {
      events.push({ kind: 'mark', phase: 'loss', label: 'loss: label assignment', op: null });
      const parts = typeof opts.assignerBytes === 'number' ? [opts.assignerBytes] : opts.assignerBytes;
      parts.forEach((bytes, k) => bytes > 0 && alloc(`assigner:${k}`, bytes, 'lossAndAssigner'));
      parts.forEach((_, k) => free(`assigner:${k}`));
    }
    const freshSaved = opts.training ? saved.perOp[op.index].items.filter((it) => it.storage === null) : [];
    const inLoss = op.module.group === 'loss';
    for (const [k, it] of freshSaved.entries()) alloc(`saved:${op.index}:${k}`, it.bytes, it.category === 'param_cast' ? 'autocastCopies' : 'activations');
    // autocast copies that are not saved still exist while the op runs
    const ws = op.kind === 'conv2d' ? opts.convWorkspace(op.index) : 0;
    if (ws > 0) alloc(`ws:${op.index}`, ws, 'workspace');
    for (const o of op.outputs) {
      if (storageOf(o) !== o) continue;
      alloc(`t:${o}`, bytesOf(o), savedBy.has(o) ? 'activations' : inLoss ? 'lossAndAssigner' : 'transient');
    }
    if (ws > 0) free(`ws:${op.index}`);
    if (!opts.training) for (const [k] of freshSaved.entries()) free(`saved:${op.index}:${k}`);
    // free inputs whose last use this was, unless saved for backward or the image batch
    for (const i of new Set(op.inputs.map(storageOf))) {
      if (lastUse.get(i) === op.index && !savedBy.has(i) && i !== graph.input) free(`t:${i}`);
    }
    // outputs nobody consumes (the loss scalars, unused views) die at once unless saved
    for (const o of op.outputs) if (storageOf(o) === o && !lastUse.has(o) && !savedBy.has(o)) free(`t:${o}`);
    events.push({ kind: 'mark', phase: op.module.group === 'loss' ? 'loss' : 'forward', label: op.name, op: op.index });
  }
  if (!opts.training) return { events, saved };

  // ---- backward ----
  const gradAlive = new Set<number>();
  let paramGradsDone = opts.gradsPersist;
  if (!paramGradsDone) events.push({ kind: 'mark', phase: 'backward', label: 'backward starts', op: null });
  for (let k = ops.length - 1; k >= 0; k--) {
    const op = ops[k];
    if (op.kind === 'input' || op.kind === 'constant') continue;
    const requires = op.outputs.some((o) => graph.tensors[o].requiresGrad);
    if (!requires) continue;
    // a view's gradient is a view of its output's gradient: hand it over before allocating
    const isView = op.kind === 'view' && op.outputs.length === 1;
    if (isView) for (const o of op.outputs) if (gradAlive.delete(o)) free(`g:${o}`);
    for (const i of op.inputs) {
      if (!graph.tensors[i].requiresGrad || gradAlive.has(i)) continue;
      gradAlive.add(i);
      alloc(`g:${i}`, bytesOf(i), 'transient');
    }
    if (!paramGradsDone && op.trainableParams > 0) alloc(`pg:${op.index}`, op.trainableParams * 4, 'gradients');
    // cuDNN runs two convolutions in a conv's backward, each with its own workspace request, made
    // and released around the kernel: backward-data (only when the input needs a gradient) and
    // backward-filter. They rarely raise the peak (the live set is shrinking) but a request larger
    // than every cached free block gets a new segment: that is where reserved outgrows allocated.
    const bws = op.kind === 'conv2d' ? (opts.convBackwardWorkspace?.(op.index) ?? 0) : 0;
    if (bws > 0 && graph.tensors[op.inputs[0]].requiresGrad) {
      alloc(`wsd:${op.index}`, bws, 'workspace');
      free(`wsd:${op.index}`);
    }
    if (bws > 0 && op.trainableParams > 0) {
      alloc(`wsf:${op.index}`, bws, 'workspace');
      free(`wsf:${op.index}`);
    }
    if (!isView) for (const o of op.outputs) if (gradAlive.delete(o)) free(`g:${o}`);
    for (const e of saved.perOp[op.index].items.entries()) if (e[1].storage === null) free(`saved:${op.index}:${e[0]}`);
    for (const storage of releasedBy.get(op.index) ?? []) free(`t:${storage}`);
    events.push({ kind: 'mark', phase: 'backward', label: op.name, op: op.index });
  }
  for (const g of gradAlive) free(`g:${g}`);
  paramGradsDone = true;

  // ---- optimizer step + EMA update ----
  if (opts.optimizerTempBytes > 0) {
    alloc('optimizer-temp', opts.optimizerTempBytes, 'transient');
    free('optimizer-temp');
  }
  events.push({ kind: 'mark', phase: 'optimizer', label: 'optimizer step + EMA update', op: null });
  return { events, saved };
}

/** Replays a trace, summing live bytes; returns the peak and the live bytes at each mark. */
export interface ReplayResult {
  peak: number;
  peakPhase: string;
  /** Live bytes of each category at the peak. */
  atPeak: Partial<Record<TraceCategory, number>>;
  /** Each category's own largest live bytes during the step (not necessarily at the overall peak). */
  maxByCat: Partial<Record<TraceCategory, number>>;
  marks: { phase: string; label: string; op: number | null; live: number }[];
}

/** Dense slot numbers for a trace's tensor ids (alloc and free events; -1 for marks), so replays
 *  index arrays instead of hashing strings. Batch-independent: a scaled trace shares its template's. */
export interface TraceSlots {
  slot: Int32Array;
  count: number;
}

export function traceSlots(events: TraceEvent[]): TraceSlots {
  const ids = new Map<string, number>();
  const slot = new Int32Array(events.length);
  events.forEach((e, i) => {
    if (e.kind === 'mark') slot[i] = -1;
    else {
      let k = ids.get(e.id);
      if (k === undefined) ids.set(e.id, (k = ids.size));
      slot[i] = k;
    }
  });
  return { slot, count: ids.size };
}

export function replay(events: TraceEvent[], base = 0, slots: TraceSlots = traceSlots(events)): ReplayResult {
  // live bytes per slot (-1: not live) and the category of each slot's allocation
  const bytes = new Float64Array(slots.count).fill(-1);
  const cats: TraceCategory[] = new Array(slots.count);
  const byCat: Partial<Record<TraceCategory, number>> = {};
  let live = base;
  let peak = base;
  let phase = 'forward';
  let peakPhase = phase;
  let atPeak: Partial<Record<TraceCategory, number>> = {};
  const maxByCat: Partial<Record<TraceCategory, number>> = {};
  const marks: { phase: string; label: string; op: number | null; live: number }[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === 'alloc') {
      const k = slots.slot[i];
      bytes[k] = e.bytes;
      cats[k] = e.cat;
      byCat[e.cat] = (byCat[e.cat] ?? 0) + e.bytes;
      maxByCat[e.cat] = Math.max(maxByCat[e.cat] ?? 0, byCat[e.cat]!);
      live += e.bytes;
      if (live > peak) {
        peak = live;
        peakPhase = phase;
        atPeak = { ...byCat };
      }
    } else if (e.kind === 'free') {
      const k = slots.slot[i];
      const b = bytes[k];
      if (b >= 0) {
        live -= b;
        byCat[cats[k]] = (byCat[cats[k]] ?? 0) - b;
        bytes[k] = -1;
      }
    } else {
      phase = e.phase;
      marks.push({ phase: e.phase, label: e.label, op: e.op, live });
    }
  }
  return { peak, peakPhase, atPeak, maxByCat, marks };
}
