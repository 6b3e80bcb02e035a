// Scan one split of a dataset: list its images, then read each image's header and label file, within
// a time budget and a file budget.
//
// Sampling: listing keeps a uniform random sample of at most `maxFiles` images (reservoir sampling,
// seeded) while counting every image; the sample is then read in a shuffled order, so when the time
// budget stops the reading, what was read is still a uniform random sample. The result says
// "sampled N of M" (`sampled`) whenever N < M. Listing may use at most LIST_BUDGET_SHARE of the time
// budget; if it runs out, M is a lower bound (`totalExact: false`).

import { stat } from 'node:fs/promises';
import { readImageSize, readImageSizeSync, type HeaderRead } from './image-header';
import { MAX_LABEL_BYTES, readLabel, readLabelSync, type LabelText } from './label-file';
import { parseLabelText, type LabelRules } from './labels';
import { listImages, SLICE_MS, throwIfAborted } from './list';
import { img2labelPath, labelsDirOf } from './paths';
import { randInt, seededRng } from './rng';
import { StatsBuilder } from './stats';
import type { DatasetSpec, DatasetStats, ScanOptions, SplitName } from './types';
import { DatasetError } from './types';

/** Default wall-clock budget of one scan (listing + reading). */
export const DEFAULT_BUDGET_MS = 5000;
/** Default most label files (and image headers) read by one scan. */
export const DEFAULT_MAX_FILES = 200_000;
/** Share of the time budget listing may use before it stops and reports a lower bound. */
export const LIST_BUDGET_SHARE = 0.6;
/** Read at least this many images even past the time budget (when listed), so stats exist. */
export const MIN_SAMPLE = 200;
/** Parallel reads in flight on a slow disk: libuv's thread pool stays busy, latency overlaps. */
export const DEFAULT_CONCURRENCY = 32;
/** Mean time per image (header + label file) above which the disk counts as slow... */
export const SLOW_IMAGE_MS = 0.5;
/** ...measured over at least this many images. */
export const SLOW_PROBE_IMAGES = 64;
/** Results kept in the in-memory cache. */
export const CACHE_ENTRIES = 16;

/** What a scan needs from a spec; `scanDataset` builds it from a `DatasetSpec`. */
export interface ScanTarget {
  split: SplitName;
  sources: string[];
  nc: number | null;
  kptShape: [number, number] | null;
  /** The dataset YAML the sources come from: `forgetDatasetScans` drops its cached scans. */
  yamlPath?: string;
}

/** Scan one split of a dataset YAML (default: train). */
export async function scanDataset(spec: DatasetSpec, opts: ScanOptions = {}): Promise<DatasetStats> {
  const split = opts.split ?? 'train';
  const sources = spec.splits[split];
  if (!sources?.length) throw new DatasetError(`${spec.yamlPath}: no '${split}' split`);
  return scanSources({ split, sources, nc: spec.nc, kptShape: spec.kptShape, yamlPath: spec.yamlPath }, opts);
}

// In-memory LRU: key = the target, the budgets and the mtimes of each source and its labels folder.
const cache = new Map<string, { stats: DatasetStats; yamlPath: string | undefined }>();
// Bumped whenever entries are dropped: a scan that began before reads files that may have changed
// since, so it does not store its result (it would be served under an unchanged mtime key).
let cacheGeneration = 0;

/** Forget cached scans (tests; a "rescan" command). */
export function clearScanCache(): void {
  cache.clear();
  cacheGeneration++;
}

/** Forget the cached scans of one dataset YAML (its YAML or files under it changed, e.g. a label
 *  file edited in place, which no folder mtime in the key shows). Returns how many were dropped. */
export function forgetDatasetScans(yamlPath: string): number {
  let n = 0;
  for (const [k, v] of cache) {
    if (v.yamlPath === yamlPath) {
      cache.delete(k);
      n++;
    }
  }
  cacheGeneration++;
  return n;
}

async function cacheKey(t: ScanTarget, budgetMs: number, maxFiles: number, seed: number, cwd: string | undefined): Promise<string> {
  const mtimes: number[] = [];
  for (const s of t.sources) {
    for (const p of [s, labelsDirOf(s)]) {
      if (!p) continue;
      mtimes.push(await stat(p).then((x) => x.mtimeMs, () => -1));
    }
  }
  return JSON.stringify([t.split, t.sources, t.nc, t.kptShape, budgetMs, maxFiles, seed, cwd ?? null, mtimes]);
}

