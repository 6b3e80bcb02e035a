// The worker's request handlers, as plain async functions over injected core entry points, so
// they can be tested in-process and the entry file (worker.ts) only wires them to the connection.

import type { AnalyzeOptions } from '../core/options';
import type { ModelSource } from '../core/model-source';
import type { AnalysisResult } from '../core/result';
import { datasetYamlPath } from '../core/dataset/paths';
import { stillFresh } from '../core/free-ram-freshness';
import {
  WorkerError,
  type AnalyzeParams,
  type AnalyzeReply,
  type DatasetFilesParams,
  type DatasetFilesReply,
  type InvalidateDatasetParams,
  type InvalidateDatasetReply,
  type ExtractScriptParams,
  type ExtractScriptReply,
  type PingReply,
  type QueryGpusParams,
  type QueryGpusReply,
} from '../protocol/worker';
import { LruCache } from './cache';
import { modelKey, stableJson } from './model-key';

export interface CoreApi {
  analyze(options: AnalyzeOptions, ctx: { signal?: AbortSignal; source?: ModelSource }): Promise<AnalysisResult>;
  /** Opens a model once; building graphs at other batch/imgsz from it is cheap (optional: tests). */
  openModel?(spec: string): Promise<ModelSource>;
  extractScript(params: ExtractScriptParams): Promise<ExtractScriptReply> | ExtractScriptReply;
  queryGpus(params: QueryGpusParams, signal: AbortSignal): Promise<QueryGpusReply>;
  /** Where a dataset's files are, for the host's file watchers. */
  datasetFiles(params: DatasetFilesParams, signal: AbortSignal): Promise<DatasetFilesReply>;
  /** Drop the cached scans of a dataset YAML; returns how many. */
  forgetDatasetScans(yamlPath: string): number;
}

export interface Handlers {
  analyze(params: AnalyzeParams, signal: AbortSignal): Promise<AnalyzeReply>;
  extractScript(params: ExtractScriptParams, signal: AbortSignal): Promise<ExtractScriptReply>;
  queryGpus(params: QueryGpusParams, signal: AbortSignal): Promise<QueryGpusReply>;
  datasetFiles(params: DatasetFilesParams, signal: AbortSignal): Promise<DatasetFilesReply>;
  invalidateDataset(params: InvalidateDatasetParams): InvalidateDatasetReply;
  ping(): PingReply;
  cache: LruCache<CachedResult>;
}

export interface CachedResult {
  result: AnalysisResult;
  /** The dataset YAML the result read (options.data, resolved), so its edits can drop it. */
  dataset: string | null;
}

export const RESULT_CACHE_ENTRIES = 32;
/** Opened models hold their decoded graph structure (no weight bytes): a few MiB at most each. */
export const SOURCE_CACHE_ENTRIES = 8;

