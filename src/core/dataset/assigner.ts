// How many ground-truth boxes per image the TaskAlignedAssigner sees: the `objectsPerImage` input of
// the GPU estimate, derived from a scanned dataset.
//
// Mechanism (Ultralytics 8.3.x):
//   - The loss pads every image of a batch to the most boxes of any image in that batch
//     (`v8DetectionLoss.preprocess`: `out = zeros(b, counts.max(), ...)`), and the assigner's
//     temporaries are batch × that max × anchors. So the quantity is the per-batch MAX.
//   - With mosaic (default on, all but the last `close_mosaic=10` epochs) each training image is 4
//     dataset images on a 2·imgsz canvas, cropped to imgsz by the random affine. With the default
//     scale gain (`scale=0.5`, a zoom in [0.5, 1.5]) a zoom near 0.5 shows the whole canvas, so all
//     four images' boxes can survive (`box_candidates` keeps boxes ≥ 2 px and ≥ 10 % of their
//     area). The rule therefore counts the full sum of the 4 images (MOSAIC_KEEP = 1), an upper
//     bound on what one mosaic carries.
//   - The caching allocator keeps the largest reservation of the run, so the figure that matters is
//     the worst batch of an epoch, not a typical one.
// The rule simulates that: draw 4 images (with replacement) from the scanned objects-per-image
// histogram per mosaic, `batch` mosaics per batch, one epoch's worth of batches (at least
// MIN_BATCHES, at most MAX_BATCHES), and takes the largest per-batch max. Every image is the "main"
// image of one mosaic per epoch, so the result is never below the densest scanned image.

import { randInt, seededRng } from './rng';
import type { DatasetStats } from './types';

/** What the simulation reads from a scan (a synthetic distribution supplies the same, density.ts). */
export type AssignerInput = Pick<DatasetStats, 'images' | 'sampled'> & { objects: Pick<DatasetStats['objects'], 'max' | 'p99' | 'mean' | 'histogram'> };

/** Images per mosaic (Ultralytics `Mosaic(n=4)`). */
export const MOSAIC_IMAGES = 4;
/** Share of a mosaic's boxes assumed to survive the crop (1 = all; see above). */
export const MOSAIC_KEEP = 1;
/** Batches simulated: one epoch (images / batch), clamped to this range. */
export const MIN_BATCHES = 200;
export const MAX_BATCHES = 2000;

export interface AssignerObjectsOptions {
  /** Mosaic augmentation on (Ultralytics default `mosaic=1.0`). */
  mosaic?: boolean;
  seed?: number;
}

export interface AssignerObjects {
  /** Boxes per image the assigner is padded to in the worst batch; null when nothing was scanned. */
  value: number | null;
  mosaic: boolean;
  /** From the scan: most objects in one image and the 99th percentile. */
  perImage: { max: number; p99: number; mean: number };
  /** Simulated per-batch maxima (after mosaic when on). */
  perBatch: { p50: number; p99: number; max: number } | null;
  batchesSimulated: number;
  explanation: string;
}

export function assignerObjects(stats: AssignerInput, batch: number, opts: AssignerObjectsOptions = {}): AssignerObjects {
  const mosaic = opts.mosaic ?? true;
  const B = Math.max(1, Math.floor(batch));
  const hist = stats.objects.histogram;
  const n = hist.reduce((s, b) => s + b.images, 0);
  const perImage = { max: stats.objects.max, p99: stats.objects.p99, mean: stats.objects.mean };
  if (n === 0) {
    return { value: null, mosaic, perImage, perBatch: null, batchesSimulated: 0, explanation: 'no label files were scanned: objects per image unknown' };
  }
  // Inverse-CDF sampling over the histogram.
  const values = hist.map((b) => b.objects);
  const cum: number[] = [];
  let c = 0;
  for (const b of hist) cum.push((c += b.images));
  const rng = seededRng(opts.seed ?? 1);
  const draw = () => {
    const u = randInt(rng, n);
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return values[lo];
  };
  const per = mosaic ? MOSAIC_IMAGES : 1;
  const epochBatches = Math.ceil(Math.max(stats.images, n) / B);
  const R = Math.min(MAX_BATCHES, Math.max(MIN_BATCHES, epochBatches));
  const maxima = new Array<number>(R);
  for (let r = 0; r < R; r++) {
    let m = 0;
    for (let i = 0; i < B; i++) {
      let s = 0;
      for (let k = 0; k < per; k++) s += draw();
      s = Math.floor(s * (mosaic ? MOSAIC_KEEP : 1));
      if (s > m) m = s;
    }
    maxima[r] = m;
  }
  maxima.sort((a, b) => a - b);
  const q = (p: number) => maxima[Math.min(R - 1, Math.max(0, Math.ceil(p * R) - 1))];
  const perBatch = { p50: q(0.5), p99: q(0.99), max: maxima[R - 1] };
  const value = Math.max(perBatch.max, perImage.max);
  const sampledNote = stats.sampled ? ` Counts come from a sample of ${stats.sampled.scanned} of ${stats.sampled.total} images, so the densest image may be missed.` : '';
  const how = mosaic
    ? `each training image is a mosaic of ${MOSAIC_IMAGES} dataset images (all their boxes counted, as with a zoom-out)`
    : 'no mosaic: each training image is one dataset image';
  const explanation =
    `${value} boxes per image: the assigner pads every image of a batch to the batch's densest image; ${how}; ` +
    `simulating ${R} batches of ${B} from the scanned objects-per-image distribution (max ${perImage.max}, p99 ${perImage.p99}, mean ${perImage.mean}) ` +
    `gives a per-batch max of ${perBatch.p50} typically, ${perBatch.p99} at p99 and ${perBatch.max} in the worst batch, which sets the memory peak.` +
    (value > perBatch.max ? ` Raised to ${value}, the densest image, which every epoch trains on.` : '') +
    sampledNote;
  return { value, mosaic, perImage, perBatch, batchesSimulated: R, explanation };
}
