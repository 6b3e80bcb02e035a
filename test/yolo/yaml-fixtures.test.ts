// The real model YAMLs (fixtures) against what the frameworks themselves report: parameter counts,
// buffers, fused params and GFLOPs, yolov8n's per-layer output shapes and per-layer saved bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFromYamlText, buildGraphWithOutputs, prepareYaml } from '../../src/core/yolo/index';
import { savedActivationsByModule } from '../../src/core/memory/saved';
import { groundTruth, readYamlFixture, totals } from './helpers';

describe('model YAML fixtures', () => {
  // Unfused counts as the frameworks print them when building from the YAML (fixtures README,
  // ground_truth.json model_stats, and the YOLOv5 v7.0 / Ultralytics model summaries).
  const cases: [file: string, as: string, params: number][] = [
    ['yolov8.yaml', 'yolov8n.yaml', 3_157_200],
    ['yolo11.yaml', 'yolo11n.yaml', 2_624_080],
    ['yolov5s.yaml', 'yolov5s.yaml', 7_235_389],
    ['yolov8-seg.yaml', 'yolov8n-seg.yaml', 3_409_968],
  ];
  for (const [file, as, params] of cases) {
    it(`${as}: ${params} parameters, exactly`, () => {
      const g = buildFromYamlText(readYamlFixture(file), as, { batch: 1, imgsz: 640 });
      assert.equal(totals(g).params, params);
    });
  }

  it('yolov8n and yolo11n match model_stats: params, gradients, fused params, fused GFLOPs', () => {
    const gt = groundTruth();
    const files: Record<string, string> = { yolov8n: 'yolov8.yaml', yolo11n: 'yolo11.yaml' };
    for (const s of gt.model_stats) {
      const g = buildFromYamlText(readYamlFixture(files[s.model]), `${s.model}.yaml`, { batch: 1, imgsz: 640 });
      const t = totals(g);
      assert.equal(t.params, s.params, s.model);
      // the frozen DFL conv (16 weights) is the only parameter without a gradient
      assert.equal(t.params - t.trainable, 16, s.model);
      assert.equal(t.fusedParams, s.fused_params, s.model);
      assert.ok(Math.abs(t.gflops - s.fused_gflops_640) < 0.0006, `${s.model}: ${t.gflops} GFLOPs vs ${s.fused_gflops_640}`);
    }
  });

  it('buffer bytes equal the measured ones (BN running stats + int64 num_batches_tracked)', () => {
    const gt = groundTruth();
    const files: Record<string, string> = { yolov8n: 'yolov8.yaml', yolo11n: 'yolo11.yaml' };
    for (const row of gt.training_memory) {
      const g = buildFromYamlText(readYamlFixture(files[row.model]), `${row.model}.yaml`, { batch: row.batch, imgsz: row.imgsz });
      const t = totals(g);
      assert.equal(t.bufferBytes, row.buffer_bytes, `${row.model}`);
      assert.equal(t.params, row.param_count);
      assert.equal(t.trainable * 4, row.trainable_param_bytes);
    }
  });

  it('yolov8n at 640, batch 1: every layer output shape equals per_layer output_shapes', () => {
    const gt = groundTruth().per_layer;
    const model = prepareYaml(readYamlFixture('yolov8.yaml'), 'yolov8n.yaml');
    const { graph, outputs } = buildGraphWithOutputs(model, { batch: gt.batch, imgsz: gt.imgsz });
    const layers = gt.layers.filter((l) => l.index !== 'loss');
    assert.equal(outputs.length, layers.length);
    for (const l of layers) {
      const i = l.index as number;
      assert.deepEqual(
        outputs[i].map((t) => graph.tensors[t].shape),
        l.output_shapes,
        `layer ${i} (${l.type})`,
      );
      assert.equal(model.layers[i].type, l.type, `layer ${i} type`);
      assert.deepEqual(model.layers[i].from, l.from, `layer ${i} from`);
      const params = graph.ops.filter((o) => o.module.index === i).reduce((s, o) => s + o.params, 0);
      assert.equal(params, l.params, `layer ${i} params`);
    }
  });

  it('yolov8n at 640, batch 1, fp32: saved activation bytes of every layer equal the measured ones', () => {
    const gt = groundTruth().per_layer;
    const g = buildFromYamlText(readYamlFixture('yolov8.yaml'), 'yolov8n.yaml', { batch: gt.batch, imgsz: gt.imgsz });
    const saved = savedActivationsByModule(g, 'fp32');
    for (const l of gt.layers) {
      if (l.index === 'loss') continue;
      assert.equal(saved.get(l.index) ?? 0, l.saved_activation_bytes, `layer ${l.index} (${l.type})`);
    }
    // every op is attributed to a row
    assert.equal(saved.get(null) ?? 0, 0);
  });

  it('yolo11n: its layers account for the measured saved bytes as yolov8n\'s do (the rest is the loss)', () => {
    const gt = groundTruth() as unknown as { training_memory: { model: string; imgsz: number; batch: number; precision: string; saved_activation_bytes: number }[]; per_layer: { layers: { index: number | 'loss'; saved_activation_bytes: number }[] } };
    const files: Record<string, string> = { yolov8n: 'yolov8.yaml', yolo11n: 'yolo11.yaml' };
    const rest = new Map<string, number>();
    for (const row of gt.training_memory.filter((r) => r.precision === 'fp32')) {
      const g = buildFromYamlText(readYamlFixture(files[row.model]), `${row.model}.yaml`, { batch: row.batch, imgsz: row.imgsz });
      let layers = 0;
      for (const v of savedActivationsByModule(g, 'fp32').values()) layers += v;
      const r = row.saved_activation_bytes - layers;
      const key = `${row.imgsz}/${row.batch}`;
      const other = rest.get(key);
      if (other === undefined) rest.set(key, r);
      // both models feed the same 3-level, 144-channel Detect outputs to the same loss and targets;
      // only the label assignment (which depends on the predictions) may differ slightly
      else assert.ok(Math.abs(other - r) < 0.001 * row.saved_activation_bytes, `${key}: loss share ${other} vs ${r}`);
      assert.ok(r > 0 && r < 0.05 * row.saved_activation_bytes, `${row.model} ${key}: rest ${r}`);
    }
    const loss = gt.per_layer.layers.find((l) => l.index === 'loss')!.saved_activation_bytes;
    assert.equal(rest.get('640/1'), loss);
  });

  it('yolov8n-seg: Segment head returns levels, mask coefficients and prototypes', () => {
    const g = buildFromYamlText(readYamlFixture('yolov8-seg.yaml'), 'yolov8n-seg.yaml', { batch: 2, imgsz: 320 });
    assert.equal(g.task, 'segment');
    const h = g.head!;
    assert.deepEqual(h.strides, [8, 16, 32]);
    assert.deepEqual(g.tensors[h.proto!].shape, [2, 32, 80, 80]);
    assert.deepEqual(g.tensors[h.maskCoefficients!].shape, [2, 32, 40 * 40 + 20 * 20 + 10 * 10]);
    assert.deepEqual(h.levels.map((t) => g.tensors[t].shape), [[2, 144, 40, 40], [2, 144, 20, 20], [2, 144, 10, 10]]);
    assert.equal(h.extraChannels, 32);
  });

  it('yolov5s (v7.0): anchor-based head outputs (B, 3, h, w, 85), contiguous copies', () => {
    const g = buildFromYamlText(readYamlFixture('yolov5s.yaml'), 'yolov5s.yaml', { batch: 1, imgsz: 640 });
    const h = g.head!;
    assert.equal(h.style, 'v5');
    assert.equal(h.anchorsPerCell, 3);
    assert.equal(h.regMax, 0);
    assert.deepEqual(h.levels.map((t) => g.tensors[t].shape), [[1, 3, 80, 80, 85], [1, 3, 40, 40, 85], [1, 3, 20, 20, 85]]);
    for (const t of h.levels) assert.equal(g.tensors[t].storage, t, 'each level output owns its storage (.contiguous() copied it)');
    // the head's anchors buffer (3 levels x 3 anchors x 2) sits with its first conv
    assert.equal(g.ops.filter((o) => o.kind === 'conv2d' && o.module.index === 24).reduce((s, o) => s + o.buffers, 0), 18);
  });
});
