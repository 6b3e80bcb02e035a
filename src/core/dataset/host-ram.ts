// Host (CPU) memory of an Ultralytics training run's data pipeline: the `cache=ram` image cache, the
// mosaic buffer each loader worker keeps, batches prefetched by workers, pinned batches, and the
// persistent validation loader. Pure functions: free RAM is a parameter (callers pass
// `os.freemem()`), nothing here reads the machine. Reasoning: docs/memory-model.md §11.

import type { DatasetStats } from './types';

/** `check_cache_ram(safety_margin=0.5)`: caching needs bytes × (1 + margin) ≤ available RAM. */
export const CACHE_SAFETY_MARGIN = 0.5;
/** torch DataLoader's default `prefetch_factor` with workers > 0 (batches queued per worker). */
export const PREFETCH_FACTOR = 2;
/** Pinned batches alive with `pin_memory=True` (Ultralytics' PIN_MEMORY default): the one in use and the next. */
export const PINNED_BATCHES = 2;
/** `max_buffer_length = min(ni, batch * 8, 1000)` images kept per dataset copy when augmenting. */
export const BUFFER_BATCHES = 8;
export const BUFFER_MAX_IMAGES = 1000;
/** Mosaic builds on a 2·imgsz square canvas (`np.full((s*2, s*2, c), 114)`): 4·imgsz² pixels. */
export const MOSAIC_CANVAS_PIXELS_PER_IMGSZ2 = 4;
/** `np.save` header of a 3-D uint8 array: magic, version, header length, dict, padded to 128 bytes. */
export const NPY_HEADER_BYTES = 128;
/** Above this share of free RAM the verdict is "tight" (page cache, the Python processes, other apps). */
export const HOST_TIGHT_SHARE = 0.8;

export type CacheMode = 'ram' | 'disk' | null;

export interface HostRamOptions {
  imgsz: number;
  /** Batch per process (per GPU under DDP). */
  batch: number;
  /** `workers` as set (Ultralytics default 8). */
  workers: number;
  /** `cache`: true/'ram', 'disk', or false/null/undefined. */
  cache?: boolean | 'ram' | 'disk' | null;
  /** Free (available) RAM in bytes, e.g. `os.freemem()` at the call site. */
  freeRamBytes: number;
  totalRamBytes?: number;
  /** CPU cores: Ultralytics caps workers at cpu_count // GPUs. Unknown → workers as given. */
  cpuCount?: number;
  /** DDP processes (GPUs); each builds its own datasets and loaders. Default 1. */
  ranks?: number;
  /** Bytes per pixel of a decoded image (the dataset YAML's `channels`; default 3). */
  channels?: number;
  /** Torch `pin_memory` (Ultralytics default true when training on CUDA). */
  pinMemory?: boolean;
  /** Mosaic / augmentation on for the train loader (default true): enables the per-worker buffer. */
  augment?: boolean;
  /** The val split's scan: its images are cached too and its loader prefetches. */
  valStats?: DatasetStats | null;
  /** Free disk bytes where the images live, for the `cache=disk` check. */
  freeDiskBytes?: number;
}

export interface HostRamTerm {
  key: 'cacheRam' | 'mosaicBuffer' | 'trainPrefetch' | 'mosaicWork' | 'pinned' | 'valPrefetch';
  label: string;
  bytes: number;
  /** How the number was computed, in words and numbers. */
  detail: string;
}

export interface HostRamEstimate {
  /** Sum of the terms: the data pipeline's host memory. */
  totalBytes: number;
  terms: HostRamTerm[];
  cache: {
    mode: CacheMode;
    /** Decoded, resized images of the train (+ val) split, per process. */
    ramBytes: number;
    /** What `check_cache_ram` demands: ramBytes × (1 + margin), per split. */
    requiredWithMarginBytes: number;
    /** Ultralytics' own check: false = it prints a warning and trains without the cache. null = not asked. */
    ultralyticsWouldCache: boolean | null;
    /** `cache=disk`: bytes of the `.npy` files (full-resolution images), and whether they fit the disk. */
    diskBytes: number | null;
    diskFits: boolean | null;
  };
  workersEffective: number;
  freeRamBytes: number;
  verdict: 'fits' | 'tight' | 'exceeds';
  notes: string[];
}

/** Ultralytics `load_image` (rect_mode=True): long side → imgsz, ratio kept, ceil, capped at imgsz. */
export function resizedHW(w0: number, h0: number, imgsz: number): { w: number; h: number } {
  const r = imgsz / Math.max(h0, w0);
  if (r === 1) return { w: w0, h: h0 };
  return { w: Math.min(Math.ceil(w0 * r), imgsz), h: Math.min(Math.ceil(h0 * r), imgsz) };
}

