// The estimator's single entry point: model spec + options in, AnalysisResult out.
// Used by the CLI, the worker and tests.

import { basename } from 'node:path';
import { GraphBuilder } from './graph/builder';
import type { TrainGraph } from './graph/types';
import { emitLoss } from './loss/emit';
import { AUTO_OPTIMIZER_ITERATIONS, DEFAULT_MARGIN, DEFAULT_OBJECTS_PER_IMAGE, NOMINAL_BATCH, VALIDATION_BATCH_FACTOR } from './memory/constants';
import { withTrainDefaults } from './checkpoint/train-defaults';
import { datasetFacts } from './dataset-facts';
import { assumedAssignerObjects, COCO_MEAN_OBJECTS } from './dataset/density';
import { checkImgsz, validateOptions } from './validate';
import { gridStride, MIN_GRID_STRIDE, roundToStride, strideNote } from './stride';
import { largestFittingBatch, searchLimitPerGpu } from './max-batch';
import { deploymentWhatIf } from './memory/deployment';
import { accumulationSteps, simulateStep, traceStepGraphs, type Optimizer, type StepEstimate } from './memory/estimate';
import { traceScaler, type TraceAnchor, type TraceScaler } from './memory/batch-scaling';
import { StepMemo } from './memory/step-memo';
import { deployGflops, deployParams } from './memory/deploy-stats';
import { openModel, type ModelSource } from './model-source';
import type { AnalyzeOptions } from './options';
import { groupTotals } from './report/layers';
import { RESULT_SCHEMA_VERSION, type AnalysisResult, type CurvePoint, type ErrorBandInfo, type Estimate, type TimelinePoint, type Verdict } from './result';
import { densityKnowledge, ERROR_MODEL, upperBound, verdictOf, type DensityKnowledge } from './memory/band';
import { ampSupported } from './gpu/presets';
import { predictAutoBatch } from './autobatch';

export interface AnalyzeContext {
  /** Aborts long work (the worker passes cancellation through). */
  signal?: AbortSignal;
  /** A model source already opened (the worker caches them). */
  source?: ModelSource;
  /** Trace the graphs at every batch size instead of scaling two traced ones (memory/batch-scaling.ts):
   *  the same numbers, slower; for the tests that prove that and the benchmark's before/after. */
  traceEveryBatch?: boolean;
}

export class AnalyzeError extends Error {}

/** Resolves Ultralytics' optimizer=auto: iterations = ceil(N / max(batch, 64)) * epochs > 10,000 -> MuSGD (8.4.x), else AdamW. */
export function resolveOptimizer(opts: AnalyzeOptions, batch: number): { optimizer: Optimizer; note: string | null } {
  const choice = opts.optimizer ?? 'auto';
  if (choice !== 'auto') return { optimizer: choice, note: null };
  if (opts.datasetImages && opts.epochs) {
    const iterations = Math.ceil(opts.datasetImages / Math.max(batch, NOMINAL_BATCH)) * opts.epochs;
    // Ultralytics 8.4.x build_optimizer: MuSGD (lr 0.01) above 10,000 iterations, else AdamW (8.3.x: SGD)
    const optimizer = iterations > AUTO_OPTIMIZER_ITERATIONS ? 'musgd' : 'adamw';
    return { optimizer, note: `optimizer=auto resolved to ${optimizer === 'musgd' ? 'MuSGD' : optimizer.toUpperCase()}: ${iterations.toLocaleString('en-US')} iterations (${opts.datasetImages} images, ${opts.epochs} epochs)` };
  }
  return { optimizer: 'adamw', note: 'optimizer=auto: dataset size and epochs unknown, assumed AdamW (2 state tensors per parameter, the larger of the two choices)' };
}

/** model.deployParams / deployGflops: the fused model at 640 (an ONNX export: its own figures). */
function deployFigures(source: ModelSource, graph: TrainGraph, pruneRatio: number): { deployParams: number; deployGflops: number } {
  if (source.format === 'onnx') {
    const [h, w] = graph.imgsz;
    return { deployParams: source.paramCount(graph), deployGflops: Math.round(source.gflops(graph) * ((640 * 640) / (h * w)) * 1000) / 1000 };
  }
  // the estimate's own graph when it is already at 640 (params and per-image FLOPs do not depend on batch)
  const at640 = graph.imgsz[0] === 640 && graph.imgsz[1] === 640;
  const g = source.fixedImgsz === null && !at640 ? source.build(1, 640, pruneRatio) : graph;
  return { deployParams: deployParams(g), deployGflops: deployGflops(g) };
}

