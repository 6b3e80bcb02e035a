// The analysis panel in VS Code: one panel per model (showing a model again reveals and updates its
// panel), restored after a window reload by a WebviewPanelSerializer. The logic lives in
// PanelController; this file only binds it to vscode.

import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../../core/options';
import type { AnalysisResult } from '../../core/result';
import { parsePersistedPanelState } from '../../protocol/webview';
import type { MeasuredView } from '../../protocol/measured';
import type { GpuState } from '../gpu-state';
import { PanelController, type PanelDatasetSource } from './panelController';
import { setWebviewHtml, webviewOptions } from './webviewSetup';

export const ANALYSIS_VIEW_TYPE = 'yoloMemory.analysis';

export interface AnalysisPanelDeps {
  extensionUri: vscode.Uri;
  /** Runs the estimator (the worker client); must honour the token. */
  estimate(options: AnalyzeOptions, token: vscode.CancellationToken): Promise<AnalysisResult>;
  /** Reveals the worker's output channel. */
  showLog(): void;
  log(line: string): void;
  /** The live nvidia-smi reading: estimates plan against the GPU without its usage (planningGpu),
   *  so the panels' "Free now" comes from here; a new planning GPU re-estimates the open panels
   *  that follow it (see gpuFollow.ts). */
  gpu: Pick<GpuState, 'snapshot' | 'onDidChange'>;
  /** The dataset watchers: an open panel whose dataset changed on disk re-estimates. */
  datasets: PanelDatasetSource;
  /** "Measure on this GPU" from the panel's button. */
  measure?(options: AnalyzeOptions): void;
}

function panelTitle(options: AnalyzeOptions, result?: AnalysisResult | null): string {
  const name = result?.model.name ?? options.model.split(/[\\/]/).pop() ?? options.model;
  return `Memory: ${name}`;
}

export class AnalysisPanel implements vscode.Disposable {
  private readonly controller: PanelController;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    deps: AnalysisPanelDeps,
    options: AnalyzeOptions,
    result: AnalysisResult | null,
    private readonly onDispose: (p: AnalysisPanel) => void,
  ) {
    this.controller = new PanelController(
      {
        post: (m) => panel.webview.postMessage(m),
        estimate: (o, token) => deps.estimate(o, token as vscode.CancellationToken),
        showLog: deps.showLog,
        log: deps.log,
        copyText: (text) => vscode.env.clipboard.writeText(text),
        saveText: async (name, format, text) => {
          const base = vscode.workspace.workspaceFolders?.[0]?.uri;
          const uri = await vscode.window.showSaveDialog({
            defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
            filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
            saveLabel: `Save ${format.toUpperCase()}`,
          });
          if (!uri) return undefined;
          await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
          return uri.fsPath || uri.toString();
        },
        // The controller subscribes to both and drops the subscriptions when the panel goes.
        gpu: deps.gpu,
        datasets: deps.datasets,
        measure: deps.measure,
      },
      options,
      result,
      deps.gpu.snapshot.live,
    );
    setWebviewHtml(panel.webview, deps.extensionUri, 'panel', panelTitle(options, result));
    panel.title = panelTitle(options, result);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m) => void this.controller.handle(m)),
      // A panel without retainContextWhenHidden reloads when shown again and says `ready`; the
      // resend covers panels that kept their context.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.controller.resend();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    // No result, or one for a GPU that is no longer the planning one: estimate.
    if (!this.controller.snapshot.result) void this.controller.setOptions(this.controller.options);
  }

  get model(): string {
    return this.controller.options.model;
  }

  /** Re-estimate with the panel's current options (see PanelController.refresh). */
  refresh(): void {
    this.controller.refresh();
  }

  setMeasured(view: MeasuredView | null): void {
    this.controller.setMeasured(view);
  }

  update(options: AnalyzeOptions, result?: AnalysisResult): void {
    this.panel.title = panelTitle(options, result ?? this.controller.snapshot.result);
    void this.controller.setOptions(options, result);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDispose(this);
    this.panel.dispose();
  }
}

/** Owns every analysis panel and the serializer. Create once in activate(). */
export class AnalysisPanels implements vscode.Disposable {
  private readonly panels = new Map<string, AnalysisPanel>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: AnalysisPanelDeps) {
    this.registration = vscode.window.registerWebviewPanelSerializer(ANALYSIS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        const parsed = parsePersistedPanelState(state);
        if (!parsed.ok) {
          // Nothing trustworthy to restore: close it rather than show an empty panel.
          deps.log(`panel: not restored: ${parsed.error}`);
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(deps.extensionUri);
        this.adopt(panel, parsed.value.options, null);
      },
    });
  }

  /** Show the panel for `options.model` (creating it if needed) with this result or a fresh estimate. */
  show(options: AnalyzeOptions, result?: AnalysisResult): AnalysisPanel {
    const existing = this.panels.get(options.model);
    if (existing) {
      existing.panel.reveal(undefined, false);
      existing.update(options, result);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ANALYSIS_VIEW_TYPE, panelTitle(options, result), vscode.ViewColumn.Beside, {
      ...webviewOptions(this.deps.extensionUri),
      enableFindWidget: true,
    });
    return this.adopt(panel, options, result ?? null);
  }

  /** The open panel of this model, if any. */
  find(model: string): AnalysisPanel | undefined {
    return this.panels.get(model);
  }

  private adopt(panel: vscode.WebviewPanel, options: AnalyzeOptions, result: AnalysisResult | null): AnalysisPanel {
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'panel-icon.svg');
    const p = new AnalysisPanel(panel, this.deps, options, result, (gone) => {
      if (this.panels.get(gone.model) === gone) this.panels.delete(gone.model);
    });
    this.panels.set(options.model, p);
    return p;
  }

  /** Every open panel re-estimates (its result is re-read from the cache, judged anew). */
  refreshAll(): void {
    for (const p of this.panels.values()) p.refresh();
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
