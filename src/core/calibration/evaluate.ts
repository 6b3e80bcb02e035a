// Runs the estimator over the calibration set's rows, as a user would ask (calibration/runs.ts), and
// pairs each estimate with what the run really reserved. Shared by `npm run accuracy` and the test
// that recomputes the error model.

import { analyze } from '../analyze';
import { parseCsv } from './csv';
import { prepareRow, type CalibrationRow, type DatasetDensity } from './runs';

export interface CalibrationFiles {
  /** runs.csv, oom.csv (any *.csv with the runs header), by file name. */
  runs: Record<string, string>;
  /** datasets.csv, when present. */
  datasets: string | null;
}

export interface EvaluatedRow {
  id: string;
  file: string;
  group: string;
  task: string;
  family: string;
  gpuClass: string;
  densityKnown: boolean;
  /** The mean boxes per image the estimate was given (null: assumed). */
  densityMean: number | null;
  oom: boolean;
  /** Measured memory_reserved() in epoch 1 and the highest of the run (bytes), when given. */
  real: number | null;
  realMax: number | null;
  /** The estimate: reserved (central), the CUDA context, what the step needs, validation, the GPU. */
  reserved: number;
  context: number;
  needed: number;
  validationDevice: number | null;
  gpuTotal: number;
}

export interface SkippedRow {
  id: string;
  file: string;
  group: string;
  family: string;
  task: string;
  reason: string;
}

export interface Evaluation {
  rows: EvaluatedRow[];
  skipped: SkippedRow[];
}

/** datasets.csv: one row per dataset name with its mean (and max) boxes per image and image count. */
export function readDensities(text: string | null): Map<string, DatasetDensity> {
  const out = new Map<string, DatasetDensity>();
  if (!text) return out;
  const n = (s: string | undefined) => (s === undefined || s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s));
  for (const r of parseCsv(text, 'datasets.csv')) {
    const name = (r.dataset ?? r.name ?? '').trim();
    if (!name) continue;
    // `images` counts the split the source printed (often val): only a train split sizes the epoch
    const split = (r.split ?? '').trim().toLowerCase();
    out.set(name.toLowerCase(), {
      dataset: name,
      mean: n(r.objects_per_image_mean ?? r.objects_per_image),
      max: n(r.objects_per_image_max),
      images: split === 'train' ? n(r.images) : null,
    });
  }
  return out;
}

export function calibrationRows(files: CalibrationFiles): { file: string; row: CalibrationRow }[] {
  const out: { file: string; row: CalibrationRow }[] = [];
  for (const [file, text] of Object.entries(files.runs).sort(([a], [b]) => a.localeCompare(b))) {
    for (const r of parseCsv(text, file)) out.push({ file, row: r as unknown as CalibrationRow });
  }
  return out;
}

export async function evaluateCalibration(files: CalibrationFiles, onRow?: (done: number, total: number) => void): Promise<Evaluation> {
  const densities = readDensities(files.datasets);
  const all = calibrationRows(files);
  const rows: EvaluatedRow[] = [];
  const skipped: SkippedRow[] = [];
  let done = 0;
  for (const { file, row } of all) {
    onRow?.(done++, all.length);
    const p = prepareRow(row, densities);
    const base = { id: row.id, file, group: row.source_group || row.source_url || row.id };
    if (!p.ok) {
      skipped.push({ ...base, family: '', task: row.task, reason: p.reason });
      continue;
    }
    try {
      const r = await analyze(p.options);
      const e = r.estimates[0];
      rows.push({
        ...base,
        task: p.task,
        family: p.family,
        gpuClass: p.gpuClass,
        densityKnown: p.densityKnown,
        densityMean: p.options.datasetDensity?.mean ?? null,
        oom: p.oom,
        real: p.measuredBytes,
        realMax: p.measuredMaxBytes,
        reserved: e.bytes.reserved,
        context: e.bytes.cudaContext,
        needed: e.neededDevice,
        validationDevice: e.validationDevice,
        gpuTotal: r.gpu!.totalBytes,
      });
    } catch (err) {
      skipped.push({ ...base, family: p.family, task: p.task, reason: `not estimable: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  return { rows, skipped };
}
