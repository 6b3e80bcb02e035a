// rebindStaticBatch: a static batch-1 graph analysed at batch 4 must infer what its dynamic-batch
// twin (the same graph with batch 4 baked into its targets) infers, and onnxruntime runs the twin
// to say what that is. Constants that are not computed from the image keep their leading 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOnnx } from '../../src/core/onnx/index';
import { ortShapes } from '../../src/core/onnx/ort-shapes';
import { inferShapes } from '../../src/core/shape/index';
import { buildModel, writeModel, type ModelSpec, type TensorSpec } from '../helpers/onnx-writer';

process.env.ONNXRUNTIME_NODE_INSTALL ??= 'skip';

const i64 = (name: string, values: number[]): TensorSpec => ({ name, dtype: 'int64', dims: [values.length], values });
const zeros = (name: string, dims: number[]): TensorSpec => ({ name, dims, zeroBytes: dims.reduce((a, b) => a * b, 1) * 4 });

/** Conv -> Reshape [b, 8, -1] -> Add an anchor-like constant [1, 1, 16]; Expand and Resize(sizes)
 *  with the batch in their targets; a Reshape of the constant itself to [1, 16]. */
function spec(batch: number | 'N', baked: number): ModelSpec {
  return {
    opset: 17,
    graph: {
      inputs: [{ name: 'x', shape: [batch, 3, 4, 4] }],
      outputs: [{ name: 'y' }, { name: 'ex' }, { name: 'up' }, { name: 'g2' }],
      initializers: [
        zeros('w', [8, 3, 1, 1]),
        i64('t', [baked, 8, -1]),
        zeros('grid', [1, 1, 16]),
        i64('gt', [1, 16]),
        i64('e', [baked, 8, 16]),
        i64('sizes', [baked, 8, 8, 8]),
      ],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'] },
        { op: 'Reshape', inputs: ['c', 't'], outputs: ['r'] },
        { op: 'Add', inputs: ['r', 'grid'], outputs: ['y'] },
        { op: 'Expand', inputs: ['r', 'e'], outputs: ['ex'] },
        { op: 'Resize', inputs: ['c', '', '', 'sizes'], outputs: ['up'], attrs: { mode: { s: 'nearest' } } },
        { op: 'Reshape', inputs: ['grid', 'gt'], outputs: ['g2'] },
      ],
    },
  };
}

test('a static batch is rebound with rebindStaticBatch: shapes and FLOPs equal the dynamic twin (checked by onnxruntime)', async () => {
  const twin = spec('N', 4);
  const dir = mkdtempSync(join(tmpdir(), 'shape-rebatch-'));
  writeModel(join(dir, 'twin.onnx'), twin);
  const real = await ortShapes(join(dir, 'twin.onnx'), { x: [4, 3, 4, 4] });
  const want = inferShapes(parseOnnx(buildModel(twin), 'twin.onnx'), { batch: 4 });
  for (const [name, t] of Object.entries(real)) assert.deepEqual(want.tensors[name]?.shape, t.shape, `twin ${name}: inferred vs onnxruntime`);

  const got = inferShapes(parseOnnx(buildModel(spec(1, 1)), 'static.onnx'), { batch: 4, rebindStaticBatch: true });
  for (const name of ['x', 'c', 'r', 'y', 'ex', 'up', 'g2']) assert.deepEqual(got.tensors[name].shape, want.tensors[name].shape, name);
  assert.deepEqual(got.tensors.g2.shape, [1, 16], 'a constant keeps its own leading 1');
  assert.deepEqual(got.tensors.up.shape, [4, 8, 8, 8]);
  assert.deepEqual(got.nodes.map((n) => n.flops), want.nodes.map((n) => n.flops));
  assert.deepEqual(got.warnings, []);
  assert.deepEqual(got.bindings, { batch: 4, height: 4, width: 4, dims: {}, staticBatch: 1 });
});

test('without rebindStaticBatch a static batch stays, with a warning', () => {
  const r = inferShapes(parseOnnx(buildModel(spec(1, 1)), 'static.onnx'), { batch: 4 });
  assert.deepEqual(r.tensors.y.shape, [1, 8, 16]);
  assert.equal(r.bindings.batch, 1);
  assert.equal(r.bindings.staticBatch, undefined);
  assert.deepEqual(r.warnings, ["input 'x' has a static batch of 1; the requested batch 4 cannot apply to this export"]);
});

test('rebinding to the file\'s own batch changes nothing', () => {
  const r = inferShapes(parseOnnx(buildModel(spec(1, 1)), 'static.onnx'), { batch: 1, rebindStaticBatch: true });
  assert.deepEqual(r.tensors.y.shape, [1, 8, 16]);
  assert.equal(r.bindings.staticBatch, undefined);
});
