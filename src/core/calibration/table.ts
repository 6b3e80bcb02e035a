// The accuracy table of `npm run accuracy`: cross-validated figures on the calibration set, overall,
// per task and per family. Pure: rows in, table rows and text out.

import { DEFAULT_MARGIN } from '../memory/constants';
import { upperBound, verdictOf, type DensityKnowledge, type ErrorModel } from '../memory/band';
import type { Evaluation, EvaluatedRow } from './evaluate';
import { crossValidatedFactors, KNOWLEDGE, knowledgeOf, median } from './fit';

export interface AccuracyLine {
  label: string;
  /** Rows with a measured reserved figure (epoch 1) that the estimator could read. */
  n: number;
  notEstimable: number;
  /** Central estimate vs epoch-1 reserved: median |error|, median signed error (est / real - 1). */
  medianAbsError: number | null;
  medianSignedError: number | null;
  /** Share of runs the central estimate is under. */
  shareUnder: number | null;
  /** Share of runs (highest reserved of the run) under the cross-validated upper bound. */
  coverage: number | null;
  /** Median of upper bound / real. */
  medianUpperOverReal: number | null;
  oomRows: number;
  /** Out-of-memory configurations whose cross-validated verdict was "fits" (must be 0). */
  oomCalledFits: number;
}

export interface RowVerdict {
  row: EvaluatedRow;
  factor: number;
  upperReserved: number;
  verdict: string;
}

/** Each row's verdict with the factor it would get when its own source is held out. */
export function crossValidatedVerdicts(rows: EvaluatedRow[], model: ErrorModel): RowVerdict[] {
  const levels = (k: DensityKnowledge) => model.classes[k].quantile;
  const cv = crossValidatedFactors(rows, levels);
  return rows.map((row) => {
    const factor = cv.get(row)!;
    const k = knowledgeOf(row);
    const band = upperBound(row.reserved, row.context, k, { ...model, classes: { ...model.classes, [k]: { ...model.classes[k], factor } } });
    const usable = row.gpuTotal * (1 - DEFAULT_MARGIN);
    const centralFits = row.needed <= usable && (row.validationDevice ?? 0) <= usable;
    return { row, factor, upperReserved: band.reserved, verdict: verdictOf(centralFits, band.device, usable) };
  });
}

function line(label: string, verdicts: RowVerdict[], notEstimable: number): AccuracyLine {
  const withReal = verdicts.filter((v) => !v.row.oom && v.row.real !== null);
  const err = withReal.map((v) => v.row.reserved / v.row.real! - 1);
  const withAny = verdicts.filter((v) => !v.row.oom && (v.row.real ?? v.row.realMax) !== null);
  const top = (v: RowVerdict) => Math.max(v.row.real ?? 0, v.row.realMax ?? 0);
  const ooms = verdicts.filter((v) => v.row.oom);
  return {
    label,
    n: withReal.length,
    notEstimable,
    medianAbsError: err.length ? median(err.map(Math.abs)) : null,
    medianSignedError: err.length ? median(err) : null,
    shareUnder: err.length ? err.filter((e) => e < 0).length / err.length : null,
    coverage: withAny.length ? withAny.filter((v) => top(v) <= v.upperReserved).length / withAny.length : null,
    medianUpperOverReal: withAny.length ? median(withAny.map((v) => v.upperReserved / top(v))) : null,
    oomRows: ooms.length,
    oomCalledFits: ooms.filter((v) => v.verdict === 'fits').length,
  };
}

export function accuracyTable(ev: Evaluation, model: ErrorModel): { overall: AccuracyLine; typical: AccuracyLine; byTask: AccuracyLine[]; byFamily: AccuracyLine[]; byKnowledge: AccuracyLine[]; verdicts: RowVerdict[] } {
  const verdicts = crossValidatedVerdicts(ev.rows, model);
  const by = (key: (r: { task: string; family: string }) => string, extra: (v: RowVerdict) => string) => {
    const labels = new Set([...verdicts.map((v) => extra(v)), ...ev.skipped.map((s) => key(s))]);
    return [...labels].filter(Boolean).sort().map((l) => line(l, verdicts.filter((v) => extra(v) === l), ev.skipped.filter((s) => key(s) === l).length));
  };
  return {
    overall: line('all', verdicts, ev.skipped.length),
    typical: line('typical density (not dense)', verdicts.filter((v) => knowledgeOf(v.row) !== 'dense'), 0),
    byTask: by((r) => r.task, (v) => v.row.task),
    byFamily: by((r) => r.family, (v) => v.row.family),
    byKnowledge: KNOWLEDGE.map((k) => line(`density: ${k}`, verdicts.filter((v) => knowledgeOf(v.row) === k), 0)),
    verdicts,
  };
}

const pct = (x: number | null, signed = false) => (x === null ? '–' : `${signed && x > 0 ? '+' : ''}${(x * 100).toFixed(1)} %`);
const times = (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}×`);

export const TABLE_HEADER = ['', 'n', 'not estimable', 'median abs. error', 'median signed error', 'under', 'band coverage', 'median upper / real', 'OOM rows', 'OOM called "fits"'];

export function lineCells(l: AccuracyLine): string[] {
  return [l.label, String(l.n), String(l.notEstimable), pct(l.medianAbsError), pct(l.medianSignedError, true), pct(l.shareUnder), pct(l.coverage), times(l.medianUpperOverReal), String(l.oomRows), String(l.oomCalledFits)];
}

/** A Markdown table (docs/accuracy.md) or aligned plain text (the terminal). */
export function renderTable(lines: AccuracyLine[], markdown: boolean): string {
  const rows = [TABLE_HEADER, ...lines.map(lineCells)];
  if (markdown) return [rows[0], rows[0].map(() => '---'), ...rows.slice(1)].map((r) => `| ${r.join(' | ')} |`).join('\n');
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')).join('\n');
}
