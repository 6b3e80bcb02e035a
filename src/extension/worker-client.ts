// The extension host's side of the estimator worker: one lazily started child process, typed
// requests with timeouts and cancellation, crash/hang recovery with a bounded restart budget, and
// a quarantine for model files that took the worker down (so a bad file is not retried in a loop).
//
// Free of `vscode` imports on purpose: the logger and cancellation token are structural, so the
// tests drive this class against the real built worker in plain Node.

import { fork, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CancellationTokenSource,
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  ResponseError,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { AnalyzeOptions } from '../core/options';
import {
  METHODS,
  WorkerError,
  isWorkerErrorData,
  type AnalyzeReply,
  type DatasetFilesParams,
  type DatasetFilesReply,
  type ExtractScriptParams,
  type ExtractScriptReply,
  type InvalidateDatasetParams,
  type InvalidateDatasetReply,
  type PingReply,
  type QueryGpusParams,
  type QueryGpusReply,
  type WorkerMethod,
  type WorkerMethods,
} from '../protocol/worker';

/** What VS Code's LogOutputChannel offers; tests pass a plain object. */
export interface WorkerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

/** Structurally a vscode.CancellationToken (and a vscode-jsonrpc one). */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export interface RequestOptions {
  token?: CancellationLike;
  /** Overrides the per-method default timeout. */
  timeoutMs?: number;
}

export interface AnalyzeRequestOptions extends RequestOptions {
  /** Analyze even a quarantined file (an explicit user command), lifting the quarantine. */
  force?: boolean;
}

export interface WorkerClientOptions {
  /** Path of the built worker bundle (dist/worker.js). */
  workerPath: string;
  logger: WorkerLogger;
  /** Runtime that runs the worker: process.execPath (Electron needs ELECTRON_RUN_AS_NODE=1, set here). */
  execPath?: string;
  /** Extra environment for the worker. */
  env?: Record<string, string>;
  /** Per-method default timeouts in ms. */
  timeouts?: Partial<Record<WorkerMethod, number>>;
  /** Unexpected exits allowed within `restartWindowMs` before the client stops restarting. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** After a timeout, how long the worker has to answer a ping before it is judged hung and killed. */
  hangProbeMs?: number;
  /** Called once when the restart budget is spent (the extension shows a notification with "Show Log"). */
  onGiveUp?: (message: string) => void;
}

export const DEFAULT_TIMEOUTS: Readonly<Record<WorkerMethod, number>> = {
  // The core analyses a yolov8x ONNX in a few seconds; a minute means something is wrong.
  'yoloMemory/analyze': 60_000,
  'yoloMemory/extractScript': 10_000,
  // nvidia-smi has its own timeout inside the worker; this is the backstop.
  'yoloMemory/queryGpus': 15_000,
  'yoloMemory/ping': 5_000,
  // Reads the dataset YAML and, for `.txt` lists, lists them for at most 2 s.
  'yoloMemory/datasetFiles': 15_000,
  'yoloMemory/invalidateDataset': 5_000,
  'yoloMemory/testHook': 60_000,
};

export type WorkerState = 'idle' | 'running' | 'failed' | 'disposed';

interface Pending {
  method: WorkerMethod;
  /** Model spec of an analyze request, for quarantine after a crash. */
  model?: string;
  /** The model file's size and mtime when the request was sent: what the worker was given. */
  snapshot?: FileSnapshot;
  settled: boolean;
  reject(e: WorkerError): void;
  cleanup(): void;
}

interface FileSnapshot {
  size: number;
  mtimeMs: number;
}

interface Quarantined {
  reason: 'crashed' | 'hung';
  /** Absent for built-in names (and files that could not be stat'ed): only `force` lifts those. */
  snapshot?: FileSnapshot;
}

export class WorkerClient {
  private child: ChildProcess | undefined;
  private connection: MessageConnection | undefined;
  private readonly pending = new Set<Pending>();
  private readonly exits: number[] = [];
  private readonly quarantine = new Map<string, Quarantined>();
  private readonly stateListeners = new Set<(s: WorkerState) => void>();
  private killedForHang: ChildProcess | undefined;
  private gaveUp = false;
  private disposed = false;
  private startCount = 0;
  private readonly timeouts: Record<WorkerMethod, number>;

  constructor(private readonly opts: WorkerClientOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  }

  // ------------------------------------------------------------------------------------------
  // Public API

  analyze(options: AnalyzeOptions, o: AnalyzeRequestOptions = {}): Promise<AnalyzeReply> {
    return this.analyzeChecked(options, o);
  }

  extractScript(params: ExtractScriptParams, o: RequestOptions = {}): Promise<ExtractScriptReply> {
    return this.request(METHODS.extractScript, params, o);
  }

  queryGpus(params: QueryGpusParams = {}, o: RequestOptions = {}): Promise<QueryGpusReply> {
    return this.request(METHODS.queryGpus, params, o);
  }

  /** Where a dataset's files are, for the file watchers. */
  datasetFiles(params: DatasetFilesParams, o: RequestOptions = {}): Promise<DatasetFilesReply> {
    return this.request(METHODS.datasetFiles, params, o);
  }

  /** A dataset changed on disk: the worker drops its cached scans and results. Without a running
   *  worker there is nothing cached, so none is started for it. */
  async invalidateDataset(params: InvalidateDatasetParams, o: RequestOptions = {}): Promise<InvalidateDatasetReply> {
    if (!this.child) return { results: 0, scans: 0 };
    return this.request(METHODS.invalidateDataset, params, o);
  }

  ping(o: RequestOptions = {}): Promise<PingReply> {
    return this.request(METHODS.ping, {}, o);
  }

  /** Typed request for any protocol method (the test hook goes through here). */
  request<M extends WorkerMethod>(method: M, params: WorkerMethods[M]['params'], o: RequestOptions = {}): Promise<WorkerMethods[M]['reply']> {
    return this.send(method, params, o, undefined, undefined);
  }

  get state(): WorkerState {
    if (this.disposed) return 'disposed';
    if (this.child) return 'running';
    return this.budgetSpent() ? 'failed' : 'idle';
  }

  /** Process id of the running worker, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times a worker process was started. */
  get starts(): number {
    return this.startCount;
  }

  onDidChangeState(listener: (s: WorkerState) => void): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  isQuarantined(model: string): boolean {
    return this.quarantine.has(quarantineKey(model));
  }

  /** Forget the crash history: allows restarts again (used by explicit user commands). */
  resetRestartBudget(): void {
    this.exits.length = 0;
    this.gaveUp = false;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rejectAll(new WorkerError('disposed', 'The estimator was shut down'));
    this.stop();
    this.emitState();
    this.stateListeners.clear();
  }

  // ------------------------------------------------------------------------------------------
  // Requests

  private async analyzeChecked(options: AnalyzeOptions, o: AnalyzeRequestOptions): Promise<AnalyzeReply> {
    const model = options?.model;
    let snapshot: FileSnapshot | undefined;
    if (typeof model === 'string') {
      const key = quarantineKey(model);
      snapshot = isPathSpec(model) ? await snap(key) : undefined;
      const q = this.quarantine.get(key);
      if (q) {
        if (o.force || changed(q.snapshot, snapshot)) {
          this.quarantine.delete(key);
          this.opts.logger.info(`retrying ${model} (${o.force ? 'requested explicitly' : 'the file changed'})`);
        } else {
          throw new WorkerError(
            'quarantined',
            `${model} ${q.reason === 'hung' ? 'hung' : 'crashed'} the estimator earlier; not retrying until the file changes or you run "Analyze Model Memory"`,
            model,
          );
        }
      }
      if (o.force) this.resetRestartBudget();
    }
    return this.send(METHODS.analyze, { options }, o, model, snapshot);
  }

  private send<M extends WorkerMethod>(
    method: M,
    params: WorkerMethods[M]['params'],
    o: RequestOptions,
    model: string | undefined,
    snapshot: FileSnapshot | undefined,
  ): Promise<WorkerMethods[M]['reply']> {
    if (this.disposed) return Promise.reject(new WorkerError('disposed', 'The estimator was shut down'));
    if (o.token?.isCancellationRequested) return Promise.reject(new WorkerError('cancelled', 'Cancelled'));
    let connection: MessageConnection;
    try {
      connection = this.ensureStarted();
    } catch (e) {
      return Promise.reject(e);
    }
    const timeoutMs = o.timeoutMs ?? this.timeouts[method];
    const cts = new CancellationTokenSource();

    return new Promise<WorkerMethods[M]['reply']>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let sub: { dispose(): unknown } | undefined;
      const entry: Pending = {
        method,
        model,
        snapshot,
        settled: false,
        reject: (e) => settle(() => reject(e)),
        cleanup: () => {
          if (timer) clearTimeout(timer);
          sub?.dispose();
          cts.dispose();
        },
      };
      const settle = (fn: () => void) => {
        if (entry.settled) return;
        entry.settled = true;
        this.pending.delete(entry);
        entry.cleanup();
        fn();
      };
      this.pending.add(entry);

      timer = setTimeout(() => {
        cts.cancel();
        settle(() => reject(new WorkerError('timeout', `The estimator did not answer ${shortMethod(method)} within ${formatMs(timeoutMs)}`, model)));
        void this.probeAfterTimeout(model, snapshot);
      }, timeoutMs);
      sub = o.token?.onCancellationRequested(() => {
        cts.cancel();
        settle(() => reject(new WorkerError('cancelled', 'Cancelled')));
      });

      connection.sendRequest(method, params, cts.token).then(
        (reply) => settle(() => resolve(reply as WorkerMethods[M]['reply'])),
        (e: unknown) => settle(() => reject(fromRpcError(e, model))),
      );
    });
  }

  /** A request timed out: if the worker still answers a ping it was merely slow (the request was
   *  cancelled); if not, its event loop is stuck — kill it, and quarantine the model it was on. */
  private async probeAfterTimeout(model: string | undefined, snapshot: FileSnapshot | undefined): Promise<void> {
    const child = this.child;
    const connection = this.connection;
    if (!child || !connection) return;
    const alive = await Promise.race([
      connection.sendRequest(METHODS.ping, {}).then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), this.opts.hangProbeMs ?? 2000)),
    ]);
    if (alive || this.child !== child) return;
    this.opts.logger.error(`estimator worker (pid ${child.pid}) stopped answering; killing it${model ? ` (it was analyzing ${model})` : ''}`);
    if (model) this.addQuarantine(model, 'hung', snapshot);
    this.killedForHang = child;
    child.kill('SIGKILL');
  }

  // ------------------------------------------------------------------------------------------
  // Process lifecycle

  private ensureStarted(): MessageConnection {
    if (this.connection && this.child) return this.connection;
    if (this.budgetSpent()) {
      const message = `The estimator stopped ${this.exits.length} times in ${formatMs(this.opts.restartWindowMs ?? 60_000)}; not restarting it. See the YOLO Memory log.`;
      if (!this.gaveUp) {
        this.gaveUp = true;
        this.opts.logger.error(message);
        this.opts.onGiveUp?.(message);
      }
      throw new WorkerError('crashed', message);
    }
    const execPath = this.opts.execPath ?? process.execPath;
    const child = fork(this.opts.workerPath, [], {
      execPath,
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...this.opts.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.startCount++;
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onError(([err]) => this.opts.logger.debug?.(`worker connection: ${err.message}`));
    connection.listen();
    this.child = child;
    this.connection = connection;
    this.opts.logger.info(`estimator worker started (pid ${child.pid})`);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.opts.logger.warn(`[worker] ${line}`));
    }
    child.on('error', (err) => this.opts.logger.error(`estimator worker: ${err.message}`));
    child.on('exit', (code, signal) => this.onExit(child, connection, code, signal));
    this.emitState();
    return connection;
  }

  private onExit(child: ChildProcess, connection: MessageConnection, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) {
      this.child = undefined;
      this.connection = undefined;
    }
    connection.dispose();
    if (this.disposed) return;
    const hung = this.killedForHang === child;
    if (hung) this.killedForHang = undefined;
    const kind = hung ? 'hung' : 'crashed';
    const how = hung ? 'was killed after it stopped answering' : `exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`;
    this.opts.logger.error(`estimator worker (pid ${child.pid}) ${how}`);
    this.exits.push(Date.now());
    // The analyses in flight when it died are the suspects: quarantine them so they are not
    // retried automatically on every keystroke or file event.
    for (const p of this.pending) {
      if (p.method === METHODS.analyze && p.model && !hung) this.addQuarantine(p.model, 'crashed', p.snapshot);
    }
    this.rejectAll(new WorkerError(kind, `The estimator ${how}; it will restart on the next request`));
    this.emitState();
  }

  private stop(): void {
    const child = this.child;
    this.child = undefined;
    this.connection?.dispose();
    this.connection = undefined;
    if (child && child.exitCode === null) child.kill();
  }

  private budgetSpent(): boolean {
    const window = this.opts.restartWindowMs ?? 60_000;
    const now = Date.now();
    while (this.exits.length && now - this.exits[0]! > window) this.exits.shift();
    if (this.exits.length === 0) this.gaveUp = false;
    return this.exits.length >= (this.opts.maxRestarts ?? 3);
  }

  private rejectAll(e: WorkerError): void {
    for (const p of [...this.pending]) p.reject(new WorkerError(e.kind, e.message, p.model));
  }

  private addQuarantine(model: string, reason: Quarantined['reason'], snapshot: FileSnapshot | undefined): void {
    this.quarantine.set(quarantineKey(model), { reason, snapshot });
    this.opts.logger.warn(`quarantined ${model}: it ${reason === 'hung' ? 'hung' : 'crashed'} the estimator`);
  }

  private emitState(): void {
    const s = this.state;
    for (const l of this.stateListeners) l(s);
  }
}

