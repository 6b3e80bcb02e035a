// From a training run found in a script/config (src/core/scripts) plus the user's settings and the
// GPU, to the AnalyzeOptions the worker estimates. Pure: file existence is asked through a callback
// (the extension checks the workspace file system asynchronously before calling this).
//
// Precedence: what the script says, then the settings, then the estimator's defaults. Every value
// that had to be assumed is listed in `assumed`, so the hover can say what the numbers rest on.

import { isAbsolute, resolve } from 'node:path';
import { autoBatchFraction } from '../core/autobatch';
import { ampSupported } from '../core/gpu/presets';
import type { AnalyzeOptions, OptimizerChoice } from '../core/options';
import type { GpuInfo } from '../core/result';
import type { TrainingRun } from '../core/scripts/types';
import { deviceGpuCount } from '../core/scripts/values';
import { builtinName } from '../core/yolo/builtin';
import { SETTING_DEFAULTS, type Settings } from './settings';

/** The boxes-per-image setting is passed only when changed from its default: left at the default,
 *  the estimator assumes COCO's density and simulates the densest mosaic batch (issue #21), as the
 *  CLI does, instead of sizing the assigner at the mean. */
function objectsSetting(n: number): Pick<AnalyzeOptions, 'objectsPerImage'> {
  return n === SETTING_DEFAULTS['estimate.objectsPerImage'] ? {} : { objectsPerImage: n };
}

export interface RunOptions {
  options: AnalyzeOptions;
  /** Values that were not in the script, and what was used instead. */
  assumed: string[];
  /** True when the batch came from the script as a plain number (a quick fix can rewrite it). */
  batchFromScript: boolean;
}

export type RunOptionsResult = { ok: true; value: RunOptions } | { ok: false; reason: string };

/** How a model reference in a script resolves. `findFile` maps a relative spec to an existing
 *  absolute path (next to the script, then the workspace root), or undefined. */
export function resolveModelSpec(spec: string, findFile: (spec: string) => string | undefined): string | { error: string } {
  const s = spec.trim();
  // a file that exists wins, .pt included: a fine-tuned yolov8s.pt beside the script is that
  // checkpoint, not the built-in yolov8s (Ultralytics too loads a local file before downloading)
  if (/\.(onnx|ya?ml|pth?)$/i.test(s)) {
    const file = findFile(s);
    if (file) return file;
  }
  // yolov8n.pt / yolov8n.yaml / yolo11s-seg: Ultralytics resolves these from its package, and so
  // does the estimator (built-in architectures).
  const builtin = builtinName(s);
  if (builtin) return builtin;
  if (/\.pth?$/i.test(s)) return { error: `${s}: checkpoint not found (next to the script or in the workspace), and not a built-in model name` };
  if (/\.onnx$/i.test(s)) return { error: `${s}: file not found` };
  if (/\.ya?ml$/i.test(s)) return { error: `${s}: model YAML not found and not a built-in name` };
  return { error: `${s}: not a known model (a .onnx, .pt or model .yaml path, or a name like yolov8n)` };
}

/** A resolved model that is a checkpoint file (resolveModelSpec returns existing .pt files as paths). */
function isCheckpointPath(model: string): boolean {
  return /\.pth?$/i.test(model) && isAbsolute(model);
}

const OPTIMIZERS: Record<string, OptimizerChoice> = { auto: 'auto', sgd: 'sgd', adam: 'adam', adamw: 'adamw' };

/** Plan-against GPU without live usage: the estimate (and its cache key) must not change every
 *  time nvidia-smi reports a few MiB more in use. */
export function planningGpu(gpu: GpuInfo | null): GpuInfo | null {
  if (!gpu) return null;
  const { usedBytes: _u, freeBytes: _f, ...rest } = gpu;
  return rest;
}

/** Where the script lives, for the settings that name files relative to it. */
export interface RunContext {
  /** The script's folder: the training process is assumed to start there (Ultralytics resolves
   *  `data=` against its cwd; YOLOv5's train.py runs from its repository folder). Undefined for an
   *  unsaved file, whose relative `data=` cannot be resolved. */
  dir?: string;
  /** Whether a file exists at this absolute path (the caller stats the dataset YAMLs first). */
  fileExists?: (absPath: string) => boolean;
}

/** Ultralytics / YOLOv5 `cache`: True and 'ram' cache decoded images in RAM, 'disk' as .npy files,
 *  False / None not at all. Null when the value is not known from the text. */
export function cacheMode(value: boolean | string | null | undefined): false | 'ram' | 'disk' | null {
  if (value === true) return 'ram';
  if (value === false) return false;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (v === 'ram' || v === 'true') return 'ram';
    if (v === 'disk') return 'disk';
    if (v === 'false' || v === 'none') return false;
  }
  return null;
}

