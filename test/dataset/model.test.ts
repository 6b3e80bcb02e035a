// The two pure rules built on a scan: assigner objects per image, and host RAM of the data pipeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assignerObjects } from '../../src/core/dataset/assigner';
import { hostRamEstimate, resizedHW, resizedPixels } from '../../src/core/dataset/host-ram';
import { scanSources } from '../../src/core/dataset/scan';
import type { CountBin, DatasetStats, SizeBin } from '../../src/core/dataset/types';
import { boxLines, png, tempDir, write } from './helpers';

function stats(hist: CountBin[], sizes: SizeBin[] = [], extra: { images?: number; unknown?: number; unreadable?: number } = {}): DatasetStats {
  const scanned = hist.reduce((s, b) => s + b.images, 0);
  const known = sizes.reduce((s, b) => s + b.count, 0);
  const total = hist.reduce((s, b) => s + b.objects * b.images, 0);
  return {
    split: 'train', sources: [], images: extra.images ?? scanned, labelled: 0, background: 0, missingLabels: 0, emptyLabels: 0,
    objects: { total, max: hist.length ? hist[hist.length - 1].objects : 0, p99: 0, p50: 0, mean: scanned ? total / scanned : 0, histogram: hist, top: [] },
    malformed: { count: 0, files: 0, examples: [] }, duplicates: 0,
    imageSizes: { known, unknown: extra.unknown ?? 0, unreadable: extra.unreadable ?? 0, meanPixels: 0, maxWidth: 0, maxHeight: 0, sizes, otherCount: 0, otherMeanAspect: 0, otherMeanPixels: 0, formats: {} },
    sampled: null, lineKinds: { box: 0, polygonOrKeypoints: 0 }, elapsedMs: 0, notes: [],
  };
}

test('assigner objects: a dense dataset (300 per image) gives up to 4 × 300 with mosaic (the widest zoom keeps nearly all), 300 without', () => {
  const s = stats([{ objects: 300, images: 40 }]);
  const m = assignerObjects(s, 16);
  assert.ok(m.value! > 1100 && m.value! <= 1200, String(m.value));
  // a typical batch's densest mosaic is cropped more: below the worst batch's
  assert.ok(m.perBatch!.p50 < m.perBatch!.max && m.perBatch!.max === m.value, JSON.stringify(m.perBatch));
  // the loss's positives count the real boxes: a third of the mosaic's on average, well below the padded count
  assert.ok(m.positivesPerImage! > 300 && m.positivesPerImage! < 1200, String(m.positivesPerImage));
  assert.equal(m.batchesSimulated, 200);
  assert.match(m.explanation, /^1200 boxes per image: the assigner pads every image of a batch/);
  assert.equal(assignerObjects(s, 16, { mosaic: false }).value, 300);
});

test('assigner objects: never below the densest image; bounded by 4 × max; seeded', () => {
  const rare = stats([{ objects: 1, images: 99_999 }, { objects: 50, images: 1 }]);
  const r = assignerObjects(rare, 8);
  assert.ok(r.value! >= 50 && r.value! <= 200, String(r.value));
  assert.match(r.explanation, /densest image/);
  const hist = Array.from({ length: 11 }, (_, k) => ({ objects: k, images: 100 }));
  const u = assignerObjects(stats(hist), 16, { seed: 3 });
  assert.ok(u.value! > 10 && u.value! <= 40, String(u.value));
  assert.ok(u.perBatch!.p50 <= u.perBatch!.p99 && u.perBatch!.p99 <= u.perBatch!.max);
  assert.deepEqual(assignerObjects(stats(hist), 16, { seed: 3 }), u);
  // Larger batches see denser maxima.
  assert.ok(assignerObjects(stats(hist), 64).perBatch!.p50 >= assignerObjects(stats(hist), 2).perBatch!.p50);
  assert.equal(assignerObjects(stats([]), 16).value, null);
});

