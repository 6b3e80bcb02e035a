// Messages of "Measure on this GPU" between the host and the analysis panel, kept apart from
// webview.ts so that file only gains the union members and one case each. Pure: no vscode, no DOM.
//   host → panel  { type: 'measured', view }   what the probe is doing / measured, beside the estimate
//   panel → host  { type: 'measure' }          the panel's "Measure on this GPU" button

export type MeasuredStatus = 'running' | 'fits' | 'oom' | 'error' | 'cancelled' | 'timeout';
export const MEASURED_STATUSES: readonly MeasuredStatus[] = ['running', 'fits', 'oom', 'error', 'cancelled', 'timeout'];

export interface MeasuredRowView {
  /** 'first_step' | 'steady' | 'validation' */
  phase: string;
  /** 'allocated' | 'reserved' | 'nvidia-smi' | 'cpu-peak-rss' */
  figure: string;
  measuredBytes: number;
  estimatedBytes: number | null;
  /** (estimated - measured) / measured */
  error: number | null;
}

export interface MeasuredView {
  model: string;
  batch: number;
  imgsz: number;
  status: MeasuredStatus;
  /** One line: progress while running, the probe's result or why it did not finish. */
  message: string;
  /** The device and stack it ran on ("NVIDIA RTX 4090, driver 580; torch 2.11, ultralytics 8.4"). */
  device: string | null;
  rows: MeasuredRowView[];
  /** ISO time of the measurement (stored ones show their age). */
  measuredAt: string | null;
}

export interface MeasuredMessage {
  type: 'measured';
  view: MeasuredView | null;
}

export interface MeasureRequestMessage {
  type: 'measure';
}

const MAX_ROWS = 64;

function fail(at: string, what: string): never {
  throw new Error(`${at}: expected ${what}`);
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function str(v: unknown, at: string, max = 2000): string {
  if (typeof v !== 'string' || v.length > max) fail(at, `a string of at most ${max} characters`);
  return v;
}
function count(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(at, 'a number >= 0');
  return v;
}

/** Checks a MeasuredView from the host; throws with the path of the first bad field. */
export function validateMeasuredView(v: unknown): MeasuredView {
  if (!isObj(v)) fail('measured.view', 'an object');
  const status = v.status;
  if (typeof status !== 'string' || !(MEASURED_STATUSES as readonly string[]).includes(status)) fail('measured.view.status', MEASURED_STATUSES.join(' | '));
  if (!Array.isArray(v.rows) || v.rows.length > MAX_ROWS) fail('measured.view.rows', `an array of at most ${MAX_ROWS}`);
  const rows = v.rows.map((r, i): MeasuredRowView => {
    if (!isObj(r)) fail(`measured.view.rows[${i}]`, 'an object');
    const est = r.estimatedBytes === null ? null : count(r.estimatedBytes, `measured.view.rows[${i}].estimatedBytes`);
    const err = r.error === null ? null : typeof r.error === 'number' && Number.isFinite(r.error) ? r.error : fail(`measured.view.rows[${i}].error`, 'a number or null');
    return { phase: str(r.phase, `measured.view.rows[${i}].phase`, 32), figure: str(r.figure, `measured.view.rows[${i}].figure`, 32), measuredBytes: count(r.measuredBytes, `measured.view.rows[${i}].measuredBytes`), estimatedBytes: est, error: err };
  });
  return {
    model: str(v.model, 'measured.view.model', 4096),
    batch: count(v.batch, 'measured.view.batch'),
    imgsz: count(v.imgsz, 'measured.view.imgsz'),
    status: status as MeasuredStatus,
    message: str(v.message, 'measured.view.message'),
    device: v.device === null ? null : str(v.device, 'measured.view.device', 1024),
    rows,
    measuredAt: v.measuredAt === null ? null : str(v.measuredAt, 'measured.view.measuredAt', 64),
  };
}
