// One small model per operator family, built with the test writer. Each inferred shape is asserted
// explicitly and, where onnxruntime can run the model, compared against the real shapes of every
// tensor as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOnnx } from '../../src/core/onnx/index';
import { ortShapes } from '../../src/core/onnx/ort-shapes';
import { inferShapes, type ShapeBindings, type ShapeResult } from '../../src/core/shape/index';
import { buildModel, writeModel, type ModelSpec, type NodeSpec, type TensorSpec, type ValueSpec } from '../helpers/onnx-writer';

process.env.ONNXRUNTIME_NODE_INSTALL ??= 'skip';
const dir = mkdtempSync(join(tmpdir(), 'shape-ops-'));
let count = 0;

interface Case {
  inputs: ValueSpec[];
  nodes: NodeSpec[];
  outputs: ValueSpec[];
  initializers?: TensorSpec[];
  opset?: number;
  bindings?: ShapeBindings;
  /** Concrete input shapes for onnxruntime; default: the declared ones. false: do not run it. */
  ort?: Record<string, number[]> | false;
}

async function infer(c: Case): Promise<ShapeResult> {
  const spec: ModelSpec = { opset: c.opset ?? 17, graph: { inputs: c.inputs, outputs: c.outputs, nodes: c.nodes, initializers: c.initializers } };
  const r = inferShapes(parseOnnx(buildModel(spec), 'case.onnx'), c.bindings);
  if (c.ort !== false) {
    const p = join(dir, `case${count++}.onnx`);
    writeModel(p, spec);
    const shapes = c.ort ?? Object.fromEntries(c.inputs.map((i) => [i.name, i.shape as number[]]));
    const real = await ortShapes(p, shapes);
    for (const [name, t] of Object.entries(real)) assert.deepEqual(r.tensors[name]?.shape, t.shape, `tensor ${name}: inferred vs onnxruntime`);
  }
  return r;
}

const shape = (r: ShapeResult, name: string) => r.tensors[name]?.shape;
const i64 = (name: string, values: number[], dims = [values.length]): TensorSpec => ({ name, dtype: 'int64', dims, values });
const f32 = (name: string, values: number[], dims = [values.length]): TensorSpec => ({ name, dtype: 'float32', dims, values });
const zeros = (name: string, dims: number[]): TensorSpec => ({ name, dims, zeroBytes: dims.reduce((a, b) => a * b, 1) * 4 });

test('Conv + Relu with symbolic dims bound by role (axes 0/2/3 of the first input)', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: ['N', 3, 'H', 'W'] }],
    outputs: [{ name: 'y' }],
    initializers: [zeros('w', [8, 3, 3, 3]), zeros('b', [8])],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [2, 2] } } },
      { op: 'Relu', inputs: ['c'], outputs: ['y'] },
    ],
    bindings: { batch: 2, height: 64, width: 48 },
    ort: { x: [2, 3, 64, 48] },
  });
  assert.deepEqual(shape(r, 'y'), [2, 8, 32, 24]);
  assert.deepEqual(r.bindings, { batch: 2, height: 64, width: 48, dims: { N: 2, H: 64, W: 48 } });
  assert.equal(r.nodes[0].flops, 2 * 2 * 8 * 32 * 24 * 27);
  assert.equal(r.nodes[0].params, 216 + 8);
  assert.equal(r.paramsTotal, 224);
});

