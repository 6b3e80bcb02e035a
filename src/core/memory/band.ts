// The error band around the estimate and the three-state verdict (issue #21).
//
// The central value is the estimator's own `reserved` (no correction applied). The upper bound is
// that figure times a factor measured on the public calibration set (test/data/public-runs/): the
// quantile of real / estimated reserved memory chosen so that, in leave-one-source-out
// cross-validation, at least TARGET_COVERAGE of real runs stayed under the bound. The factors are
// computed by `npm run accuracy -- --write` into error-model.json; a unit test recomputes them from
// the CSV. How and why: docs/memory-model.md §12 and docs/accuracy.md.

import generated from './error-model.json';

/** What the estimate knew about the boxes per image: the labels read, a count given, or a typical
 *  mean density given ('dataset'); only a dense mean given ('dense': the tail that sets the padded
 *  count is unknown, and dense datasets have the heaviest tails); nothing ('assumed': COCO's). */
export type DensityKnowledge = 'dataset' | 'dense' | 'assumed';

/** A dataset known only by its mean is 'dense' from this many boxes per image: above COCO's 7.3 and
 *  below the crowd/face/aerial datasets of the calibration set (WIDER FACE 12.3, CrowdHuman 23). */
export const DENSE_MEAN_OBJECTS = 10;

export function densityKnowledge(opts: { labelsRead: boolean; countGiven: boolean; mean: number | null }): DensityKnowledge {
  if (opts.labelsRead || opts.countGiven) return 'dataset';
  if (opts.mean === null) return 'assumed';
  return opts.mean >= DENSE_MEAN_OBJECTS ? 'dense' : 'dataset';
}

export type Verdict = 'fits' | 'tight' | 'does-not-fit';

export interface BandClass {
  /** Calibration rows in the class. */
  n: number;
  /** Quantile level of real / estimate used (chosen by cross-validation). */
  quantile: number;
  /** Upper bound = estimate x factor. */
  factor: number;
  /** Leave-one-source-out coverage at that level. */
  cvCoverage: number;
}

export interface ErrorModel {
  /** What the coverage target was. */
  targetCoverage: number;
  /** sha256 of the calibration CSV files the model was computed from (file name + contents). */
  csvDigest: string;
  rows: number;
  classes: Record<DensityKnowledge, BandClass>;
}

export const ERROR_MODEL: ErrorModel = generated as ErrorModel;

export interface Band {
  reserved: number;
  device: number;
}

/** The upper bound of `reserved` (and of the device total, the context added) for an estimate. */
export function upperBound(reserved: number, cudaContext: number, knowledge: DensityKnowledge, model: ErrorModel = ERROR_MODEL): Band {
  const factor = Math.max(1, model.classes[knowledge].factor);
  const up = Math.ceil(reserved * factor);
  return { reserved: up, device: up + cudaContext };
}

/** fits: the upper bound fits the usable VRAM; tight: only the central value does; does-not-fit:
 *  not even the central value. `centralFits` is the estimator's own check (training and validation). */
export function verdictOf(centralFits: boolean, upperDevice: number, usable: number): Verdict {
  if (!centralFits) return 'does-not-fit';
  return upperDevice <= usable ? 'fits' : 'tight';
}
