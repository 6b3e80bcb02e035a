// The estimator's single entry point: model spec + options in, AnalysisResult out.
// Used by the CLI, the worker and tests.

import { basename } from 'node:path';
import { GraphBuilder } from './graph/builder';
import type { TrainGraph } from './graph/types';
import { emitLoss } from './loss/emit';
import { AUTO_OPTIMIZER_ITERATIONS, DEFAULT_MARGIN, DEFAULT_OBJECTS_PER_IMAGE, NOMINAL_BATCH, VALIDATION_BATCH_FACTOR } from './memory/constants';
import { datasetFacts } from './dataset-facts';
import { checkImgsz, validateOptions } from './validate';
import { gridStride, MIN_GRID_STRIDE, roundToStride, strideNote } from './stride';
import { largestFittingBatch, searchLimitPerGpu } from './max-batch';
import { deploymentWhatIf } from './memory/deployment';
import { estimateStep, type Optimizer, type StepEstimate } from './memory/estimate';
import { openModel, type ModelSource } from './model-source';
import type { AnalyzeOptions } from './options';
import { groupTotals } from './report/layers';
import type { AnalysisResult, CurvePoint, Estimate, TimelinePoint } from './result';
import { ampSupported } from './gpu/presets';

export interface AnalyzeContext {
  /** Aborts long work (the worker passes cancellation through). */
  signal?: AbortSignal;
  /** A model source already opened (the worker caches them). */
  source?: ModelSource;
}

export class AnalyzeError extends Error {}

/** Resolves Ultralytics' optimizer=auto: iterations = ceil(N / max(batch, 64)) * epochs > 10,000 -> SGD, else AdamW. */
export function resolveOptimizer(opts: AnalyzeOptions, batch: number): { optimizer: Optimizer; note: string | null } {
  const choice = opts.optimizer ?? 'auto';
  if (choice !== 'auto') return { optimizer: choice, note: null };
  if (opts.datasetImages && opts.epochs) {
    const iterations = Math.ceil(opts.datasetImages / Math.max(batch, NOMINAL_BATCH)) * opts.epochs;
    const optimizer = iterations > AUTO_OPTIMIZER_ITERATIONS ? 'sgd' : 'adamw';
    return { optimizer, note: `optimizer=auto resolved to ${optimizer.toUpperCase()}: ${iterations.toLocaleString('en-US')} iterations (${opts.datasetImages} images, ${opts.epochs} epochs)` };
  }
  return { optimizer: 'adamw', note: 'optimizer=auto: dataset size and epochs unknown, assumed AdamW (2 state tensors per parameter, the larger of the two choices)' };
}

interface Evaluated {
  batch: number;
  step: StepEstimate;
  graph: TrainGraph;
  validationDevice: number | null;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AnalyzeError('cancelled');
}