/**
 * Pixels of every usable image of a split after `load_image`, extrapolated from the scan to all
 * listed images. Unknown sizes count as imgsz × imgsz (the largest a resized image can be);
 * unreadable images are left out, as Ultralytics drops them before caching.
 */
export function resizedPixels(stats: DatasetStats, imgsz: number): { images: number; pixels: number; originalPixels: number | null } {
  const s = stats.imageSizes;
  const scanned = s.known + s.unknown;
  if (scanned === 0) return { images: stats.images, pixels: stats.images * imgsz * imgsz, originalPixels: null };
  let px = 0;
  let orig = 0;
  for (const b of s.sizes) {
    const r = resizedHW(b.w, b.h, imgsz);
    px += r.w * r.h * b.count;
    orig += b.w * b.h * b.count;
  }
  px += s.otherCount * imgsz * imgsz * s.otherMeanAspect;
  orig += s.otherCount * s.otherMeanPixels;
  const unknownReadable = s.unknown - s.unreadable;
  px += unknownReadable * imgsz * imgsz;
  const usable = scanned - s.unreadable;
  const scale = stats.images / scanned;
  const origMean = s.known ? orig / s.known : null;
  return {
    images: Math.round(usable * scale),
    pixels: Math.round(px * scale),
    originalPixels: origMean === null ? null : Math.round((orig + unknownReadable * origMean) * scale),
  };
}

