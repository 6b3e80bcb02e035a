// The emitted training graph: module attribution, views vs copies where autograd's memory depends on
// it, head outputs, rebuilding one resolved model at several sizes, image-size rounding, pruning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainGraph } from '../../src/core/graph/types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBuiltin, buildFromYamlText, buildGraph, prepareBuiltin, prepareModel } from '../../src/core/yolo/index';
import { totals } from './helpers';

const opsOf = (g: TrainGraph, path: string) => g.ops.filter((o) => o.module.path === path || o.module.path.startsWith(`${path}.`));

describe('training graph structure', () => {
  it('every op but the input belongs to a row, with its group; backbone ends at SPPF / C2PSA', () => {
    for (const [name, end] of [['yolov8n', 9], ['yolo11n', 10], ['yolov5s', 9], ['yolov8n-cls', 8]] as const) {
      const g = buildBuiltin(name, { batch: 1, imgsz: 320 });
      assert.equal(g.backboneEnd, end, name);
      const last = Math.max(...g.ops.map((o) => o.module.index ?? -1));
      for (const o of g.ops.slice(1)) {
        const i = o.module.index!;
        assert.ok(i >= 0, `${name}: ${o.name} has no row`);
        assert.ok(o.module.path === `model.${i}` || o.module.path.startsWith(`model.${i}.`), o.module.path);
        assert.equal(o.module.group, i <= end ? 'backbone' : i === last ? 'head' : 'neck', `${name} ${o.name}`);
      }
    }
  });

  it('Conv is conv2d(no bias) -> batchnorm -> silu; C2f chunks are views of cv1', () => {
    const g = buildBuiltin('yolov8n', { batch: 1, imgsz: 320 });
    assert.deepEqual(opsOf(g, 'model.0').map((o) => o.kind), ['conv2d', 'batchnorm', 'silu']);
    assert.equal(g.ops[1].attrs.bias, false);
    const chunk = g.ops.find((o) => o.name === 'model.2.chunk')!;
    const cv1Out = g.ops.find((o) => o.name === 'model.2.cv1.act')!.outputs[0];
    assert.equal(chunk.kind, 'view');
    for (const t of chunk.outputs) assert.equal(g.tensors[t].storage, cv1Out);
    // SPPF: three chained max pools, then a cat of four
    assert.equal(opsOf(g, 'model.9').filter((o) => o.kind === 'maxpool2d').length, 3);
    assert.equal(g.ops.find((o) => o.name === 'model.9.cat')!.inputs.length, 4);
  });

  it('YOLO11 attention: view/split of qkv, two matmuls, softmax, v.reshape copied for pe', () => {
    const g = buildBuiltin('yolo11n', { batch: 1, imgsz: 640 });
    const attn = opsOf(g, 'model.10.m.0.attn');
    assert.deepEqual(
      attn.filter((o) => !['conv2d', 'batchnorm'].includes(o.kind)).map((o) => `${o.kind}:${o.source}`),
      ['view:view', 'view:split', 'view:permute', 'matmul:matmul', 'scale:mul', 'softmax:softmax', 'view:permute', 'matmul:matmul', 'view:view', 'copy:reshape', 'add:add'],
    );
    const qk = attn.find((o) => o.kind === 'matmul')!;
    // yolo11n C2PSA: 128 channels per branch, 2 heads of 64, key_dim 32, 20x20 tokens
    assert.deepEqual(g.tensors[qk.outputs[0]].shape, [1, 2, 400, 400]);
    const qkv = attn.find((o) => o.name === 'model.10.m.0.attn.qkv.bn')!;
    assert.deepEqual(g.tensors[qkv.outputs[0]].shape, [1, 256, 20, 20]);
    // the Detect head of YOLO11 uses depthwise convs in its class branch
    const dw = g.ops.find((o) => o.name === 'model.23.cv3.0.0.0.conv')!;
    assert.equal(dw.attrs.groups, 64);
  });

  it('Detect: the frozen DFL conv is counted (16 params, not trainable) but inference-only', () => {
    const g = buildBuiltin('yolov8n', { batch: 2, imgsz: 320 });
    const dfl = g.ops.filter((o) => o.module.path === 'model.22.dfl');
    assert.deepEqual(dfl.map((o) => o.kind), ['constant', 'conv2d']);
    assert.ok(dfl.every((o) => o.inferenceOnly));
    assert.equal(dfl[1].params, 16);
    assert.equal(dfl[1].trainableParams, 0);
    const h = g.head!;
    assert.equal(h.style, 'v8');
    assert.equal(h.regMax, 16);
    assert.equal(h.anchorsPerCell, 1);
    assert.deepEqual(h.levels.map((t) => g.tensors[t].shape), [[2, 144, 40, 40], [2, 144, 20, 20], [2, 144, 10, 10]]);
  });

  it('pose, obb and classify heads', () => {
    const pose = buildBuiltin('yolov8n-pose', { batch: 1, imgsz: 640 }).head!;
    assert.deepEqual([pose.task, pose.nc, pose.extraChannels, pose.kptShape], ['pose', 1, 51, [17, 3]]);
    const obbG = buildBuiltin('yolo11n-obb', { batch: 1, imgsz: 640 });
    assert.deepEqual([obbG.head!.task, obbG.head!.nc, obbG.head!.extraChannels], ['obb', 15, 1]);
    assert.ok(obbG.ops.some((o) => o.kind === 'sigmoid' && o.module.index === 23));
    const cls = buildBuiltin('yolov8n-cls', { batch: 4, imgsz: 224 });
    assert.deepEqual([cls.head!.style, cls.head!.nc], ['classify', 1000]);
    assert.deepEqual(cls.tensors[cls.head!.levels[0]].shape, [4, 1000]);
    assert.ok(cls.ops.some((o) => o.kind === 'adaptive_avgpool2d') && cls.ops.some((o) => o.kind === 'linear'));
  });

  it('nc override changes only the class branches', () => {
    const a = totals(buildBuiltin('yolov8n', { batch: 1, imgsz: 640 }));
    const g = buildBuiltin('yolov8n', { batch: 1, imgsz: 640, nc: 3 });
    assert.equal(g.head!.nc, 3);
    assert.ok(totals(g).params < a.params);
    assert.deepEqual(g.tensors[g.head!.levels[0]].shape, [1, 64 + 3, 80, 80]);
  });
});

