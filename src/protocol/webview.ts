// Every message between the extension host and the two webviews (analysis panel, sidebar view),
// as one discriminated union per direction, with the hand-written validators both sides run on
// receipt. A webview is untrusted (it renders model names and paths that came from files), so the
// host never acts on a message it has not validated; the webview validates too, so a bug on the
// host shows up as a logged, ignored message instead of a half-drawn view.
//
// Adding a message type makes the compiler point at every `switch` that must handle it.
// This module is pure: no `vscode`, no DOM. Both the host bundle and the webview bundles import it.

import type { AnalyzeOptions, DeployPrecision, OptimizerChoice } from '../core/options';
import type { AnalysisResult, GpuInfo } from '../core/result';
import { validateMeasuredView, type MeasuredMessage, type MeasureRequestMessage } from './measured';

// ---------------------------------------------------------------------------------------------
// Shared state shapes
// ---------------------------------------------------------------------------------------------

/** The settings the panel's controls may change. The model path is NOT in here: the host owns it,
 *  so a webview can never make the host open another file. */
export interface OptionsPatch {
  batch?: number;
  imgsz?: number;
  amp?: boolean;
  optimizer?: OptimizerChoice;
  /** VRAM of the GPU to check against, in bytes; null = forget the GPU (no verdict). */
  gpuTotalBytes?: number | null;
  gpus?: number;
  margin?: number;
  /** null = back to the estimator's default. */
  objectsPerImage?: number | null;
  pruneRatio?: number;
  deployPrecision?: DeployPrecision;
}

export interface PanelError {
  /** One readable line (no stack trace). */
  message: string;
  /** True when the worker's log has more (the panel offers "Show Log"). */
  hasLog: boolean;
}

/** Everything the panel draws. Sent whole after `ready`, after each estimate and when the panel
 *  becomes visible again. */
export interface PanelState {
  options: AnalyzeOptions;
  /** The last good result; kept when a later estimate fails. */
  result: AnalysisResult | null;
  /** Sequence number of the `setOptions` request that produced `result` (0 = initial). */
  resultSeq: number;
  /** An estimate is running. */
  busy: boolean;
  error: PanelError | null;
  /** The latest nvidia-smi reading of the GPU training would use (used/free now), or null/absent
   *  when there is none. Kept apart from `result.gpu`: that is the GPU the estimate was planned
   *  against, without live usage, so the estimate and its cache key do not change with every
   *  reading. The panel shows "Free now" from here when it is the same device as `result.gpu`. */
  gpuNow?: GpuInfo | null;
}

export type Verdict = 'fits' | 'tight' | 'oom' | 'unknown' | 'pending' | 'error';

/** One model or training script in the sidebar. */
export interface SidebarEntry {
  /** Opaque id chosen by the host (e.g. the file URI); clicks send it back. */
  id: string;
  label: string;
  /** Shown under the label: the path relative to the workspace, or the detected call. */
  detail: string;
  kind: 'model' | 'script' | 'yaml' | 'builtin';
  model: string;
  batch: number | null;
  imgsz: number | null;
  verdict: Verdict;
  /** What the run needs on the device at `batch`: the decisive figure the verdict compares with the
   *  usable VRAM (webview/shared/memory.ts neededOf), the same number the hover and status bar show. */
  deviceBytes: number | null;
  /** VRAM the verdict was checked against. */
  vramBytes: number | null;
  /** That VRAM less the safety margin: what the run may use. */
  usableBytes?: number | null;
  maxBatch: number | null;
  /** Why the verdict is 'error' or 'unknown'. */
  message?: string;
}

