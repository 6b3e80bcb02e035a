// The analysis panel's host-side logic without `vscode`: state, the ready handshake, re-estimates
// on control changes with stale replies dropped, errors kept beside the last good result, exports,
// and re-estimates of its own when what the estimate rests on changes outside the panel (the
// planning GPU, the dataset on disk). analysisPanel.ts binds it to a real WebviewPanel; tests drive
// it with fakes.

import { datasetYamlPath } from '../../core/dataset/paths';
import type { AnalyzeOptions } from '../../core/options';
import type { AnalysisResult, GpuInfo } from '../../core/result';
import { parseWebviewMessage, type HostToPanelMessage, type PanelState } from '../../protocol/webview';
import type { MeasuredView } from '../../protocol/measured';
import { applyPatch } from './applyPatch';
import { CancelSource, type CancellationToken } from './cancel';
import { exportText, suggestedFileName } from './exportText';
import { GpuFollow } from './gpuFollow';

/** Quiet time before an open panel re-estimates after the GPU or its dataset changed: a settings
 *  edit and the nvidia-smi reading it triggers, or a dataset invalidated just as the GPU changes,
 *  cost one estimate. Short next to an estimate, so the panel does not look stuck. */
export const PANEL_REFRESH_DELAY_MS = 300;

export interface Subscription {
  dispose(): unknown;
}

/** GpuState's shape: the planning GPU (what estimates are checked against) and the live reading. */
export interface PanelGpuSource {
  readonly snapshot: { planning: GpuInfo | null; live: GpuInfo | null };
  onDidChange(listener: (s: { planning: GpuInfo | null; live: GpuInfo | null }, planningChanged: boolean) => void): Subscription;
}

/** The dataset watchers: fires with a dataset YAML's absolute path after the cached estimates
 *  that read it were dropped (host and worker), so a new estimate reads the files again. */
export interface PanelDatasetSource {
  onDidInvalidate(listener: (yamlPath: string) => void): Subscription;
}

export interface PanelControllerDeps {
  post(msg: HostToPanelMessage): PromiseLike<boolean> | boolean;
  estimate(options: AnalyzeOptions, token: CancellationToken): Promise<AnalysisResult>;
  showLog(): void;
  copyText(text: string): PromiseLike<void>;
  /** Ask where to save and write the file; resolves to the path, or undefined when the user cancels. */
  saveText(suggestedName: string, format: 'csv' | 'json', text: string): PromiseLike<string | undefined>;
  log(line: string): void;
  /** Follow the planning GPU (absent: the panel keeps the GPU its options name). */
  gpu?: PanelGpuSource;
  /** Re-estimate when the panel's dataset changes on disk. */
  datasets?: PanelDatasetSource;
  /** Runs "Measure on this GPU" for these options (the panel's button). */
  measure?(options: AnalyzeOptions): void;
  /** Overrides PANEL_REFRESH_DELAY_MS (tests). */
  refreshDelayMs?: number;
}

/** First line of an error's message, without the stack, capped: what the user reads. */
export function readableError(e: unknown): string {
  const raw = e instanceof Error ? e.message : typeof e === 'string' ? e : 'Unknown error';
  const line = raw.split(/\r?\n/).find((l) => l.trim()) ?? 'Unknown error';
  return line.length > 500 ? `${line.slice(0, 497)}…` : line;
}

/** Same device and same numbers: nothing new to show. */
function sameReading(a: GpuInfo | null, b: GpuInfo | null): boolean {
  if (!a || !b) return a === b;
  return a.name === b.name && a.totalBytes === b.totalBytes && a.source === b.source && a.index === b.index && a.usedBytes === b.usedBytes && a.freeBytes === b.freeBytes;
}

function isCancellation(e: unknown): boolean {
  return e instanceof Error && (e.name === 'Canceled' || e.name === 'CancellationError' || /cancel/i.test(e.message));
}

export class PanelController {
  private state: PanelState;
  /** Highest `seq` the webview sent; its echo in `resultSeq` lets the webview drop late states. */
  private webviewSeq = 0;
  /** Every estimate (from the webview or the host) gets a ticket; only the newest may land. */
  private ticket = 0;
  private pending: CancelSource | null = null;
  private disposed = false;
  private readonly gpuFollow: GpuFollow;
  /** A re-estimate asked for by a GPU or dataset change, waiting for the quiet time. */
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: Subscription[] = [];
  private measured: MeasuredView | null = null;