export function optionsForRun(
  run: TrainingRun,
  settings: Settings,
  gpu: GpuInfo | null,
  findFile: (spec: string) => string | undefined,
  ctx: RunContext = {},
): RunOptionsResult {
  const s = run.settings;
  const modelSpec = s.model?.value;
  if (!modelSpec) {
    return { ok: false, reason: s.model ? `the model is not known from the text${s.model.note ? ` (${s.model.note})` : ''}` : 'no model in this training call' };
  }
  const model = resolveModelSpec(modelSpec, findFile);
  if (typeof model !== 'string') return { ok: false, reason: model.error };

  const assumed: string[] = [];
  const est = settings.estimate;

  let batch = est.batch;
  let batchFromScript = false;
  let autoFraction: number | undefined;
  const b = s.batch?.value;
  if (typeof b === 'number' && Number.isInteger(b) && b >= 1) {
    batch = b;
    batchFromScript = true;
  } else if (typeof b === 'number' && autoBatchFraction(b) !== null) {
    // Ultralytics: batch=-1 or a fraction in (0, 1) means AutoBatch picks the size at run time; the
    // estimate predicts its pick on the planned GPU (src/core/autobatch.ts).
    autoFraction = autoBatchFraction(b)!;
    assumed.push(`batch=${s.batch!.raw} is AutoBatch: the estimate is at the batch it is predicted to pick on this GPU`);
  } else if (typeof b === 'number') {
    assumed.push(`batch=${s.batch!.raw} is not a usable batch size; using ${batch}`);
  } else {
    assumed.push(s.batch ? `batch not known from the text (${s.batch.note ?? s.batch.raw}); using ${batch}` : `batch not set; using ${batch}`);
  }

  let imgsz: number | undefined = est.imgsz;
  const i = s.imgsz?.value;
  if (typeof i === 'number' && i > 0) imgsz = i;
  // Training from a .pt through YOLO(...).train() or `yolo train`, Ultralytics keeps the
  // checkpoint's imgsz (Model._reset_ckpt_args keeps imgsz, data, task, single_cls): left unset, the
  // estimator takes it from its train_args, with a note. YOLOv5 and a bare Trainer use their defaults.
  else if (isCheckpointPath(model) && (run.kind === 'ultralytics-api' || run.kind === 'cli')) imgsz = undefined;
  else assumed.push(`imgsz ${s.imgsz ? 'not known from the text' : 'not set'}; using ${imgsz}`);

  let amp: boolean;
  if (typeof s.amp?.value === 'boolean') amp = s.amp.value;
  else if (est.amp === 'on') amp = true;
  else if (est.amp === 'off') amp = false;
  else {
    amp = gpu ? ampSupported(gpu.name) : true;
    if (gpu && !amp) assumed.push(`AMP off: Ultralytics disables it on ${gpu.name}`);
  }

  let optimizer: OptimizerChoice = est.optimizer;
  const o = s.optimizer?.value;
  if (typeof o === 'string') {
    const known = OPTIMIZERS[o.toLowerCase()];
    if (known) optimizer = known;
    else assumed.push(`optimizer ${o} is not modelled; using ${optimizer}`);
  }

  const options: AnalyzeOptions = {
    model,
    ...(imgsz === undefined ? {} : { imgsz }),
    batch: [batch],
    amp,
    optimizer,
    gpu: planningGpu(gpu),
    margin: est.margin,
    ...objectsSetting(est.objectsPerImage),
  };
  if (autoFraction !== undefined) options.autoBatchFraction = autoFraction;
  const gpus = deviceGpuCount(s.device?.value);
  if (gpus !== null && gpus > 1) options.gpus = gpus;
  if (typeof s.epochs?.value === 'number') options.epochs = s.epochs.value;
  datasetOptions(run, ctx, options, assumed);
  return { ok: true, value: { options, assumed, batchFromScript } };
}

/** `data=`, `workers=` and `cache=` from the script. A dataset YAML that exists decides the boxes
 *  per image (the setting would override the scan, so it is left out); one that is not found
 *  (e.g. a built-in like coco8.yaml) is still passed, so the card can say why it was not read, and
 *  the setting stays the assigner's size. */
function datasetOptions(run: TrainingRun, ctx: RunContext, options: AnalyzeOptions, assumed: string[]): void {
  const s = run.settings;
  const data = s.data?.value?.trim();
  if (!data) {
    if (s.data?.value === null && s.data.note) assumed.push(`dataset not read: ${s.data.note}`);
    return;
  }
  if (!isAbsolute(data) && !ctx.dir) {
    assumed.push(`data=${data} is relative to an unsaved file: the dataset is not read`);
    return;
  }
  options.data = data;
  // The worker's cwd is not the training process's: relative paths resolve against the script's folder.
  if (ctx.dir) options.cwd = ctx.dir;
  if (ctx.fileExists?.(isAbsolute(data) ? data : resolve(ctx.dir!, data))) delete options.objectsPerImage;

  // workers and cache only change the host-RAM part, which needs the dataset: without one they would
  // only split the estimate cache.
  const w = s.workers?.value;
  if (typeof w === 'number' && Number.isInteger(w) && w >= 0) options.workers = w;
  else if (s.workers) assumed.push(`workers not known from the text${s.workers.note ? ` (${s.workers.note})` : ''}; using Ultralytics' default 8`);
  if (s.cache) {
    const mode = cacheMode(s.cache.value);
    if (mode !== null) options.cache = mode;
    else assumed.push(`cache not known from the text${s.cache.note ? ` (${s.cache.note})` : ''}; assuming no cache`);
  }
}

/** Options for a model file or built-in name analysed on its own (no script). */
export function optionsForModel(model: string, settings: Settings, gpu: GpuInfo | null): AnalyzeOptions {
  const est = settings.estimate;
  return {
    model,
    // An ONNX export knows the size it was made for; YAMLs and built-ins take the setting.
    ...(/\.onnx$/i.test(model) || isCheckpointPath(model) ? {} : { imgsz: est.imgsz }),
    // A checkpoint on its own is estimated as the run that made it (its train_args' batch)
    ...(isCheckpointPath(model) ? {} : { batch: [est.batch] }),
    amp: est.amp === 'on' ? true : est.amp === 'off' ? false : gpu ? ampSupported(gpu.name) : true,
    optimizer: est.optimizer,
    gpu: planningGpu(gpu),
    margin: est.margin,
    ...objectsSetting(est.objectsPerImage),
  };
}