export interface SidebarState {
  gpus: GpuInfo[];
  /** Why no GPU is listed (no nvidia-smi, ...); null when the list is authoritative. */
  gpuMessage: string | null;
  /** The model/call in the active editor, or null when the editor has none. */
  active: SidebarEntry | null;
  workspace: SidebarEntry[];
  /** Epoch ms of the GPU reading. */
  updatedAt: number;
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** host → panel: the whole state (see PanelState). */
export interface PanelStateMessage {
  type: 'panelState';
  state: PanelState;
}
/** host → sidebar: the whole state. */
export interface SidebarStateMessage {
  type: 'sidebarState';
  state: SidebarState;
}
/** host → panel: the outcome of an export ("Copied", "Saved to …", or why not). */
export interface NoticeMessage {
  type: 'notice';
  level: 'info' | 'error';
  text: string;
}

/** host → panel: a new nvidia-smi reading (sent on its own: resending the whole state, layers
 *  and all, at every GPU poll would be wasteful). */
export interface GpuNowMessage {
  type: 'gpuNow';
  gpu: GpuInfo | null;
}

export type HostToPanelMessage = PanelStateMessage | NoticeMessage | GpuNowMessage | MeasuredMessage;
export type HostToSidebarMessage = SidebarStateMessage;
export type HostToWebviewMessage = HostToPanelMessage | HostToSidebarMessage;

/** webview → host: the script has loaded and listens; the host answers with the full state. */
export interface ReadyMessage {
  type: 'ready';
}
/** panel → host: re-estimate with these settings. `seq` grows with each request; the host drops
 *  replies to older requests and the panel ignores states with a smaller `resultSeq`. */
export interface SetOptionsMessage {
  type: 'setOptions';
  seq: number;
  patch: OptionsPatch;
}
/** panel → host: export the current result. The host builds the text and writes the file; the
 *  webview never touches files or the clipboard itself. */
export interface ExportMessage {
  type: 'export';
  format: 'markdown' | 'csv' | 'json';
}
/** webview → host: open the worker's output channel. */
export interface ShowLogMessage {
  type: 'showLog';
}
/** sidebar → host: open the analysis panel for an entry (by its id). */
export interface OpenEntryMessage {
  type: 'openEntry';
  id: string;
}
/** sidebar → host: read the GPUs again now. */
export interface RefreshMessage {
  type: 'refresh';
}

export type PanelToHostMessage = ReadyMessage | SetOptionsMessage | ExportMessage | ShowLogMessage | MeasureRequestMessage;
export type SidebarToHostMessage = ReadyMessage | ShowLogMessage | OpenEntryMessage | RefreshMessage;
export type WebviewToHostMessage = PanelToHostMessage | SidebarToHostMessage;

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

/** Webview → host messages are tiny; anything bigger is a bug or an attack. */
export const MAX_WEBVIEW_MESSAGE_CHARS = 16 * 1024;
export const MAX_ID_CHARS = 4096;
/** Bounds of what the controls may ask for (the estimator clamps nothing silently). */
export const OPTION_BOUNDS = {
  batch: { min: 1, max: 4096 },
  imgsz: { min: 32, max: 8192 },
  gpus: { min: 1, max: 64 },
  margin: { min: 0, max: 0.9 },
  objectsPerImage: { min: 0, max: 10000 },
  pruneRatio: { min: 0, max: 0.9 },
  /** 1 MiB .. 16 TiB */
  gpuTotalBytes: { min: 1 << 20, max: 16 * 1024 ** 4 },
} as const;
/** Host → webview: a 20,000-layer model is far beyond any YOLO; refuse more rather than hang. */
export const MAX_LAYERS = 20000;
export const MAX_SIDEBAR_ENTRIES = 2000;

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

/** Either the typed message or the reason it was refused (for the log). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;

class Invalid extends Error {}

function fail(msg: string): never {
  throw new Invalid(msg);
}
function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function obj(v: unknown, at: string): Obj {
  if (!isObj(v)) fail(`${at}: expected an object`);
  return v;
}
function str(v: unknown, at: string, max = MAX_ID_CHARS): string {
  if (typeof v !== 'string') fail(`${at}: expected a string`);
  if (v.length > max) fail(`${at}: longer than ${max} characters`);
  return v;
}
function num(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at}: expected a finite number`);
  return v;
}
function int(v: unknown, at: string, min: number, max: number): number {
  const n = num(v, at);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${at}: expected an integer in [${min}, ${max}]`);
  return n;
}
function ranged(v: unknown, at: string, min: number, max: number): number {
  const n = num(v, at);
  if (n < min || n > max) fail(`${at}: expected a number in [${min}, ${max}]`);
  return n;
}
function bool(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') fail(`${at}: expected true or false`);
  return v;
}
function oneOf<T extends string>(v: unknown, at: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(`${at}: expected one of ${allowed.join(', ')}`);
  return v as T;
}
function nullable<T>(v: unknown, f: (v: unknown) => T): T | null {
  return v === null ? null : f(v);
}
function optional<T>(o: Obj, key: string, f: (v: unknown, at: string) => T): T | undefined {
  return o[key] === undefined ? undefined : f(o[key], key);
}
function arr(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) fail(`${at}: expected an array`);
  if (v.length > max) fail(`${at}: more than ${max} items`);
  return v;
}
function noExtraKeys(o: Obj, at: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${at}: unknown field "${k}"`);
}
function run<T>(f: () => T): Parsed<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}
/** Size check without serialising a huge object: count characters of strings and keys, bail early. */
function tooBig(v: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (typeof x === 'string') left -= x.length + 2;
    else if (Array.isArray(x)) {
      left -= 2 + x.length;
      for (const y of x) stack.push(y);
    } else if (isObj(x)) {
      for (const [k, y] of Object.entries(x)) {
        left -= k.length + 4;
        stack.push(y);
      }
    } else left -= 8;
    if (left < 0) return true;
  }
  return false;
}

