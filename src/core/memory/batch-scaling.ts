// One step's traces at a new batch size from two traced ones, without rebuilding or re-tracing the
// graphs: the speed-up behind a full analysis (max batch + curve evaluate ~25 batch sizes).
//
// Why it is exact: a training graph's structure does not depend on the batch (the same ops, tensors,
// saved tensors and free order; the builders take the batch as the leading dimension of the input),
// and every size in a trace is elements x element size, where the batch enters one dimension of a
// tensor (or none: weights, BatchNorm statistics, workspaces of batch-free ops). So each size is
// affine in the batch, a + b·batch with integers a and b, and two traces at batches p != q give a
// and b exactly (integers far below 2^53). What does change with the batch changes the trace's
// structure and is kept out of one anchor pair by the caller's key (gradient accumulation, which
// keeps gradients alive between steps, and the boxes per image a dataset gives each batch size),
// and a pair whose event sequences differ in anything but sizes is refused (null): the caller then
// traces the graphs as before. test/memory/batch-scaling.test.ts checks scaled analyses equal exact
// ones for every task, DDP, fp32 and the assigner's phases.

import type { StepTraces } from './estimate';
import type { TraceEvent } from './step';

export interface TraceAnchor {
  /** The graph's batch (per GPU). */
  batch: number;
  traces: StepTraces;
}

export type TraceScaler = (batch: number) => StepTraces;

function sameNumbers(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Per event: its size's intercept and slope, or null when the two sequences differ in structure. */
function affineEvents(p: TraceEvent[], q: TraceEvent[], bp: number, bq: number): { a: Float64Array; b: Float64Array } | null {
  if (p.length !== q.length) return null;
  const a = new Float64Array(p.length);
  const b = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    const y = q[i];
    if (x.kind !== y.kind) return null;
    if (x.kind === 'alloc' && y.kind === 'alloc') {
      if (x.id !== y.id || x.cat !== y.cat) return null;
      const slope = (y.bytes - x.bytes) / (bq - bp);
      if (!Number.isInteger(slope)) return null;
      b[i] = slope;
      a[i] = x.bytes - slope * bp;
    } else if (x.kind === 'free' && y.kind === 'free') {
      if (x.id !== y.id) return null;
    } else if (x.kind === 'mark' && y.kind === 'mark') {
      if (x.phase !== y.phase || x.label !== y.label || x.op !== y.op) return null;
    }
  }
  return { a, b };
}

function scaleEvents(template: TraceEvent[], k: { a: Float64Array; b: Float64Array }, batch: number): TraceEvent[] {
  return template.map((e, i) => (e.kind === 'alloc' ? { kind: 'alloc', id: e.id, bytes: k.a[i] + k.b[i] * batch, cat: e.cat } : e));
}

function affine(xp: number, xq: number, bp: number, bq: number): ((batch: number) => number) | null {
  const slope = (xq - xp) / (bq - bp);
  if (!Number.isInteger(slope)) return null;
  const icpt = xp - slope * bp;
  return (batch) => icpt + slope * batch;
}

/** A scaler from two anchors of the same structure, or null when they are not (the caller traces). */
export function traceScaler(p: TraceAnchor, q: TraceAnchor): TraceScaler | null {
  if (p.batch === q.batch) return null;
  const tp = p.traces;
  const tq = q.traces;
  const t = tp.tensors;
  if (!sameNumbers(t.params, tq.tensors.params) || !sameNumbers(t.trainable, tq.tensors.trainable) || !sameNumbers(t.buffers, tq.tensors.buffers)) return null;
  if (!sameNumbers(tp.blas, tq.blas) || !sameNumbers(tp.state, tq.state)) return null;
  if ((tp.validation === null) !== (tq.validation === null)) return null;
  const train = affineEvents(tp.events, tq.events, p.batch, q.batch);
  const pixels = affine(tp.pixels, tq.pixels, p.batch, q.batch);
  const activations = affine(tp.activationBytes, tq.activationBytes, p.batch, q.batch);
  if (!train || !pixels || !activations) return null;
  let val: { events: ReturnType<typeof affineEvents>; pixels: ((b: number) => number) | null } | null = null;
  if (tp.validation && tq.validation) {
    val = { events: affineEvents(tp.validation.events, tq.validation.events, p.batch, q.batch), pixels: affine(tp.validation.pixels, tq.validation.pixels, p.batch, q.batch) };
    if (!val.events || !val.pixels) return null;
  }
  return (batch) => ({
    tensors: t,
    state: tp.state,
    blas: tp.blas,
    pixels: pixels(batch),
    events: scaleEvents(tp.events, train, batch),
    slots: tp.slots,
    activationBytes: activations(batch),
    validation: val && tp.validation ? { pixels: val.pixels!(batch), events: scaleEvents(tp.validation.events, val.events!, batch), slots: tp.validation.slots } : null,
  });
}