test('Conv variants: groups, dilation, SAME_UPPER, ConvTranspose', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: [1, 8, 15, 15] }],
    outputs: [{ name: 'd' }, { name: 's' }, { name: 't' }, { name: 't2' }],
    initializers: [zeros('wd', [8, 1, 3, 3]), zeros('ws', [4, 8, 3, 3]), zeros('wt', [8, 4, 2, 2])],
    nodes: [
      { op: 'Conv', inputs: ['x', 'wd'], outputs: ['d'], attrs: { group: { i: 8 }, dilations: { ints: [2, 2] } } },
      { op: 'Conv', inputs: ['x', 'ws'], outputs: ['s'], attrs: { auto_pad: { s: 'SAME_UPPER' }, strides: { ints: [2, 2] } } },
      { op: 'ConvTranspose', inputs: ['x', 'wt'], outputs: ['t'], attrs: { strides: { ints: [2, 2] } } },
      { op: 'ConvTranspose', inputs: ['x', 'wt'], outputs: ['t2'], attrs: { strides: { ints: [2, 2] }, output_padding: { ints: [1, 1] }, pads: { ints: [0, 0, 1, 1] } } },
    ],
  });
  assert.deepEqual(shape(r, 'd'), [1, 8, 11, 11]);
  assert.deepEqual(shape(r, 's'), [1, 4, 8, 8]);
  assert.deepEqual(shape(r, 't'), [1, 4, 30, 30]);
  assert.deepEqual(shape(r, 't2'), [1, 4, 30, 30]);
  assert.equal(r.nodes[0].flops, 2 * 8 * 11 * 11 * 1 * 9, 'depthwise: C_in / groups = 1');
  assert.equal(r.nodes[2].flops, 2 * 8 * 15 * 15 * 4 * 4, 'transposed: input elements × C_out × k²');
});

test('shape subgraph folds: Shape → Gather → Unsqueeze → Concat → Reshape', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: ['batch', 3, 4, 5] }],
    outputs: [{ name: 'y' }],
    initializers: [i64('zero', [0], []), i64('axes0', [0]), i64('minus1', [-1])],
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'zero'], outputs: ['n'], attrs: { axis: { i: 0 } } },
      { op: 'Unsqueeze', inputs: ['n', 'axes0'], outputs: ['n1'] },
      { op: 'Concat', inputs: ['n1', 'minus1'], outputs: ['target'], attrs: { axis: { i: 0 } } },
      { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] },
    ],
    bindings: { batch: 2 },
    ort: { x: [2, 3, 4, 5] },
  });
  assert.deepEqual(shape(r, 'y'), [2, 60]);
  assert.deepEqual(shape(r, 'n'), []);
});

