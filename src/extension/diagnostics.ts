// Problems on batch values that will not fit, with the "Set batch to N" quick fix, and on `cache=ram`
// values whose image cache the host RAM cannot hold. Markers are cleared as soon as the file changes
// or the GPU changes, and come back when the new estimate does.

import * as vscode from 'vscode';
import type { Range } from '../core/scripts/types';
import { batchProblem, DIAGNOSTIC_CODE, DIAGNOSTIC_SOURCE, type BatchProblem } from './batch-diagnostics';
import { autoBatchProblem } from './autobatch-diagnostics';
import { CACHE_DIAGNOSTIC_CODE, cacheProblem } from './cache-diagnostics';
import { SCRIPT_LANGUAGES, type DocState, type DocumentAnalyzer } from './documents';
import type { Settings } from './settings';

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export class BatchDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('yoloMemory');
  /** The fix behind each diagnostic (diagnostics carry no payload of their own). */
  private readonly fixes = new WeakMap<vscode.Diagnostic, NonNullable<BatchProblem['fix']>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(analyzer: DocumentAnalyzer, private readonly settings: () => Settings) {
    this.disposables.push(
      this.collection,
      analyzer.onDidUpdate((s) => this.update(s)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.collection.delete(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.languages.registerCodeActionsProvider(
        SCRIPT_LANGUAGES.map((language) => ({ language })),
        this,
        { providedCodeActionKinds: BatchDiagnostics.providedCodeActionKinds },
      ),
    );
  }

  /** The GPU changed: every marker is stale until the re-estimate lands. */
  clearAll(): void {
    this.collection.clear();
  }

  private update(state: DocState): void {
    const uri = vscode.Uri.parse(state.uri);
    if (!this.settings().diagnosticsEnabled || state.kind !== 'script') {
      this.collection.delete(uri);
      return;
    }
    const out: vscode.Diagnostic[] = [];
    for (const r of state.runs) {
      // a run shown in a notebook cell only for its model (cells.ts) has its markers in its own cell
      if (!r.result || r.run.reference) continue;
      const p = batchProblem(r.run, r.result, r.batchFromScript) ?? autoBatchProblem(r.run, r.result);
      if (p) {
        const d = new vscode.Diagnostic(toRange(p.range), p.message, p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = DIAGNOSTIC_CODE;
        if (p.fix) this.fixes.set(d, p.fix);
        out.push(d);
      }
      const c = cacheProblem(r.run, r.result);
      if (c) {
        const d = new vscode.Diagnostic(toRange(c.range), c.message, vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = CACHE_DIAGNOSTIC_CODE;
        out.push(d);
      }
    }
    this.collection.set(uri, out);
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const mine = this.collection.get(doc.uri) ?? [];
    for (const d of ctx.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      // ctx.diagnostics are copies; find our original by range and message.
      const orig = mine.find((m) => m.range.isEqual(d.range) && m.message === d.message);
      const fix = orig && this.fixes.get(orig);
      if (!fix) continue;
      const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      a.edit = new vscode.WorkspaceEdit();
      a.edit.replace(doc.uri, toRange(fix.range), String(fix.batch));
      a.diagnostics = [d];
      a.isPreferred = true;
      actions.push(a);
    }
    return actions;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