  constructor(
    private readonly deps: PanelControllerDeps,
    options: AnalyzeOptions,
    result: AnalysisResult | null = null,
    gpuNow: GpuInfo | null = null,
  ) {
    this.gpuFollow = new GpuFollow(options.gpu);
    const adopted = this.gpuFollow.hostOptions(options, deps.gpu?.snapshot.planning);
    // Options built before the planning GPU changed: their result is for the old GPU, estimate again.
    this.state = { options: adopted, result: adopted === options ? result : null, resultSeq: 0, busy: false, error: null, gpuNow };
    if (deps.gpu) {
      this.subscriptions.push(
        deps.gpu.onDidChange((s, planningChanged) => {
          this.setGpuNow(s.live);
          if (planningChanged) this.planningChanged(s.planning);
        }),
      );
    }
    if (deps.datasets) this.subscriptions.push(deps.datasets.onDidInvalidate((yamlPath) => this.datasetChanged(yamlPath)));
  }

  get options(): AnalyzeOptions {
    return this.state.options;
  }

  get snapshot(): PanelState {
    return this.state;
  }

  /** Send the whole state (after `ready`, and when the panel becomes visible again). */
  resend(): void {
    if (this.disposed) return;
    void Promise.resolve(this.deps.post({ type: 'panelState', state: this.state })).then(undefined, (e) => this.deps.log(`panel: post failed: ${readableError(e)}`));
    if (this.measured) this.setMeasured(this.measured);
  }

  /** New options from the host (the user ran the command again, the file changed). With a result,
   *  show it; without, estimate. */
  setOptions(options: AnalyzeOptions, result?: AnalysisResult): Promise<void> {
    const adopted = this.gpuFollow.hostOptions(options, this.deps.gpu?.snapshot.planning);
    if (adopted !== options) return this.reestimate(adopted); // the result is for an older GPU
    if (result) {
      this.cancelPending();
      this.ticket++;
      this.state = { ...this.state, options, result, busy: false, error: null };
      this.resend();
      return Promise.resolve();
    }
    return this.reestimate(options);
  }

  /** A new nvidia-smi reading. Only the reading is posted (the webview merges it into its state);
   *  the stored state carries it for the next full send. An unchanged reading posts nothing. */
  setGpuNow(gpu: GpuInfo | null): void {
    if (sameReading(this.state.gpuNow ?? null, gpu)) return;
    this.state = { ...this.state, gpuNow: gpu };
    if (this.disposed) return;
    void Promise.resolve(this.deps.post({ type: 'gpuNow', gpu })).then(undefined, (e) => this.deps.log(`panel: post failed: ${readableError(e)}`));
  }

  /** Validate and act on a message from the webview. Invalid ones are logged and ignored. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw, 'panel');
    if (!parsed.ok) {
      this.deps.log(`panel: ignored message: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'ready':
        // A new page (first load, or a hidden panel rebuilt when shown) counts its requests from 1.
        this.webviewSeq = 0;
        this.state = { ...this.state, resultSeq: 0 };
        this.resend();
        return;
      case 'showLog':
        this.deps.showLog();
        return;
      case 'setOptions':
        if (msg.seq <= this.webviewSeq) {
          this.deps.log(`panel: ignored out-of-order setOptions ${msg.seq} (have ${this.webviewSeq})`);
          return;
        }
        this.webviewSeq = msg.seq;
        return this.reestimate(this.patched(msg.patch));
      case 'export':
        return this.export(msg.format);
      case 'measure':
        // "Measure on this GPU" for the options shown (the host checks trust and asks nothing of the webview)
        this.deps.measure?.(this.state.options);
        return;
    }
  }

  /** What "Measure on this GPU" measured (or is measuring) for this panel; re-sent after `ready`. */
  setMeasured(view: MeasuredView | null): void {
    this.measured = view;
    if (this.disposed) return;
    void Promise.resolve(this.deps.post({ type: 'measured', view })).then(undefined, (e) => this.deps.log(`panel: post failed: ${readableError(e)}`));
  }

