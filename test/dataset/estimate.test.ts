// Dataset-aware GPU estimates: a dense dataset (300 boxes per image) makes the label assigner's
// tensors grow as docs/memory-model.md says (batch x boxes x anchors cells), and the largest batch
// that fits drops accordingly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { ASSIGNER_BYTES_PER_CELL } from '../../src/core/memory/constants';
import { boxLines, png, tempDir, write } from './helpers';

function dataset(root: string, objects: number, images = 40): string {
  for (let i = 0; i < images; i++) {
    write(join(root, 'images', 'train', `${i}.png`), png(640, 480));
    write(join(root, 'labels', 'train', `${i}.txt`), boxLines(objects));
  }
  write(join(root, 'data.yaml'), `path: ${root}\ntrain: images/train\nval: images/train\nnames: {0: a, 1: b, 2: c}\n`);
  return join(root, 'data.yaml');
}

const GPU = { name: 'NVIDIA GeForce RTX 4090', totalBytes: 24564 * 2 ** 20, source: 'preset' };

test('300 boxes per image: the assigner term grows with batch x boxes x anchors and the max batch drops', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const sparse = dataset(join(dir, 'sparse'), 8);
    const dense = dataset(join(dir, 'dense'), 300);
    const opts = { model: 'yolov8n', imgsz: 640, batch: [8], amp: true, gpu: GPU, margin: 0.1 };
    const a = await analyze({ ...opts, data: sparse });
    const b = await analyze({ ...opts, data: dense });
    assert.equal(a.dataset!.objects!.max, 8);
    assert.equal(b.dataset!.objects!.max, 300);
    // mosaic puts up to 4 images in one training image; the widest zoom keeps (nearly) all their boxes
    assert.ok(b.dataset!.assignerObjects! > 1100 && b.dataset!.assignerObjects! <= 1200, String(b.dataset!.assignerObjects));
    const cells = (m: number) => 8 * m * 8400;
    const grow = b.estimates[0].bytes.lossAndAssigner - a.estimates[0].bytes.lossAndAssigner;
    const want = (cells(b.dataset!.assignerObjects!) - cells(a.dataset!.assignerObjects!)) * ASSIGNER_BYTES_PER_CELL;
    // the (boxes x anchors) metrics replace the smaller (anchors x classes) targets as the assigner's peak
    assert.ok(grow > 0.9 * want && grow <= want, `assigner grew ${grow}, docs say about ${want}`);
    assert.ok(b.maxBatch! < a.maxBatch! / 3, `max batch ${a.maxBatch} -> ${b.maxBatch}`);
    assert.ok(b.estimates[0].bytes.device > a.estimates[0].bytes.device);
    assert.ok(b.dataset!.hostRam!.totalBytes > 0);
  } finally {
    cleanup();
  }
});

test('a dataset YAML that is not here (an Ultralytics built-in) keeps the default and says so', async () => {
  const r = await analyze({ model: 'yolov8n', batch: [4], data: 'coco8.yaml', cwd: '/nonexistent' });
  assert.equal(r.dataset!.images, null);
  assert.match(r.dataset!.explanation, /coco8/);
  assert.ok(r.assumptions.some((x) => /boxes per image assumed/.test(x)));
});

test('a broken dataset YAML costs the dataset facts, not the estimate', async () => {
  const { dir, cleanup } = tempDir();
  try {
    write(join(dir, 'bad.yaml'), 'train: [unclosed\n');
    const r = await analyze({ model: 'yolov8n', batch: [4], data: join(dir, 'bad.yaml') });
    assert.equal(r.dataset!.images, null);
    assert.match(r.dataset!.explanation, /bad\.yaml/);
    assert.ok(r.estimates[0].bytes.device > 0);
  } finally {
    cleanup();
  }
});

test('with a dataset the memory-vs-batch curve still rises with batch', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // uneven density: 20..300 boxes per image
    for (let i = 0; i < 60; i++) {
      write(join(dir, 'images', 'train', `${i}.png`), png(640, 480));
      write(join(dir, 'labels', 'train', `${i}.txt`), boxLines(20 + ((i * 47) % 281)));
    }
    write(join(dir, 'data.yaml'), `path: ${dir}\ntrain: images/train\nval: images/train\nnames: {0: a, 1: b, 2: c}\n`);
    const r = await analyze({ model: 'yolov8n', batch: [8], data: join(dir, 'data.yaml'), gpu: GPU, curveMax: 64 });
    for (let i = 1; i < r.curve.length; i++) assert.ok(r.curve[i].device >= r.curve[i - 1].device, `curve dips at batch ${r.curve[i].batch}`);
  } finally {
    cleanup();
  }
});