test('Split: attribute (opset 11), input (opset 13+), equal, num_outputs (opset 18)', async () => {
  const x = [{ name: 'x', shape: [1, 10, 4] }];
  const a = await infer({ opset: 11, inputs: x, outputs: [{ name: 'a' }, { name: 'b' }], nodes: [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b'], attrs: { axis: { i: 1 }, split: { ints: [3, 7] } } }] });
  assert.deepEqual([shape(a, 'a'), shape(a, 'b')], [[1, 3, 4], [1, 7, 4]]);
  const b = await infer({ inputs: x, outputs: [{ name: 'a' }, { name: 'b' }], initializers: [i64('sp', [6, 4])], nodes: [{ op: 'Split', inputs: ['x', 'sp'], outputs: ['a', 'b'], attrs: { axis: { i: 1 } } }] });
  assert.deepEqual([shape(b, 'a'), shape(b, 'b')], [[1, 6, 4], [1, 4, 4]]);
  const c = await infer({ inputs: x, outputs: [{ name: 'a' }, { name: 'b' }], nodes: [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b'], attrs: { axis: { i: -1 } } }] });
  assert.deepEqual([shape(c, 'a'), shape(c, 'b')], [[1, 10, 2], [1, 10, 2]]);
  const d = await infer({ opset: 18, inputs: x, outputs: ['a', 'b', 'c', 'd'].map((name) => ({ name })), nodes: [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b', 'c', 'd'], attrs: { axis: { i: 1 }, num_outputs: { i: 4 } } }] });
  assert.deepEqual(['a', 'b', 'c', 'd'].map((n) => shape(d, n)), [[1, 3, 4], [1, 3, 4], [1, 3, 4], [1, 1, 4]]);
});

test('Squeeze/Unsqueeze: attribute (opset 11) and input (opset 13+) forms', async () => {
  const x = [{ name: 'x', shape: [1, 3, 1, 5] }];
  const a = await infer({ opset: 11, inputs: x, outputs: [{ name: 's' }, { name: 'u' }, { name: 'all' }], nodes: [
    { op: 'Squeeze', inputs: ['x'], outputs: ['s'], attrs: { axes: { ints: [2] } } },
    { op: 'Unsqueeze', inputs: ['x'], outputs: ['u'], attrs: { axes: { ints: [0, -1] } } },
    { op: 'Squeeze', inputs: ['x'], outputs: ['all'] },
  ] });
  assert.deepEqual([shape(a, 's'), shape(a, 'u'), shape(a, 'all')], [[1, 3, 5], [1, 1, 3, 1, 5, 1], [3, 5]]);
  const b = await infer({ inputs: x, outputs: [{ name: 's' }, { name: 'u' }], initializers: [i64('ax', [0, 2]), i64('ux', [1])], nodes: [
    { op: 'Squeeze', inputs: ['x', 'ax'], outputs: ['s'] },
    { op: 'Unsqueeze', inputs: ['x', 'ux'], outputs: ['u'] },
  ] });
  assert.deepEqual([shape(b, 's'), shape(b, 'u')], [[3, 5], [1, 1, 3, 1, 5]]);
});

test('Resize with scales and with sizes; Upsample (opset 9)', async () => {
  const x = [{ name: 'x', shape: [1, 3, 5, 7] }];
  const r = await infer({ inputs: x, outputs: [{ name: 'a' }, { name: 'b' }], initializers: [f32('roi', [], [0]), f32('sc', [1, 1, 2, 2]), i64('sz', [1, 3, 9, 4])], nodes: [
    { op: 'Resize', inputs: ['x', 'roi', 'sc'], outputs: ['a'], attrs: { mode: { s: 'nearest' } } },
    { op: 'Resize', inputs: ['x', '', '', 'sz'], outputs: ['b'] },
  ] });
  assert.deepEqual([shape(r, 'a'), shape(r, 'b')], [[1, 3, 10, 14], [1, 3, 9, 4]]);
  const u = await infer({ opset: 9, inputs: x, outputs: [{ name: 'a' }], initializers: [f32('sc', [1, 1, 1.5, 2])], nodes: [{ op: 'Upsample', inputs: ['x', 'sc'], outputs: ['a'] }] });
  assert.deepEqual(shape(u, 'a'), [1, 3, 7, 14]);
});

test('Slice: negative starts, INT64_MAX ends, negative steps; opset 9 attributes', async () => {
  const x = [{ name: 'x', shape: [2, 10, 6] }];
  const r = await infer({ inputs: x, outputs: [{ name: 'a' }, { name: 'b' }], initializers: [i64('st', [-4, 1]), i64('en', [2 ** 63, 5]), i64('ax', [1, 2]), i64('sp', [1, 2]), i64('st2', [-1]), i64('en2', [-(2 ** 63)]), i64('ax2', [1]), i64('sp2', [-3])], nodes: [
    { op: 'Slice', inputs: ['x', 'st', 'en', 'ax', 'sp'], outputs: ['a'] },
    { op: 'Slice', inputs: ['x', 'st2', 'en2', 'ax2', 'sp2'], outputs: ['b'] },
  ] });
  assert.deepEqual([shape(r, 'a'), shape(r, 'b')], [[2, 4, 2], [2, 4, 6]]);
  const o = await infer({ opset: 9, inputs: x, outputs: [{ name: 'a' }], nodes: [{ op: 'Slice', inputs: ['x'], outputs: ['a'], attrs: { starts: { ints: [0, 1] }, ends: { ints: [1, 100] }, axes: { ints: [0, 2] } } }] });
  assert.deepEqual(shape(o, 'a'), [1, 10, 5]);
});

test('pooling: MaxPool ceil_mode and indices, AveragePool pads, GlobalAveragePool', async () => {
  const r = await infer({ inputs: [{ name: 'x', shape: [1, 2, 7, 7] }], outputs: [{ name: 'm' }, { name: 'i', dtype: 'int64' }, { name: 'a' }, { name: 'g' }, { name: 'p' }], nodes: [
    { op: 'MaxPool', inputs: ['x'], outputs: ['m', 'i'], attrs: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] }, ceil_mode: { i: 1 } } },
    { op: 'AveragePool', inputs: ['x'], outputs: ['a'], attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } } },
    { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['g'] },
    { op: 'MaxPool', inputs: ['x'], outputs: ['p'], attrs: { kernel_shape: { ints: [5, 5] }, pads: { ints: [2, 2, 2, 2] } } },
  ] });
  assert.deepEqual(['m', 'i', 'a', 'g', 'p'].map((n) => shape(r, n)), [[1, 2, 4, 4], [1, 2, 4, 4], [1, 2, 4, 4], [1, 2, 1, 1], [1, 2, 7, 7]]);
  assert.equal(r.tensors.i.dtype, 'int64');
});

test('elementwise and activations broadcast: BatchNorm, LeakyRelu, HardSwish, HardSigmoid, Sigmoid, Pow, Sqrt, Div, Sub, Mul, Add', async () => {
  const c = 4;
  const r = await infer({
    inputs: [{ name: 'x', shape: [2, c, 3, 3] }],
    outputs: [{ name: 'o' }],
    initializers: [f32('s', [1, 1, 1, 1]), f32('b', [0, 0, 0, 0]), f32('m', [0, 0, 0, 0]), f32('v', [1, 1, 1, 1]), f32('two', [2], []), f32('col', [1, 2, 3], [3, 1])],
    nodes: [
      { op: 'BatchNormalization', inputs: ['x', 's', 'b', 'm', 'v'], outputs: ['bn'] },
      { op: 'LeakyRelu', inputs: ['bn'], outputs: ['l'], attrs: { alpha: { f: 0.1 } } },
      { op: 'HardSwish', inputs: ['l'], outputs: ['h'] },
      { op: 'HardSigmoid', inputs: ['h'], outputs: ['hs'] },
      { op: 'Sigmoid', inputs: ['hs'], outputs: ['sg'] },
      { op: 'Pow', inputs: ['sg', 'two'], outputs: ['p'] },
      { op: 'Sqrt', inputs: ['p'], outputs: ['q'] },
      { op: 'Div', inputs: ['q', 'col'], outputs: ['d'] },
      { op: 'Sub', inputs: ['d', 'two'], outputs: ['e'] },
      { op: 'Mul', inputs: ['e', 'x'], outputs: ['f'] },
      { op: 'Add', inputs: ['f', 'col'], outputs: ['o'] },
    ],
  });
  assert.deepEqual(shape(r, 'o'), [2, 4, 3, 3]);
  assert.equal(r.nodes[0].flops, 8 * 2 * 4 * 9, 'BatchNorm: 8 FLOPs per element, as thop × Ultralytics count');
});

test('MatMul (batch broadcast), Gemm (transB), Flatten, Transpose, Softmax', async () => {
  const r = await infer({
    inputs: [{ name: 'a', shape: [2, 1, 3, 4] }, { name: 'v', shape: [6, 8] }],
    outputs: [{ name: 'mm' }, { name: 'g' }, { name: 'sm' }],
    initializers: [zeros('b', [5, 4, 6]), zeros('w', [10, 8]), zeros('bias', [10])],
    nodes: [
      { op: 'MatMul', inputs: ['a', 'b'], outputs: ['mm'] },
      { op: 'Flatten', inputs: ['v'], outputs: ['fl'], attrs: { axis: { i: 1 } } },
      { op: 'Gemm', inputs: ['fl', 'w', 'bias'], outputs: ['g'], attrs: { transB: { i: 1 } } },
      { op: 'Transpose', inputs: ['mm'], outputs: ['t'], attrs: { perm: { ints: [0, 3, 1, 2] } } },
      { op: 'Softmax', inputs: ['t'], outputs: ['sm'], attrs: { axis: { i: 1 } } },
    ],
  });
  assert.deepEqual([shape(r, 'mm'), shape(r, 'g'), shape(r, 'sm')], [[2, 5, 3, 6], [6, 10], [2, 6, 5, 3]]);
  assert.equal(r.nodes.find((n) => n.opType === 'MatMul')!.flops, 2 * 10 * 3 * 6 * 4);
  assert.equal(r.nodes.find((n) => n.opType === 'Gemm')!.flops, 2 * 6 * 10 * 8);
});

test('TopK, ReduceMax, ArgMax, Einsum', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: [2, 5, 7] }, { name: 'y', shape: [2, 7, 3] }],
    outputs: [{ name: 'tv' }, { name: 'ti', dtype: 'int64' }, { name: 'rm' }, { name: 'am', dtype: 'int64' }, { name: 'es' }],
    initializers: [i64('k', [3])],
    nodes: [
      { op: 'TopK', inputs: ['x', 'k'], outputs: ['tv', 'ti'], attrs: { axis: { i: 1 } } },
      { op: 'ReduceMax', inputs: ['x'], outputs: ['rm'], attrs: { axes: { ints: [-1] }, keepdims: { i: 0 } } },
      { op: 'ArgMax', inputs: ['x'], outputs: ['am'], attrs: { axis: { i: 2 } } },
      { op: 'Einsum', inputs: ['x', 'y'], outputs: ['es'], attrs: { equation: { s: 'bij,bjk->bik' } } },
    ],
  });
  assert.deepEqual(['tv', 'ti', 'rm', 'am', 'es'].map((n) => shape(r, n)), [[2, 3, 7], [2, 3, 7], [2, 5], [2, 5, 1], [2, 5, 3]]);
  assert.equal(r.nodes.find((n) => n.opType === 'Einsum')!.flops, 2 * 2 * 5 * 7 * 3);
});