/** Scan explicit sources (folders, `.txt` lists, images) — what `scanDataset` runs. */
export async function scanSources(target: ScanTarget, opts: ScanOptions = {}): Promise<DatasetStats> {
  const num = (v: number | undefined, def: number) => (v === undefined || Number.isNaN(v) ? def : v);
  const budgetMs = Math.max(0, num(opts.budgetMs, DEFAULT_BUDGET_MS));
  const maxFiles = Math.max(1, Math.floor(num(opts.maxFiles, DEFAULT_MAX_FILES)));
  const seed = opts.seed ?? 1;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const { signal, onProgress } = opts;
  throwIfAborted(signal);

  const generation = cacheGeneration;
  const key = opts.noCache ? null : await cacheKey(target, budgetMs, maxFiles, seed, opts.cwd);
  if (key !== null) {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit); // most recently used last
      return structuredClone(hit.stats);
    }
  }

  const t0 = performance.now();
  const deadline = t0 + budgetMs;
  const notes: string[] = [];
  const rng = seededRng(seed);

  // 1. List, keeping a uniform reservoir of at most maxFiles paths (Algorithm R).
  const reservoir: string[] = [];
  let total = 0;
  let lastProgress = 0;
  const lister = listImages(target.sources, { deadline: t0 + budgetMs * LIST_BUDGET_SHARE, minImages: MIN_SAMPLE, signal, cwd: opts.cwd, notes });
  let listedAll = true;
  for (;;) {
    const r = await lister.next();
    if (r.done) {
      listedAll = r.value;
      break;
    }
    for (const p of r.value) {
      total++;
      if (reservoir.length < maxFiles) reservoir.push(p);
      else {
        const j = randInt(rng, total);
        if (j < maxFiles) reservoir[j] = p;
      }
    }
    const now = performance.now();
    if (onProgress && now - lastProgress > 100) {
      lastProgress = now;
      onProgress({ phase: 'listing', done: total, total: null });
    }
  }
  if (total === 0 && notes.length === 0) notes.push(`no images found in ${target.sources.join(', ')}`);

  // 2. Shuffle, then read until the sample or the time runs out.
  for (let i = reservoir.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const t = reservoir[i];
    reservoir[i] = reservoir[j];
    reservoir[j] = t;
  }
  const rules: LabelRules = { nc: target.nc, kptShape: target.kptShape };
  const stats = new StatsBuilder();
  let next = 0;
  let stoppedByTime = false;
  let bigLabels = 0;
  const record = (img: string, size: HeaderRead, label: LabelText | null) => {
    stats.addImage(size);
    if (label === null) stats.addMissingLabel();
    else {
      if (label.truncated) bigLabels++;
      stats.addLabel(img2labelPath(img), parseLabelText(label.text, rules));
    }
  };
  const progress = () => {
    const now = performance.now();
    if (onProgress && now - lastProgress > 100) {
      lastProgress = now;
      onProgress({ phase: 'reading', done: stats.scanned, total: reservoir.length });
    }
  };
  const outOfTime = () => next >= MIN_SAMPLE && performance.now() > deadline;

  // Synchronous reads in slices of SLICE_MS (no thread-pool round trips: ~5× faster on a local
  // disk), giving the event loop a turn between slices. If the disk turns out slow, switch to
  // concurrent async reads so the latency of many files overlaps.
  let mode = opts.io ?? 'auto';
  let syncMs = 0;
  while (mode !== 'async' && next < reservoir.length) {
    if (outOfTime()) {
      stoppedByTime = true;
      break;
    }
    throwIfAborted(signal);
    const start = performance.now();
    do {
      const img = reservoir[next++];
      record(img, readImageSizeSync(img), readLabelSync(img2labelPath(img)));
    } while (next < reservoir.length && performance.now() - start < SLICE_MS && !outOfTime());
    syncMs += performance.now() - start;
    progress();
    if (mode === 'auto' && next >= SLOW_PROBE_IMAGES && syncMs / next > SLOW_IMAGE_MS) {
      mode = 'async';
      notes.push(`slow disk (${(syncMs / next).toFixed(2)} ms per image): switched to ${concurrency} parallel reads`);
      break;
    }
    await yieldToEventLoop();
  }
  if (mode === 'async' && !stoppedByTime) {
    const worker = async () => {
      while (next < reservoir.length) {
        if (outOfTime()) {
          stoppedByTime = true;
          return;
        }
        throwIfAborted(signal);
        const img = reservoir[next++];
        const [size, label] = await Promise.all([readImageSize(img), readLabel(img2labelPath(img))]);
        record(img, size, label);
        progress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, reservoir.length - next) }, worker));
  }
  throwIfAborted(signal);
  onProgress?.({ phase: 'reading', done: stats.scanned, total: reservoir.length });

  if (bigLabels) notes.push(`${bigLabels} label file(s) larger than ${MAX_LABEL_BYTES >> 20} MiB read only up to that size`);
  const scanned = stats.scanned;
  let sampled: DatasetStats['sampled'] = null;
  if (scanned < total || !listedAll) {
    const reasons: string[] = [];
    if (total > maxFiles) reasons.push(`file budget ${maxFiles.toLocaleString('en-US')}`);
    if (stoppedByTime) reasons.push(`time budget ${budgetMs} ms`);
    if (!listedAll) reasons.push(`listing stopped at ${Math.round(LIST_BUDGET_SHARE * 100)}% of the time budget`);
    sampled = { scanned, total, totalExact: listedAll, reason: reasons.join('; ') };
    notes.unshift(`sampled ${scanned.toLocaleString('en-US')} of ${listedAll ? '' : 'at least '}${total.toLocaleString('en-US')} images (${sampled.reason}); counts are of the random sample`);
  }
  const result = stats.finish({ split: target.split, sources: target.sources, images: total, sampled, notes, elapsedMs: Math.round(performance.now() - t0) });
  if (key !== null && generation === cacheGeneration) {
    cache.set(key, { stats: result, yamlPath: target.yamlPath });
    while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return structuredClone(result);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
