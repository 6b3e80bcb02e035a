// The extension host's view of estimates: a small result cache keyed by the options (so a hover is
// answered in microseconds when the numbers are known), one in-flight request per distinct options
// (a hover, the status bar and diagnostics asking at once share it), and an event every feature
// subscribes to when a new result lands. Free of vscode: the client and token are structural.

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

export class EstimateService {
  private readonly results = new Map<string, AnalysisResult>();
  private readonly errors = new Map<string, WorkerError>();
  private readonly inflight = new Map<string, { promise: Promise<AnalysisResult>; waiters: number; cancel: () => void }>();
  private readonly listeners = new Set<(e: EstimateEvent) => void>();

  constructor(private readonly client: Pick<WorkerClient, 'analyze'>) {}

  static key(options: AnalyzeOptions): string {
    return stableJson(options);
  }

  /** The cached result for these options, if any (synchronous: for hovers and the status bar). */
  peek(options: AnalyzeOptions): AnalysisResult | undefined {
    return this.results.get(EstimateService.key(options));
  }

  /** The last error for these options, if the last attempt failed. */
  lastError(options: AnalyzeOptions): WorkerError | undefined {
    return this.errors.get(EstimateService.key(options));
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
    const hit = this.results.get(key);
    if (hit && !force) {
      this.touch(key, hit);
      return Promise.resolve(hit);
    }
    let entry = this.inflight.get(key);
    if (!entry) {
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
      const promise = this.client.analyze(options, { token: shared, force }).then(
        (reply) => {
          this.inflight.delete(key);
          this.errors.delete(key);
          this.touch(key, reply.result);
          this.emit({ options, result: reply.result });
          return reply.result;
        },
        (e: unknown) => {
          this.inflight.delete(key);
          const err = e instanceof WorkerError ? e : new WorkerError('internal', String(e));
          if (err.kind !== 'cancelled') {
            this.errors.set(key, err);
            this.emit({ options, error: err });
          }
          throw err;
        },
      );
      entry = {
        promise,
        waiters: 0,
        cancel: () => {
          cancelled = true;
          for (const l of listeners.splice(0)) l();
        },
      };
      this.inflight.set(key, entry);
    }
    const e = entry;
    e.waiters++;
    if (!token) return e.promise;
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
          resolve(r);
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

  private touch(key: string, result: AnalysisResult): void {
    this.results.delete(key);
    this.results.set(key, result);
    while (this.results.size > HOST_CACHE_ENTRIES) this.results.delete(this.results.keys().next().value as string);
  }

  private emit(e: EstimateEvent): void {
    for (const l of this.listeners) l(e);
  }
}
