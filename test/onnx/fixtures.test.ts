// The reader against the six real exports: every fact the fixtures README records must come back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOnnxFile } from '../../src/core/onnx/index';
import { groundTruth, modelPath } from './fixtures';

const facts = groundTruth().onnx_fixtures;

test('fixture facts are available', () => {
  assert.equal(facts.length, 6);
});

for (const f of facts) {
  test(`reads ${f.file} exactly as onnx does`, () => {
    const m = readOnnxFile(modelPath(f.file));
    assert.equal(m.byteLength, f.bytes);
    assert.equal(m.irVersion, 8);
    assert.equal(m.opset, 17);
    assert.equal(`${m.producerName} ${m.producerVersion}`, 'pytorch 1.13.0');
    assert.equal(m.graph.nodes.length, f.nodes);
    assert.equal(m.graph.initializers.length, f.initializers);
    assert.equal(m.graph.initializers.reduce((a, t) => a + t.elements, 0), f.initializer_elements);
    const hist: Record<string, number> = {};
    for (const n of m.graph.nodes) hist[n.opType] = (hist[n.opType] ?? 0) + 1;
    assert.deepEqual(hist, f.op_types);
    assert.deepEqual(Object.fromEntries(m.graph.inputs.map((v) => [v.name, v.shape])), f.inputs);
    assert.deepEqual(Object.fromEntries(m.graph.outputs.map((v) => [v.name, v.shape])), f.outputs);
    assert.deepEqual(Object.keys(m.metadata), f.metadata_keys);
    assert.deepEqual(m.graph.order, m.graph.nodes.map((_, i) => i), 'exports are already sorted');
    // Every initializer's raw payload lies inside the file and matches its dims.
    for (const t of m.graph.initializers) {
      assert.equal(t.data.kind, 'raw');
      if (t.data.kind === 'raw') {
        assert.equal(t.data.length, t.byteLength);
        assert.ok(t.data.offset + t.data.length <= f.bytes);
      }
    }
    const u = m.ultralytics;
    assert.ok(u, 'Ultralytics/YOLOv5 metadata recognised');
    assert.equal(u.stride, 32);
    assert.equal(Object.keys(u.names ?? {}).length, f.file.startsWith('yolov5') ? 80 : 80);
    if (!f.file.startsWith('yolov5')) {
      assert.equal(u.task, 'detect');
      assert.deepEqual(u.imgsz, [640, 640]);
      assert.equal(u.batch, 1);
      assert.equal(u.channels, 3);
      assert.equal(typeof u.args, 'object');
    }
  });
}