const OPTIMIZERS = ['auto', 'sgd', 'adam', 'adamw'] as const;
const PRECISIONS = ['fp32', 'fp16', 'int8'] as const;
const PATCH_KEYS = ['batch', 'imgsz', 'amp', 'optimizer', 'gpuTotalBytes', 'gpus', 'margin', 'objectsPerImage', 'pruneRatio', 'deployPrecision'] as const;

export function validateOptionsPatch(v: unknown, at = 'patch'): OptionsPatch {
  const o = obj(v, at);
  noExtraKeys(o, at, PATCH_KEYS);
  const B = OPTION_BOUNDS;
  const p: OptionsPatch = {};
  const batch = optional(o, 'batch', (x, k) => int(x, `${at}.${k}`, B.batch.min, B.batch.max));
  if (batch !== undefined) p.batch = batch;
  const imgsz = optional(o, 'imgsz', (x, k) => int(x, `${at}.${k}`, B.imgsz.min, B.imgsz.max));
  if (imgsz !== undefined) p.imgsz = imgsz;
  const amp = optional(o, 'amp', (x, k) => bool(x, `${at}.${k}`));
  if (amp !== undefined) p.amp = amp;
  const optimizer = optional(o, 'optimizer', (x, k) => oneOf(x, `${at}.${k}`, OPTIMIZERS));
  if (optimizer !== undefined) p.optimizer = optimizer;
  if ('gpuTotalBytes' in o && o.gpuTotalBytes !== undefined) {
    p.gpuTotalBytes = nullable(o.gpuTotalBytes, (x) => int(x, `${at}.gpuTotalBytes`, B.gpuTotalBytes.min, B.gpuTotalBytes.max));
  }
  const gpus = optional(o, 'gpus', (x, k) => int(x, `${at}.${k}`, B.gpus.min, B.gpus.max));
  if (gpus !== undefined) p.gpus = gpus;
  const margin = optional(o, 'margin', (x, k) => ranged(x, `${at}.${k}`, B.margin.min, B.margin.max));
  if (margin !== undefined) p.margin = margin;
  if ('objectsPerImage' in o && o.objectsPerImage !== undefined) {
    p.objectsPerImage = nullable(o.objectsPerImage, (x) => int(x, `${at}.objectsPerImage`, B.objectsPerImage.min, B.objectsPerImage.max));
  }
  const prune = optional(o, 'pruneRatio', (x, k) => ranged(x, `${at}.${k}`, B.pruneRatio.min, B.pruneRatio.max));
  if (prune !== undefined) p.pruneRatio = prune;
  const dp = optional(o, 'deployPrecision', (x, k) => oneOf(x, `${at}.${k}`, PRECISIONS));
  if (dp !== undefined) p.deployPrecision = dp;
  return p;
}