interface Evaluated {
  batch: number;
  /** `saved` and `graph` only when the graphs were traced (always for the first batch asked). */
  step: Omit<StepEstimate, 'saved'> & { saved?: StepEstimate['saved'] };
  graph: TrainGraph | null;
  validationDevice: number | null;
}

/** Steps already estimated for an opened model (memory/step-memo.ts). */
const STEPS = new StepMemo<{ step: Evaluated['step']; graph: TrainGraph | null }>();
/** capToGpu rewrites a step's byte figures for the GPU at hand: the memo keeps its own copy. */
function copyStep(step: Evaluated['step']): Evaluated['step'] {
  return { ...step, bytes: { ...step.bytes } };
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AnalyzeError('cancelled');
}

export async function analyze(requested: AnalyzeOptions, ctx: AnalyzeContext = {}): Promise<AnalysisResult> {
  const { options: validated, notes: optionNotes } = validateOptions(requested);
  const source = ctx.source ?? (await openModel(validated.model));
  // a checkpoint's train_args fill in what the caller left unset, each with a note
  const { options, notes: trainNotes } = withTrainDefaults(validated, source.trainDefaults);
  const label = source.format === 'onnx' ? basename(source.source) : source.name;
  // a static export's height and width are fixed (the source builds at them whatever is asked):
  // report that size, so the estimate, the layer shapes and the memory all describe the same run
  const fixed = source.fixedImgsz === null ? null : checkImgsz(source.fixedImgsz, `${label}: the model's static input size`);
  const asked = fixed ?? options.imgsz ?? (source.defaultImgsz === null ? 640 : checkImgsz(source.defaultImgsz, `${label}: the model's input size`));
  // validateOptions rounded to 32; a P6 model (max stride 64) rounds further, as Ultralytics' trainer does
  const given = typeof requested.imgsz === 'number' ? requested.imgsz : null;
  const stride = fixed === null && (asked % 64 !== 0 || (given !== null && given % 64 !== 0)) ? gridStride(source) : MIN_GRID_STRIDE;
  const imgsz = fixed ?? roundToStride(asked, stride);
  let batches = options.batch && options.batch.length ? options.batch : [16];
  const gpus = Math.max(1, Math.floor(options.gpus ?? 1));
  const margin = options.margin ?? DEFAULT_MARGIN;
  const gpu = options.gpu ?? null;
  const assumptions: string[] = [...optionNotes, ...trainNotes];
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
  // an assumed density is simulated at each batch size, so that a batch's estimate is the same
  // whichever batch was asked first (the quick fix to the largest batch must re-estimate as it was judged)
  const assumedCache = new Map<number, ReturnType<typeof assumedObjects>>();
  const assumedAt = (perGpu: number) => {
    let a = assumedCache.get(perGpu);
    if (!a) assumedCache.set(perGpu, (a = assumedObjects(options, perGpu)));
    return a;
  };
  const assumed = assumedAt(firstPerGpu);
  const objectsAt = (perGpu: number) => options.objectsPerImage ?? dataset?.objectsFor(perGpu) ?? assumedAt(perGpu).value;
  // the loss's positive anchors count the batch's real boxes (the padded count only sizes the assigner)
  const positivesAt = (perGpu: number) => options.objectsPerImage ?? dataset?.positivesFor(perGpu) ?? (dataset?.objectsFor(perGpu) == null ? assumedAt(perGpu).positives : null) ?? objectsAt(perGpu);
  const objects = objectsAt(firstPerGpu);
  let amp = options.amp ?? true;
  if (amp && gpu && !ampSupported(gpu.name)) {
    amp = false;
    assumptions.push(`AMP disabled: Ultralytics' check_amp turns it off on ${gpu.name}`);
  }
  if (options.objectsPerImage === undefined && dataset?.summary.assignerObjects == null) {
    assumptions.push(assumed.note);
  } else if (options.objectsPerImage === undefined && dataset) {
    assumptions.push(`${objects} boxes per image for the label assigner at batch ${firstPerGpu}, from the dataset (${dataset.summary.source})`);
  }
  const precision = amp ? 'amp' : 'fp32';
  // AutoBatch: the batch is what Ultralytics will pick on this GPU (single-GPU only: under DDP
  // 8.4's trainer stops with "AutoBatch with batch<1 not supported"). max_num_obj is 4 x the most
  // labels one image has.
  let autoBatch: AnalysisResult['autoBatch'];
  if (options.autoBatchFraction !== undefined) {
    autoBatch = null;
    if (gpus > 1) assumptions.push(`AutoBatch is single-GPU only: Ultralytics refuses batch < 1 for multi-GPU training (batch ${batches[0]} is shown)`);
    else if (!gpu) assumptions.push(`AutoBatch picks the batch from the GPU's memory; no GPU is known, so batch ${batches[0]} is shown`);
    else {
      const maxNumObj = 4 * (options.objectsPerImage ?? dataset?.summary.objects?.max ?? DEFAULT_OBJECTS_PER_IMAGE);
      const p = predictAutoBatch({ build: (b) => source.build(b, imgsz, options.pruneRatio ?? 0), amp, fraction: options.autoBatchFraction, gpu, maxNumObj });
      if (p) {
        autoBatch = { batch: p.batch, fraction: p.fraction, availableBytes: p.availableBytes, profile: p.profile };
        batches = [p.batch];
      } else assumptions.push('AutoBatch finds no usable batch on this GPU (every probe runs out of memory)');
    }
  }
  const usable = gpu ? gpu.totalBytes * (1 - margin) : null;

  const cache = new Map<number, Evaluated>();
  // Two traced batches of the same trace structure give every other batch's trace by scaling
  // (memory/batch-scaling.ts). The structure changes with gradient accumulation and with the boxes
  // per image (a dataset gives each batch size its own): those key the anchors.
  const anchors = new Map<string, TraceAnchor[]>();
  const scalers = new Map<string, TraceScaler | null>();
  const evaluate = (batch: number, traced = false): Evaluated => {
    const hit = cache.get(batch);
    if (hit && (hit.graph || !traced)) return hit;
    throwIfAborted(ctx.signal);
    const perGpu = Math.max(1, Math.floor(batch / gpus));
    const { optimizer } = resolveOptimizer(options, batch);
    const objs = objectsAt(perGpu);
    // validation sees single images (no mosaic): the densest image, not the mosaic-inflated count
    const valObjects = options.objectsPerImage ?? dataset?.summary.objects?.max ?? assumedAt(perGpu).densestImage;
    const inputs = { precision, optimizer, objectsPerImage: objs, batchPerGpu: perGpu, gpus, validationObjectsPerImage: valObjects, gpuName: gpu?.name ?? null } as const;
    // optimizer=auto may pick another optimizer at another batch: its state is part of the structure
    const positives = positivesAt(perGpu);
    const key = `${optimizer}|${accumulationSteps(perGpu) > 1}|${objs}|${positives}|${valObjects}`;
    const scaler = traced || ctx.traceEveryBatch ? null : scalers.get(key);
    let graph: TrainGraph | null = null;
    let step: Evaluated['step'];
    const memoKey = `${imgsz}|${options.pruneRatio ?? 0}|${precision}|${gpus}|${gpu?.name ?? ''}|${perGpu}|${key}`;
    const remembered = ctx.traceEveryBatch ? undefined : STEPS.get(source, memoKey);
    if (remembered && (remembered.graph || !traced)) {
      graph = remembered.graph;
      step = copyStep(remembered.step);
    } else if (scaler) {
      step = simulateStep(scaler(perGpu), inputs);
    } else {
      graph = withLoss(source.build(perGpu, imgsz, options.pruneRatio ?? 0), objs, positives);
      const valGraph = source.build(perGpu * VALIDATION_BATCH_FACTOR, imgsz, options.pruneRatio ?? 0);
      const { traces, saved } = traceStepGraphs(graph, inputs, valGraph);
      step = { ...simulateStep(traces, inputs), saved };
      const mine = anchors.get(key) ?? [];
      if (mine.length < 2 && !mine.some((a) => a.batch === perGpu)) {
        mine.push({ batch: perGpu, traces });
        anchors.set(key, mine);
        if (mine.length === 2) scalers.set(key, traceScaler(mine[0]!, mine[1]!));
      }
    }
    // the every-batch tracing path neither reads nor feeds the memo: it is the reference scaled steps are tested against
    if (!ctx.traceEveryBatch && (!remembered || (traced && !remembered.graph))) STEPS.set(source, memoKey, { step: copyStep(step), graph });
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
  // the error band (memory/band.ts): the upper bound of training and of validation, and the verdict
  const knowledge = densityKnowledge({ labelsRead: dataset?.summary.assignerObjects != null, countGiven: options.objectsPerImage !== undefined, mean: options.datasetDensity?.mean ?? null });
  const bandClass = ERROR_MODEL.classes[knowledge];
  const upperOf = (e: Evaluated) => upperBound(e.step.bytes.reserved, e.step.bytes.cudaContext, knowledge);
  const upperValidation = (e: Evaluated) =>
    e.validationDevice === null ? 0 : upperBound(e.validationDevice - e.step.bytes.cudaContext, e.step.bytes.cudaContext, knowledge).device;
  const verdict = (e: Evaluated): Verdict | null => (usable === null ? null : verdictOf(fits(e)!, Math.max(upperOf(e).device, upperValidation(e)), usable));
  const sure = (e: Evaluated) => (usable === null ? null : verdict(e) === 'fits');

  const estimates: Estimate[] = [];
  for (const [i, batch] of batches.entries()) {
    const e = evaluate(batch, i === 0);
    const ok = fits(e);
    const v = verdict(e);
    const up = upperOf(e);
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
      fits: v === null ? null : v === 'fits',
      limitedBy: ok === false ? (trainOk ? 'validation' : 'train') : null,
      verdict: v,
      upper: up,
      verdictReason: usable === null ? null : reasonFor(v, e, up.device, upperValidation(e), usable, knowledge),
    });
  }

  if (autoBatch) {
    const e = estimates[0];
    const verdict = e.fits === null ? '' : e.fits ? ', which fits' : `, which does not fit${e.limitedBy === 'validation' ? ' (validation)' : ''}`;
    assumptions.unshift(`AutoBatch will pick ≈${autoBatch.batch} on this GPU (${Math.round(autoBatch.fraction * 100)} % of ${(autoBatch.availableBytes / 2 ** 30).toFixed(1)} GiB available); training at ${autoBatch.batch} needs ${(e.neededDevice / 2 ** 30).toFixed(1)} GiB${verdict}`);
  }
  // two answers from the same search (core/max-batch.ts): the largest batch that surely fits, and the largest that may
  // `quick` (the panel's first answer, shown while the rest computes) skips the search and the curve
  const searching = usable !== null && !options.quick;
  const search = !searching ? null : largestFittingBatch((b) => sure(evaluate(b)) === true, gpus, imgsz);
  const maxBatch = search === null ? null : search.batch;
  const searchTight = !searching ? null : largestFittingBatch((b) => fits(evaluate(b)) === true, gpus, imgsz);
  const maxBatchTight = searchTight === null ? null : searchTight.batch;
  // to twice the max batch, but never past what the search itself may evaluate (its validation at 2x
  // batch stays within the graph builders' limit)
  // to twice the largest batch that may fit, so the chart shows where the estimate itself stops fitting
  const curveTop = options.curveMax ?? Math.min(Math.max(64, 2 * (maxBatchTight ?? maxBatch ?? 32)), searchLimitPerGpu(imgsz) * gpus);
  const curve: CurvePoint[] = (options.quick ? [...new Set(batches)].sort((a, b) => a - b) : curveBatches(curveTop, gpus)).map((b) => {
    const e = evaluate(b);
    const v = verdict(e);
    return { batch: b, allocated: e.step.bytes.allocated, reserved: e.step.bytes.reserved, device: needed(e), upperDevice: upperOf(e).device, fits: v === null ? null : v === 'fits', verdict: v };
  });
  const errorBand: ErrorBandInfo = {
    knowledge,
    factor: bandClass.factor,
    coverage: bandClass.cvCoverage,
    runs: bandClass.n,
    note:
      `upper bound = estimate × ${bandClass.factor.toFixed(2)}: ${Math.round(bandClass.cvCoverage * 100)} % of ${bandClass.n} public runs` +
      (knowledge === 'dataset' ? ' with a known, typical dataset density' : knowledge === 'dense' ? ' on dense datasets known only by their mean' : ' without dataset knowledge') +
      ' stayed under it (cross-validated by source)',
  };

  const first = evaluate(batches[0], true) as Evaluated & { graph: TrainGraph; step: StepEstimate };
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
    ...deployFigures(source, first.graph, options.pruneRatio ?? 0),
    layers: layers.length,
    groups: groupTotals([...layers, ...lossLayers]),
    notes: [...(source.notes ?? []), ...first.graph.notes],
  };
  const deployment = deploymentWhatIf(source.build(1, imgsz, options.pruneRatio ?? 0), options.deployPrecision ?? 'fp16');
  if (!first.graph.head || first.graph.head.style === 'classify') {
    // no label assigner: drop the density assumption note
    const i = assumptions.findIndex((a) => /boxes per image|objects per image|density/i.test(a) && /assum/i.test(a));
    if (i >= 0) assumptions.splice(i, 1);
  }
  if (searchTight?.atLimit) assumptions.push(`batch ${searchTight.batch} (the most the estimator evaluates at imgsz ${imgsz}) still fits: the largest batch is at least ${searchTight.batch}`);
  return { schemaVersion: RESULT_SCHEMA_VERSION, model, gpu, estimates, maxBatch, maxBatchAtLeast: search?.atLimit ?? false, maxBatchTight, errorBand, margin, layers, lossLayers, curve, timeline, deployment, dataset: dataset?.summary ?? null, assumptions, ...(autoBatch !== undefined ? { autoBatch } : {}), ...(options.quick ? { partial: true } : {}) };
}

