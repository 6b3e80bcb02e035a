// Accumulates per-image facts during a scan and turns them into the plain-JSON `DatasetStats`.

import type { HeaderRead } from './image-header';
import type { LabelFileResult } from './labels';
import type { CountBin, DatasetStats, ImageSizeStats, MalformedExample, SampleInfo, SizeBin, SplitName } from './types';

/** Distinct image sizes kept exactly; the rest are summarised (count, mean aspect, mean pixels). */
export const MAX_SIZE_BINS = 256;
/** Malformed-line examples kept in the result. */
export const MAX_MALFORMED_EXAMPLES = 10;
/** Bins in `objects.top`. */
export const TOP_BINS = 10;

export class StatsBuilder {
  scanned = 0;
  private counts = new Map<number, number>();
  private labelled = 0;
  private missing = 0;
  private empty = 0;
  private totalObjects = 0;
  private malformed = 0;
  private malformedFiles = 0;
  private examples: MalformedExample[] = [];
  private duplicates = 0;
  private box = 0;
  private long = 0;
  private sizes = new Map<string, SizeBin>();
  private known = 0;
  private unknown = 0;
  private unreadable = 0;
  private formats: Record<string, number> = {};
  private pixelSum = 0;
  private maxW = 0;
  private maxH = 0;

  addImage(r: HeaderRead): void {
    this.scanned++;
    if (r.kind === 'size') {
      const { w, h, format } = r.size;
      this.known++;
      this.pixelSum += w * h;
      if (w > this.maxW) this.maxW = w;
      if (h > this.maxH) this.maxH = h;
      this.formats[format] = (this.formats[format] ?? 0) + 1;
      const k = `${w}x${h}`;
      const bin = this.sizes.get(k);
      if (bin) bin.count++;
      else this.sizes.set(k, { w, h, count: 1 });
    } else if (r.kind === 'unknown') {
      this.unknown++;
      const f = r.format ?? 'other';
      this.formats[f] = (this.formats[f] ?? 0) + 1;
    } else {
      this.unknown++;
      this.unreadable++;
    }
  }

  addMissingLabel(): void {
    this.missing++;
    this.bump(0);
  }

  addLabel(file: string, r: LabelFileResult): void {
    this.totalObjects += r.objects;
    this.duplicates += r.duplicates;
    this.box += r.boxLines;
    this.long += r.longLines;
    if (r.malformed) {
      this.malformed += r.malformed;
      this.malformedFiles++;
      for (const i of r.issues) if (this.examples.length < MAX_MALFORMED_EXAMPLES) this.examples.push({ file, line: i.line, reason: i.reason });
    }
    if (r.objects === 0) this.empty++;
    else this.labelled++;
    this.bump(r.objects);
  }

  private bump(objects: number): void {
    this.counts.set(objects, (this.counts.get(objects) ?? 0) + 1);
  }

  finish(meta: { split: SplitName; sources: string[]; images: number; sampled: SampleInfo | null; notes: string[]; elapsedMs: number }): DatasetStats {
    const histogram: CountBin[] = [...this.counts].map(([objects, images]) => ({ objects, images })).sort((a, b) => a.objects - b.objects);
    const n = this.scanned;
    const objects = {
      total: this.totalObjects,
      max: histogram.length ? histogram[histogram.length - 1].objects : 0,
      p99: quantile(histogram, n, 0.99),
      p50: quantile(histogram, n, 0.5),
      mean: n ? round3(this.totalObjects / n) : 0,
      histogram,
      top: histogram.slice(-TOP_BINS).reverse(),
    };
    // Examples are collected by concurrent readers: sort so the output does not depend on timing.
    const examples = this.examples.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    return {
      split: meta.split,
      sources: meta.sources,
      images: meta.images,
      labelled: this.labelled,
      background: this.missing + this.empty,
      missingLabels: this.missing,
      emptyLabels: this.empty,
      objects,
      malformed: { count: this.malformed, files: this.malformedFiles, examples },
      duplicates: this.duplicates,
      imageSizes: this.sizeStats(),
      sampled: meta.sampled,
      lineKinds: { box: this.box, polygonOrKeypoints: this.long },
      elapsedMs: meta.elapsedMs,
      notes: meta.notes,
    };
  }

  private sizeStats(): ImageSizeStats {
    const all = [...this.sizes.values()].sort((a, b) => b.count - a.count || b.w * b.h - a.w * a.h || b.w - a.w);
    const kept = all.slice(0, MAX_SIZE_BINS);
    let otherCount = 0;
    let aspectSum = 0;
    let pixelSum = 0;
    for (const b of all.slice(MAX_SIZE_BINS)) {
      otherCount += b.count;
      aspectSum += (Math.min(b.w, b.h) / Math.max(b.w, b.h)) * b.count;
      pixelSum += b.w * b.h * b.count;
    }
    return {
      known: this.known,
      unknown: this.unknown,
      unreadable: this.unreadable,
      meanPixels: this.known ? Math.round(this.pixelSum / this.known) : 0,
      maxWidth: this.maxW,
      maxHeight: this.maxH,
      sizes: kept.map((b) => ({ ...b })),
      otherCount,
      otherMeanAspect: otherCount ? aspectSum / otherCount : 0,
      otherMeanPixels: otherCount ? pixelSum / otherCount : 0,
      formats: this.formats,
    };
  }
}

/** Nearest-rank quantile of a histogram over `n` items: the smallest value with ≥ ceil(q·n) at or below. */
export function quantile(hist: CountBin[], n: number, q: number): number {
  if (!n) return 0;
  const rank = Math.max(1, Math.ceil(q * n));
  let cum = 0;
  for (const b of hist) {
    cum += b.images;
    if (cum >= rank) return b.objects;
  }
  return hist.length ? hist[hist.length - 1].objects : 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