  /** The options after a webview patch, with the GPU choice it makes (or does not make) applied. */
  private patched(raw: Parameters<typeof applyPatch>[1]): AnalyzeOptions {
    const before = this.state.options;
    const patch = this.gpuFollow.incoming(raw, before);
    return this.gpuFollow.applied(before, applyPatch(before, patch), this.deps.gpu?.snapshot.planning);
  }

  /** The planning GPU changed: a panel that follows it takes the new one at once (so a control
   *  change made meanwhile is estimated on it) and re-estimates after the quiet time. */
  private planningChanged(planning: GpuInfo | null): void {
    if (this.disposed) return;
    const next = this.gpuFollow.planningChanged(this.state.options, planning);
    if (!next) return;
    this.state = { ...this.state, options: next };
    this.scheduleRefresh();
  }

  /** A dataset's files changed and its cached estimates are gone: re-estimate if it is this one. */
  private datasetChanged(yamlPath: string): void {
    const o = this.state.options;
    if (this.disposed || !o.data || datasetYamlPath(o.data, o.cwd) !== yamlPath) return;
    this.scheduleRefresh();
  }

  /** Re-estimate with the panel's current options (the user's batch, imgsz, AMP, what-if GPU...)
   *  once things are quiet; any estimate started before then makes this one unnecessary. */
  /** Re-estimate with the current options soon (what the estimate is judged by changed, e.g. a
   *  measurement on this machine was stored). */
  refresh(): void {
    if (!this.disposed) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    this.cancelRefresh();
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (!this.disposed) void this.reestimate(this.state.options);
    }, this.deps.refreshDelayMs ?? PANEL_REFRESH_DELAY_MS);
  }

  private cancelRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private cancelPending(): void {
    this.cancelRefresh();
    this.pending?.cancel();
    this.pending = null;
  }

  private async reestimate(options: AnalyzeOptions): Promise<void> {
    this.cancelPending();
    const ticket = ++this.ticket;
    const source = new CancelSource();
    this.pending = source;
    this.state = { ...this.state, options, busy: true };
    this.resend();
    try {
      // Verdict first: the asked batch alone takes a few milliseconds, the max-batch search and the
      // curve (~25 more batch sizes) follow; the panel shows the verdict while they compute.
      const quick = await this.deps.estimate({ ...options, quick: true }, source.token);
      if (ticket !== this.ticket || this.disposed) return; // a newer request owns the panel now
      this.state = { ...this.state, result: quick, resultSeq: this.webviewSeq, error: null };
      this.resend();
      const result = await this.deps.estimate(options, source.token);
      if (ticket !== this.ticket || this.disposed) return;
      this.state = { ...this.state, result, resultSeq: this.webviewSeq, busy: false, error: null };
    } catch (e) {
      if (ticket !== this.ticket || this.disposed) return;
      if (isCancellation(e) && source.token.isCancellationRequested) return;
      this.deps.log(`panel: estimate failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      // Keep the last good result on screen; say what went wrong above it.
      this.state = { ...this.state, resultSeq: this.webviewSeq, busy: false, error: { message: readableError(e), hasLog: true } };
    } finally {
      if (this.pending === source) this.pending = null;
    }
    this.resend();
  }

  private async export(format: 'markdown' | 'csv' | 'json'): Promise<void> {
    const r = this.state.result;
    if (!r || r.partial) {
      this.notice('error', r ? 'The estimate is still computing its largest batch and curve: export again in a moment.' : 'Nothing to export yet: no estimate has finished.');
      return;
    }
    try {
      const text = exportText(format, r, this.state.options);
      if (format === 'markdown') {
        await this.deps.copyText(text);
        this.notice('info', 'Copied the summary and layer table as Markdown.');
        return;
      }
      const path = await this.deps.saveText(suggestedFileName(r, format), format, text);
      if (path) this.notice('info', `Saved ${format.toUpperCase()} to ${path}`);
    } catch (e) {
      this.deps.log(`panel: export ${format} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.notice('error', `Export failed: ${readableError(e)}`);
    }
  }

  private notice(level: 'info' | 'error', text: string): void {
    if (this.disposed) return;
    void Promise.resolve(this.deps.post({ type: 'notice', level, text })).then(undefined, () => undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.cancelPending();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
