// The error model computed from the calibration set (memory/band.ts applies it).
//
// For each class of estimate (dataset density read or given, or assumed) the upper-bound factor is a
// quantile of realMax / estimate, where realMax is the highest memory_reserved() the run showed (its
// later epochs when the source gives them, else epoch 1). The quantile's level is the lowest of
// 0.90, 0.91, ..., 1.00 at which leave-one-source-out cross-validation covers at least the target share
// of runs: every source group (one issue thread, one notebook, one blog) is held out in turn, its
// factor computed from the other groups only, and its runs checked against that bound. A class with
// fewer than MIN_CLASS_ROWS rows takes the factor pooled over the typical-density classes ('dataset' and
// 'assumed'; the dense rows are pooled only into their own class, since their error is of another
// order: the mean does not show the tail of a crowd or face dataset).

import { densityKnowledge, type BandClass, type DensityKnowledge, type ErrorModel } from '../memory/band';
import type { EvaluatedRow } from './evaluate';

export const TARGET_COVERAGE = 0.9;
export const MIN_CLASS_ROWS = 10;
const LEVELS = Array.from({ length: 11 }, (_, i) => 0.9 + i / 100);

/** Linear-interpolation quantile (R's type 7) of sorted values. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

/** Rows with a measurement, and the ratio the band covers. Runs that ran out of memory have no
 *  measurement and do not enter the fit (they are checked against the verdict instead). */
export function measured(rows: EvaluatedRow[]): (EvaluatedRow & { ratio: number })[] {
  return rows
    .filter((r) => !r.oom && (r.realMax ?? r.real) !== null && r.reserved > 0)
    .map((r) => ({ ...r, ratio: Math.max(r.realMax ?? 0, r.real ?? 0) / r.reserved }));
}

export const knowledgeOf = (r: EvaluatedRow): DensityKnowledge => densityKnowledge({ labelsRead: false, countGiven: false, mean: r.densityMean });
export const KNOWLEDGE: DensityKnowledge[] = ['dataset', 'dense', 'assumed'];

/** The factor for a class from the given rows at level q (pooled when the class is too small). */
function factorFrom(rows: (EvaluatedRow & { ratio: number })[], k: DensityKnowledge, q: number): number {
  const own = rows.filter((r) => knowledgeOf(r) === k);
  const use = own.length >= MIN_CLASS_ROWS ? own : rows.filter((r) => knowledgeOf(r) !== 'dense');
  return Math.max(1, quantile(use.map((r) => r.ratio).sort((a, b) => a - b), q));
}

/** The leave-one-source-out factor each row would have been given at level q. */
export function crossValidatedFactors(rows: EvaluatedRow[], q: number | ((k: DensityKnowledge) => number)): Map<EvaluatedRow, number> {
  const m = measured(rows);
  const levelOf = typeof q === 'number' ? () => q : q;
  const out = new Map<EvaluatedRow, number>();
  const groups = new Set(rows.map((r) => r.group));
  for (const g of groups) {
    const train = m.filter((r) => r.group !== g);
    for (const r of rows.filter((x) => x.group === g)) {
      const k = knowledgeOf(r);
      out.set(r, train.length ? factorFrom(train, k, levelOf(k)) : 1);
    }
  }
  return out;
}

export function fitErrorModel(rows: EvaluatedRow[], csvDigest: string): ErrorModel {
  const m = measured(rows);
  const classes = {} as Record<DensityKnowledge, BandClass>;
  for (const k of KNOWLEDGE) {
    // a class too small to choose its own level is judged with the typical rows it is pooled with
    const own = m.filter((r) => knowledgeOf(r) === k);
    const inClass = own.length >= MIN_CLASS_ROWS ? own : m.filter((r) => knowledgeOf(r) !== 'dense');
    let chosen = LEVELS[LEVELS.length - 1];
    let coverage = 0;
    for (const q of LEVELS) {
      const cv = crossValidatedFactors(m, q);
      const covered = inClass.filter((r) => r.ratio <= cv.get(r)!).length;
      coverage = inClass.length ? covered / inClass.length : 1;
      if (coverage >= TARGET_COVERAGE) {
        chosen = q;
        break;
      }
    }
    const factor = m.length ? factorFrom(m, k, chosen) : 1;
    classes[k] = { n: own.length, quantile: round(chosen, 2), factor: round(factor, 4), cvCoverage: round(coverage, 4) };
  }
  return { targetCoverage: TARGET_COVERAGE, csvDigest, rows: m.length, classes };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
