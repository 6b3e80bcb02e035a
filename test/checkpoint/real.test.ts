// The reader on checkpoints written by the real Ultralytics 8.4.190 / torch 2.15 (made by
// scripts/truth/make_checkpoints.py; the parameter counts in checkpoints.json are torch's own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileByteReader, interpretCheckpoint, readCheckpointFile, type ByteReader } from '../../src/core/checkpoint';
import { readZipDirectory } from '../../src/core/checkpoint/zip';

const DIR = join(__dirname, '..', 'data', 'checkpoints');
const facts = JSON.parse(readFileSync(join(DIR, 'checkpoints.json'), 'utf8')) as { parameters: Record<string, number> };

const expected: Record<string, { cls: string; task: string; nc: number; key: 'model' | 'ema'; flavour: string; args: object | null }> = {
  'det-nc3-best.pt': { cls: 'ultralytics.nn.tasks.DetectionModel', task: 'detect', nc: 3, key: 'model', flavour: 'ultralytics', args: { imgsz: 160, batch: 4, optimizer: 'AdamW', amp: true, epochs: 1 } },
  'cls-nc3-last-unstripped.pt': { cls: 'ultralytics.nn.tasks.ClassificationModel', task: 'classify', nc: 3, key: 'ema', flavour: 'ultralytics', args: { imgsz: 64, batch: 4, optimizer: 'SGD', amp: true, epochs: 1 } },
  'yolo11n-seg-saved.pt': { cls: 'ultralytics.nn.tasks.SegmentationModel', task: 'segment', nc: 80, key: 'model', flavour: 'ultralytics', args: null },
  'yolov5n-v7-nc3.pt': { cls: 'models.yolo.DetectionModel', task: 'detect', nc: 3, key: 'model', flavour: 'yolov5', args: { imgsz: 320, batch: 8, optimizer: 'AdamW', epochs: 1, data: 'data/coco128.yaml' } },
  // the legacy (PyTorch < 1.6) raw-pickle format, its module classes as ('module', class, file, source) ids
  'yolov5-w0125-nc3-legacy.pt': { cls: 'models.yolo.DetectionModel', task: 'detect', nc: 3, key: 'model', flavour: 'yolov5', args: { imgsz: 320, batch: 8, optimizer: 'AdamW', epochs: 1, data: 'data/coco128.yaml' } },
};

for (const [file, want] of Object.entries(expected)) {
  test(`${file}: class, task, nc, parameters and training settings`, () => {
    const raw = readCheckpointFile(join(DIR, file));
    assert.equal(raw.format, file.includes('legacy') ? 'legacy' : 'zip');
    const info = interpretCheckpoint(raw);
    assert.equal(info.modelClass, want.cls);
    assert.equal(info.task, want.task);
    assert.equal(info.yaml.nc, want.nc);
    assert.equal(info.key, want.key);
    assert.equal(info.flavour, want.flavour);
    assert.equal(info.params, facts.parameters[file], 'sum of parameter tensor shapes = torch parameters()');
    if (want.args === null) assert.equal(info.trainArgs, null);
    else {
      const { data, ...rest } = info.trainArgs ?? {};
      const { data: wantData, ...wantRest } = want.args as { data?: string };
      assert.deepEqual(rest, wantRest);
      if (wantData) assert.equal(data, wantData);
      else assert.match(String(data), /data\.yaml$|cls$/);
    }
    if (want.flavour === 'ultralytics') assert.equal(info.version, '8.4.190');
  });
}

test('only the zip directory and data.pkl are read: no byte of a tensor entry', () => {
  const path = join(DIR, 'det-nc3-best.pt');
  const inner = fileByteReader(path);
  const reads: [number, number][] = [];
  const counting: ByteReader = {
    size: inner.size,
    read(offset, length) {
      const b = inner.read(offset, length);
      reads.push([offset, offset + b.length]);
      return b;
    },
  };
  try {
    const raw = readCheckpointFile(path, counting);
    const total = reads.reduce((a, [s, e]) => a + e - s, 0);
    // the directory tail (≤ 64 KiB + the directory) and data.pkl: a small part of the 6 MB file
    assert.ok(total < raw.pickleBytes + 100_000, `read ${total} bytes of ${inner.size}`);
    const plain = fileByteReader(path);
    try {
      const dir = readZipDirectory(plain, 'x');
      const tensors = dir.entries.filter((e) => e.name.includes('/data/'));
      assert.ok(tensors.length > 100);
      for (const t of tensors) {
        const h = Buffer.from(plain.read(t.localOffset, 30));
        const start = t.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
        const end = start + t.compressedSize;
        for (const [s, e] of reads) assert.ok(e <= start || s >= end, `read [${s}, ${e}) overlaps ${t.name} [${start}, ${end})`);
      }
    } finally {
      plain.close();
    }
  } finally {
    inner.close();
  }
});
