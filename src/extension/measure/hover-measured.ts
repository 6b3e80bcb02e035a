// The hover's line about measurements on this machine for the configuration it shows: the exact
// measurement ("measured on this GPU: 7.9 GiB (estimate 7.6)"), else the estimate scaled by the
// nearest measured batch of the same model and settings (core/measure/calibration.ts).
import type { AnalyzeOptions } from '../../core/options';
import type { AnalysisResult } from '../../core/result';
import { calibrate, type MeasurementContext } from '../../core/measure/calibration';
import { measuredHoverLine } from '../../core/measure/view';
import type { MeasurementStore } from './measurement-store';

export function hoverMeasuredLine(store: MeasurementStore, machine: string, options: AnalyzeOptions, result: AnalysisResult): string | undefined {
  const batch = options.batch?.[0];
  const est = result.estimates.find((e) => e.batch === batch) ?? result.estimates[0];
  if (!est) return undefined;
  const same = (c: MeasurementContext) =>
    c.machine === machine &&
    c.model.toLowerCase() === options.model.toLowerCase() &&
    c.imgsz === est.imgsz &&
    c.amp === est.amp &&
    (c.optimizer === (options.optimizer ?? 'auto') || c.optimizer.toLowerCase() === est.optimizer) &&
    c.data === (options.data ?? null) &&
    (!result.gpu || c.gpuName === result.gpu.name);
  const found = store.find((c) => same(c));
  if (found.length === 0) return undefined;
  // the newest context (driver / versions) wins: measurements from an older stack are not mixed in
  const newest = found.reduce((a, b) => (a.measuredAt >= b.measuredAt ? a : b)).context;
  const exact = found.find((s) => s.batch === est.batch && s.context === newest) ?? found.find((s) => s.batch === est.batch);
  if (exact) return `$(pulse) ${measuredHoverLine(exact)}`;
  const c = calibrate(est.bytes.device, est.batch, newest, found);
  if (c.source !== 'scaled' || !c.from || c.ratio === null) return c.fitsMeasured === false && c.from ? `$(pulse) measured on this GPU: batch ${c.from.batch} already ran out of memory` : undefined;
  return `$(pulse) on this GPU, scaled by the measurement at batch ${c.from.batch} (×${c.ratio.toFixed(2)}): ${(c.bytes / 2 ** 30).toFixed(1)} GiB (estimate ${(est.bytes.device / 2 ** 30).toFixed(1)})`;
}