describe('one resolved model, several sizes', () => {
  it('params are size-independent; activations scale with batch and pixels', () => {
    const m = prepareBuiltin('yolo11s')!;
    const g1 = buildGraph(m, { batch: 1, imgsz: 320 });
    const g4 = buildGraph(m, { batch: 4, imgsz: 320 });
    const g640 = buildGraph(m, { batch: 1, imgsz: 640 });
    assert.equal(totals(g1).params, totals(g4).params);
    assert.equal(totals(g1).params, totals(g640).params);
    assert.equal(g1.ops.length, g4.ops.length);
    const elems = (g: TrainGraph) => g.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(elems(g4), 4 * elems(g1));
    // FLOPs per image: conv FLOPs scale with pixels; attention matmuls grow faster (tokens squared)
    assert.ok(Math.abs(totals(g640).gflops / totals(g1).gflops - 4) < 1e-9);
    assert.ok(totals(g640).matmulGflops / totals(g1).matmulGflops > 4);
  });

  it('a resolved model survives JSON (worker messages, caches) and builds the same graph', () => {
    for (const name of ['yolov5s', 'yolo11n-seg']) {
      const m = prepareBuiltin(name)!;
      const copy = JSON.parse(JSON.stringify(m));
      assert.deepEqual(copy, m);
      assert.deepEqual(buildGraph(copy, { batch: 2, imgsz: 320 }), buildGraph(m, { batch: 2, imgsz: 320 }));
    }
  });

  it('imgsz is rounded up to a multiple of 32, with a note; rectangular sizes work', () => {
    const g = buildBuiltin('yolov8n', { batch: 1, imgsz: 650 });
    assert.deepEqual(g.imgsz, [672, 672]);
    assert.match(g.notes.join(' '), /updated to 672x672/);
    const r = buildBuiltin('yolov8n', { batch: 1, imgsz: [384, 640] });
    assert.deepEqual(r.tensors[r.head!.levels[0]].shape, [1, 144, 48, 80]);
  });

  it('pruning: channels shrink by (1 - r) to multiples of 8; params and FLOPs fall', () => {
    const full = buildBuiltin('yolov8s', { batch: 1, imgsz: 640 });
    const pruned = buildBuiltin('yolov8s', { batch: 1, imgsz: 640, pruneRatio: 0.5 });
    assert.equal(pruned.tensors[pruned.ops[1].outputs[0]].shape[1], 16); // 32 -> 16
    const tf = totals(full);
    const tp = totals(pruned);
    assert.ok(tp.params < 0.4 * tf.params && tp.params > 0.15 * tf.params, `${tp.params} vs ${tf.params}`);
    assert.ok(tp.gflops < 0.4 * tf.gflops);
    assert.match(pruned.notes.join(' '), /pruned by 50%/);
    for (const o of pruned.ops.filter((o) => o.kind === 'batchnorm' && o.module.index! < 22)) {
      assert.equal(Number(o.attrs.channels) % 8, 0, o.name);
    }
    // YOLO11's attention keeps at least one head when pruning leaves under 64 channels per branch
    const g = buildBuiltin('yolo11n', { batch: 1, imgsz: 640, pruneRatio: 0.6 });
    assert.match(g.notes.join(' '), /one attention head/);
  });
});

