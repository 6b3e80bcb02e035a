// Every message between the extension host and the estimator worker, in one place.
//
// Transport: vscode-jsonrpc over the Node IPC channel of `child_process.fork` (the host forks
// `dist/worker.js`; in desktop VS Code with ELECTRON_RUN_AS_NODE=1, in code-server plain Node).
// The host sends requests; the worker only answers (it never calls the host), so every method
// below is "host → worker". Each request ends in exactly one of: a result, a WorkerError
// (one-line message, optional file), a timeout or a cancellation — the client enforces the last
// two on its side, so a worker that never answers cannot leave a request pending.
//
// This module is imported by both sides. It holds only types, method names and the error
// envelope: nothing here touches vscode, the file system or the core's implementation.

import type { AnalyzeOptions } from '../core/options';
import type { GpuDiscoveryResult } from '../core/gpu/discover';
import type { AnalysisResult } from '../core/result';
import type { ScriptScan } from '../core/scripts/types';

// ---------------------------------------------------------------------------------------------
// Requests

/** host → worker: run the estimator. The worker caches by model content hash + options (+ the
 *  revision of the dataset, bumped by invalidateDataset). */
export interface AnalyzeParams {
  options: AnalyzeOptions;
}
export interface AnalyzeReply {
  result: AnalysisResult;
  /** True when the result came from the worker's cache (no estimator work was done). */
  cached: boolean;
  /** Worker-side time spent on this request, in milliseconds. */
  elapsedMs: number;
}

/** host → worker: read the training settings (batch, imgsz, model, ...) out of a Python script,
 *  a shell command line or a YAML config. Parsing (tree-sitter) stays in the worker so the
 *  extension host is never blocked by it. */
export interface ExtractScriptParams {
  text: string;
  /** The document's language id ('python', 'yaml', 'shellscript') or, failing that, its file name. */
  languageId?: string;
  fileName: string;
}
/** The reply is src/core/scripts' scan (plain JSON; type-only import, so no parser code reaches
 *  the host bundle). */
export type ExtractScriptReply = ScriptScan;

/** host → worker: ask nvidia-smi (or the configured executable) for the GPUs. The executable comes
 *  from a machine-scoped setting only; the host never passes a workspace-provided path. */
export interface QueryGpusParams {
  /** Path of nvidia-smi; undefined = look it up on PATH. */
  executable?: string;
  timeoutMs?: number;
  /** CUDA index to pick (the GPU index setting); default: the one with the most free memory. */
  device?: number;
}
/** src/core/gpu's discovery: 'ok' with the GPUs and the chosen one, or a typed failure state
 *  ('not-found', 'driver-not-loaded', 'no-gpu', 'garbage', 'timeout', 'error') with a message. */
export type QueryGpusReply = GpuDiscoveryResult;

/** host → worker: which files a training run's dataset (`data=`, resolved against `cwd` as the
 *  estimator resolves it) is read from, for the host's file watchers. Read-only. */
export interface DatasetFilesParams {
  data: string;
  cwd?: string;
}
export interface DatasetFilesReply {
  /** Absolute path of the dataset YAML: the key the host invalidates by. */
  yamlPath: string;
  /** False when there is no such file (a built-in name like coco8.yaml, a typo): nothing to watch. */
  found: boolean;
  /** Folders to watch recursively with `glob` (images and labels). */
  folders: string[];
  /** Single files to watch (the YAML, `.txt` lists). */
  files: string[];
  glob: string;
  notes: string[];
}

/** host → worker: files of this dataset changed (the YAML, a label file edited in place): drop the
 *  cached scans and the cached results that read it, so the next estimate rescans. */
export interface InvalidateDatasetParams {
  yamlPath: string;
}
export interface InvalidateDatasetReply {
  /** Cached results and cached scans dropped. */
  results: number;
  scans: number;
}

/** host → worker: liveness probe. A worker whose event loop is stuck cannot answer it. */
export type PingParams = Record<string, never>;
export interface PingReply {
  pid: number;
  /** Entries in the worker's result cache. */
  cacheEntries: number;
  /** Analyses served from cache / computed since the worker started. */
  cacheHits: number;
  cacheMisses: number;
}