export function createHandlers(core: CoreApi, cacheEntries = RESULT_CACHE_ENTRIES, now: () => number = Date.now): Handlers {
  const cache = new LruCache<CachedResult>(cacheEntries);
  // Same model content, other options (batch, imgsz, GPU): reuse the opened model, skip the parse.
  const sources = new LruCache<ModelSource>(SOURCE_CACHE_ENTRIES);
  // Per dataset YAML, bumped by invalidateDataset and part of the cache key: an analysis that was
  // already running when its dataset changed stores its result under the old revision, where no
  // later request looks.
  const datasetRevs = new Map<string, number>();

  async function analyze(params: AnalyzeParams, signal: AbortSignal): Promise<AnalyzeReply> {
    const t0 = performance.now();
    const options = checkOptions(params?.options);
    const mk = await guard(() => modelKey(options.model, signal), options.model, signal);
    const dataset = options.data ? datasetYamlPath(options.data, options.cwd) : null;
    const key = `${mk.key}|${dataset ? `${dataset}#${datasetRevs.get(dataset) ?? 0}` : ''}|${stableJson(options)}`;
    const hit = cache.get(key);
    if (hit && stillFresh(hit.result, now())) return { result: hit.result, cached: true, elapsedMs: performance.now() - t0 };
    const file = mk.file ?? options.model;
    let source = sources.get(`${mk.key}|${options.model}`);
    if (!source && core.openModel) {
      const opened = await guard(() => core.openModel!(options.model), file, signal);
      sources.set(`${mk.key}|${options.model}`, opened);
      source = opened;
    }
    const result = await guard(() => core.analyze(options, { signal, source }), file, signal);
    throwIfAborted(signal);
    cache.set(key, { result, dataset });
    return { result, cached: false, elapsedMs: performance.now() - t0 };
  }

  async function datasetFiles(params: DatasetFilesParams, signal: AbortSignal): Promise<DatasetFilesReply> {
    if (typeof params?.data !== 'string' || params.data.trim() === '') throw new WorkerError('input', 'datasetFiles needs { data } (a dataset YAML path)');
    return guard(() => core.datasetFiles(params, signal), params.data, signal);
  }

  function invalidateDataset(params: InvalidateDatasetParams): InvalidateDatasetReply {
    const yamlPath = params?.yamlPath;
    if (typeof yamlPath !== 'string' || yamlPath === '') throw new WorkerError('input', 'invalidateDataset needs { yamlPath }');
    datasetRevs.set(yamlPath, (datasetRevs.get(yamlPath) ?? 0) + 1);
    let results = 0;
    for (const k of cache.keys()) {
      if (cache.peek(k)?.dataset === yamlPath && cache.delete(k)) results++;
    }
    return { results, scans: core.forgetDatasetScans(yamlPath) };
  }

  async function extractScript(params: ExtractScriptParams, signal: AbortSignal): Promise<ExtractScriptReply> {
    if (typeof params?.text !== 'string' || typeof params.fileName !== 'string') {
      throw new WorkerError('input', 'extractScript needs { text, fileName } strings');
    }
    return guard(async () => core.extractScript(params), params.fileName, signal);
  }

  async function queryGpus(params: QueryGpusParams, signal: AbortSignal): Promise<QueryGpusReply> {
    return guard(() => core.queryGpus(params ?? {}, signal), params?.executable, signal);
  }

  function ping(): PingReply {
    return { pid: process.pid, cacheEntries: cache.size, cacheHits: cache.hits, cacheMisses: cache.misses };
  }

  return { analyze, extractScript, queryGpus, datasetFiles, invalidateDataset, ping, cache };
}

function checkOptions(options: AnalyzeOptions | undefined): AnalyzeOptions {
  if (!options || typeof options !== 'object') throw new WorkerError('input', 'analyze needs an options object');
  if (typeof options.model !== 'string' || options.model.trim() === '') throw new WorkerError('input', 'analyze needs options.model: a .onnx/.yaml/.pt path or a built-in model name');
  return options;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new WorkerError('cancelled', 'Estimate cancelled');
}

/** Run a core call and turn whatever it throws into a WorkerError with a one-line message.
 *  Programming errors (TypeError, RangeError, ReferenceError) are 'internal'; file-system errors
 *  and the core's own validation errors are 'input' — the user can act on them. */
async function guard<T>(fn: () => Promise<T>, file: string | undefined, signal: AbortSignal): Promise<T> {
  throwIfAborted(signal);
  try {
    return await fn();
  } catch (e) {
    if (e instanceof WorkerError) throw e;
    if (signal.aborted || (e as Error)?.name === 'AbortError') throw new WorkerError('cancelled', 'Estimate cancelled');
    throw toWorkerError(e, file);
  }
}

export function toWorkerError(e: unknown, file?: string): WorkerError {
  const err = e as NodeJS.ErrnoException;
  const message = err instanceof Error ? err.message : String(e);
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string') {
    const what = err.code === 'ENOENT' ? 'file not found' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a folder' : err.code;
    return new WorkerError('input', `${err.path ?? file ?? 'file'}: ${what}`, err.path ?? file);
  }
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError && !/JSON|YAML|yaml/.test(message)) {
    return new WorkerError('internal', `Estimator bug: ${message}`, file);
  }
  return new WorkerError('input', message, file);
}
