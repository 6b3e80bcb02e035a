// Input validation for analyze(): every option checked against a bound before any graph is built,
// so nonsense (batch 1e9, imgsz 1e9, a GPU of -1 bytes, NaN anywhere) gives one clear line at once
// instead of petabyte estimates, allocations sized by the input, or a shape error deep in the
// builder. The bounds are far above any real training run and match the builders' own limits.
//
//   validateOptions(opts) -> { options, notes }   throws OptionsError (one line, names the option)
//   checkImgsz(imgsz, source)                      the same check for an image size taken from a
//                                                  model file (ONNX static input / metadata)

import type { AnalyzeOptions } from './options';

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

/** Limits, each with why it is where it is. */
export const OPTION_LIMITS = {
  /** Largest stride of every YOLO model; Ultralytics' check_imgsz rounds up to a multiple of it. */
  stride: 32,
  /** yolo/build.ts MAX_IMGSZ; 8192² images are already 64x the usual 640² training size. */
  imgsz: [32, 8192],
  /** Half yolo/build.ts MAX_BATCH (65536): validation is estimated at 2x the training batch. */
  batch: [1, 32768],
  /** How many batch sizes one request may ask for (each is a full estimate). */
  batchList: 64,
  /** DDP world size. */
  gpus: [1, 1024],
  /** Boxes per image for the assigner; its memory grows with the square of this. */
  objectsPerImage: [0, 10_000],
  /** Memory-vs-batch curve upper end (a batch size, so the same bound). */
  curveMax: [1, 32768],
  /** Ultralytics-style pruning ratio (yolo/resolve.ts MAX_PRUNE_RATIO). */
  pruneRatio: [0, 0.9],
  /** optimizer=auto inputs; their product must stay an exact integer. */
  datasetImages: [0, 1e10],
  epochs: [0, 1e6],
  /** batch x imgsz² per request (2^38 = batch 4096 at 8192², 671,088 at 640²): keeps every byte
   *  count below 2^53, where doubles stop being exact. YOLOv8x needs ~9 KB per input pixel, so
   *  2^38 pixels stay under 2^53 bytes with a 3.6x margin for bigger models. */
  pixelsPerStep: 2 ** 38,
  /** 1 PiB: no GPU has more memory; keeps byte arithmetic exact. */
  gpuBytes: 2 ** 50,
  /** Model path or name length (PATH_MAX on Linux). */
  model: 4096,
} as const;

const OPTIMIZERS = ['auto', 'sgd', 'adam', 'adamw'];
const DEPLOY = ['fp32', 'fp16', 'int8'];

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 37) + '...' : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  try {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return typeof v;
  }
}

function intIn(name: string, v: unknown, [lo, hi]: readonly [number, number]): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new OptionsError(`${name} must be a whole number from ${lo} to ${hi}, got ${show(v)}`);
  return v;
}

function numIn(name: string, v: unknown, lo: number, hi: number, hiOpen = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || (hiOpen ? v >= hi : v > hi)) {
    throw new OptionsError(`${name} must be a number from ${lo} to ${hi}${hiOpen ? ' (exclusive)' : ''}, got ${show(v)}`);
  }
  return v;
}

/** The check for an image size, from the options or from a model file (`source` names it). */
export function checkImgsz(imgsz: unknown, source = 'imgsz'): number {
  const [lo, hi] = OPTION_LIMITS.imgsz;
  if (typeof imgsz !== 'number' || !Number.isInteger(imgsz) || imgsz < lo || imgsz > hi) {
    throw new OptionsError(`${source === 'imgsz' ? 'imgsz' : `${source}: image size`} must be a whole number from ${lo} to ${hi}, got ${show(imgsz)}`);
  }
  return imgsz;
}

/**
 * Checks every option of an analyze() request and returns a normalised copy: imgsz rounded up to a
 * multiple of 32 as Ultralytics' check_imgsz does (with a note saying so). Throws OptionsError,
 * whose message is one line naming the option, its bounds and the value given.
 */
