// A "Measure on this GPU" CodeLens above each training launch the analyzer found in a script: the
// explicit action that runs the probe for that launch's model, batch and image size. Shown only in
// a trusted workspace (the probe runs the user's Python).
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import { SCRIPT_LANGUAGES, type DocumentAnalyzer } from '../documents';

export class MeasureCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly analyzer: DocumentAnalyzer) {
    this.disposables = [
      vscode.languages.registerCodeLensProvider(SCRIPT_LANGUAGES.map((language) => ({ language })), this),
      analyzer.onDidUpdate(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      this.changed,
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    const state = this.analyzer.get(doc.uri);
    if (!state || state.version !== doc.version || state.kind !== 'script') return [];
    return state.runs
      .filter((r) => r.options && !r.run.reference)
      .map((r) => {
        const start = r.run.range.start;
        const range = new vscode.Range(start.line, 0, start.line, 0);
        return new vscode.CodeLens(range, { title: '$(pulse) Measure on this GPU', tooltip: 'Run a few real training steps of this launch with your Python and show the memory they used', command: COMMANDS.measureOnGpu, arguments: [{ options: r.options }] });
      });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
