// Measurements on this machine change the verdict every surface shows, not only the hover's line
// (issue #18; docs/memory-model.md, "Measured on this GPU"). Pure: the extension applies it to each
// result it hands to the hover, status bar, Problems, panel and sidebar (extension/estimates.ts).
//
// Which measurements apply: the same machine, model, imgsz, AMP, optimizer, dataset and GPU as the
// result; of those, the newest software stack (driver, torch, Ultralytics) only (calibration.ts).
// What they change, per estimate (calibrate() picks the figure):
//  - measured at this batch and it ran: the verdict is the measured device figure against the usable
//    VRAM: 'fits' when it is under, 'tight' when it ran but above the safety margin;
//  - measured out of memory at this batch or a smaller one: 'does-not-fit';
//  - measured at another batch: the estimate scaled by that measurement's measured / estimated
//    ('fits' or 'does-not-fit': the measurement stands in for the error band);
// and the largest batch that fits never reaches a batch measured out of memory. The estimate's own
// numbers (needed bytes, upper bound, curve) are left as they are; `measured` says what was used.

import type { AnalyzeOptions } from '../options';
import type { AnalysisResult, Estimate } from '../result';
import { calibrate, type MeasurementContext, type StoredMeasurement } from './calibration';

const GIB = 2 ** 30;
const gib = (b: number) => `${(b / GIB).toFixed(1)} GiB`;

/** Do a stored measurement's settings describe this result's run? */
export function measurementMatches(c: MeasurementContext, machine: string, options: AnalyzeOptions, est: Estimate, result: AnalysisResult): boolean {
  return (
    c.machine === machine &&
    c.model.toLowerCase() === options.model.toLowerCase() &&
    c.imgsz === est.imgsz &&
    c.amp === est.amp &&
    (c.optimizer === (options.optimizer ?? 'auto') || c.optimizer.toLowerCase() === est.optimizer) &&
    c.data === (options.data ?? null) &&
    (!result.gpu || c.gpuName === result.gpu.name)
  );
}

/** The measurements of this configuration from the newest stack, or [] when there are none. */
export function matchingMeasurements(stored: readonly StoredMeasurement[], machine: string, options: AnalyzeOptions, est: Estimate, result: AnalysisResult): StoredMeasurement[] {
  const found = stored.filter((s) => measurementMatches(s.context, machine, options, est, result));
  if (found.length === 0) return [];
  const newest = found.reduce((a, b) => (a.measuredAt >= b.measuredAt ? a : b)).context;
  return found.filter((s) => JSON.stringify(s.context) === JSON.stringify(newest));
}

export function applyMeasurements(result: AnalysisResult, options: AnalyzeOptions, stored: readonly StoredMeasurement[], machine: string): AnalysisResult {
  const gpu = result.gpu;
  if (!gpu || stored.length === 0 || result.estimates.length === 0) return result;
  const usable = gpu.totalBytes * (1 - result.margin);
  let smallestOom: number | null = null;
  let changed = false;
  const estimates = result.estimates.map((est) => {
    const same = matchingMeasurements(stored, machine, options, est, result);
    if (same.length === 0) return est;
    for (const s of same) if (s.outcome === 'oom' && (smallestOom === null || s.batch < smallestOom)) smallestOom = s.batch;
    const c = calibrate(est.neededDevice, est.batch, same[0]!.context, same);
    if (c.source === 'estimate' && c.fitsMeasured === null) return est;
    changed = true;
    let verdict: Estimate['verdict'];
    let reason: string;
    if (c.fitsMeasured === false) {
      verdict = 'does-not-fit';
      reason = c.from!.batch === est.batch ? `measured on this GPU: out of memory at batch ${est.batch}${c.from!.oomPhase ? ` (${c.from!.oomPhase.replace('_', ' ')})` : ''}` : `measured on this GPU: batch ${c.from!.batch} already ran out of memory`;
    } else if (c.source === 'measured') {
      verdict = c.bytes <= usable ? 'fits' : 'tight';
      reason = `measured on this GPU: ${gib(c.bytes)} at batch ${est.batch}` + (verdict === 'tight' ? `, above the ${gib(usable)} usable (it ran, with less than the safety margin free)` : '');
    } else {
      verdict = c.bytes <= usable ? 'fits' : 'does-not-fit';
      reason = `scaled by the measurement at batch ${c.from!.batch} on this GPU (×${c.ratio!.toFixed(2)}): ${gib(c.bytes)}` + (verdict === 'fits' ? ` of ${gib(usable)} usable` : `, above the ${gib(usable)} usable`);
    }
    return { ...est, verdict, fits: verdict === 'fits', verdictReason: verdict === 'fits' ? null : reason, measured: { source: c.source === 'measured' ? ('measured' as const) : ('scaled' as const), bytes: c.fitsMeasured === false && c.source !== 'scaled' ? null : c.bytes, fromBatch: c.from!.batch, note: reason } };
  });
  const cap = (b: number | null) => (b === null || smallestOom === null || b < smallestOom ? b : Math.max(0, smallestOom - 1));
  const maxBatch = cap(result.maxBatch);
  const maxBatchTight = cap(result.maxBatchTight);
  if (!changed && maxBatch === result.maxBatch && maxBatchTight === result.maxBatchTight) return result;
  const note = smallestOom !== null && maxBatch !== result.maxBatch ? [`largest batch capped below ${smallestOom}: measured out of memory on this GPU at batch ${smallestOom}`] : [];
  return { ...result, estimates, maxBatch, maxBatchTight, assumptions: [...result.assumptions, ...note] };
}