export async function analyze(requested: AnalyzeOptions, ctx: AnalyzeContext = {}): Promise<AnalysisResult> {
  const { options, notes: optionNotes } = validateOptions(requested);
  const source = ctx.source ?? (await openModel(options.model));
  const label = source.format === 'onnx' ? basename(source.source) : source.name;
  // a static export's height and width are fixed (the source builds at them whatever is asked):
  // report that size, so the estimate, the layer shapes and the memory all describe the same run
  const fixed = source.fixedImgsz === null ? null : checkImgsz(source.fixedImgsz, `${label}: the model's static input size`);
  const asked = fixed ?? options.imgsz ?? (source.defaultImgsz === null ? 640 : checkImgsz(source.defaultImgsz, `${label}: the model's input size`));
  // validateOptions rounded to 32; a P6 model (max stride 64) rounds further, as Ultralytics' trainer does
  const given = typeof requested.imgsz === 'number' ? requested.imgsz : null;
  const stride = fixed === null && (asked % 64 !== 0 || (given !== null && given % 64 !== 0)) ? gridStride(source) : MIN_GRID_STRIDE;
  const imgsz = fixed ?? roundToStride(asked, stride);
  const batches = options.batch && options.batch.length ? options.batch : [16];
  const gpus = Math.max(1, Math.floor(options.gpus ?? 1));
  const margin = options.margin ?? DEFAULT_MARGIN;
  const gpu = options.gpu ?? null;
  const assumptions: string[] = [...optionNotes];
  const from = given ?? asked;
  if (fixed === null && from !== imgsz) {
    // one note from the size the user gave to the size trained at, naming the model's real stride
    // (replaces validateOptions' note, which knows only the common 32)
    const i = assumptions.findIndex((a) => a.startsWith(`imgsz ${from} is not a multiple`));
    if (i >= 0) assumptions.splice(i, 1);
    assumptions.unshift(strideNote(from, stride)!);
  }
  if (fixed !== null && options.imgsz !== undefined && options.imgsz !== fixed) {
    assumptions.push(`${label}: the export's input size is static: analysed at imgsz ${fixed}, not the requested ${options.imgsz} (export with dynamic=True to analyse other sizes)`);
  }
  const firstPerGpu = Math.max(1, Math.floor(batches[0] / gpus));
  const dataset = await datasetFacts(options, imgsz, firstPerGpu, ctx.signal);
  // boxes per image: given > from the dataset (grows with the batch: the worst batch's max) > default
  const objectsAt = (perGpu: number) => options.objectsPerImage ?? dataset?.objectsFor(perGpu) ?? DEFAULT_OBJECTS_PER_IMAGE;
  const objects = objectsAt(firstPerGpu);
  let amp = options.amp ?? true;
  if (amp && gpu && !ampSupported(gpu.name)) {
    amp = false;
    assumptions.push(`AMP disabled: Ultralytics' check_amp turns it off on ${gpu.name}`);
  }
  if (options.objectsPerImage === undefined && dataset?.summary.assignerObjects == null) {
    // (dropped below for a model without a label assigner: a classifier)
    assumptions.push(`${objects} boxes per image assumed for the label assigner (set objects per image or point at the dataset)`);
  } else if (options.objectsPerImage === undefined && dataset) {
    assumptions.push(`${objects} boxes per image for the label assigner at batch ${firstPerGpu}, from the dataset (${dataset.summary.source})`);
  }
  const precision = amp ? 'amp' : 'fp32';
  const usable = gpu ? gpu.totalBytes * (1 - margin) : null;

  const cache = new Map<number, Evaluated>();
  const evaluate = (batch: number): Evaluated => {
    const hit = cache.get(batch);
    if (hit) return hit;
    throwIfAborted(ctx.signal);
    const perGpu = Math.max(1, Math.floor(batch / gpus));
    const { optimizer } = resolveOptimizer(options, batch);
    const objs = objectsAt(perGpu);
    const graph = withLoss(source.build(perGpu, imgsz, options.pruneRatio ?? 0), objs);
    const valGraph = source.build(perGpu * VALIDATION_BATCH_FACTOR, imgsz, options.pruneRatio ?? 0);
    // validation sees single images (no mosaic): the densest image, not the mosaic-inflated count
    const valObjects = options.objectsPerImage ?? dataset?.summary.objects?.max ?? DEFAULT_OBJECTS_PER_IMAGE;
    const step = estimateStep(graph, { precision, optimizer, objectsPerImage: objs, batchPerGpu: perGpu, gpus, validationObjectsPerImage: valObjects, gpuName: gpu?.name ?? null }, valGraph);
    const validationDevice = step.validationReserved === null ? null : step.validationReserved + step.bytes.cudaContext;
    if (gpu) capToGpu(step, gpu.totalBytes);
    const e = { batch, step, graph, validationDevice };
    cache.set(batch, e);
    return e;
  };
  // Out of memory is decided by what the step needs (the allocator frees cached segments and retries
  // before it gives up), not by what it holds when memory is plentiful.
  const needed = (e: Evaluated) => e.step.requiredReserved + e.step.bytes.cudaContext;
  const fits = (e: Evaluated) => (usable === null ? null : needed(e) <= usable && (e.validationDevice ?? 0) <= usable);

  const estimates: Estimate[] = [];
  for (const batch of batches) {
    const e = evaluate(batch);
    const ok = fits(e);
    const trainOk = usable === null ? null : needed(e) <= usable;
    const resolved = resolveOptimizer(options, batch);
    if (resolved.note && !assumptions.includes(resolved.note)) assumptions.push(resolved.note);
    estimates.push({
      batch,
      batchPerGpu: Math.max(1, Math.floor(batch / gpus)),
      imgsz,
      amp,
      optimizer: resolved.optimizer,
      bytes: e.step.bytes,
      neededDevice: needed(e),
      validationDevice: e.validationDevice,
      fits: ok,
      limitedBy: ok === false ? (trainOk ? 'validation' : 'train') : null,
    });
  }

  const search = usable === null ? null : largestFittingBatch((b) => fits(evaluate(b)) === true, gpus, imgsz);
  const maxBatch = search === null ? null : search.batch;
  // to twice the max batch, but never past what the search itself may evaluate (its validation at 2x
  // batch stays within the graph builders' limit)
  const curveTop = options.curveMax ?? Math.min(Math.max(64, 2 * (maxBatch ?? 32)), searchLimitPerGpu(imgsz) * gpus);
  const curve: CurvePoint[] = curveBatches(curveTop, gpus).map((b) => {
    const e = evaluate(b);
    return { batch: b, allocated: e.step.bytes.allocated, reserved: e.step.bytes.reserved, device: needed(e), fits: fits(e) };
  });

  const first = evaluate(batches[0]);
  const { layers, lossLayers } = source.rows(first.graph, first.step.saved);
  const timeline = buildTimeline(first.step, first.graph, [...layers, ...lossLayers]);
  const model = {
    name: source.name,
    source: source.source,
    format: source.format,
    task: first.graph.task,
    params: source.paramCount(first.graph),
    trainableParams: first.graph.ops.reduce((a, o) => a + o.trainableParams, 0),
    buffers: first.graph.ops.reduce((a, o) => a + o.buffers, 0),
    gflops: source.gflops(first.graph),
    layers: layers.length,
    groups: groupTotals([...layers, ...lossLayers]),
    notes: [...first.graph.notes],
  };
  const deployment = deploymentWhatIf(source.build(1, imgsz, options.pruneRatio ?? 0), options.deployPrecision ?? 'fp16');
  if (!first.graph.head || first.graph.head.style === 'classify') {
    const i = assumptions.findIndex((a) => a.endsWith('boxes per image assumed for the label assigner (set objects per image or point at the dataset)'));
    if (i >= 0) assumptions.splice(i, 1);
  }
  if (search?.atLimit) assumptions.push(`batch ${search.batch} (the most the estimator evaluates at imgsz ${imgsz}) still fits: the largest batch is at least ${search.batch}`);
  return { model, gpu, estimates, maxBatch, maxBatchAtLeast: search?.atLimit ?? false, margin, layers, lossLayers, curve, timeline, deployment, dataset: dataset?.summary ?? null, assumptions };
}

