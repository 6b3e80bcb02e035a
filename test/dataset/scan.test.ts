import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearScanCache, scanDataset, scanSources } from '../../src/core/dataset/scan';
import { readDatasetYaml } from '../../src/core/dataset/yaml';
import type { DatasetSpec, DatasetStats, ScanProgress } from '../../src/core/dataset/types';
import { bmp, boxLines, gif, jpeg, png, tempDir, webpExtended, webpLossless, webpLossy, write } from './helpers';

// A dataset whose every count is known by construction (see the expectations below).
let root = '';
let cleanup = () => {};
let spec: DatasetSpec;

before(async () => {
  const t = tempDir();
  root = t.dir;
  cleanup = t.cleanup;
  const img = (rel: string, data: Buffer) => write(join(root, 'images/train', rel), data);
  const lab = (rel: string, text: string) => write(join(root, 'labels/train', rel), text);
  for (let i = 0; i < 100; i++) {
    img(`p${i}.png`, png(640, 480));
    lab(`p${i}.txt`, boxLines(i % 5)); // 20 each of 0 (empty file), 1, 2, 3, 4 objects
  }
  for (let i = 0; i < 50; i++) {
    img(`j${i}.jpg`, jpeg(1920, 1080, { exifBytes: i % 2 ? 9000 : 0 }));
    lab(`j${i}.txt`, boxLines(10));
  }
  for (let i = 0; i < 30; i++) {
    img(`b${i}.bmp`, bmp(100, 200));
    lab(`b${i}.txt`, '');
  }
  for (let i = 0; i < 20; i++) img(`w${i}.webp`, [webpLossy, webpLossless, webpExtended][i % 3](800, 800)); // no label files
  for (let i = 0; i < 10; i++) {
    img(`sub/deeper/n${i}.PNG`, png(320, 320));
    lab(`sub/deeper/n${i}.txt`, boxLines(1));
  }
  for (let i = 0; i < 5; i++) {
    img(`m${i}.png`, png(50, 50));
    lab(`m${i}.txt`, `0 0.5 0.5 0.1 0.1\nbad line\n1 0.2 0.2 0.1 0.1\n`);
  }
  img('t.tif', Buffer.from('II*\0\x08\0\0\0', 'latin1'));
  lab('t.txt', boxLines(1));
  img('garbage.jpg', Buffer.from('not an image at all'));
  lab('garbage.txt', boxLines(3));
  // A folder named like an image: listed (glob's *.* matches it) and unreadable; its content is listed too.
  img('folder.jpg/inner.png', png(10, 20));
  lab('folder.jpg/inner.txt', boxLines(7));
  symlinkSync(join(root, 'images/train/missing.jpg'), join(root, 'images/train/dangling.jpg'));
  // Not listed: GIF is not an Ultralytics format; hidden files and folders are skipped.
  img('anim.gif', gif(5, 5));
  img('.hidden.png', png(5, 5));
  img('.cache/x.png', png(5, 5));
  img('readme.txt', Buffer.from('hello'));
  // Symlink loops: back to the split root, and from deep inside to its parent.
  symlinkSync(join(root, 'images/train'), join(root, 'images/train/loop'));
  symlinkSync('..', join(root, 'images/train/sub/deeper/up'));

  // val: a .txt list with ./, absolute and cwd-relative lines.
  write(join(root, 'images/val/v1.png'), png(100, 50));
  write(join(root, 'labels/val/v1.txt'), boxLines(2));
  write(join(root, 'images/val/v2.jpg'), jpeg(4000, 3000));
  write(join(root, 'labels/val/v2.txt'), boxLines(300));
  write(join(root, 'images/val/v3.bmp'), bmp(64, 64));
  write(join(root, 'images/val/v4.png'), png(8, 8));
  write(join(root, 'labels/val/v4.txt'), boxLines(1));
  write(join(root, 'val.txt'), `./images/val/v1.png\n./images/val/v2.jpg\n${join(root, 'images/val/v3.bmp')}\nnotes.txt\n\nimages/val/v4.png\n`);
  write(join(root, 'data.yaml'), 'path: .\ntrain: images/train\nval: val.txt\nnames: [a, b, c]\n');
  const r = await readDatasetYaml(join(root, 'data.yaml'));
  assert.equal(r.kind, 'ok');
  spec = (r as Extract<typeof r, { kind: 'ok' }>).spec;
});

