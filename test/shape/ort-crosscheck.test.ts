// Every shape the pass infers must equal the shape onnxruntime produces, for every tensor of every
// fixture: at the file's own size, and for the dynamic exports at batch 3 and at 320×416.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOnnxFile } from '../../src/core/onnx/index';
import { ortShapes } from '../../src/core/onnx/ort-shapes';
import { inferShapes, type ShapeBindings } from '../../src/core/shape/index';
import { modelPath } from '../onnx/fixtures';

process.env.ONNXRUNTIME_NODE_INSTALL ??= 'skip';

const cases: { file: string; bindings: ShapeBindings; input: number[] }[] = [
  { file: 'yolov8n-640-static.onnx', bindings: {}, input: [1, 3, 640, 640] },
  { file: 'yolov8n-640-static-bnrand.onnx', bindings: {}, input: [1, 3, 640, 640] },
  { file: 'yolo11n-640-static.onnx', bindings: {}, input: [1, 3, 640, 640] },
  { file: 'yolov5s-640-static.onnx', bindings: {}, input: [1, 3, 640, 640] },
  { file: 'yolov8n-640-dynamic-batch.onnx', bindings: {}, input: [1, 3, 640, 640] },
  { file: 'yolov8n-640-dynamic-batch.onnx', bindings: { batch: 3 }, input: [3, 3, 640, 640] },
  { file: 'yolov8n-dynamic.onnx', bindings: {}, input: [1, 3, 640, 640] },
  { file: 'yolov8n-dynamic.onnx', bindings: { batch: 3 }, input: [3, 3, 640, 640] },
  { file: 'yolov8n-dynamic.onnx', bindings: { batch: 1, height: 320, width: 416 }, input: [1, 3, 320, 416] },
];

for (const c of cases) {
  test(`${c.file} at [${c.input}]: every inferred shape equals onnxruntime's`, async () => {
    const inferred = inferShapes(readOnnxFile(modelPath(c.file)), c.bindings);
    assert.deepEqual(inferred.warnings, []);
    assert.deepEqual(inferred.unsupported, []);
    const real = await ortShapes(modelPath(c.file), { images: c.input });
    const names = Object.keys(real);
    // Every node output came back from onnxruntime (nothing silently missing from the comparison).
    const nodeOutputs = inferred.nodes.flatMap((n) => n.outputs.map((o) => o.name)).filter(Boolean);
    assert.deepEqual(nodeOutputs.filter((n) => !real[n]), []);
    const mismatches = names.filter((n) => JSON.stringify(inferred.tensors[n]?.shape) !== JSON.stringify(real[n].shape));
    assert.deepEqual(
      mismatches.map((n) => `${n}: inferred ${JSON.stringify(inferred.tensors[n]?.shape)} real ${JSON.stringify(real[n].shape)}`),
      [],
    );
    const dtypeMismatches = names.filter((n) => inferred.tensors[n]?.dtype !== real[n].type);
    assert.deepEqual(dtypeMismatches, []);
    assert.ok(names.length >= nodeOutputs.length);
  });
}
