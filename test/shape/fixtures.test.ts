// Shape inference on the six exports: final outputs, parameter totals (= the README's initializer
// element counts), GFLOPs against the frameworks' fused figures, binding of dynamic dims, modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOnnxFile } from '../../src/core/onnx/index';
import { inferShapes } from '../../src/core/shape/index';
import { groundTruth, modelPath } from '../onnx/fixtures';

const facts = groundTruth();

test('fixture shape tests need the fixtures', () => assert.ok(facts));

const expected: Record<string, { output: number[]; gflops: number | null }> = {
  'yolov8n-640-static.onnx': { output: [1, 84, 8400], gflops: 8.744 },
  'yolov8n-640-static-bnrand.onnx': { output: [1, 84, 8400], gflops: 8.744 },
  'yolov8n-640-dynamic-batch.onnx': { output: [1, 84, 8400], gflops: 8.744 },
  'yolov8n-dynamic.onnx': { output: [1, 84, 8400], gflops: 8.744 },
  'yolo11n-640-static.onnx': { output: [1, 84, 8400], gflops: 6.481 },
  // YOLOv5 v7.0 reports 16.5 GFLOPs for the fused YOLOv5s at 640 (not in ground_truth.json).
  'yolov5s-640-static.onnx': { output: [1, 25200, 85], gflops: 16.5 },
};

for (const f of facts?.onnx_fixtures ?? []) {
  test(`${f.file}: output, params and GFLOPs`, () => {
    const r = inferShapes(readOnnxFile(modelPath(f.file)));
    const e = expected[f.file];
    assert.deepEqual(r.outputs.map((o) => o.shape), [e.output]);
    assert.equal(r.paramsTotal, f.initializer_elements);
    assert.equal(r.nodes.reduce((a, n) => a + n.params, 0), f.initializer_elements, 'every initializer lands on one node');
    assert.equal(r.nodes.filter((n) => n.opType === 'Identity').reduce((a, n) => a + n.params, 0), 0, 'Identity aliases carry no params');
    assert.deepEqual(r.unsupported, []);
    assert.equal(r.nodes.filter((n) => n.note).length, 0);
    const gflops = r.flopsTotal / 1e9;
    const stats = facts!.model_stats.find((s) => f.file.startsWith(s.model + '-'));
    const ref = stats?.fused_gflops_640 ?? e.gflops!;
    assert.ok(Math.abs(gflops - ref) / ref < 0.03, `${gflops.toFixed(3)} GFLOPs vs ${ref}`);
    assert.equal(r.nodes.length, f.nodes);
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r, 'plain JSON');
  });
}

test('yolov8n fused GFLOPs match Ultralytics exactly (convs only, 2 × MACs)', () => {
  const r = inferShapes(readOnnxFile(modelPath('yolov8n-640-static.onnx')));
  assert.equal((r.flopsTotal / 1e9).toFixed(3), '8.744');
});

test('yolov8n-dynamic binds batch 3 and imgsz 320 → [3, 84, 2100]', () => {
  const r = inferShapes(readOnnxFile(modelPath('yolov8n-dynamic.onnx')), { batch: 3, height: 320, width: 320 });
  assert.deepEqual(r.outputs[0].shape, [3, 84, 2100]);
  assert.deepEqual(r.bindings, { batch: 3, height: 320, width: 320, dims: { batch: 3, height: 320, width: 320 } });
  assert.deepEqual(r.warnings, []);
  // FLOPs scale with batch × area: 3 × (320/640)² of the 640 figure.
  assert.ok(Math.abs(r.flopsTotal / 1e9 - 8.744 * 3 * 0.25) < 0.01);
});

test('yolov8n-dynamic without bindings falls back to the metadata (batch 1, imgsz 640)', () => {
  const r = inferShapes(readOnnxFile(modelPath('yolov8n-dynamic.onnx')));
  assert.deepEqual(r.outputs[0].shape, [1, 84, 8400]);
  assert.deepEqual(r.inputs[0].shape, [1, 3, 640, 640]);
});

test('a static export keeps its shape and warns when asked for another size', () => {
  const r = inferShapes(readOnnxFile(modelPath('yolov8n-640-static.onnx')), { batch: 2, height: 320 });
  assert.deepEqual(r.outputs[0].shape, [1, 84, 8400]);
  assert.deepEqual(r.warnings, [
    "input 'images' has a static batch of 1; the requested batch 2 cannot apply to this export",
    "input 'images' has a static height of 640; the requested height 320 cannot apply to this export",
  ]);
});

test('dynamic-batch export: batch binds, symbolic output dims are free', () => {
  const r = inferShapes(readOnnxFile(modelPath('yolov8n-640-dynamic-batch.onnx')), { batch: 4 });
  assert.deepEqual(r.outputs[0].shape, [4, 84, 8400]);
  assert.deepEqual(r.warnings, []);
});

test('nodes map to Ultralytics modules; per-module params add up', () => {
  const r = inferShapes(readOnnxFile(modelPath('yolov8n-640-static-bnrand.onnx')));
  const conv = r.nodes.find((n) => n.name === '/model.22/cv2.0/cv2.0.0/conv/Conv')!;
  assert.deepEqual(conv.module, { index: 22, path: 'model.22.cv2.0.0.conv' });
  assert.deepEqual(conv.outputs[0].shape, [1, 64, 80, 80]);
  // First conv: 3→16, 3×3, stride 2 at 640: weights 432 + bias 16; 2 × 16·320·320 · 27 FLOPs.
  const first = r.nodes.find((n) => n.module?.index === 0 && n.opType === 'Conv')!;
  assert.equal(first.params, 16 * 3 * 9 + 16);
  assert.equal(first.flops, 2 * 16 * 320 * 320 * 27);
  const perModule = new Map<number, number>();
  for (const n of r.nodes) if (n.module) perModule.set(n.module.index, (perModule.get(n.module.index) ?? 0) + n.params);
  assert.equal(perModule.size, 23);
  assert.equal([...perModule.values()].reduce((a, b) => a + b, 0), r.paramsTotal);
});
