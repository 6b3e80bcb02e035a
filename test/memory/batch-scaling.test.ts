// Scaling two traced batches to the others (memory/batch-scaling.ts) gives the numbers tracing every
// batch gives: the whole result — estimates, max batch, curve, layers, timeline — is deep-equal for
// each task, DDP, fp32, the assigner's other phase and a batch on each side of gradient accumulation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/core/analyze';
import type { AnalyzeOptions } from '../../src/core/options';
import { openModel } from '../../src/core/model-source';
import { traceScaler } from '../../src/core/memory/batch-scaling';
import type { StepTraces } from '../../src/core/memory/estimate';
import { join } from 'node:path';
import { boxLines, png, tempDir, write } from '../dataset/helpers';

const GIB = 1024 ** 3;
const RTX_3060 = { name: 'NVIDIA GeForce RTX 3060', totalBytes: 12 * GIB, source: 'preset' };

const CASES: Array<[string, AnalyzeOptions]> = [
  ['detect, AMP, batches across accumulation', { model: 'yolov8n', batch: [16, 3, 50, 64], gpu: RTX_3060 }],
  ['segment', { model: 'yolo11n-seg', batch: [8], gpu: RTX_3060 }],
  ['pose', { model: 'yolov8n-pose', batch: [16], gpu: RTX_3060 }],
  ['obb', { model: 'yolo11n-obb', batch: [16], gpu: RTX_3060 }],
  ['classify', { model: 'yolov8n-cls', batch: [32], imgsz: 224, gpu: RTX_3060 }],
  ['YOLOv5, fp32, SGD', { model: 'yolov5s', batch: [16], amp: false, optimizer: 'sgd', gpu: RTX_3060 }],
  ['DDP on 2 GPUs', { model: 'yolov8n', batch: [16], gpus: 2, gpu: { name: 'Tesla T4', totalBytes: 15 * GIB, source: 'preset' } }],
  ['dense labels (the assigner metrics phase)', { model: 'yolov8n', batch: [16], objectsPerImage: 400, gpu: RTX_3060 }],
  ['no GPU', { model: 'yolo11n', batch: [16], curveMax: 96 }],
];

for (const [name, options] of CASES) {
  test(`scaled traces equal traced ones: ${name}`, async () => {
    const source = await openModel(options.model);
    const traced = await analyze(options, { source, traceEveryBatch: true });
    const scaled = await analyze(options, { source });
    assert.deepEqual(scaled, traced);
  });
}

test('scaled traces equal traced ones with a dataset whose boxes per image grow with the batch', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // 1 to 60 boxes per image: the worst batch's count (the assigner's padding) rises with the batch
    for (let i = 0; i < 60; i++) {
      write(join(dir, 'images', 'train', `${i}.png`), png(640, 480));
      write(join(dir, 'labels', 'train', `${i}.txt`), boxLines(1 + i));
    }
    write(join(dir, 'data.yaml'), `path: ${dir}\ntrain: images/train\nval: images/train\nnames: {0: a}\n`);
    const options: AnalyzeOptions = { model: 'yolov8n', batch: [16], gpu: RTX_3060, data: join(dir, 'data.yaml') };
    const source = await openModel('yolov8n');
    const traced = await analyze(options, { source, traceEveryBatch: true });
    const scaled = await analyze(options, { source });
    assert.deepEqual(scaled.estimates, traced.estimates);
    assert.equal(scaled.maxBatch, traced.maxBatch);
    assert.deepEqual(scaled.curve, traced.curve);
    assert.ok(new Set(traced.curve.map((p) => p.device)).size === traced.curve.length);
  } finally {
    cleanup();
  }
});

const traces = (bytes: number[], ids = bytes.map((_, i) => `t:${i}`)): StepTraces => ({
  tensors: { params: [64], trainable: [64], buffers: [] },
  state: [64],
  blas: [1024],
  pixels: 3 * 640 * 640,
  events: bytes.map((b, i) => ({ kind: 'alloc' as const, id: ids[i]!, bytes: b, cat: 'activations' as const })),
  slots: { slot: Int32Array.from(bytes.map((_, i) => i)), count: bytes.length },
  activationBytes: 0,
  validation: null,
});

test('traceScaler: sizes are affine in the batch; a pair of different structure or batch is refused', () => {
  const s = traceScaler({ batch: 2, traces: traces([200, 512]) }, { batch: 4, traces: traces([400, 512]) });
  assert.ok(s);
  const at8 = s(8);
  assert.deepEqual(at8.events.map((e) => (e.kind === 'alloc' ? e.bytes : -1)), [800, 512]);
  assert.equal(traceScaler({ batch: 2, traces: traces([200, 512]) }, { batch: 4, traces: traces([400]) }), null, 'different event count');
  assert.equal(traceScaler({ batch: 2, traces: traces([200]) }, { batch: 4, traces: traces([400], ['x']) }), null, 'different ids');
  assert.equal(traceScaler({ batch: 2, traces: traces([200]) }, { batch: 2, traces: traces([200]) }), null, 'one batch twice');
  assert.equal(traceScaler({ batch: 2, traces: traces([200]) }, { batch: 4, traces: traces([401]) }), null, 'a size not affine with an integer slope');
});