after(() => cleanup());

test('train split: exact counts of images, objects, background, malformed lines and sizes', async () => {
  const s = await scanDataset(spec, { split: 'train', noCache: true });
  assert.equal(s.images, 220);
  assert.equal(s.sampled, null);
  assert.deepEqual([s.labelled, s.background, s.emptyLabels, s.missingLabels], [148, 72, 50, 22]);
  assert.deepEqual(
    { total: s.objects.total, max: s.objects.max, p99: s.objects.p99, p50: s.objects.p50, mean: s.objects.mean },
    { total: 731, max: 10, p99: 10, p50: 2, mean: 3.323 },
  );
  assert.deepEqual(s.objects.histogram, [
    { objects: 0, images: 72 },
    { objects: 1, images: 31 },
    { objects: 2, images: 25 },
    { objects: 3, images: 21 },
    { objects: 4, images: 20 },
    { objects: 7, images: 1 },
    { objects: 10, images: 50 },
  ]);
  assert.deepEqual(s.objects.top[0], { objects: 10, images: 50 });
  assert.equal(s.malformed.count, 5);
  assert.equal(s.malformed.files, 5);
  assert.deepEqual(s.malformed.examples.map((e) => [e.file, e.line]), [0, 1, 2, 3, 4].map((i) => [join(root, `labels/train/m${i}.txt`), 2]));
  assert.match(s.malformed.examples[0].reason, /2 values/);
  const z = s.imageSizes;
  assert.deepEqual([z.known, z.unknown, z.unreadable], [216, 4, 2]);
  assert.deepEqual(z.formats, { png: 116, jpeg: 50, bmp: 30, webp: 20, tiff: 1, other: 1 });
  assert.deepEqual(z.sizes, [
    { w: 640, h: 480, count: 100 },
    { w: 1920, h: 1080, count: 50 },
    { w: 100, h: 200, count: 30 },
    { w: 800, h: 800, count: 20 },
    { w: 320, h: 320, count: 10 },
    { w: 50, h: 50, count: 5 },
    { w: 10, h: 20, count: 1 },
  ]);
  assert.equal(z.meanPixels, Math.round((100 * 640 * 480 + 50 * 1920 * 1080 + 30 * 20000 + 20 * 640000 + 10 * 102400 + 5 * 2500 + 200) / 216));
  assert.deepEqual([z.maxWidth, z.maxHeight], [1920, 1080]);
  assert.deepEqual(s.lineKinds, { box: 731, polygonOrKeypoints: 0 });
});

test('val split from a .txt list: ./ lines relative to the list, others to cwd, non-images skipped', async () => {
  const s = await scanDataset(spec, { split: 'val', noCache: true, cwd: root });
  assert.equal(s.images, 4);
  assert.deepEqual([s.objects.total, s.objects.max, s.missingLabels, s.labelled], [303, 300, 1, 3]);
  assert.deepEqual(s.notes, []);
  const noCwd = await scanDataset(spec, { split: 'val', noCache: true });
  assert.equal(noCwd.images, 4);
  assert.match(noCwd.notes.join(), /resolved against its folder/);
});

test('file budget: a seeded uniform sample, reported as "sampled N of M"', async () => {
  const a = await scanDataset(spec, { maxFiles: 50, noCache: true, seed: 7 });
  const b = await scanDataset(spec, { maxFiles: 50, noCache: true, seed: 7 });
  assert.deepEqual(a.sampled, { scanned: 50, total: 220, totalExact: true, reason: 'file budget 50' });
  assert.equal(a.images, 220);
  assert.match(a.notes[0], /^sampled 50 of 220 images/);
  assert.equal(a.labelled + a.background, 50);
  assert.deepEqual(a.objects.histogram, b.objects.histogram);
  const c = await scanDataset(spec, { maxFiles: 50, noCache: true, seed: 8 });
  assert.notDeepEqual(a.objects.histogram, c.objects.histogram);
});

