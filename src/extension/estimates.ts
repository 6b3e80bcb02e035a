// The extension host's view of estimates: a small result cache keyed by the options (so a hover is
// answered in microseconds when the numbers are known), one in-flight request per distinct options
// (a hover, the status bar and diagnostics asking at once share it), and an event every feature
// subscribes to when a new result lands. Free of vscode: the client and token are structural.

import { stillFresh } from '../core/free-ram-freshness';
import type { AnalyzeOptions } from '../core/options';
import type { AnalysisResult } from '../core/result';
import { WorkerError } from '../protocol/worker';
import { stableJson } from '../worker/model-key';
import type { CancellationLike, WorkerClient } from './worker-client';

export interface EstimateEvent {
  options: AnalyzeOptions;
  result?: AnalysisResult;
  error?: WorkerError;
}

/** Results kept on the host: a workspace's open scripts × a few settings each. */
export const HOST_CACHE_ENTRIES = 64;

interface InFlight {
  options: AnalyzeOptions;
  promise: Promise<AnalysisResult>;
  waiters: number;
  cancel: () => void;
  /** Its inputs changed on disk after it was sent (see invalidate): answer its waiters, cache nothing. */
  stale: boolean;
}

export class EstimateService {
  private readonly results = new Map<string, { options: AnalyzeOptions; result: AnalysisResult }>();
  private readonly errors = new Map<string, { options: AnalyzeOptions; error: WorkerError }>();
  private readonly inflight = new Map<string, InFlight>();
  private readonly listeners = new Set<(e: EstimateEvent) => void>();

  constructor(
    private readonly client: Pick<WorkerClient, 'analyze'>,
    private readonly now: () => number = Date.now,
    /** Applied to every result handed out (cached ones too, at each read): measurements on this
     *  machine deciding the verdict (core/measure/apply.ts). The cache keeps the estimator's own
     *  result, so a new measurement needs no re-estimate: the surfaces re-read (extension.ts). */
    private readonly overlay?: (options: AnalyzeOptions, result: AnalysisResult) => AnalysisResult,
  ) {}

  private view(options: AnalyzeOptions, result: AnalysisResult): AnalysisResult {
    return this.overlay ? this.overlay(options, result) : result;
  }


  static key(options: AnalyzeOptions): string {
    return stableJson(options);
  }

  /** The cached result for these options, if any (synchronous: for hovers and the status bar).
   *  A result whose free-RAM reading has aged out is still returned — a hover must not wait — and
   *  a refresh starts behind it; its landing is announced like any other result. */
  peek(options: AnalyzeOptions): AnalysisResult | undefined {
    const key = EstimateService.key(options);
    const e = this.results.get(key);
    if (e && !stillFresh(e.result, this.now()) && !this.inflight.has(key)) this.estimate(options).catch(() => undefined);
    return e ? this.view(options, e.result) : undefined;
  }

  /** The last error for these options, if the last attempt failed. */
  lastError(options: AnalyzeOptions): WorkerError | undefined {
    return this.errors.get(EstimateService.key(options))?.error;
  }

  isRunning(options: AnalyzeOptions): boolean {
    return this.inflight.has(EstimateService.key(options));
  }

  onDidEstimate(listener: (e: EstimateEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Estimate (or reuse the cached / in-flight estimate). The worker request is cancelled only
   *  when every caller waiting on it has cancelled. `force` re-runs a file quarantined by a crash. */
  estimate(options: AnalyzeOptions, token?: CancellationLike, force = false): Promise<AnalysisResult> {
    const key = EstimateService.key(options);
    const hit = this.results.get(key)?.result;
    if (hit && !force && stillFresh(hit, this.now())) {
      this.touch(key, options, hit);
      return Promise.resolve(this.view(options, hit));
    }
    let entry = this.inflight.get(key);
    if (!entry) {
      const created = { options, waiters: 0, stale: false } as InFlight;
      let cancelled = false;
      const listeners: (() => void)[] = [];
      const shared: CancellationLike = {
        get isCancellationRequested() {
          return cancelled;
        },
        onCancellationRequested(l) {
          listeners.push(l);
          return { dispose: () => listeners.splice(listeners.indexOf(l) >>> 0, 1) };
        },
      };
      created.promise = this.client.analyze(options, { token: shared, force }).then(
        (reply) => {
          if (created.stale) return reply.result;
          this.inflight.delete(key);
          this.errors.delete(key);
          this.touch(key, options, reply.result);
          this.emit({ options, result: this.view(options, reply.result) });
          return reply.result;
        },
        (e: unknown) => {
          const err = e instanceof WorkerError ? e : new WorkerError('internal', String(e));
          if (created.stale) throw err;
          this.inflight.delete(key);
          if (err.kind !== 'cancelled') {
            this.errors.set(key, { options, error: err });
            this.emit({ options, error: err });
          }
          throw err;
        },
      );
      created.cancel = () => {
        cancelled = true;
        for (const l of listeners.splice(0)) l();
      };
      entry = created;
      this.inflight.set(key, entry);
    }
    const e = entry;
    e.waiters++;
    if (!token) return e.promise.then((r) => this.view(options, r));
    return new Promise<AnalysisResult>((resolve, reject) => {
      let done = false;
      const sub = token.onCancellationRequested(() => {
        if (done) return;
        done = true;
        if (--e.waiters === 0) e.cancel();
        reject(new WorkerError('cancelled', 'Cancelled'));
      });
      e.promise.then(
        (r) => {
          if (done) return;
          done = true;
          sub.dispose();
          resolve(this.view(options, r));
        },
        (err) => {
          if (done) return;
          done = true;
          sub.dispose();
          reject(err);
        },
      );
    });
  }

  /** Forget everything (the GPU or the estimator settings changed). */
  clear(): void {
    this.results.clear();
    this.errors.clear();
  }

  /** Inputs that are not in the options changed on disk (a dataset's YAML or label files): drop
   *  the cached results and errors whose options match, and detach the matching requests in
   *  flight — their waiters still get the answer (read before the change), but it is not cached
   *  and a later caller starts a fresh request. Returns how many results were dropped. */
  invalidate(match: (options: AnalyzeOptions) => boolean): number {
    let n = 0;
    for (const [key, e] of this.results) {
      if (match(e.options)) {
        this.results.delete(key);
        n++;
      }
    }
    for (const [key, e] of this.errors) if (match(e.options)) this.errors.delete(key);
    for (const [key, e] of this.inflight) {
      if (match(e.options)) {
        e.stale = true;
        this.inflight.delete(key);
      }
    }
    return n;
  }

  private touch(key: string, options: AnalyzeOptions, result: AnalysisResult): void {
    this.results.delete(key);
    this.results.set(key, { options, result });
    while (this.results.size > HOST_CACHE_ENTRIES) this.results.delete(this.results.keys().next().value as string);
  }

  private emit(e: EstimateEvent): void {
    for (const l of this.listeners) l(e);
  }
}