export function validateOptions(opts: AnalyzeOptions): { options: AnalyzeOptions; notes: string[] } {
  const notes: string[] = [];
  if (typeof opts !== 'object' || opts === null) throw new OptionsError('options must be an object');
  const out: AnalyzeOptions = { ...opts };
  const m = opts.model;
  if (typeof m !== 'string' || m.trim() === '') throw new OptionsError(`model must be a path or a built-in name, got ${show(m)}`);
  if (m.length > OPTION_LIMITS.model || m.includes('\0')) throw new OptionsError(`model is not a usable path (${m.length > OPTION_LIMITS.model ? `${m.length} characters` : 'contains a NUL byte'})`);

  if (opts.imgsz !== undefined) {
    const v = checkImgsz(opts.imgsz);
    const s = OPTION_LIMITS.stride;
    const rounded = Math.ceil(v / s) * s;
    if (rounded !== v) {
      // the upper bound is a multiple of the stride, so rounding up stays within it
      notes.push(`imgsz ${v} is not a multiple of the model's max stride ${s}: updated to ${rounded} (as Ultralytics does)`);
      out.imgsz = rounded;
    }
  }
  if (opts.batch !== undefined) {
    if (!Array.isArray(opts.batch)) throw new OptionsError(`batch must be a list of batch sizes, got ${show(opts.batch)}`);
    if (opts.batch.length > OPTION_LIMITS.batchList) throw new OptionsError(`batch lists at most ${OPTION_LIMITS.batchList} sizes, got ${opts.batch.length}`);
    out.batch = opts.batch.map((b) => intIn('batch', b, OPTION_LIMITS.batch));
  }
  if (opts.gpus !== undefined) out.gpus = intIn('gpus', opts.gpus, OPTION_LIMITS.gpus);
  if (opts.margin !== undefined) out.margin = numIn('margin', opts.margin, 0, 1, true);
  if (opts.objectsPerImage !== undefined) out.objectsPerImage = intIn('objectsPerImage', opts.objectsPerImage, OPTION_LIMITS.objectsPerImage);
  if (opts.datasetDensity !== undefined) {
    const d = opts.datasetDensity;
    if (typeof d !== 'object' || d === null) throw new OptionsError(`datasetDensity must be an object, got ${show(d)}`);
    numIn('datasetDensity.mean', d.mean, 0, OPTION_LIMITS.objectsPerImage[1], false);
    if (d.max !== undefined && d.max !== null) intIn('datasetDensity.max', d.max, OPTION_LIMITS.objectsPerImage);
    if (d.images !== undefined && d.images !== null) intIn('datasetDensity.images', d.images, OPTION_LIMITS.datasetImages);
  }
  if (opts.curveMax !== undefined) out.curveMax = intIn('curveMax', opts.curveMax, OPTION_LIMITS.curveMax);
  if (opts.pruneRatio !== undefined) out.pruneRatio = numIn('pruneRatio', opts.pruneRatio, ...OPTION_LIMITS.pruneRatio);
  if (opts.datasetImages !== undefined) out.datasetImages = intIn('datasetImages', opts.datasetImages, OPTION_LIMITS.datasetImages);
  if (opts.epochs !== undefined) out.epochs = intIn('epochs', opts.epochs, OPTION_LIMITS.epochs);
  if (opts.quick !== undefined) {
    if (typeof opts.quick !== 'boolean') throw new OptionsError(`quick must be true or false, got ${show(opts.quick)}`);
    out.quick = opts.quick;
  }
  if (opts.amp !== undefined && typeof opts.amp !== 'boolean') throw new OptionsError(`amp must be true or false, got ${show(opts.amp)}`);
  if (opts.optimizer !== undefined && !OPTIMIZERS.includes(opts.optimizer)) throw new OptionsError(`optimizer must be one of ${OPTIMIZERS.join(', ')}, got ${show(opts.optimizer)}`);
  if (opts.deployPrecision !== undefined && !DEPLOY.includes(opts.deployPrecision)) throw new OptionsError(`deployPrecision must be one of ${DEPLOY.join(', ')}, got ${show(opts.deployPrecision)}`);
  const gpu = opts.gpu;
  if (gpu !== undefined && gpu !== null) {
    if (typeof gpu !== 'object') throw new OptionsError(`gpu must be an object, got ${show(gpu)}`);
    if (typeof gpu.name !== 'string') throw new OptionsError(`gpu.name must be a string, got ${show(gpu.name)}`);
    const t = gpu.totalBytes;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > OPTION_LIMITS.gpuBytes) {
      throw new OptionsError(`gpu memory must be a positive number of bytes up to 1 PiB, got ${show(t)} for ${show(gpu.name)}`);
    }
  }
  // checked last, once each value is known to be in range
  const imgsz = out.imgsz ?? 640;
  const biggest = Math.max(...(out.batch ?? [16]), out.curveMax ?? 0);
  if (biggest * imgsz * imgsz > OPTION_LIMITS.pixelsPerStep) {
    throw new OptionsError(`batch ${biggest} at imgsz ${imgsz} is ${(biggest * imgsz * imgsz / 1e9).toFixed(1)} billion pixels per step; the limit is ${(OPTION_LIMITS.pixelsPerStep / 1e9).toFixed(1)} billion (byte counts would no longer be exact)`);
  }
  return { options: out, notes };
}