test('anchor-style subgraph: Range, Cast, ConstantOfShape, Expand, Tile, Equal, Where', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: ['batch', 3, 'height', 'width'] }],
    outputs: [{ name: 'grid' }, { name: 'tiled' }, { name: 'w' }],
    initializers: [i64('i3', [3], []), i64('zero', [0], []), i64('one', [1], []), i64('ax0', [0]), f32('half', [0.5], []), i64('reps', [2, 1])],
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'i3'], outputs: ['wd'] },
      { op: 'Range', inputs: ['zero', 'wd', 'one'], outputs: ['r'] },
      { op: 'Cast', inputs: ['r'], outputs: ['rf'], attrs: { to: { i: 1 } } },
      { op: 'Add', inputs: ['rf', 'half'], outputs: ['sx'] },
      { op: 'Unsqueeze', inputs: ['wd', 'ax0'], outputs: ['wd1'] },
      { op: 'Concat', inputs: ['wd1', 'wd1'], outputs: ['sq'], attrs: { axis: { i: 0 } } },
      { op: 'ConstantOfShape', inputs: ['sq'], outputs: ['ones'], attrs: { value: { t: { name: 'v', dtype: 'float32', dims: [1], values: [1] } } } },
      { op: 'Expand', inputs: ['sx', 'sq'], outputs: ['grid'] },
      { op: 'Tile', inputs: ['grid', 'reps'], outputs: ['tiled'] },
      { op: 'Equal', inputs: ['grid', 'ones'], outputs: ['eq'] },
      { op: 'Where', inputs: ['eq', 'grid', 'ones'], outputs: ['w'] },
    ],
    bindings: { batch: 1, height: 6, width: 5 },
    ort: { x: [1, 3, 6, 5] },
  });
  assert.deepEqual(['grid', 'tiled', 'w', 'eq'].map((n) => shape(r, n)), [[5, 5], [10, 5], [5, 5], [5, 5]]);
  assert.equal(r.tensors.eq.dtype, 'bool');
});

