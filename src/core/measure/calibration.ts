// Measurements kept on one machine and how they change the estimate there (docs/memory-model.md,
// "Measured on this GPU"). A measurement is only ever reused for the same machine, GPU, driver,
// torch and Ultralytics versions, model and settings (imgsz, AMP, optimizer, dataset):
//  - same batch: the measured device figure replaces the estimate (an out-of-memory result means
//    "does not fit", whatever the estimate says);
//  - another batch: the estimate is scaled by measured / estimated of the measured batch nearest to
//    it (in log distance), since the estimator's error on one GPU and stack is systematic (the
//    allocator's rounding and the libraries' workspaces), not per batch.

import type { BatchMeasurement } from './run-probe';
import { measuredPeakBytes } from './compare';

export interface MeasurementContext {
  machine: string;
  gpuName: string;
  driver: string | null;
  torch: string | null;
  ultralytics: string | null;
  model: string;
  imgsz: number;
  amp: boolean;
  optimizer: string;
  data: string | null;
}

export interface StoredMeasurement {
  context: MeasurementContext;
  batch: number;
  outcome: 'fits' | 'oom';
  oomPhase: string | null;
  /** The largest device figure over the phases and which figure it is (nvidia-smi or reserved). */
  measuredBytes: number | null;
  measuredFigure: string | null;
  /** The estimate's device bytes for the same settings when it was measured (null if not estimable). */
  estimatedBytes: number | null;
  measuredAt: string;
}

export function contextKey(c: MeasurementContext): string {
  return JSON.stringify([c.machine, c.gpuName, c.driver, c.torch, c.ultralytics, c.model.toLowerCase(), c.imgsz, c.amp, c.optimizer, c.data]);
}

export function toStored(m: BatchMeasurement, context: MeasurementContext, estimatedBytes: number | null, now: Date): StoredMeasurement | null {
  if (m.outcome !== 'fits' && m.outcome !== 'oom') return null;
  const peak = measuredPeakBytes(m);
  return { context, batch: m.batch, outcome: m.outcome, oomPhase: m.oomPhase, measuredBytes: peak?.bytes ?? null, measuredFigure: peak?.figure ?? null, estimatedBytes, measuredAt: now.toISOString() };
}

/** Adds or replaces (same context and batch) a measurement; keeps at most `max`, newest last. */
export function upsertMeasurement(list: readonly StoredMeasurement[], s: StoredMeasurement, max = 500): StoredMeasurement[] {
  const key = contextKey(s.context);
  const out = list.filter((x) => !(contextKey(x.context) === key && x.batch === s.batch));
  out.push(s);
  return out.slice(-max);
}

export type CalibratedSource = 'measured' | 'scaled' | 'estimate';

export interface Calibrated {
  /** Device bytes to plan with. */
  bytes: number;
  source: CalibratedSource;
  /** false when this exact configuration ran out of memory when measured. */
  fitsMeasured: boolean | null;
  /** The measurement used (exact or nearest), if any. */
  from: StoredMeasurement | null;
  /** measured / estimated applied for 'scaled'. */
  ratio: number | null;
}

/** The device figure to plan with for `batch` given the stored measurements on this machine. */
export function calibrate(estimatedBytes: number, batch: number, context: MeasurementContext, stored: readonly StoredMeasurement[]): Calibrated {
  const key = contextKey(context);
  const same = stored.filter((s) => contextKey(s.context) === key);
  const exact = same.find((s) => s.batch === batch);
  if (exact) {
    if (exact.outcome === 'oom') return { bytes: estimatedBytes, source: 'measured', fitsMeasured: false, from: exact, ratio: null };
    if (exact.measuredBytes !== null && exact.measuredFigure !== 'cpu-peak-rss') return { bytes: exact.measuredBytes, source: 'measured', fitsMeasured: true, from: exact, ratio: null };
  }
  // an OOM at a smaller batch means every larger batch fails too
  const smallerOom = same.find((s) => s.outcome === 'oom' && s.batch <= batch);
  const usable = same.filter((s) => s.outcome === 'fits' && s.measuredBytes !== null && s.estimatedBytes !== null && s.estimatedBytes > 0 && s.measuredFigure !== 'cpu-peak-rss');
  if (usable.length === 0) return { bytes: estimatedBytes, source: 'estimate', fitsMeasured: smallerOom ? false : null, from: smallerOom ?? null, ratio: null };
  const nearest = usable.reduce((a, b) => (Math.abs(Math.log(b.batch / batch)) < Math.abs(Math.log(a.batch / batch)) ? b : a));
  const ratio = (nearest.measuredBytes as number) / (nearest.estimatedBytes as number);
  const largerFits = same.some((s) => s.outcome === 'fits' && s.batch >= batch);
  return { bytes: Math.round(estimatedBytes * ratio), source: 'scaled', fitsMeasured: smallerOom ? false : largerFits ? true : null, from: nearest, ratio };
}
