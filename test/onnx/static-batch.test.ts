// A static batch-1 export analysed at batch 16 reports its layers at batch 16, exactly as the
// dynamic-batch export of the same model does; a static export asked for another image size is
// analysed at its own size (its reshape targets and anchors are fixed), with a note saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import type { AnalysisResult, LayerRow } from '../../src/core/result';
import { modelPath } from './fixtures';

const BATCH = 16;
const run = (file: string, imgsz?: number): Promise<AnalysisResult> =>
  analyze({ model: modelPath(file), batch: [BATCH], ...(imgsz ? { imgsz } : {}), optimizer: 'sgd', objectsPerImage: 8 });

/** The rows computed from the image (axis 0 is the batch), without the file's node names: the two
 *  exports number their nodes differently (the dynamic one has Shape/Gather subgraphs in the head). */
const imageRows = (layers: LayerRow[]) =>
  layers.filter((r) => r.outputShape[0] === BATCH && r.outputShape.length > 1).map(({ index: _i, name: _n, ...rest }) => rest);
const withoutIndex = (rows: LayerRow[]) => rows.map(({ index: _i, ...rest }) => rest);
const sum = (rows: LayerRow[], k: 'flops' | 'activationBytes' | 'outputBytes') => rows.reduce((a, r) => a + r[k], 0);

test('static batch-1 and dynamic-batch yolov8n at batch 16: the same layer table', async () => {
  const s = await run('yolov8n-640-static.onnx');
  const d = await run('yolov8n-640-dynamic-batch.onnx');
  const rows = imageRows(s.layers);
  assert.ok(rows.length > 200, `${rows.length} image rows`);
  assert.deepEqual(rows, imageRows(d.layers));
  // nothing that computes or saves anything is left at the file's batch
  const stale = s.layers.filter((r) => (r.flops > 0 || r.activationBytes > 0) && r.outputShape[0] !== BATCH);
  assert.deepEqual(stale.map((r) => `${r.name} [${r.outputShape}]`), []);
  const conv = s.layers.find((r) => r.type === 'Conv')!;
  assert.deepEqual(conv.outputShape, [BATCH, 16, 320, 320]);
  assert.equal(conv.outputBytes, BATCH * 16 * 320 * 320 * 4);
  for (const k of ['flops', 'activationBytes'] as const) assert.equal(sum(s.layers, k), sum(d.layers, k), k);
  assert.deepEqual(withoutIndex(s.lossLayers), withoutIndex(d.lossLayers));
  assert.deepEqual(s.model.groups, d.model.groups);
  assert.equal(s.model.gflops, d.model.gflops);
  assert.deepEqual(s.estimates[0].bytes, d.estimates[0].bytes);
});

for (const file of ['yolo11n-640-static.onnx', 'yolov5s-640-static.onnx']) {
  test(`${file} at batch 16: every computing row is at batch 16, and per-image FLOPs match batch 1`, async () => {
    const s = await run(file);
    const stale = s.layers.filter((r) => (r.flops > 0 || r.activationBytes > 0) && r.outputShape[0] !== BATCH);
    assert.deepEqual(stale.map((r) => `${r.name} [${r.outputShape}]`), []);
    const one = await analyze({ model: modelPath(file), batch: [1], optimizer: 'sgd', objectsPerImage: 8 });
    assert.equal(sum(s.layers, 'flops'), BATCH * sum(one.layers, 'flops'));
    assert.equal(s.layers.filter((r) => r.outputShape.length === 0).length, one.layers.filter((r) => r.outputShape.length === 0).length, 'no row lost its shape');
  });
}

test('a static 640 export asked for imgsz 320 is analysed at 640, says so, and agrees with itself', async () => {
  const asked = await run('yolov8n-640-static.onnx', 320);
  const own = await run('yolov8n-640-static.onnx');
  assert.equal(asked.estimates[0].imgsz, 640);
  assert.ok(
    asked.assumptions.some((a) => a.includes('static') && a.includes('imgsz 640') && a.includes('320')),
    asked.assumptions.join('\n'),
  );
  assert.ok(!own.assumptions.some((a) => a.includes('static')), 'no note when the size was not asked for');
  assert.deepEqual(asked.layers, own.layers);
  assert.deepEqual(asked.estimates[0].bytes, own.estimates[0].bytes);
  for (const file of ['yolo11n-640-static.onnx', 'yolov5s-640-static.onnx']) {
    const r = await run(file, 320);
    assert.equal(r.estimates[0].imgsz, 640, file);
  }
});

test('a dynamic export still follows the requested imgsz', async () => {
  const r = await run('yolov8n-dynamic.onnx', 320);
  assert.equal(r.estimates[0].imgsz, 320);
  assert.deepEqual(r.layers.find((l) => l.type === 'Conv')!.outputShape, [BATCH, 16, 160, 160]);
  assert.ok(!r.assumptions.some((a) => a.includes('static')));
});
