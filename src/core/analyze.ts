// The estimator's single entry point: model spec + options in, AnalysisResult out.
// Used by the CLI, the worker and tests. Implemented by the lead (memory model integration).

import type { AnalyzeOptions } from './options';
import type { AnalysisResult } from './result';

export interface AnalyzeContext {
  /** Aborts long work (the worker passes cancellation through). */
  signal?: AbortSignal;
}

export async function analyze(options: AnalyzeOptions, ctx: AnalyzeContext = {}): Promise<AnalysisResult> {
  void options;
  void ctx;
  throw new Error('analyze(): the memory model is not wired yet');
}