/** Why a verdict is not 'fits', in one sentence (shown by the CLI, the hover and diagnostics). */
function reasonFor(v: Verdict | null, e: Evaluated, upperTrain: number, upperVal: number, usable: number, knowledge: DensityKnowledge): string | null {
  if (v === null || v === 'fits') return null;
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (v === 'does-not-fit') return `the estimate itself (${gib(Math.max(e.step.requiredReserved + e.step.bytes.cudaContext, e.validationDevice ?? 0))}) is above the ${gib(usable)} usable`;
  const what = upperVal > upperTrain ? 'validation' : 'training';
  const dens = knowledge === 'assumed' ? '; the dataset is unknown, and a denser one than assumed needs more' : '';
  return `the estimate fits, but real runs reach up to ${gib(Math.max(upperTrain, upperVal))} in ${what} (the band's upper bound), above the ${gib(usable)} usable${dens}`;
}

/** On a GPU smaller than what the allocator would cache, PyTorch releases free cached segments
 *  instead of growing: memory_reserved() then stays at the GPU's room (never below what is needed). */
function capToGpu(step: Evaluated['step'], totalBytes: number): void {
  const b = step.bytes;
  const room = totalBytes - b.cudaContext;
  if (b.reserved <= room) return;
  b.reserved = Math.max(step.requiredReserved, room);
  b.allocatorOverhead = b.reserved - b.allocated;
  b.device = b.reserved + b.cudaContext;
}