/** Validate a message a webview sent. `from` limits which types that webview may send. */
export function parseWebviewMessage(v: unknown, from: 'panel'): Parsed<PanelToHostMessage>;
export function parseWebviewMessage(v: unknown, from: 'sidebar'): Parsed<SidebarToHostMessage>;
export function parseWebviewMessage(v: unknown, from: 'panel' | 'sidebar'): Parsed<WebviewToHostMessage> {
  return run((): WebviewToHostMessage => {
    const o = obj(v, 'message');
    if (tooBig(o, MAX_WEBVIEW_MESSAGE_CHARS)) fail(`message: larger than ${MAX_WEBVIEW_MESSAGE_CHARS} characters`);
    const type = str(o.type, 'message.type', 64);
    const allowed: readonly string[] = from === 'panel' ? ['ready', 'setOptions', 'export', 'showLog', 'measure'] : ['ready', 'showLog', 'openEntry', 'refresh'];
    if (!allowed.includes(type)) fail(`message.type: "${type}" is not a ${from} message`);
    switch (type) {
      case 'ready':
      case 'showLog':
      case 'refresh':
      case 'measure':
        noExtraKeys(o, type, ['type']);
        return { type } as ReadyMessage | ShowLogMessage | RefreshMessage | MeasureRequestMessage;
      case 'setOptions':
        noExtraKeys(o, type, ['type', 'seq', 'patch']);
        return { type, seq: int(o.seq, 'setOptions.seq', 1, Number.MAX_SAFE_INTEGER), patch: validateOptionsPatch(o.patch) };
      case 'export':
        noExtraKeys(o, type, ['type', 'format']);
        return { type, format: oneOf(o.format, 'export.format', ['markdown', 'csv', 'json'] as const) };
      case 'openEntry':
        noExtraKeys(o, type, ['type', 'id']);
        return { type, id: str(o.id, 'openEntry.id') };
      default:
        return fail(`message.type: unknown "${type}"`);
    }
  });
}

// --- host → webview ---------------------------------------------------------------------------

const GROUPS = ['backbone', 'neck', 'head', 'loss', 'other'] as const;
const TASKS = ['detect', 'segment', 'pose', 'obb', 'classify'] as const;
const NAME = 1024;

export function validateGpu(v: unknown, at: string): GpuInfo {
  const o = obj(v, at);
  const g: GpuInfo = { name: str(o.name, `${at}.name`, NAME), totalBytes: num(o.totalBytes, `${at}.totalBytes`), source: str(o.source, `${at}.source`, 64) };
  if (o.index !== undefined) g.index = num(o.index, `${at}.index`);
  if (o.usedBytes !== undefined) g.usedBytes = num(o.usedBytes, `${at}.usedBytes`);
  if (o.freeBytes !== undefined) g.freeBytes = num(o.freeBytes, `${at}.freeBytes`);
  if (o.driverVersion !== undefined) g.driverVersion = str(o.driverVersion, `${at}.driverVersion`, 64);
  return g;
}

const BYTE_KEYS = ['weights', 'gradients', 'optimizerState', 'ema', 'activations', 'lossAndAssigner', 'workspace', 'allocatorOverhead', 'allocated', 'reserved', 'cudaContext', 'device'] as const;

/** Checks the parts of an AnalysisResult the views read. Returns the same object (not a copy):
 *  the views only read it. */