test('an unknown op gives an unsupported entry; only what depends on it becomes unknown', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: [1, 4] }],
    outputs: [{ name: 'y' }, { name: 'z' }],
    nodes: [
      { op: 'FancyOp', domain: 'com.example', inputs: ['x'], outputs: ['f'] },
      { op: 'Relu', inputs: ['f'], outputs: ['y'] },
      { op: 'Sigmoid', inputs: ['x'], outputs: ['z'] },
    ],
    ort: false,
  });
  assert.deepEqual(r.unsupported, ['com.example.FancyOp']);
  assert.equal(r.nodes[0].unsupported, true);
  assert.equal(r.nodes[0].note, 'no shape rule for com.example.FancyOp');
  assert.equal(shape(r, 'y'), null);
  assert.equal(r.nodes[1].note, "input 'f' has an unknown shape");
  assert.deepEqual(shape(r, 'z'), [1, 4]);
  assert.deepEqual(r.outputs.map((o) => o.shape), [null, [1, 4]]);
});

test('data-dependent and invalid nodes get a note instead of crashing', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: [1, 4, 8, 8] }],
    outputs: [{ name: 'nz', dtype: 'int64' }, { name: 'c' }, { name: 'ok' }],
    initializers: [zeros('w', [8, 3, 3, 3])],
    nodes: [
      { op: 'NonZero', inputs: ['x'], outputs: ['nz'] },
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'] },
      { op: 'Relu', inputs: ['x'], outputs: ['ok'] },
    ],
    ort: false,
  });
  assert.equal(r.nodes[0].note, 'output size depends on the data (NonZero)');
  assert.equal(r.nodes[1].note, 'Conv input has 4 channels, weights expect 3 × group 1');
  assert.deepEqual(shape(r, 'ok'), [1, 4, 8, 8]);
});

