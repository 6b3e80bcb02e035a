// A marker on `batch=-1` / `batch=0.7` when the batch AutoBatch is predicted to pick will not fit
// by this tool's estimate (AutoBatch sizes the batch from a forward/backward profile without the
// loss's assigner at full size, optimizer state, EMA or validation, so its picks can run out of
// memory later). Pure: diagnostics.ts turns it into a vscode.Diagnostic and its quick fix.

import type { AnalysisResult } from '../core/result';
import type { TrainingRun } from '../core/scripts/types';
import { formatBytes } from '../../webview/shared/format';
import { verdictOf } from '../../webview/shared/memory';
import type { BatchProblem } from './batch-diagnostics';

export function autoBatchProblem(run: TrainingRun, result: AnalysisResult): BatchProblem | null {
  const setting = run.settings.batch;
  const auto = result.autoBatch;
  const est = result.estimates[0];
  const gpu = result.gpu;
  if (!setting || !auto || !est || !gpu || est.batch !== auto.batch || verdictOf(est, gpu.totalBytes, result.margin) !== 'oom') return null;
  const usable = gpu.totalBytes * (1 - result.margin);
  const message =
    `AutoBatch will pick ≈${auto.batch} on ${gpu.name}; training at ${auto.batch} needs ${formatBytes(est.neededDevice)}, ` +
    `${formatBytes(usable)} usable of ${formatBytes(gpu.totalBytes)}` +
    (result.maxBatch ? `; largest batch that fits: ${result.maxBatch} (${Math.round(result.margin * 100)} % kept free)` : '; no batch size fits');
  const problem: BatchProblem = { severity: 'warning', range: setting.range, message };
  // Only a literal `-1` / `0.7` written at the call is rewritten to a fixed batch.
  if (result.maxBatch && !setting.sourceRange && /^-1$|^0?\.\d+$/.test(setting.raw.trim())) {
    problem.fix = { range: setting.range, batch: result.maxBatch, title: `Set batch to ${result.maxBatch} (largest that fits) instead of AutoBatch` };
  }
  return problem;
}

