// The worker's request handlers, as plain async functions over injected core entry points, so
// they can be tested in-process and the entry file (worker.ts) only wires them to the connection.

import type { AnalyzeOptions } from '../core/options';
import type { ModelSource } from '../core/model-source';
import type { AnalysisResult } from '../core/result';
import {
  WorkerError,
  type AnalyzeParams,
  type AnalyzeReply,
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
}

export interface Handlers {
  analyze(params: AnalyzeParams, signal: AbortSignal): Promise<AnalyzeReply>;
  extractScript(params: ExtractScriptParams, signal: AbortSignal): Promise<ExtractScriptReply>;
  queryGpus(params: QueryGpusParams, signal: AbortSignal): Promise<QueryGpusReply>;
  ping(): PingReply;
  cache: LruCache<AnalysisResult>;
}

export const RESULT_CACHE_ENTRIES = 32;
/** Opened models hold their decoded graph structure (no weight bytes): a few MiB at most each. */
export const SOURCE_CACHE_ENTRIES = 8;

export function createHandlers(core: CoreApi, cacheEntries = RESULT_CACHE_ENTRIES): Handlers {
  const cache = new LruCache<AnalysisResult>(cacheEntries);
  // Same model content, other options (batch, imgsz, GPU): reuse the opened model, skip the parse.
  const sources = new LruCache<ModelSource>(SOURCE_CACHE_ENTRIES);

  async function analyze(params: AnalyzeParams, signal: AbortSignal): Promise<AnalyzeReply> {
    const t0 = performance.now();
    const options = checkOptions(params?.options);
    const mk = await guard(() => modelKey(options.model, signal), options.model, signal);
    const key = `${mk.key}|${stableJson(options)}`;
    const hit = cache.get(key);
    if (hit) return { result: hit, cached: true, elapsedMs: performance.now() - t0 };
    const file = mk.file ?? options.model;
    let source = sources.get(`${mk.key}|${options.model}`);
    if (!source && core.openModel) {
      const opened = await guard(() => core.openModel!(options.model), file, signal);
      sources.set(`${mk.key}|${options.model}`, opened);
      source = opened;
    }
    const result = await guard(() => core.analyze(options, { signal, source }), file, signal);
    throwIfAborted(signal);
    cache.set(key, result);
    return { result, cached: false, elapsedMs: performance.now() - t0 };
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

  return { analyze, extractScript, queryGpus, ping, cache };
}

function checkOptions(options: AnalyzeOptions | undefined): AnalyzeOptions {
  if (!options || typeof options !== 'object') throw new WorkerError('input', 'analyze needs an options object');
  if (typeof options.model !== 'string' || options.model.trim() === '') throw new WorkerError('input', 'analyze needs options.model: a .onnx/.yaml path or a built-in model name');
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