describe('other modules from YAML', () => {
  it('YOLOv5 v7.0 format with Focus, SPP, DWConv, Bottleneck and a 3-anchor count', () => {
    const y = `nc: 4
depth_multiple: 0.33
width_multiple: 0.5
anchors: 3
backbone:
  - [-1, 1, Focus, [64, 3]]
  - [-1, 1, Conv, [128, 3, 2]]
  - [-1, 3, C3, [128]]
  - [-1, 1, DWConv, [128, 3, 2]]
  - [-1, 1, Bottleneck, [128]]
  - [-1, 1, SPP, [256, [5, 9, 13]]]
head:
  - [-1, 1, nn.Upsample, [None, 2, nearest]]
  - [[-1, 2], 1, Concat, [1]]
  - [[7, 5], 1, Detect, [nc, anchors]]
`;
    const g = buildFromYamlText(y, 'tiny.yaml', { batch: 2, imgsz: 128 });
    // Focus: a space-to-depth copy of the image, then a conv over 12 channels
    const focusConv = g.ops.find((o) => o.name === 'model.0.conv.conv')!;
    assert.deepEqual(g.tensors[focusConv.inputs[0]].shape, [2, 12, 64, 64]);
    assert.equal(focusConv.params, 32 * 12 * 9);
    assert.equal(g.head!.anchorsPerCell, 3);
    assert.deepEqual(g.head!.levels.map((t) => g.tensors[t].shape), [[2, 3, 32, 32, 9], [2, 3, 16, 16, 9]]);
    assert.deepEqual(g.head!.strides, [4, 8]);
    assert.equal(g.ops.filter((o) => o.kind === 'maxpool2d').length, 3);
  });

  it('Ultralytics rows of C3k, C2fPSA, PSABlock and Attention', () => {
    const y = `nc: 2
backbone:
  - [-1, 1, Conv, [128, 3, 2]]
  - [-1, 1, C3k, [128, 128, 1]]
  - [-1, 1, C2fPSA, [128]]
  - [-1, 1, PSABlock, [128, 0.5, 2]]
  - [-1, 1, Attention, [128, 2]]
head:
  - [-1, 1, Classify, [nc]]
`;
    const g = buildFromYamlText(y, 'attn.yaml', { batch: 1, imgsz: 64 });
    assert.equal(g.ops.filter((o) => o.kind === 'softmax').length, 3);
    assert.deepEqual(g.tensors[g.head!.levels[0]].shape, [1, 2]);
  });

  it('single-head attention: pe reads a view of qkv (PyTorch can view that reshape), several heads: a copy', () => {
    const y = (heads: number) => `nc: 2\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, Attention, [64, ${heads}]]\nhead:\n  - [-1, 1, Classify, [nc]]\n`;
    for (const [heads, shared] of [[1, true], [2, false]] as const) {
      const g = buildFromYamlText(y(heads), 'a.yaml', { batch: 2, imgsz: 64 });
      const qkv = g.ops.find((o) => o.name === 'model.1.qkv.bn')!.outputs[0];
      const pe = g.ops.find((o) => o.name === 'model.1.pe.conv')!;
      assert.deepEqual(g.tensors[pe.inputs[0]].shape, [2, 64, 32, 32]);
      assert.equal(g.tensors[pe.inputs[0]].storage === qkv, shared, `${heads} head(s)`);
    }
  });
});

describe('prepareModel', () => {
  it('takes a built-in name, a YAML path, or fails with one line', () => {
    assert.equal(prepareModel('yolov8n.pt').source, 'builtin');
    assert.equal(prepareModel('yolo11s-seg').model.spec.name, 'yolo11s-seg');
    const dir = mkdtempSync(join(tmpdir(), 'yolo-'));
    try {
      const file = join(dir, 'yolov8n.yaml');
      writeFileSync(file, 'nc: 5\nbackbone:\n  - [-1, 1, Conv, [16, 3, 2]]\nhead:\n  - [-1, 1, Classify, [nc]]\n');
      const m = prepareModel(file, { nc: 7 });
      assert.equal(m.source, 'yaml');
      assert.equal(m.model.spec.nc, 7);
      assert.throws(() => prepareModel(join(dir, 'missing.yaml')), (e: Error) => e.message === 'missing.yaml: file not found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.throws(() => prepareModel('resnet50'), /'resnet50' is neither a model YAML nor a built-in model/);
  });
});
