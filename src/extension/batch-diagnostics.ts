// Which batch values get a problem marker, and what the quick fix writes. Pure: diagnostics.ts
// turns these into vscode.Diagnostic / CodeAction.
//
// A warning when training at this batch will not fit; information-level when training fits and only
// validation (Ultralytics validates at 2× batch) breaks, since a run then fails at the first
// epoch's end rather than at once, and when the verdict is 'tight' (the central estimate fits, the
// band's upper bound does not). The quick fix writes the largest batch that surely fits, whose
// verdict is 'fits': accepting it never leaves a marker. No marker when the GPU is unknown or the
// batch is assumed.

import type { AnalysisResult } from '../core/result';
import type { Range, TrainingRun } from '../core/scripts/types';
import { formatBytes } from '../../webview/shared/format';
import { needsPhrase } from '../../webview/shared/memory';
import { pickEstimate } from './hover-card';

export const DIAGNOSTIC_SOURCE = 'YOLO Memory';
export const DIAGNOSTIC_CODE = 'batch-does-not-fit';

export interface BatchProblem {
  severity: 'warning' | 'information';
  /** Where the marker goes: the batch value as written at the call. */
  range: Range;
  message: string;
  /** The quick fix: replace `fixRange` with `String(fixBatch)`; absent when no batch fits or the
   *  value is not a literal we can rewrite. */
  fix?: { range: Range; batch: number; title: string };
}

export function batchProblem(run: TrainingRun, result: AnalysisResult, batchFromScript: boolean): BatchProblem | null {
  const setting = run.settings.batch;
  if (!setting || !batchFromScript || typeof setting.value !== 'number') return null;
  const est = pickEstimate(result, setting.value);
  const gpu = result.gpu;
  if (!est || est.batch !== setting.value || est.fits !== false || !gpu) return null;
  const kept = `${Math.round(result.margin * 100)} % kept free`;
  if (est.verdict === 'tight') {
    const problem: BatchProblem = {
      severity: 'information',
      range: setting.range,
      message: `batch ${est.batch} is tight on ${gpu.name}: ${est.verdictReason ?? 'the upper bound does not fit'}` + (result.maxBatch ? `; batch ${result.maxBatch} surely fits (${kept})` : '; no batch size surely fits'),
    };
    return withFix(problem, setting, result, est.batch);
  }

  const validationOnly = est.limitedBy === 'validation';
  // the decisive figure in the words every surface uses: "needs X of Y usable"
  const needs = needsPhrase(est, gpu.totalBytes, result.margin);
  const message = validationOnly
    ? `batch ${est.batch}: training fits, but validation at 2× batch ${needs.replace(' (validation at 2× batch)', '')} on ${gpu.name}` + (result.maxBatch ? `; batch ${result.maxBatch} fits both (${kept})` : '')
    : `batch ${est.batch} will not fit on ${gpu.name}: ${needs} (${formatBytes(gpu.totalBytes)}, ${kept})` +
      (result.maxBatch ? `; largest batch that fits: ${result.maxBatch}` : '; no batch size fits');

  const problem: BatchProblem = { severity: validationOnly ? 'information' : 'warning', range: setting.range, message };
  return withFix(problem, setting, result, est.batch);
}

function withFix(problem: BatchProblem, setting: NonNullable<TrainingRun['settings']['batch']>, result: AnalysisResult, batch: number): BatchProblem {
  // Rewrite the literal that gives the value: at the call (`batch=32`) or where a constant it
  // follows is assigned (`BATCH = 32`). Only plain integer literals are rewritten.
  const fixRange = setting.sourceRange ?? setting.range;
  const literal = setting.sourceRange ? true : /^\d+$/.test(setting.raw.trim());
  if (result.maxBatch && result.maxBatch >= 1 && result.maxBatch < batch && literal) {
    problem.fix = { range: fixRange, batch: result.maxBatch, title: `Set batch to ${result.maxBatch} (largest that fits)` };
  }
  return problem;
}