/** host → worker, TESTS ONLY: registered only when the worker runs with YOLO_MEM_WORKER_TEST=1.
 *  'sleep' waits `ms` (honouring cancellation), 'hang' blocks the event loop for good, 'crash'
 *  exits the process, 'crashOn' arms the worker to exit when it is asked to analyze `model`. */
export interface TestHookParams {
  action: 'sleep' | 'hang' | 'crash' | 'crashOn';
  ms?: number;
  model?: string;
}
export interface TestHookReply {
  done: true;
}

/** Method name → params and reply. Adding a method here makes the compiler point at the worker's
 *  handler table and the client's typed `request()`. */
export interface WorkerMethods {
  'yoloMemory/analyze': { params: AnalyzeParams; reply: AnalyzeReply };
  'yoloMemory/extractScript': { params: ExtractScriptParams; reply: ExtractScriptReply };
  'yoloMemory/queryGpus': { params: QueryGpusParams; reply: QueryGpusReply };
  'yoloMemory/ping': { params: PingParams; reply: PingReply };
  'yoloMemory/datasetFiles': { params: DatasetFilesParams; reply: DatasetFilesReply };
  'yoloMemory/invalidateDataset': { params: InvalidateDatasetParams; reply: InvalidateDatasetReply };
  'yoloMemory/testHook': { params: TestHookParams; reply: TestHookReply };
}
export type WorkerMethod = keyof WorkerMethods;

export const METHODS = {
  analyze: 'yoloMemory/analyze',
  extractScript: 'yoloMemory/extractScript',
  queryGpus: 'yoloMemory/queryGpus',
  ping: 'yoloMemory/ping',
  datasetFiles: 'yoloMemory/datasetFiles',
  invalidateDataset: 'yoloMemory/invalidateDataset',
  testHook: 'yoloMemory/testHook',
} as const satisfies Record<string, WorkerMethod>;

/** Env var that enables the test hook in the worker. Never set by the extension. */
export const WORKER_TEST_ENV = 'YOLO_MEM_WORKER_TEST';

// ---------------------------------------------------------------------------------------------
// Errors

/** Why a request failed. 'input': the model/options are bad (the user can fix them);
 *  'cancelled' / 'timeout': ended by the host; 'crashed': the worker process died;
 *  'hung': the worker stopped answering and was killed; 'quarantined': the file crashed or hung
 *  the worker before and is not retried automatically; 'disposed': the client was shut down;
 *  'internal': a bug in the estimator. */
export type WorkerErrorKind = 'input' | 'cancelled' | 'timeout' | 'crashed' | 'hung' | 'quarantined' | 'disposed' | 'internal';

/** JSON-RPC error codes the worker uses (application range, outside -32768..-32000). */
export const ERROR_CODES: Readonly<Record<WorkerErrorKind, number>> = {
  input: 1001,
  cancelled: 1002,
  timeout: 1003,
  crashed: 1004,
  hung: 1005,
  quarantined: 1006,
  disposed: 1007,
  internal: 1008,
};

/** The `data` of a JSON-RPC error sent by the worker. */
export interface WorkerErrorData {
  kind: WorkerErrorKind;
  file?: string;
}

/** The one error type callers of the client see. `message` is one line, fit to show the user. */
export class WorkerError extends Error {
  constructor(
    readonly kind: WorkerErrorKind,
    message: string,
    readonly file?: string,
  ) {
    super(oneLine(message));
    this.name = 'WorkerError';
  }
}

/** Collapse a message to its first line, so a stack trace or multi-line tool output never reaches
 *  a notification or hover. */
export function oneLine(message: string): string {
  const first = message.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return first.trim().slice(0, 500);
}

export function isWorkerErrorData(data: unknown): data is WorkerErrorData {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as WorkerErrorData).kind === 'string' &&
    (data as WorkerErrorData).kind in ERROR_CODES
  );
}
