// Hover on batch / imgsz / model in a training script or config: the memory card. Answers from
// the cache in a few ms; when the estimate is not known yet it starts it and says "estimating…"
// (a second hover shows the numbers) rather than holding the hover open.

import * as vscode from 'vscode';
import { WorkerError } from '../protocol/worker';
import type { AnalyzeOptions } from '../core/options';
import type { AnalysisResult } from '../core/result';
import { HOVER_COMMANDS } from './commands';
import { SCRIPT_LANGUAGES, type DocumentAnalyzer } from './documents';
import type { EstimateService } from './estimates';
import { renderErrorCard, renderHoverCard, renderPendingCard } from './hover-card';
import { findHoverTarget } from './hover-target';
import type { Settings } from './settings';

export class MemoryHover implements vscode.HoverProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly analyzer: DocumentAnalyzer,
    private readonly estimates: EstimateService,
    private readonly settings: () => Settings,
    private readonly log: vscode.LogOutputChannel,
    /** A line about measurements on this machine for these options (measure/hover-measured.ts). */
    private readonly measuredLine?: (options: AnalyzeOptions, result: AnalysisResult) => string | undefined,
  ) {
    this.registration = vscode.languages.registerHoverProvider(
      SCRIPT_LANGUAGES.map((language) => ({ language })),
      this,
    );
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!this.settings().hoverEnabled || !vscodeHandles(doc)) return undefined;
    try {
      return await this.hover(doc, pos, token);
    } catch (e) {
      // A hover must never surface an exception; the log keeps the reason.
      this.log.error(`hover failed: ${(e as Error)?.stack ?? String(e)}`);
      return undefined;
    }
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    let state;
    try {
      state = await this.analyzer.scan(doc, token);
    } catch (e) {
      if (!(e instanceof WorkerError && e.kind === 'cancelled')) this.log.debug(`hover: ${(e as Error).message}`);
      return undefined;
    }
    if (token.isCancellationRequested || state.kind !== 'script' || !state.scan) return undefined;
    const target = findHoverTarget(state.scan, { line: pos.line, character: pos.character });
    this.log.debug(`hover ${doc.uri.fsPath}:${pos.line + 1}:${pos.character + 1}: ${target ? target.key : 'no setting'} (${state.scan.runs.length} runs)`);
    if (!target) return undefined;
    const run = state.runs[target.runIndex];
    const range = new vscode.Range(target.range.start.line, target.range.start.character, target.range.end.line, target.range.end.character);
    if (!run?.options) return new vscode.Hover(markdown(`$(chip) No memory estimate: ${run?.reason ?? 'nothing to estimate'}`), range);
    const options = run.options;
    const cached = this.estimates.peek(options);
    if (cached) {
      const card = renderHoverCard(cached, { batch: options.batch?.[0], link: { uri: doc.uri.toString(), options } });
      const assumed = run.assumed.length ? `\n\n_Assumed: ${run.assumed.join('; ')}_` : '';
      // AutoBatch (batch=-1 / 0.7): its predicted pick and what training at it needs (core/autobatch.ts).
      const auto = cached.autoBatch ? `\n\n$(zap) ${cached.assumptions.find((a) => a.startsWith('AutoBatch will pick')) ?? ''}` : '';
      const measured = this.measuredLine?.(options, cached);
      return new vscode.Hover(markdown(card + auto + assumed + (measured ? `\n\n${measured}` : '')), range);
    }
    const err = this.estimates.lastError(options);
    if (err && !this.estimates.isRunning(options)) return new vscode.Hover(markdown(renderErrorCard(options.model, err.message)), range);
    // Not known yet: start it (shared with the document analysis if that is running) and return.
    this.estimates.estimate(options).catch(() => undefined);
    return new vscode.Hover(markdown(renderPendingCard(options.model.split(/[\\/]/).pop() ?? options.model)), range);
  }

  dispose(): void {
    this.registration.dispose();
  }
}

function vscodeHandles(doc: vscode.TextDocument): boolean {
  return (SCRIPT_LANGUAGES as readonly string[]).includes(doc.languageId);
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, true);
  // Only our own commands may run from the card's links.
  md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  return md;
}