export function validateResult(v: unknown, at = 'result'): AnalysisResult {
  const o = obj(v, at);
  const m = obj(o.model, `${at}.model`);
  str(m.name, `${at}.model.name`, NAME);
  str(m.source, `${at}.model.source`, MAX_ID_CHARS);
  str(m.format, `${at}.model.format`, 32);
  nullable(m.task, (x) => oneOf(x, `${at}.model.task`, TASKS));
  for (const k of ['params', 'trainableParams', 'buffers', 'gflops', 'layers'] as const) num(m[k], `${at}.model.${k}`);
  arr(m.groups, `${at}.model.groups`, 16).forEach((g, i) => {
    const go = obj(g, `${at}.model.groups[${i}]`);
    oneOf(go.group, `${at}.model.groups[${i}].group`, GROUPS);
    for (const k of ['params', 'flops', 'activationBytes'] as const) num(go[k], `${at}.model.groups[${i}].${k}`);
  });
  arr(m.notes, `${at}.model.notes`, 1000).forEach((n, i) => str(n, `${at}.model.notes[${i}]`));
  nullable(o.gpu, (x) => validateGpu(x, `${at}.gpu`));
  const ests = arr(o.estimates, `${at}.estimates`, 1000);
  ests.forEach((e, i) => {
    const eo = obj(e, `${at}.estimates[${i}]`);
    for (const k of ['batch', 'batchPerGpu', 'imgsz'] as const) num(eo[k], `${at}.estimates[${i}].${k}`);
    bool(eo.amp, `${at}.estimates[${i}].amp`);
    str(eo.optimizer, `${at}.estimates[${i}].optimizer`, 32);
    const b = obj(eo.bytes, `${at}.estimates[${i}].bytes`);
    for (const k of BYTE_KEYS) num(b[k], `${at}.estimates[${i}].bytes.${k}`);
    nullable(eo.validationDevice, (x) => num(x, `${at}.estimates[${i}].validationDevice`));
    nullable(eo.fits, (x) => bool(x, `${at}.estimates[${i}].fits`));
    nullable(eo.limitedBy, (x) => str(x, `${at}.estimates[${i}].limitedBy`, 64));
    // the error band (issue #21): checked when present, so an older cached result still shows
    if (eo.verdict !== undefined) nullable(eo.verdict, (x) => oneOf(x, `${at}.estimates[${i}].verdict`, ESTIMATE_VERDICTS));
    if (eo.upper !== undefined) {
      const u = obj(eo.upper, `${at}.estimates[${i}].upper`);
      num(u.reserved, `${at}.estimates[${i}].upper.reserved`);
      num(u.device, `${at}.estimates[${i}].upper.device`);
    }
    if (eo.verdictReason !== undefined) nullable(eo.verdictReason, (x) => str(x, `${at}.estimates[${i}].verdictReason`, 1024));
  });
  nullable(o.maxBatch, (x) => num(x, `${at}.maxBatch`));
  if (o.maxBatchTight !== undefined) nullable(o.maxBatchTight, (x) => num(x, `${at}.maxBatchTight`));
  if (o.schemaVersion !== undefined) num(o.schemaVersion, `${at}.schemaVersion`);
  if (o.errorBand !== undefined) {
    const eb = obj(o.errorBand, `${at}.errorBand`);
    oneOf(eb.knowledge, `${at}.errorBand.knowledge`, ['dataset', 'dense', 'assumed'] as const);
    for (const k of ['factor', 'coverage', 'runs'] as const) num(eb[k], `${at}.errorBand.${k}`);
    str(eb.note, `${at}.errorBand.note`, 1024);
  }
  num(o.margin, `${at}.margin`);
  const checkRow = (where: string) => (l: unknown, i: number) => {
    const p = `${at}.${where}[${i}]`;
    const lo = obj(l, p);
    num(lo.index, `${p}.index`);
    str(lo.name, `${p}.name`, NAME);
    str(lo.type, `${p}.type`, 128);
    str(lo.source, `${p}.source`, NAME);
    nullable(lo.module, (x) => num(x, `${p}.module`));
    str(lo.moduleType, `${p}.moduleType`, 128);
    str(lo.modulePath, `${p}.modulePath`, NAME);
    oneOf(lo.group, `${p}.group`, GROUPS);
    arr(lo.outputShape, `${p}.outputShape`, 16).forEach((d, j) => num(d, `${p}.outputShape[${j}]`));
    for (const k of ['params', 'flops', 'outputBytes', 'activationBytes'] as const) num(lo[k], `${p}.${k}`);
    if (lo.inferenceOnly !== undefined) bool(lo.inferenceOnly, `${p}.inferenceOnly`);
    if (lo.unsupported !== undefined) str(lo.unsupported, `${p}.unsupported`);
  };
  arr(o.layers, `${at}.layers`, MAX_LAYERS).forEach(checkRow('layers'));
  arr(o.lossLayers, `${at}.lossLayers`, MAX_LAYERS).forEach(checkRow('lossLayers'));
  if (o.partial !== undefined) bool(o.partial, `${at}.partial`);
  arr(o.curve, `${at}.curve`, 100000).forEach((c, i) => {
    const co = obj(c, `${at}.curve[${i}]`);
    for (const k of ['batch', 'allocated', 'reserved', 'device'] as const) num(co[k], `${at}.curve[${i}].${k}`);
    nullable(co.fits, (x) => bool(x, `${at}.curve[${i}].fits`));
    if (co.upperDevice !== undefined) num(co.upperDevice, `${at}.curve[${i}].upperDevice`);
    if (co.verdict !== undefined) nullable(co.verdict, (x) => oneOf(x, `${at}.curve[${i}].verdict`, ESTIMATE_VERDICTS));
  });
  arr(o.timeline, `${at}.timeline`, 4 * MAX_LAYERS + 1000).forEach((t, i) => {
    const to = obj(t, `${at}.timeline[${i}]`);
    str(to.phase, `${at}.timeline[${i}].phase`, 32);
    str(to.label, `${at}.timeline[${i}].label`, NAME);
    nullable(to.layer, (x) => num(x, `${at}.timeline[${i}].layer`));
    num(to.liveBytes, `${at}.timeline[${i}].liveBytes`);
  });
  arr(o.assumptions, `${at}.assumptions`, 1000).forEach((a, i) => str(a, `${at}.assumptions[${i}]`));
  if (o.deployment !== undefined) {
    const d = obj(o.deployment, `${at}.deployment`);
    num(d.fusedParams, `${at}.deployment.fusedParams`);
    num(d.inferenceActivationBytes, `${at}.deployment.inferenceActivationBytes`);
    const w = obj(d.weightBytes, `${at}.deployment.weightBytes`);
    for (const k of ['fp32', 'fp16', 'int8']) num(w[k], `${at}.deployment.weightBytes.${k}`);
  }
  if (o.dataset !== undefined) {
    nullable(o.dataset, (x) => {
      const d = obj(x, `${at}.dataset`);
      str(d.source, `${at}.dataset.source`, 4096);
      nullable(d.images, (n) => num(n, `${at}.dataset.images`));
      nullable(d.assignerObjects, (n) => num(n, `${at}.dataset.assignerObjects`));
      str(d.explanation, `${at}.dataset.explanation`, 8192);
      nullable(d.sampled, (t) => str(t, `${at}.dataset.sampled`));
      arr(d.notes, `${at}.dataset.notes`, 1000).forEach((n, i) => str(n, `${at}.dataset.notes[${i}]`, 8192));
      return d;
    });
  }
  return o as unknown as AnalysisResult;
}