/** Same rule as the worker's cache key: a path names a file, anything else a built-in model. */
function isPathSpec(model: string): boolean {
  return /[\\/]/.test(model) || /\.(onnx|ya?ml)$/i.test(model);
}

function quarantineKey(model: string): string {
  return isPathSpec(model) ? resolvePath(model) : model;
}

async function snap(file: string): Promise<FileSnapshot | undefined> {
  const st = await stat(file).catch(() => undefined);
  return st ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
}

/** Has the file changed since it was quarantined? Unknown on either side counts as unchanged for
 *  a file that existed (no loop on a file we cannot stat), changed when it appeared or vanished. */
function changed(before: FileSnapshot | undefined, now: FileSnapshot | undefined): boolean {
  if (!before) return false;
  return !now || now.size !== before.size || now.mtimeMs !== before.mtimeMs;
}

function fromRpcError(e: unknown, model: string | undefined): WorkerError {
  if (e instanceof ResponseError) {
    if (isWorkerErrorData(e.data)) return new WorkerError(e.data.kind, e.message, e.data.file ?? model);
    if (e.code === ErrorCodes.PendingResponseRejected || e.code === ErrorCodes.ConnectionInactive) {
      return new WorkerError('crashed', 'The estimator stopped while working on this request', model);
    }
    return new WorkerError('internal', e.message, model);
  }
  return new WorkerError('internal', e instanceof Error ? e.message : String(e), model);
}

function shortMethod(m: WorkerMethod): string {
  return m.replace(/^yoloMemory\//, '');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