test('time budget: a zero budget still reads the minimum sample (200) and says it sampled', async () => {
  const s = await scanDataset(spec, { budgetMs: 0, noCache: true });
  assert.equal(s.sampled?.scanned, 200, JSON.stringify(s.sampled));
  assert.match(s.sampled!.reason, /time budget 0 ms/);
  assert.equal(s.labelled + s.background, 200);
});

test('async reads (the slow-disk mode) give exactly the same result as sliced sync reads', async () => {
  const strip = (x: DatasetStats) => ({ ...x, elapsedMs: 0 });
  const sync = await scanDataset(spec, { io: 'sync', noCache: true });
  const async = await scanDataset(spec, { io: 'async', noCache: true, concurrency: 5 });
  assert.deepEqual(strip(async), strip(sync));
  assert.equal(sync.images, 220);
});

test('abort and progress', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(scanDataset(spec, { signal: ac.signal, noCache: true }), { name: 'AbortError' });
  const seen: ScanProgress[] = [];
  await scanDataset(spec, { noCache: true, onProgress: (p) => seen.push(p) });
  assert.deepEqual(seen.at(-1), { phase: 'reading', done: 220, total: 220 });
  const ac2 = new AbortController();
  let calls = 0;
  await assert.rejects(
    scanSources({ split: 'train', sources: spec.splits.train!, nc: 3, kptShape: null }, { noCache: true, signal: ac2.signal, concurrency: 1, onProgress: () => (++calls === 1 ? ac2.abort() : undefined) }).then(
      // A fast machine may finish before the first progress tick: abort right after instead.
      (r) => (calls ? r : Promise.reject(Object.assign(new Error('finished'), { name: 'AbortError' }))),
    ),
    { name: 'AbortError' },
  );
});

test('cache: same result from memory; adding an image (folder mtime changes) rescans', async () => {
  clearScanCache();
  const first = await scanDataset(spec);
  const again = await scanDataset(spec);
  assert.deepEqual(again, first);
  again.objects.histogram.length = 0; // callers get copies
  assert.notEqual((await scanDataset(spec)).objects.histogram.length, 0);
  writeFileSync(join(root, 'images/train/new.png'), png(1, 1));
  const third = await scanDataset(spec);
  assert.equal(third.images, 221);
});

test('missing sources are notes; a single image source is itself', async () => {
  const s = await scanSources({ split: 'train', sources: [join(root, 'nope'), join(root, 'images/val/v1.png')], nc: null, kptShape: null }, { noCache: true });
  assert.equal(s.images, 1);
  assert.equal(s.objects.total, 2);
  assert.match(s.notes.join(), /nope does not exist/);
  mkdirSync(join(root, 'emptydir'));
  const e = await scanSources({ split: 'train', sources: [join(root, 'emptydir')], nc: null, kptShape: null }, { noCache: true });
  assert.deepEqual([e.images, e.objects.max, e.sampled], [0, 0, null]);
  assert.match(e.notes.join(), /no images found/);
});

test('2,000 images over many slices: complete within the default budget; a 500-file sample is unbiased', async () => {
  const { dir, cleanup: done } = tempDir();
  try {
    const header = png(64, 48);
    for (let i = 0; i < 2000; i++) {
      const sub = `s${i % 7}`;
      write(join(dir, 'images', sub, `${i}.png`), header);
      if (i % 10) write(join(dir, 'labels', sub, `${i}.txt`), boxLines(i % 10)); // i % 10 objects, 0 = no file
    }
    const target = { split: 'train' as const, sources: [join(dir, 'images')], nc: 3, kptShape: null };
    const full = await scanSources(target, { noCache: true });
    assert.equal(full.sampled, null);
    assert.deepEqual([full.images, full.missingLabels, full.objects.total, full.objects.max, full.objects.mean], [2000, 200, 9000, 9, 4.5]);
    const s = await scanSources(target, { noCache: true, maxFiles: 500, seed: 11 });
    assert.deepEqual(s.sampled, { scanned: 500, total: 2000, totalExact: true, reason: 'file budget 500' });
    assert.ok(Math.abs(s.objects.mean - 4.5) < 0.5, `sample mean ${s.objects.mean}`);
    assert.equal(s.objects.histogram.length, 10);
  } finally {
    done();
  }
});
