// The families of issue #19 part 2 (YOLOv9, YOLOv3u, YOLOv6, ...) against facts measured by the real
// Ultralytics (scripts/truth/families2_check.py -> test/data/truth-families2/*.json): training-time
// parameters exactly, per-row parameters and output shapes, bytes saved for backward per row and in
// total (fp32, saved-tensor hooks), the fused (deployed) parameter count and GFLOPs at 640, and the
// official tables. No Python is needed: the JSON files are committed.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TrainGraph } from '../../src/core/graph/types';
import { GraphBuilder } from '../../src/core/graph/builder';
import { emitLoss } from '../../src/core/loss/emit';
import { fusedParams } from '../../src/core/memory/deployment';
import { savedActivationsByModule, savedForBackward } from '../../src/core/memory/saved';
import { buildFromYamlText, buildGraphWithOutputs, builtinName, listBuiltins, prepareBuiltin, prepareYaml } from '../../src/core/yolo/index';

interface Truth {
  name: string;
  yaml: string;
  ultralytics: string;
  torch: string;
  batch: number;
  imgsz: number;
  params: number;
  trainable: number;
  fused_params: number;
  fused_gflops_640: number;
  gt_per_image?: number;
  texts?: number;
  loss_saved_bytes?: number;
  saved_input_bytes: number;
  saved_bytes: number;
  layers: { index: number; type: string; from: number | number[]; params: number; output_shapes: number[][]; saved_bytes: number }[];
}

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'test', 'data', 'truth-families2');
/** A truth file of a model YAML committed in the repo (not a built-in name). */
const fromYaml = (t: Truth) => t.yaml.startsWith('test/');
const TRUTH: Truth[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')));

/** Official tables (Ultralytics docs, YOLOv9 and RT-DETR pages): [fused params (M), GFLOPs at 640].
 *  rtdetr-resnet101 is left out: the paper's R101 (76 M) has a wider encoder than Ultralytics'
 *  rtdetr-resnet101.yaml, whose own model (checked against Ultralytics below) has 61.9 M. */
const OFFICIAL: Record<string, [number, number]> = {
  'rtdetr-l': [32, 110],
  'rtdetr-x': [67, 234],
  'rtdetr-resnet50': [42, 136],
  yolov9t: [2.0, 7.7],
  yolov9s: [7.1, 26.4],
  yolov9m: [20.0, 76.3],
  yolov9c: [25.3, 102.1],
  yolov9e: [57.3, 189.0],
};

/** GFLOPs of the deployed model at batch 1, counted as Ultralytics' get_flops (thop 2.2) does: conv,
 *  linear and matmul, 2 x MACs, without the branches re-parameterisation folds away. */
function deployGflops(g: TrainGraph): number {
  let f = 0;
  for (const o of g.ops) {
    if (o.inferenceOnly || o.attrs.reparamFolded === true) continue;
    if (o.kind === 'conv2d' || o.kind === 'conv_transpose2d' || o.kind === 'linear' || o.kind === 'matmul') f += o.flops;
  }
  return f / g.batch / 1e9;
}

const isHead = (t: Truth, i: number) => i === t.layers.length - 1;

describe('families2: the truth files', () => {
  it('cover these families and record the versions they were measured with', () => {
    assert.ok(TRUTH.length >= 10, `${TRUTH.length} truth files`);
    for (const t of TRUTH) {
      assert.match(t.ultralytics, /^\d+\.\d+\.\d+/, t.name);
      assert.match(t.torch, /^\d+\.\d+/, t.name);
      if (!fromYaml(t)) assert.equal(builtinName(t.name), t.name, `${t.name} is a built-in name`);
    }
  });
});

for (const t of TRUTH) {
  describe(`families2: ${t.name} against Ultralytics ${t.ultralytics}`, () => {
    const model = fromYaml(t) ? prepareYaml(readFileSync(join(ROOT, t.yaml), 'utf8'), t.yaml) : prepareBuiltin(t.name)!;
    const { graph, outputs } = buildGraphWithOutputs(model, { batch: t.batch, imgsz: t.imgsz }, fromYaml(t) ? 'yaml' : 'builtin');

    it('training-time parameters are exact, in total and per row', () => {
      const total = graph.ops.reduce((s, o) => s + o.params, 0);
      const trainable = graph.ops.reduce((s, o) => s + o.trainableParams, 0);
      assert.equal(total, t.params);
      assert.equal(trainable, t.trainable);
      for (const l of t.layers) {
        const p = graph.ops.filter((o) => o.module.index === l.index).reduce((s, o) => s + o.params, 0);
        assert.equal(p, l.params, `row ${l.index} (${l.type})`);
      }
    });

    it('every row but the head has the output shapes PyTorch gives', () => {
      assert.equal(outputs.length, t.layers.length);
      for (const l of t.layers) {
        // the head's training output is a dict of its own layout (boxes, scores, feats); its
        // tensors are checked through params and saved bytes
        if (isHead(t, l.index)) continue;
        assert.deepEqual(outputs[l.index].map((o) => graph.tensors[o].shape), l.output_shapes, `row ${l.index} (${l.type})`);
      }
    });

    it('bytes saved for backward (fp32) within 3 % per row and in total; the image batch exactly', () => {
      const byRow = savedActivationsByModule(graph, 'fp32');
      for (const l of t.layers) {
        const mine = byRow.get(l.index) ?? 0;
        const ok = l.saved_bytes === 0 ? mine === 0 : Math.abs(mine / l.saved_bytes - 1) <= 0.03;
        assert.ok(ok, `row ${l.index} (${l.type}): ${mine} vs ${l.saved_bytes}`);
      }
      const s = savedForBackward(graph, 'fp32');
      assert.ok(Math.abs(s.activationBytes / t.saved_bytes - 1) <= 0.03, `${s.activationBytes} vs ${t.saved_bytes}`);
      assert.equal(s.inputBytes, t.saved_input_bytes);
    });

    if (t.loss_saved_bytes !== undefined) {
      it(`the loss (Hungarian-matched VFL, L1, GIoU, denoising groups) saves within 3 % at ${t.gt_per_image} boxes per image`, () => {
        const b = GraphBuilder.from(graph);
        emitLoss(b, graph.head!, { objectsPerImage: t.gt_per_image! });
        const loss = savedActivationsByModule(b.finish(), 'fp32').get('loss') ?? 0;
        assert.ok(Math.abs(loss / t.loss_saved_bytes! - 1) <= 0.03, `${loss} vs ${t.loss_saved_bytes}`);
      });
    }

    it('deployed (fused) parameters and GFLOPs at 640 match model.fuse() within 1 %', () => {
      const g640 = buildGraphWithOutputs(model, { batch: 1, imgsz: 640 }, 'builtin').graph;
      const fused = fusedParams(g640);
      assert.ok(Math.abs(fused / t.fused_params - 1) <= 0.01, `${fused} vs ${t.fused_params}`);
      const gf = deployGflops(g640);
      // RT-DETR's training graph also runs ~200 denoising queries and every layer's score head, which
      // the inference count (thop, eval mode) does not: 3.7 % more for rtdetr-l
      const gfTol = t.loss_saved_bytes !== undefined ? 0.05 : 0.01;
      assert.ok(Math.abs(gf / t.fused_gflops_640 - 1) <= gfTol, `${gf.toFixed(3)} vs ${t.fused_gflops_640}`);
      const official = OFFICIAL[t.name];
      if (official) {
        // YOLOv9t: Ultralytics' own fused model has 2.09 M (4.7 % above the table's 2.0 M, which
        // comes from the original repository's converted weights); the others are within 4 %.
        const tol = t.name === 'yolov9t' ? 0.05 : 0.04;
        assert.ok(Math.abs(fused / 1e6 / official[0] - 1) <= tol, `${(fused / 1e6).toFixed(2)} M vs ${official[0]} M`);
        assert.ok(Math.abs(gf / official[1] - 1) <= 0.1, `${gf.toFixed(1)} vs ${official[1]} GFLOPs`);
      }
    });
  });
}

describe('families2: YAML rows', () => {
  const yaml = (rows: string) => `nc: 2\nbackbone:\n  - [-1, 1, Conv, [32, 3, 2]]\n${rows}\nhead:\n  - [-1, 1, Classify, [nc]]\n`;

  it('CBFuse checks its pieces: index, channels, integer upsampling', () => {
    const base = '  - [0, 1, CBLinear, [[16, 32]]]\n  - [0, 1, Conv, [16, 3, 1]]\n';
    assert.throws(() => buildFromYamlText(yaml(`${base}  - [[1, -1], 1, CBFuse, [[2]]]`), 'f.yaml', { batch: 1, imgsz: 64 }), /^YoloArchError: f\.yaml: backbone\[3\] \(CBFuse\): .*no piece 2/);
    assert.throws(() => buildFromYamlText(yaml(`${base}  - [[1, -1], 1, CBFuse, [[1]]]`), 'f.yaml', { batch: 1, imgsz: 64 }), /32 channels, the last input 16/);
    const g = buildFromYamlText(yaml(`${base}  - [[1, -1], 1, CBFuse, [[0]]]`), 'f.yaml', { batch: 1, imgsz: 64 });
    assert.ok(g.ops.some((o) => o.name === 'model.3.stack'));
  });

  it('a plain row cannot read a CBLinear row (several outputs); bad args are one-line errors', () => {
    assert.throws(() => buildFromYamlText(yaml('  - [-1, 1, CBLinear, [[16, 16]]]\n  - [-1, 1, Conv, [16, 3, 1]]'), 'g.yaml', { batch: 1, imgsz: 64 }), /row 1 has 2 outputs/);
    assert.throws(() => buildFromYamlText(yaml('  - [-1, 1, nn.ZeroPad2d, [[1, 2]]]'), 'g.yaml', { batch: 1, imgsz: 64 }), /ZeroPad2d argument 'padding' must be/);
    assert.throws(() => buildFromYamlText(yaml('  - [-1, 1, ADown, [64, 3]]'), 'g.yaml', { batch: 1, imgsz: 64 }), /ADown got too many arguments/);
    assert.throws(() => buildFromYamlText(yaml('  - [-1, 1, YOLOEDetect, [32, 64, 2]]'), 'g.yaml', { batch: 1, imgsz: 64 }), /^YoloArchError: g\.yaml: backbone\[1\], line \d+: module 'YOLOEDetect' is an Ultralytics module this estimator does not model yet$/);
  });
});

describe('families2: YOLO-World text prompts', () => {
  it('the batch carries one 512-d text embedding per class; its guide Linear keeps it once for all C2fAttn', () => {
    const g = buildGraphWithOutputs(prepareBuiltin('yolov8s-worldv2', 0, 3)!, { batch: 2, imgsz: 128 }, 'builtin').graph;
    const txt = g.ops.find((o) => o.name === 'txt_feats')!;
    assert.deepEqual(g.tensors[txt.outputs[0]].shape, [2, 3, 512]);
    const readers = g.ops.filter((o) => o.kind === 'linear' && o.inputs[0] === txt.outputs[0]);
    assert.equal(readers.length, 4);
    assert.deepEqual(g.tensors[g.head!.levels[0]].shape, [2, 64 + 3, 16, 16]);
  });
});

describe('families2: names', () => {
  it('yolov9/yolov3u/yolov6 names with .pt or .yaml; only the sizes and tasks Ultralytics ships', () => {
    assert.equal(builtinName('yolov9c.pt'), 'yolov9c');
    assert.equal(builtinName('YOLOv9e-seg.pt'), 'yolov9e-seg');
    assert.equal(builtinName('yolov3-tinyu.pt'), 'yolov3-tinyu');
    assert.equal(builtinName('yolov6s.yaml'), 'yolov6s');
    for (const bad of ['yolov9t-seg', 'yolov9n', 'yolov6t', 'yolov3', 'yolov9c-pose']) assert.equal(builtinName(bad), null, bad);
  });

  it('listBuiltins() lists them with family, task and size', () => {
    const list = listBuiltins();
    const v9 = list.filter((b) => b.family === 'yolov9');
    assert.deepEqual(v9.map((b) => b.name), ['yolov9t', 'yolov9s', 'yolov9m', 'yolov9c', 'yolov9e', 'yolov9c-seg', 'yolov9e-seg']);
    assert.deepEqual(list.find((b) => b.name === 'yolov9e-seg'), { name: 'yolov9e-seg', family: 'yolov9', task: 'segment', scale: 'e' });
    assert.deepEqual(list.filter((b) => b.family === 'yolov6').map((b) => b.scale), ['n', 's', 'm', 'l', 'x']);
    assert.ok(list.some((b) => b.name === 'yolov3-sppu' && b.family === 'yolov3u'));
    assert.deepEqual(list.filter((b) => b.family === 'yolov8-worldv2').map((b) => b.name), ['yolov8n-worldv2', 'yolov8s-worldv2', 'yolov8m-worldv2', 'yolov8l-worldv2', 'yolov8x-worldv2']);
    assert.deepEqual(list.filter((b) => b.family === 'rtdetr').map((b) => b.name), ['rtdetr-l', 'rtdetr-x', 'rtdetr-resnet50', 'rtdetr-resnet101']);
    assert.deepEqual(list.filter((b) => b.task === 'classify' && b.family === 'yolov5').map((b) => b.name), ['yolov5n-cls', 'yolov5s-cls', 'yolov5m-cls', 'yolov5l-cls', 'yolov5x-cls']);
  });
});