test('assigner objects from a scanned dense dataset (300 boxes per image) is ≥ 300', async () => {
  const { dir, cleanup } = tempDir();
  try {
    for (let i = 0; i < 24; i++) {
      write(join(dir, `images/im${i}.png`), png(1024, 768));
      write(join(dir, `labels/im${i}.txt`), boxLines(300 + (i % 3)));
    }
    const s = await scanSources({ split: 'train', sources: [join(dir, 'images')], nc: 3, kptShape: null }, { noCache: true });
    assert.deepEqual([s.images, s.objects.max, s.objects.total], [24, 302, 24 * 301]);
    const a = assignerObjects(s, 16);
    assert.ok(a.value! >= 300 * 4, String(a.value));
    assert.ok(a.value! <= 302 * 4);
  } finally {
    cleanup();
  }
});

test('resize: long side to imgsz, aspect kept, ceil, capped (Ultralytics load_image)', () => {
  assert.deepEqual(resizedHW(640, 480, 640), { w: 640, h: 480 });
  assert.deepEqual(resizedHW(1280, 720, 640), { w: 640, h: 360 });
  assert.deepEqual(resizedHW(100, 200, 640), { w: 320, h: 640 });
  assert.deepEqual(resizedHW(1000, 333, 640), { w: 640, h: 214 });
  assert.deepEqual(resizedHW(3, 7, 640), { w: 275, h: 640 });
  // Unknown sizes count as imgsz²; unreadable images are dropped; a sample is scaled to all images.
  assert.deepEqual(resizedPixels(stats([{ objects: 0, images: 4 }], [{ w: 1280, h: 720, count: 2 }], { unknown: 2, unreadable: 1, images: 8 }), 640), {
    images: 6,
    pixels: (2 * 640 * 360 + 1 * 640 * 640) * 2,
    originalPixels: Math.round((2 * 1280 * 720 + 1280 * 720) * 2),
  });
  assert.deepEqual(resizedPixels(stats([], [], { images: 100 }), 320), { images: 100, pixels: 100 * 320 * 320, originalPixels: null });
});

test('host RAM: hand-computed terms for cache=ram that fits', () => {
  const s = stats([{ objects: 1, images: 10 }], [{ w: 1280, h: 720, count: 10 }]);
  const img = 640 * 640 * 3;
  const r = hostRamEstimate(s, { imgsz: 640, batch: 4, workers: 2, cache: 'ram', freeRamBytes: 1e9 });
  const by = Object.fromEntries(r.terms.map((t) => [t.key, t.bytes]));
  assert.deepEqual(by, {
    cacheRam: 10 * 640 * 360 * 3, // 6,912,000
    trainPrefetch: 2 * 2 * 4 * img,
    mosaicWork: 2 * 5 * img,
    pinned: 2 * 4 * img,
    valPrefetch: 4 * 2 * 8 * img,
  });
  assert.equal(r.totalBytes, 6_912_000 + 16 * img + 10 * img + 8 * img + 64 * img);
  assert.deepEqual(r.cache, { mode: 'ram', ramBytes: 6_912_000, requiredWithMarginBytes: 10_368_000, ultralyticsWouldCache: true, diskBytes: null, diskFits: null });
  assert.equal(r.verdict, 'fits');
  assert.equal(hostRamEstimate(s, { imgsz: 640, batch: 4, workers: 2, cache: 'ram', freeRamBytes: r.totalBytes }).verdict, 'tight');
  assert.equal(hostRamEstimate(s, { imgsz: 640, batch: 4, workers: 2, cache: 'ram', freeRamBytes: r.totalBytes - 1 }).verdict, 'exceeds');
});

test("host RAM: check_cache_ram's 50% margin decides; without the cache each worker keeps a mosaic buffer", () => {
  const s = stats([{ objects: 1, images: 2000 }], [{ w: 640, h: 640, count: 2000 }]);
  const img = 640 * 640 * 3;
  // Cache is 2000 × img = 2.46 GB; with the margin 3.69 GB. 3 GB free: Ultralytics refuses.
  const r = hostRamEstimate(s, { imgsz: 640, batch: 16, workers: 8, cache: true, freeRamBytes: 3e9 });
  assert.equal(r.cache.ultralyticsWouldCache, false);
  assert.equal(r.cache.requiredWithMarginBytes, 2000 * img * 1.5);
  const by = Object.fromEntries(r.terms.map((t) => [t.key, t.bytes]));
  assert.equal(by.cacheRam, 0);
  assert.equal(by.mosaicBuffer, Math.min(2000, 16 * 8, 1000) * img * 8);
  assert.match(r.notes.join(), /train without the cache/);
  // Exactly at the limit it caches (Ultralytics refuses only when required > available).
  assert.equal(hostRamEstimate(s, { imgsz: 640, batch: 16, workers: 8, cache: 'ram', freeRamBytes: 2000 * img * 1.5 }).cache.ultralyticsWouldCache, true);
  // No cache: buffer per worker, capped at 1000 images.
  const big = stats([{ objects: 1, images: 5000 }], [{ w: 640, h: 640, count: 5000 }]);
  const nb = hostRamEstimate(big, { imgsz: 640, batch: 256, workers: 1, cache: false, freeRamBytes: 1e12 });
  assert.equal(nb.terms.find((t) => t.key === 'mosaicBuffer')!.bytes, 1000 * img);
  assert.equal(nb.terms.find((t) => t.key === 'cacheRam'), undefined);
});