export function hostRamEstimate(stats: DatasetStats, o: HostRamOptions): HostRamEstimate {
  const notes: string[] = [];
  const c = o.channels ?? 3;
  const s2 = o.imgsz * o.imgsz;
  const ranks = Math.max(1, Math.floor(o.ranks ?? 1));
  const B = Math.max(1, Math.floor(o.batch));
  const mode: CacheMode = o.cache === true || o.cache === 'ram' ? 'ram' : o.cache === 'disk' ? 'disk' : null;
  // build_dataloader: nw = min(cpu_count // max(nd, 1), workers).
  let workers = Math.max(0, Math.floor(o.workers));
  if (o.cpuCount !== undefined) {
    const cap = Math.floor(o.cpuCount / ranks);
    if (cap < workers) notes.push(`workers capped at ${cap} (${o.cpuCount} CPUs / ${ranks} GPU${ranks > 1 ? 's' : ''}), as Ultralytics does`);
    workers = Math.min(workers, cap);
  }
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  const train = resizedPixels(stats, o.imgsz);
  const val = o.valStats ? resizedPixels(o.valStats, o.imgsz) : null;
  if (o.cache && !o.valStats && mode === 'ram') notes.push('val split not scanned: its cache is not counted');
  const meanResized = train.images ? (train.pixels * c) / train.images : s2 * c;
  const terms: HostRamTerm[] = [];

  // 1. cache=ram: every DDP process caches the train images; rank 0 alone builds the val loader and
  // caches the val images. Each dataset is checked by check_cache_ram against what is still available.
  const trainCache = train.pixels * c;
  const valCache = val ? val.pixels * c : 0;
  let cached = false;
  let wouldCache: boolean | null = null;
  if (mode === 'ram') {
    let avail = o.freeRamBytes;
    let cachedBytes = 0;
    wouldCache = true;
    for (let r = 0; r < ranks; r++) {
      for (const b of r === 0 ? [trainCache, valCache] : [trainCache]) {
        if (!b) continue;
        if (b * (1 + CACHE_SAFETY_MARGIN) <= avail) {
          avail -= b;
          cachedBytes += b;
        } else wouldCache = false;
      }
    }
    cached = cachedBytes > 0;
    if (!wouldCache) notes.push(`cache=ram needs ${gib((trainCache + valCache) * (1 + CACHE_SAFETY_MARGIN))} with Ultralytics' 50% margin per process; it will print a warning and train without the cache where that is not available`);
    terms.push({
      key: 'cacheRam',
      label: 'cache=ram images',
      bytes: cachedBytes,
      detail: `${train.images.toLocaleString('en-US')} train${val ? ` + ${val.images.toLocaleString('en-US')} val` : ''} images resized to long side ${o.imgsz} × ${c} B/px = ${gib(trainCache + valCache)}${ranks > 1 ? ` (train images in each of ${ranks} processes)` : ''}`,
    });
  }

  // 2. Mosaic buffer: without a RAM cache, each copy of the train dataset (one per worker process,
  // or the main process with workers=0) keeps its last min(ni, 8·batch, 1000) loaded images.
  const augment = o.augment ?? true;
  const procs = Math.max(1, workers);
  if (augment && !(mode === 'ram' && cached)) {
    const n = Math.min(train.images, BUFFER_BATCHES * B, BUFFER_MAX_IMAGES);
    const bytes = Math.round(n * meanResized * procs * ranks);
    terms.push({ key: 'mosaicBuffer', label: 'mosaic buffer', bytes, detail: `${n} images × ${fmtBytes(meanResized)} (mean resized) × ${procs} loader process${procs > 1 ? 'es' : ''}${ranks > 1 ? ` × ${ranks} GPUs` : ''}` });
  }

  // 3. Batches prefetched by the train workers: uint8 (B, c, s, s) in shared memory.
  // A batch holds at most the dataset's images (drop_last=False; the sampler repeats, so the count
  // of queued batches is not capped).
  const tb = train.images > 0 ? Math.min(B, train.images) : B;
  const batchBytes = tb * s2 * c;
  const queued = workers > 0 ? workers * PREFETCH_FACTOR : 1;
  terms.push({ key: 'trainPrefetch', label: 'prefetched train batches', bytes: queued * batchBytes * ranks, detail: `${workers > 0 ? `${workers} workers × ${PREFETCH_FACTOR}` : '1 (no workers)'} batches × ${tb} × ${o.imgsz}² × ${c} B${ranks > 1 ? ` × ${ranks} GPUs` : ''}` });

  // 4. Mosaic in progress: per worker, the 2s × 2s canvas plus the s × s warped output.
  if (augment) {
    const per = (MOSAIC_CANVAS_PIXELS_PER_IMGSZ2 + 1) * s2 * c;
    terms.push({ key: 'mosaicWork', label: 'mosaic canvas', bytes: per * procs * ranks, detail: `${procs} × (${o.imgsz * 2}² canvas + ${o.imgsz}² output) × ${c} B` });
  }

  // 5. Pinned copies of the current and next batch.
  if (o.pinMemory ?? true) terms.push({ key: 'pinned', label: 'pinned batches', bytes: PINNED_BATCHES * batchBytes * ranks, detail: `${PINNED_BATCHES} × ${tb} × ${o.imgsz}² × ${c} B (pin_memory)` });

  // 6. The val loader is an InfiniteDataLoader: its workers start at construction and keep their
  // prefetched batches for the whole run. Rank 0 only; batch 2×, workers 2× (capped like train).
  let valWorkers = workers * 2;
  if (o.cpuCount !== undefined) valWorkers = Math.min(valWorkers, Math.floor(o.cpuCount / ranks));
  const valQueued = valWorkers > 0 ? valWorkers * PREFETCH_FACTOR : 1;
  const vb = val && val.images > 0 ? Math.min(2 * B, val.images) : 2 * B;
  terms.push({ key: 'valPrefetch', label: 'prefetched val batches', bytes: valQueued * vb * s2 * c, detail: `${valWorkers > 0 ? `${valWorkers} workers × ${PREFETCH_FACTOR}` : '1 (no workers)'} batches × ${vb} × ≤ ${o.imgsz}² × ${c} B (letterboxed, at most imgsz²)` });

  // cache=disk: np.save of the ORIGINAL image (cache_images_to_disk saves imread(f), not resized).
  let diskBytes: number | null = null;
  let diskFits: boolean | null = null;
  if (mode === 'disk') {
    if (train.originalPixels === null) notes.push('image sizes unknown: cache=disk size not computed');
    else {
      diskBytes = Math.round(train.originalPixels * c + train.images * NPY_HEADER_BYTES);
      if (o.freeDiskBytes !== undefined) diskFits = diskBytes * (1 + CACHE_SAFETY_MARGIN) <= o.freeDiskBytes;
      if (diskFits === false) notes.push(`cache=disk needs ${gib(diskBytes * (1 + CACHE_SAFETY_MARGIN))} of disk with the 50% margin; Ultralytics will skip the disk cache`);
    }
  }

  const totalBytes = terms.reduce((a, t) => a + t.bytes, 0);
  const verdict = totalBytes > o.freeRamBytes ? 'exceeds' : totalBytes > HOST_TIGHT_SHARE * o.freeRamBytes ? 'tight' : 'fits';
  if (stats.imageSizes.unknown - stats.imageSizes.unreadable > 0) notes.push(`${stats.imageSizes.unknown - stats.imageSizes.unreadable} image(s) of unknown size counted as ${o.imgsz}×${o.imgsz}`);
  if (stats.sampled) notes.push(`image sizes extrapolated from ${stats.sampled.scanned} of ${stats.sampled.total} images`);
  return {
    totalBytes,
    terms,
    cache: {
      mode,
      ramBytes: mode === 'ram' ? trainCache + valCache : 0,
      requiredWithMarginBytes: mode === 'ram' ? Math.round((trainCache + valCache) * (1 + CACHE_SAFETY_MARGIN)) : 0,
      ultralyticsWouldCache: wouldCache,
      diskBytes,
      diskFits,
    },
    workersEffective: workers,
    freeRamBytes: o.freeRamBytes,
    verdict,
    notes,
  };
}

function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(2)} MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)} KiB`;
  return `${Math.round(b)} B`;
}
