// Keeps estimates current: open scripts/configs are re-analyzed (debounced) as they are edited;
// model files (.onnx and their external-data files, model YAMLs) changing on disk re-estimate every
// tracked document that uses them; the workspace's .onnx and .pt files are listed for the sidebar.
// Results reach the views through DocumentAnalyzer.onDidUpdate.

import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { KeyedDebouncer } from './debounce';
import { DocumentAnalyzer, isBinaryModel } from './documents';

/** Quiet time after the last file event before re-estimating (exports write files in bursts). */
export const FILE_EVENT_DEBOUNCE_MS = 500;
/** Workspace .onnx and .pt files listed in the sidebar (each is estimated once, then cached). */
export const MAX_WORKSPACE_MODELS = 20;
const EXCLUDE = '**/{node_modules,.git,.venv,venv,__pycache__}/**';

export class ModelWatchers implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly debouncer = new KeyedDebouncer(FILE_EVENT_DEBOUNCE_MS);
  private readonly changed = new Set<string>();
  private readonly models = new Set<string>();
  private readonly modelsEmitter = new vscode.EventEmitter<vscode.Uri[]>();
  /** Fires with the workspace's .onnx files when the list changes. */
  readonly onDidChangeWorkspaceModels = this.modelsEmitter.event;

  constructor(private readonly analyzer: DocumentAnalyzer) {
    const onModelEvent = (uri: vscode.Uri) => {
      this.changed.add(uri.fsPath);
      this.debouncer.schedule('files', () => this.flush());
    };
    for (const glob of ['**/*.onnx', '**/*.{onnx.data,onnx_data,onnx.bin}', '**/*.{yaml,yml}', '**/*.{pt,pth}']) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.disposables.push(w, w.onDidChange(onModelEvent), w.onDidCreate(onModelEvent), w.onDidDelete(onModelEvent));
    }
    this.disposables.push(
      this.modelsEmitter,
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (DocumentAnalyzer.handles(d)) analyzer.schedule(d, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && DocumentAnalyzer.handles(e.document)) analyzer.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => analyzer.forget(d.uri)),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (ed && DocumentAnalyzer.handles(ed.document) && !analyzer.get(ed.document.uri)) analyzer.schedule(ed.document, 0);
      }),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of [...e.opened, ...e.changed]) {
          const input = tab.input;
          if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) {
            if (isBinaryModel(input.uri) && !analyzer.get(input.uri)) analyzer.scheduleModelFile(input.uri, 0);
          }
        }
      }),
    );
    for (const d of vscode.workspace.textDocuments) if (DocumentAnalyzer.handles(d)) analyzer.schedule(d, 0);
    void this.listWorkspaceModels();
  }

  get workspaceModels(): vscode.Uri[] {
    return [...this.models].map((p) => vscode.Uri.file(p));
  }

  private async listWorkspaceModels(): Promise<void> {
    const found = await vscode.workspace.findFiles('**/*.{onnx,pt,pth}', EXCLUDE, MAX_WORKSPACE_MODELS);
    this.models.clear();
    for (const u of found) {
      this.models.add(u.fsPath);
      this.analyzer.scheduleModelFile(u, 0);
    }
    this.modelsEmitter.fire(this.workspaceModels);
  }

  /** Re-estimate what the changed files feed: documents whose model is one of them (or an ONNX
   *  whose external data sits beside a changed data file), and the changed model files themselves. */
  private async flush(): Promise<void> {
    const paths = [...this.changed];
    this.changed.clear();
    const dirs = new Set(paths.filter((p) => !/\.(onnx|ya?ml|pth?)$/i.test(p)).map((p) => dirname(p)));
    const touches = (model: string | undefined) => !!model && (paths.includes(model) || dirs.has(dirname(model)));
    for (const state of this.analyzer.all()) {
      const uses = state.kind === 'model' ? touches(state.model?.options.model) : state.runs.some((r) => touches(r.options?.model));
      if (!uses) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === state.uri);
      if (doc) this.analyzer.schedule(doc, 0);
      else this.analyzer.scheduleModelFile(vscode.Uri.parse(state.uri), 0);
    }
    if (paths.some((p) => /\.(onnx|pth?)$/i.test(p))) await this.listWorkspaceModels();
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