const CACHES = ['ram', 'disk'] as const;

/** Copies only the known AnalyzeOptions fields, each checked, so nothing unexpected rides along.
 *  `withDataset`: the host's own state may name a dataset (the folder it resolves against, and the
 *  loader's workers and cache); a state the webview hands back (persisted, read after a reload) may
 *  not, so a webview can never point the estimator at a folder to scan. */
function validateOptions(v: unknown, at: string, withDataset: boolean): AnalyzeOptions {
  const o = obj(v, at);
  const out: AnalyzeOptions = { model: str(o.model, `${at}.model`) };
  if (o.batch !== undefined) out.batch = arr(o.batch, `${at}.batch`, 1000).map((b, i) => num(b, `${at}.batch[${i}]`));
  for (const k of ['imgsz', 'gpus', 'margin', 'objectsPerImage', 'datasetImages', 'epochs', 'pruneRatio', 'curveMax'] as const) {
    if (o[k] !== undefined) out[k] = num(o[k], `${at}.${k}`);
  }
  if (o.amp !== undefined) out.amp = bool(o.amp, `${at}.amp`);
  if (o.optimizer !== undefined) out.optimizer = oneOf(o.optimizer, `${at}.optimizer`, OPTIMIZERS);
  if (o.deployPrecision !== undefined) out.deployPrecision = oneOf(o.deployPrecision, `${at}.deployPrecision`, PRECISIONS);
  if (o.gpu !== undefined) out.gpu = nullable(o.gpu, (x) => validateGpu(x, `${at}.gpu`));
  if (withDataset) {
    if (o.data !== undefined) out.data = str(o.data, `${at}.data`);
    if (o.cwd !== undefined) out.cwd = str(o.cwd, `${at}.cwd`);
    // Only meaningful with the dataset (host RAM of its loader), so they go with it.
    if (o.workers !== undefined) out.workers = int(o.workers, `${at}.workers`, 0, 1024);
    if (o.cache !== undefined) out.cache = o.cache === false ? false : oneOf(o.cache, `${at}.cache`, CACHES);
  }
  return out;
}

