// The largest batch that fits: one search for every caller (the max batch, and a tighter bound with
// another "fits" rule), so they cannot disagree on how far to look. It looks as far as the estimator
// can count exactly (OPTION_LIMITS: the batch limit, and batch x imgsz² pixels per step), not to a
// fixed 4096: yolov8n at imgsz 320 on an H200 fits thousands of images more. When even that limit
// fits, the answer says so (`atLimit`) instead of passing the limit off as exact.
import { OPTION_LIMITS } from './validate';

export interface BatchSearch {
  /** Largest global batch that fits (a multiple of the GPU count); 0 when not even one image per GPU fits. */
  batch: number;
  /** True when the search stopped at `limit` with that batch still fitting: the real largest is ≥ batch. */
  atLimit: boolean;
  /** The largest global batch the search could try (the estimator's exact-arithmetic limit). */
  limit: number;
}

/** Largest per-GPU batch the estimator evaluates exactly at this image size. */
export function searchLimitPerGpu(imgsz: number): number {
  return Math.max(1, Math.min(OPTION_LIMITS.batch[1], Math.floor(OPTION_LIMITS.pixelsPerStep / (imgsz * imgsz))));
}

/**
 * Doubling until a batch does not fit, then bisection, all exact evaluations; under DDP the global
 * batch moves in steps of the GPU count. `fits` must grow no more likely with the batch (memory only
 * grows with it). The next batch after the answer (answer + gpus) does not fit, unless `atLimit`.
 */
export function largestFittingBatch(fits: (batch: number) => boolean, gpus: number, imgsz: number): BatchSearch {
  const step = gpus;
  const limit = searchLimitPerGpu(imgsz) * step;
  if (!fits(step)) return { batch: 0, atLimit: false, limit };
  let lo = step;
  let hi = 0;
  for (let b = 2 * step; ; b *= 2) {
    const probe = Math.min(b, limit);
    if (fits(probe)) lo = probe;
    else {
      hi = probe;
      break;
    }
    if (probe === limit) return { batch: limit, atLimit: true, limit };
  }
  while (hi - lo > step) {
    const mid = lo + Math.floor((hi - lo) / 2 / step) * step;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return { batch: lo, atLimit: false, limit };
}

/** The max batch in words for every surface: "no batch fits at imgsz 640", "≥ 32768" at the search
 *  limit, else the number; null when no GPU is known. */
export function maxBatchText(r: { maxBatch: number | null; maxBatchAtLeast?: boolean; estimates: { imgsz: number }[] }): string | null {
  if (r.maxBatch === null) return null;
  if (r.maxBatch === 0) return `no batch fits at imgsz ${r.estimates[0]?.imgsz ?? '?'}`;
  return r.maxBatchAtLeast ? `≥ ${r.maxBatch}` : String(r.maxBatch);
}