test('host RAM: workers capped by CPUs per GPU; DDP multiplies per-process terms; val only on rank 0', () => {
  const s = stats([{ objects: 1, images: 100 }], [{ w: 320, h: 320, count: 100 }]);
  const one = hostRamEstimate(s, { imgsz: 320, batch: 8, workers: 8, cache: null, freeRamBytes: 1e12, cpuCount: 4, ranks: 2, pinMemory: false });
  assert.equal(one.workersEffective, 2);
  assert.match(one.notes.join(), /workers capped at 2/);
  const img = 320 * 320 * 3;
  const by = Object.fromEntries(one.terms.map((t) => [t.key, t.bytes]));
  assert.equal(by.trainPrefetch, 2 * 2 * 8 * img * 2);
  assert.equal(by.valPrefetch, 2 * 2 * 16 * img); // val workers = min(2 × 2, 4 / 2) = 2
  assert.equal(by.pinned, undefined);
  assert.equal(by.mosaicBuffer, 64 * img * 2 * 2);
  const w0 = hostRamEstimate(s, { imgsz: 320, batch: 8, workers: 0, cache: null, freeRamBytes: 1e12, augment: false });
  const by0 = Object.fromEntries(w0.terms.map((t) => [t.key, t.bytes]));
  assert.deepEqual(by0, { trainPrefetch: 8 * img, pinned: 2 * 8 * img, valPrefetch: 16 * img });
});

test('host RAM: cache=disk stores full-resolution .npy files (+128 B each); val cache counted when scanned', () => {
  const s = stats([{ objects: 1, images: 10 }], [{ w: 1280, h: 720, count: 10 }]);
  const d = hostRamEstimate(s, { imgsz: 640, batch: 4, workers: 2, cache: 'disk', freeRamBytes: 1e12, freeDiskBytes: 1e12 });
  assert.equal(d.cache.diskBytes, 10 * (1280 * 720 * 3 + 128));
  assert.equal(d.cache.diskFits, true);
  assert.ok(d.terms.some((t) => t.key === 'mosaicBuffer'));
  const tight = hostRamEstimate(s, { imgsz: 640, batch: 4, workers: 2, cache: 'disk', freeRamBytes: 1e12, freeDiskBytes: 10 * (1280 * 720 * 3 + 128) });
  assert.equal(tight.cache.diskFits, false);
  const val = stats([{ objects: 1, images: 5 }], [{ w: 640, h: 320, count: 5 }]);
  const g = hostRamEstimate(s, { imgsz: 640, batch: 4, workers: 2, cache: 'ram', freeRamBytes: 1e12, valStats: val, channels: 1 });
  assert.equal(g.cache.ramBytes, 10 * 640 * 360 + 5 * 640 * 320);
  // A batch never holds more images than the split has: 5 val images, val batch 8 → 5.
  const vp = g.terms.find((t) => t.key === 'valPrefetch')!;
  assert.equal(vp.bytes, 4 * 2 * 5 * 640 * 640);
  const tiny = hostRamEstimate(stats([{ objects: 1, images: 3 }], [{ w: 64, h: 64, count: 3 }]), { imgsz: 64, batch: 16, workers: 0, cache: null, freeRamBytes: 1e9 });
  assert.equal(tiny.terms.find((t) => t.key === 'trainPrefetch')!.bytes, 3 * 64 * 64 * 3);
});