/** On a GPU smaller than what the allocator would cache, PyTorch releases free cached segments
 *  instead of growing: memory_reserved() then stays at the GPU's room (never below what is needed). */
function capToGpu(step: StepEstimate, totalBytes: number): void {
  const b = step.bytes;
  const room = totalBytes - b.cudaContext;
  if (b.reserved <= room) return;
  b.reserved = Math.max(step.requiredReserved, room);
  b.allocatorOverhead = b.reserved - b.allocated;
  b.device = b.reserved + b.cudaContext;
}

function withLoss(graph: TrainGraph, objectsPerImage: number): TrainGraph {
  if (!graph.head) return graph;
  const b = GraphBuilder.from(graph);
  emitLoss(b, graph.head, { objectsPerImage });
  return b.finish();
}

/** Global batch sizes for the curve, up to `top`: powers of two and their midpoints, per GPU, so
 *  every point is a multiple of the GPU count under DDP. */
function curveBatches(top: number, gpus: number): number[] {
  const perGpuTop = Math.max(1, Math.floor(top / gpus));
  const out = new Set<number>();
  for (let b = 1; b <= perGpuTop; b *= 2) {
    out.add(b * gpus);
    const mid = Math.round(b * 1.5);
    if (b >= 2 && mid <= perGpuTop) out.add(mid * gpus);
  }
  out.add(perGpuTop * gpus);
  return [...out].sort((a, b) => a - b);
}

/** The step's live-bytes marks, thinned to at most ~400 points, each tied to the report row of the op
 *  it follows (ONNX rows are nodes: a training op maps to the node it was converted from). */
function buildTimeline(step: StepEstimate, graph: TrainGraph, rows: { index: number; name: string }[]): TimelinePoint[] {
  const rowByName = new Map(rows.map((r) => [r.name, r.index]));
  const rowOf = (op: number | null) => (op === null ? null : rowByName.get(graph.ops[op].name.split('#')[0]) ?? null);
  const marks = step.replay.marks;
  const stride = Math.max(1, Math.ceil(marks.length / 400));
  const out: TimelinePoint[] = [];
  marks.forEach((m, i) => {
    if (i % stride === 0 || i === marks.length - 1 || m.phase === 'optimizer' || m.op === null) {
      out.push({ phase: m.phase, label: m.label, layer: rowOf(m.op), liveBytes: m.live });
    }
  });
  return out;
}
