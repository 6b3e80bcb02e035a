// How many ground-truth boxes per image the TaskAlignedAssigner sees: the `objectsPerImage` input of
// the GPU estimate, derived from a scanned dataset.
//
// Mechanism (Ultralytics 8.3.x):
//   - The loss pads every image of a batch to the most boxes of any image in that batch
//     (`v8DetectionLoss.preprocess`: `out = zeros(b, counts.max(), ...)`), and the assigner's
//     temporaries are batch × that max × anchors. So the quantity is the per-batch MAX.
//   - With mosaic (default on, all but the last `close_mosaic=10` epochs) each training image is 4
//     dataset images on a 2·imgsz canvas, cropped to imgsz by the random affine
//     (`RandomPerspective` with border -imgsz/2: the canvas is centred, zoomed by g ~ U(1 - scale,
//     1 + scale) with the default `scale=0.5`, and an imgsz window kept). The window covers
//     min(1, 1 / (4 g²)) of the canvas: all four images at a zoom of 0.5, a quarter at 1, a ninth at
//     1.5 (a third on average). Each box survives with that probability (`box_candidates` keeps a box
//     with ≥ 10 % of its area inside, so this is slightly low for boxes cut by the window's edge).
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
/** Ultralytics' default `scale` augmentation gain: the mosaic's zoom is drawn from [1 - s, 1 + s]. */
export const MOSAIC_SCALE_GAIN = 0.5;

/** Share of a 2·imgsz mosaic canvas the imgsz output window shows at zoom g (see above). */
export function mosaicKeptShare(g: number): number {
  return Math.min(1, 1 / (4 * g * g));
}
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
  /** Boxes per training image averaged over the batch with the most boxes in all: the loss's positive
   *  anchors (topk per box) count real boxes, not the padded ones. null when nothing was scanned. */
  positivesPerImage: number | null;
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
    return { value: null, mosaic, perImage, perBatch: null, positivesPerImage: null, batchesSimulated: 0, explanation: 'no label files were scanned: objects per image unknown' };
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
  let mostInBatch = 0;
  for (let r = 0; r < R; r++) {
    let m = 0;
    let total = 0;
    for (let i = 0; i < B; i++) {
      let s = 0;
      for (let k = 0; k < per; k++) s += draw();
      if (mosaic) {
        // each box survives the crop with the window's share of the canvas
        const keep = mosaicKeptShare(1 - MOSAIC_SCALE_GAIN + 2 * MOSAIC_SCALE_GAIN * rng());
        let kept = 0;
        if (keep >= 1) kept = s;
        else for (let j = 0; j < s; j++) if (rng() < keep) kept++;
        s = kept;
      }
      total += s;
      if (s > m) m = s;
    }
    maxima[r] = m;
    if (total > mostInBatch) mostInBatch = total;
  }
  maxima.sort((a, b) => a - b);
  const q = (p: number) => maxima[Math.min(R - 1, Math.max(0, Math.ceil(p * R) - 1))];
  const perBatch = { p50: q(0.5), p99: q(0.99), max: maxima[R - 1] };
  const value = Math.max(perBatch.max, perImage.max);
  const sampledNote = stats.sampled ? ` Counts come from a sample of ${stats.sampled.scanned} of ${stats.sampled.total} images, so the densest image may be missed.` : '';
  const how = mosaic
    ? `each training image is a mosaic of ${MOSAIC_IMAGES} dataset images, of which the random zoom keeps a window (a third of the boxes on average, all of them at the widest zoom)`
    : 'no mosaic: each training image is one dataset image';
  const explanation =
    `${value} boxes per image: the assigner pads every image of a batch to the batch's densest image; ${how}; ` +
    `simulating ${R} batches of ${B} from the scanned objects-per-image distribution (max ${perImage.max}, p99 ${perImage.p99}, mean ${perImage.mean}) ` +
    `gives a per-batch max of ${perBatch.p50} typically, ${perBatch.p99} at p99 and ${perBatch.max} in the worst batch, which sets the memory peak.` +
    (value > perBatch.max ? ` Raised to ${value}, the densest image, which every epoch trains on.` : '') +
    sampledNote;
  return { value, mosaic, perImage, perBatch, positivesPerImage: Math.ceil(mostInBatch / B), batchesSimulated: R, explanation };
}