function validatePanelState(v: unknown): PanelState {
  const o = obj(v, 'state');
  const err = nullable(o.error, (x) => {
    const e = obj(x, 'state.error');
    return { message: str(e.message, 'state.error.message', 8192), hasLog: bool(e.hasLog, 'state.error.hasLog') };
  });
  const state: PanelState = {
    options: validateOptions(o.options, 'state.options', true),
    result: nullable(o.result, (x) => validateResult(x, 'state.result')),
    resultSeq: int(o.resultSeq, 'state.resultSeq', 0, Number.MAX_SAFE_INTEGER),
    busy: bool(o.busy, 'state.busy'),
    error: err,
  };
  if (o.gpuNow !== undefined) state.gpuNow = nullable(o.gpuNow, (x) => validateGpu(x, 'state.gpuNow'));
  return state;
}

const VERDICTS = ['fits', 'tight', 'oom', 'unknown', 'pending', 'error'] as const;
const ESTIMATE_VERDICTS = ['fits', 'tight', 'does-not-fit'] as const;
const KINDS = ['model', 'script', 'yaml', 'builtin'] as const;

function validateEntry(v: unknown, at: string): SidebarEntry {
  const o = obj(v, at);
  const n = (k: string) => nullable(o[k], (x) => num(x, `${at}.${k}`));
  const e: SidebarEntry = {
    id: str(o.id, `${at}.id`),
    label: str(o.label, `${at}.label`, NAME),
    detail: str(o.detail, `${at}.detail`),
    kind: oneOf(o.kind, `${at}.kind`, KINDS),
    model: str(o.model, `${at}.model`),
    batch: n('batch'),
    imgsz: n('imgsz'),
    verdict: oneOf(o.verdict, `${at}.verdict`, VERDICTS),
    deviceBytes: n('deviceBytes'),
    vramBytes: n('vramBytes'),
    maxBatch: n('maxBatch'),
  };
  if (o.usableBytes !== undefined) e.usableBytes = n('usableBytes');
  if (o.message !== undefined) e.message = str(o.message, `${at}.message`, 8192);
  return e;
}

export function validateSidebarState(v: unknown): SidebarState {
  const o = obj(v, 'state');
  return {
    gpus: arr(o.gpus, 'state.gpus', 64).map((g, i) => validateGpu(g, `state.gpus[${i}]`)),
    gpuMessage: nullable(o.gpuMessage, (x) => str(x, 'state.gpuMessage', 8192)),
    active: nullable(o.active, (x) => validateEntry(x, 'state.active')),
    workspace: arr(o.workspace, 'state.workspace', MAX_SIDEBAR_ENTRIES).map((e, i) => validateEntry(e, `state.workspace[${i}]`)),
    updatedAt: num(o.updatedAt, 'state.updatedAt'),
  };
}

/** Validate a message the host sent to the panel. */
export function parseHostToPanel(v: unknown): Parsed<HostToPanelMessage> {
  return run((): HostToPanelMessage => {
    const o = obj(v, 'message');
    const type = str(o.type, 'message.type', 64);
    switch (type) {
      case 'panelState':
        return { type, state: validatePanelState(o.state) };
      case 'notice':
        return { type, level: oneOf(o.level, 'notice.level', ['info', 'error'] as const), text: str(o.text, 'notice.text', 8192) };
      case 'gpuNow':
        return { type, gpu: nullable(o.gpu, (x) => validateGpu(x, 'gpuNow.gpu')) };
      case 'measured':
        try {
          return { type, view: o.view === null ? null : validateMeasuredView(o.view) };
        } catch (e) {
          return fail((e as Error).message);
        }
      default:
        return fail(`message.type: "${type}" is not a panel message`);
    }
  });
}

/** Validate a message the host sent to the sidebar. */
export function parseHostToSidebar(v: unknown): Parsed<HostToSidebarMessage> {
  return run((): HostToSidebarMessage => {
    const o = obj(v, 'message');
    const type = str(o.type, 'message.type', 64);
    if (type !== 'sidebarState') fail(`message.type: "${type}" is not a sidebar message`);
    return { type, state: validateSidebarState(o.state) };
  });
}

/** The panel's persisted webview state (vscode.setState), read back by the serializer after a
 *  reload. Untrusted like any message: only the options survive validation. */
export interface PersistedPanelState {
  options: AnalyzeOptions;
}

export function parsePersistedPanelState(v: unknown): Parsed<PersistedPanelState> {
  return run(() => {
    const o = obj(v, 'state');
    return { options: validateOptions(o.options, 'state.options', false) };
  });
}
