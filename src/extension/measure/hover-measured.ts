// The hover's line about measurements on this machine for the configuration it shows: the exact
// measurement ("measured on this GPU: 7.9 GiB (estimate 7.6)"), else the estimate scaled by the
// nearest measured batch of the same model and settings (core/measure/calibration.ts).
import type { AnalyzeOptions } from '../../core/options';
import type { AnalysisResult } from '../../core/result';
import { calibrate } from '../../core/measure/calibration';
import { matchingMeasurements } from '../../core/measure/apply';
import { measuredHoverLine } from '../../core/measure/view';
import type { MeasurementStore } from './measurement-store';

export function hoverMeasuredLine(store: MeasurementStore, machine: string, options: AnalyzeOptions, result: AnalysisResult): string | undefined {
  const batch = options.batch?.[0];
  const est = result.estimates.find((e) => e.batch === batch) ?? result.estimates[0];
  if (!est) return undefined;
  const found = matchingMeasurements(store.all(), machine, options, est, result);
  if (found.length === 0) return undefined;
  const exact = found.find((s) => s.batch === est.batch);
  if (exact) return `$(pulse) ${measuredHoverLine(exact)}`;
  const c = calibrate(est.neededDevice, est.batch, found[0]!.context, found);
  if (c.source !== 'scaled' || !c.from || c.ratio === null) return c.fitsMeasured === false && c.from ? `$(pulse) measured on this GPU: batch ${c.from.batch} already ran out of memory` : undefined;
  return `$(pulse) on this GPU, scaled by the measurement at batch ${c.from.batch} (×${c.ratio.toFixed(2)}): ${(c.bytes / 2 ** 30).toFixed(1)} GiB (estimate ${(est.neededDevice / 2 ** 30).toFixed(1)})`;
}