test('initializers shared through Identity are counted once, on the first real consumer', async () => {
  const r = await infer({
    inputs: [{ name: 'x', shape: [1, 4, 8, 8] }],
    outputs: [{ name: 'b' }],
    initializers: [zeros('w1', [4, 4, 1, 1]), zeros('w2', [4, 4, 1, 1]), zeros('bias', [4])],
    nodes: [
      { op: 'Identity', inputs: ['bias'], outputs: ['bias2'] },
      { op: 'Identity', inputs: ['bias2'], outputs: ['bias3'] },
      { op: 'Conv', inputs: ['x', 'w1', 'bias'], outputs: ['a'] },
      { op: 'Conv', inputs: ['a', 'w2', 'bias3'], outputs: ['b'] },
    ],
  });
  assert.deepEqual(r.nodes.map((n) => n.params), [0, 0, 16 + 4, 16]);
  assert.equal(r.paramsTotal, 36);
});

test('an unbound dim_param leaves that input unknown with a warning; dims bind it by name', async () => {
  const c: Case = {
    inputs: [{ name: 'x', shape: ['batch', 3, 8, 8] }, { name: 'q', shape: ['seq', 4] }],
    outputs: [{ name: 'y' }],
    nodes: [{ op: 'Relu', inputs: ['q'], outputs: ['y'] }],
    ort: false,
  };
  const r = await infer(c);
  assert.equal(shape(r, 'y'), null);
  assert.deepEqual(r.warnings, ["input 'q' axis 0 ('seq') has no value: pass it in the bindings"]);
  const r2 = await infer({ ...c, bindings: { batch: 2, dims: { seq: 5 } }, ort: { x: [2, 3, 8, 8], q: [5, 4] } });
  assert.deepEqual(shape(r2, 'y'), [5, 4]);
  assert.deepEqual(r2.bindings.dims, { seq: 5, batch: 2 });
});

test('every op the task names has a registry entry', async () => {
  const { OP_RULES } = await import('../../src/core/shape/index');
  const named = 'Conv ConvTranspose BatchNormalization Relu LeakyRelu Sigmoid HardSwish HardSigmoid Mul Add Sub Div Pow Sqrt Concat Split Slice MaxPool AveragePool GlobalAveragePool Resize Upsample Reshape Transpose Softmax Shape Gather Unsqueeze Squeeze Constant ConstantOfShape Range Expand Cast Identity MatMul Gemm Flatten TopK ReduceMax ArgMax Tile Where Equal Einsum'.split(' ');
  assert.deepEqual(named.filter((op) => !OP_RULES[op]), []);
});
