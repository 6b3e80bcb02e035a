// What the panel and the hover show of a measurement: built here, pure, so the CLI's comparison,
// the panel and the hover say the same thing and tests need no editor.
import type { Estimate } from '../result';
import type { MeasuredView } from '../../protocol/measured';
import { compareMeasurement, measuredPeakBytes } from './compare';
import type { StoredMeasurement } from './calibration';
import type { BatchMeasurement, ProbeSettings } from './run-probe';

export function deviceLine(m: BatchMeasurement): string | null {
  if (!m.device) return null;
  const d = m.device.type === 'cuda' ? `${m.device.name}${m.device.driver ? `, driver ${m.device.driver}` : ''}` : 'CPU';
  const v = m.versions ? `; torch ${m.versions.torch ?? '?'}, ultralytics ${m.versions.ultralytics ?? '?'}` : '';
  return d + v;
}

export function measuredView(m: BatchMeasurement, s: ProbeSettings, est: Estimate | null, measuredAt: Date | null): MeasuredView {
  return {
    model: s.model,
    batch: m.batch,
    imgsz: s.imgsz,
    status: m.outcome,
    message: m.message,
    device: deviceLine(m),
    rows: compareMeasurement(m, est),
    measuredAt: measuredAt ? measuredAt.toISOString() : null,
  };
}

export function runningView(s: ProbeSettings, batch: number, message: string, sofar: BatchMeasurement | null, est: Estimate | null): MeasuredView {
  return { model: s.model, batch, imgsz: s.imgsz, status: 'running', message, device: sofar ? deviceLine(sofar) : null, rows: sofar ? compareMeasurement(sofar, est) : [], measuredAt: null };
}

const GIB = 2 ** 30;
const gib = (b: number) => `${(b / GIB).toFixed(1)} GiB`;

/** The hover's line for a stored measurement of the configuration it shows:
 *  "measured on this GPU: 7.9 GiB (estimate 7.6)". */
export function measuredHoverLine(s: StoredMeasurement): string {
  if (s.outcome === 'oom') return `measured on this GPU: out of memory at batch ${s.batch}${s.oomPhase ? ` (${s.oomPhase.replace('_', ' ')})` : ''}${s.estimatedBytes !== null ? ` (estimate ${(s.estimatedBytes / GIB).toFixed(1)})` : ''}`;
  const measured = s.measuredBytes !== null ? gib(s.measuredBytes) : 'no figure';
  return `measured on this GPU: ${measured}${s.estimatedBytes !== null ? ` (estimate ${(s.estimatedBytes / GIB).toFixed(1)})` : ''}`;
}

export { measuredPeakBytes };
