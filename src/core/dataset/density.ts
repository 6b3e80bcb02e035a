// Boxes per image when the dataset's labels are not read: a distribution with the dataset's mean
// (given, or COCO's when nothing is known), run through the same mosaic / worst-batch simulation as a
// scanned dataset (assigner.ts). The assigner is padded to the densest mosaic of a batch, so using the
// mean itself (what the estimator did before) leaves its (batch x boxes x anchors) tensors several
// times too small (docs/memory-model.md, "Boxes per image when the dataset is not read").
//
// Shape of the distribution: geometric (P(k) = p (1-p)^k, k >= 0), one parameter fixed by the mean.
// Evidence that it describes detection datasets' tails: for COCO train (mean 7.3 boxes per image,
// 860k boxes / 118k images) it puts the median at 5 and the 99th percentile at 36 boxes; the
// published figures are a median of 4 and 99 % of images between 1 and 33 instances
// (stig.sh/Lextal/SotA-CV, COCO detection, train 2014). A Poisson of the same mean would put the 99th
// percentile at 15: far too thin-tailed.

import { assignerObjects, type AssignerInput, type AssignerObjects } from './assigner';

/** COCO train2017's mean boxes per image (860,001 boxes / 118,287 images): the assumption when the
 *  dataset is unknown (the default of most tutorials and of Ultralytics' examples). */
export const COCO_MEAN_OBJECTS = 7.3;
/** Images per epoch assumed when the dataset's size is unknown: sets how many batches the worst
 *  batch is taken over (assigner.ts clamps to 200..2000 batches). */
export const DEFAULT_DATASET_IMAGES = 5000;

export interface DensityInput {
  /** Mean boxes per image. */
  mean: number;
  /** Most boxes in one image, when known: the distribution is cut there. */
  max?: number | null;
  /** Training images, when known. */
  images?: number | null;
}

/** A geometric objects-per-image histogram with the given mean over `images` images (counts rounded;
 *  the tail is cut where fewer than half an image is expected, or at `max`). */
export function geometricHistogram(d: DensityInput): AssignerInput {
  const images = Math.max(1, Math.round(d.images ?? DEFAULT_DATASET_IMAGES));
  const mean = Math.max(0, d.mean);
  const q = mean / (1 + mean); // P(k) = (1 - q) q^k has mean q / (1 - q)
  // a dataset of `images` images holds its densest image around the law's expected maximum: the
  // simulation must not draw denser ones than the dataset can have
  const cut = Math.min(d.max ?? Infinity, expectedMax(q, images, Infinity));
  const histogram: { objects: number; images: number }[] = [];
  // a fine grid (x1000) so that rare dense images keep their weight in the sampler
  const scale = 1000;
  let total = 0;
  let weighted = 0;
  for (let k = 0; k <= cut; k++) {
    const p = (1 - q) * q ** k;
    const n = Math.round(p * images * scale);
    if (n === 0 && k > mean) break;
    if (n > 0) {
      histogram.push({ objects: k, images: n });
      total += n;
      weighted += n * k;
    }
  }
  // a densest image that is known joins the histogram: it is the main image of one mosaic per epoch
  if (d.max != null && d.max > (histogram[histogram.length - 1]?.objects ?? 0)) {
    histogram.push({ objects: d.max, images: scale });
    total += scale;
    weighted += scale * d.max;
  }
  const maxK = histogram.length ? histogram[histogram.length - 1].objects : 0;
  const quantile = (f: number) => {
    let c = 0;
    for (const b of histogram) if ((c += b.images) >= f * total) return b.objects;
    return maxK;
  };
  // the sampler draws from the histogram; `images` keeps the epoch length of the real dataset
  return { images, sampled: null, objects: { max: Math.max(d.max ?? 0, expectedMax(q, images, cut)), p99: quantile(0.99), mean: total ? weighted / total : 0, histogram } };
}

/** The densest image expected among `images` draws of the geometric law, capped at `cut`. */
function expectedMax(q: number, images: number, cut: number): number {
  if (q <= 0) return 0;
  return Math.min(cut, Math.round(Math.log(images) / -Math.log(q)));
}

/** Boxes per image the assigner is padded to in the worst batch, for a dataset known only by its
 *  density (or not at all: COCO's). */
export function assumedAssignerObjects(d: DensityInput, batch: number): AssignerObjects {
  // From 64 images per batch on, the simulation (at least 200 batches: 12,800 mosaics, more than the
  // assumed epoch's 5,000 images) has found the densest mosaic such a dataset holds; a larger batch
  // only costs time (a 4,096 batch would draw 27 million boxes). Positives per image then err high.
  const b = Math.max(1, Math.min(Math.floor(batch), SIMULATED_BATCH_CAP));
  // The simulation is seeded, so its answer depends on these four numbers only. One analysis asks it
  // once per batch size it tries (the max-batch search and the curve: ~30 sizes), and each hover or
  // what-if change asks again: without the memo it was ~95 % of a yolov8n analysis (1.4 s of 1.5 s).
  const key = `${d.mean}|${d.max ?? ''}|${d.images ?? ''}|${b}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const a = assignerObjects(geometricHistogram(d), b);
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  memo.set(key, a);
  return a;
}

/** Results are plain data that callers only read; 64 batch sizes x a few densities fit easily. */
const MEMO_ENTRIES = 512;
const memo = new Map<string, AssignerObjects>();

/** Largest batch simulated for an assumed density (see assumedAssignerObjects). */
export const SIMULATED_BATCH_CAP = 64;