/** Boxes per image for the assigner when neither a count nor a readable dataset is given. */
function assumedObjects(options: AnalyzeOptions, batchPerGpu: number): { value: number; positives: number; densestImage: number; note: string } {
  const d = options.datasetDensity;
  if (d) {
    const a = assumedAssignerObjects(d, batchPerGpu);
    return { value: a.value ?? 0, positives: a.positivesPerImage ?? 0, densestImage: a.perImage.max, note: `${a.value} boxes per image for the label assigner at batch ${batchPerGpu}: the densest mosaic batch expected from ${d.name ?? 'the dataset'}'s mean of ${d.mean} per image (images drawn from a geometric distribution with that mean, 4 per mosaic)` };
  }
  const a = assumedAssignerObjects({ mean: COCO_MEAN_OBJECTS }, batchPerGpu);
  return {
    value: a.value ?? DEFAULT_OBJECTS_PER_IMAGE,
    positives: a.positivesPerImage ?? DEFAULT_OBJECTS_PER_IMAGE,
    densestImage: a.perImage.max,
    note:
      `${a.value} boxes per image assumed for the label assigner at batch ${batchPerGpu}: the dataset is unknown, so COCO's density (mean ${COCO_MEAN_OBJECTS} per image) and the densest mosaic batch it gives; ` +
      'a dense dataset (faces, crowds, aerial views, small parts) can need several times more memory: point at the dataset or set objects per image',
  };
}

function withLoss(graph: TrainGraph, objectsPerImage: number, positivesPerImage: number): TrainGraph {
  if (!graph.head) return graph;
  const b = GraphBuilder.from(graph);
  emitLoss(b, graph.head, { objectsPerImage, positivesPerImage });
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
