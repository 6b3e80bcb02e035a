// The status bar item: the active file's verdict (`$(chip) 7.8/12 GiB · b16 ✓`), or the GPU's live
// use when the active file has no model. Clicking opens the memory panel. Created in activate(),
// so it is there from the start; GPU polling runs only while the window is focused.

import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { isBinaryModel, primaryRun, type DocumentAnalyzer } from './documents';
import type { GpuState } from './gpu-state';
import type { Settings } from './settings';
import { statusForGpu, statusForResult, type StatusView } from './status-text';

export const STATUS_ITEM_ID = 'yoloMemory.status';

export class MemoryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly analyzer: DocumentAnalyzer,
    private readonly gpu: GpuState,
    private readonly settings: () => Settings,
  ) {
    this.item.name = 'YOLO Memory';
    this.item.command = COMMANDS.analyzeModel;
    this.item.text = '$(chip) YOLO Memory';
    this.item.tooltip = "Estimate a YOLO model's training memory";
    this.item.show();
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.render()),
      analyzer.onDidUpdate(() => this.render()),
      gpu.onDidChange(() => this.render()),
      vscode.window.onDidChangeWindowState(() => this.restartPolling()),
    );
    this.restartPolling();
    this.render();
  }

  /** The active file's URI: the text editor's, or a tab's (an .onnx opens in a binary editor). */
  static activeUri(): vscode.Uri | undefined {
    const ed = vscode.window.activeTextEditor;
    if (ed) return ed.document.uri;
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    return input && typeof input === 'object' && 'uri' in input && input.uri instanceof vscode.Uri ? input.uri : undefined;
  }

  render(): void {
    const view = this.viewFor(MemoryStatusBar.activeUri());
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.tone ? new vscode.ThemeColor(`statusBarItem.${view.tone}Background`) : undefined;
  }

  private viewFor(uri: vscode.Uri | undefined): StatusView {
    const state = uri && this.analyzer.get(uri);
    if (state?.kind === 'model' && state.model?.result) return statusForResult(state.model.result);
    if (state?.kind === 'script') {
      const run = primaryRun(state);
      if (run?.result) return statusForResult(run.result, run.options?.batch?.[0]);
      if (run?.options && !run.error) return { text: '$(loading~spin) YOLO Memory', tooltip: 'Estimating training memory…' };
    }
    if (uri && isBinaryModel(uri) && !state) return { text: '$(loading~spin) YOLO Memory', tooltip: 'Estimating training memory…' };
    const snap = this.gpu.snapshot;
    return statusForGpu(snap.live ?? snap.planning, snap.message);
  }

  /** (Re)start live GPU polling per the interval setting, only while the window has focus. */
  restartPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const ms = this.settings().gpu.pollingMs;
    if (ms > 0 && vscode.window.state.focused) {
      this.timer = setInterval(() => void this.gpu.refresh(), ms);
      void this.gpu.refresh();
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
