// Large and adversarially ordered graphs: the reader and the ONNX-to-training-graph converter must
// stay (near) linear in the node count, so a hostile file costs seconds, never minutes, and never
// overflows the call stack. Each case here was a real failure found by the reliability corpus.
// The tests check the results; how long they take is measured by `npm run bench` (bench/scaling.ts),
// not asserted here, since time on a shared machine is no pass/fail criterion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOnnx } from '../../src/core/onnx/index';
import { ProtoWriter } from '../../src/core/onnx/wire-writer';
import { convertOnnx } from '../../src/core/onnx-train/convert';
import { inferShapes } from '../../src/core/shape/index';
import { buildModel, type NodeSpec } from '../helpers/onnx-writer';

/** A graph of `k` independent Relu nodes on `x` listed before their `k` consumers. */
function fanOut(k: number): Uint8Array {
  const g = new ProtoWriter();
  for (let i = 0; i < k; i++) g.message(1, new ProtoWriter().string(1, 'x').string(2, `a${i}`).string(4, 'Relu'));
  for (let i = 0; i < k; i++) g.message(1, new ProtoWriter().string(1, `a${i}`).string(2, `b${i}`).string(4, 'Relu'));
  g.message(11, new ProtoWriter().string(1, 'x'));
  return new ProtoWriter().varint(1, 8).message(7, g).message(8, new ProtoWriter().string(1, '').varint(2, 17)).finish();
}

test('topological order of 98,000 nodes listed sources-first is fast and keeps file order', () => {
  // Was quadratic (a sorted insert into an array per ready node): 33 s for 200,000 nodes, ~14 min
  // for 10^6. The reader now refuses files over 100,000 nodes (onnx/limits.ts MAX_NODES).
  const k = 49_000;
  const bytes = fanOut(k);
  const m = parseOnnx(bytes, 'fan.onnx');
  assert.equal(m.graph.order.length, 2 * k);
  assert.ok(m.graph.order.every((v, i) => v === i), 'a sorted file keeps its order');
});

test('an unsorted file is still sorted smallest-index-first among ready nodes', () => {
  // c consumes b consumes a, listed in reverse, with an independent node in between.
  const g = new ProtoWriter();
  g.message(1, new ProtoWriter().string(1, 'b').string(2, 'c').string(4, 'Relu'));
  g.message(1, new ProtoWriter().string(1, 'x').string(2, 'z').string(4, 'Relu'));
  g.message(1, new ProtoWriter().string(1, 'a').string(2, 'b').string(4, 'Relu'));
  g.message(1, new ProtoWriter().string(1, 'x').string(2, 'a').string(4, 'Relu'));
  g.message(11, new ProtoWriter().string(1, 'x'));
  const bytes = new ProtoWriter().varint(1, 8).message(7, g).message(8, new ProtoWriter().string(1, '').varint(2, 17)).finish();
  assert.deepEqual(parseOnnx(bytes, 'u.onnx').graph.order, [1, 3, 2, 0]);
});

/** Conv then `n` Relus in a chain, and `fan` extra Relus all reading the Conv's output. */
function convChain(n: number, fan = 0): Uint8Array {
  const nodes: NodeSpec[] = [{ op: 'Conv', name: '/model.0/conv/Conv', inputs: ['images', 'w'], outputs: ['t0'], attrs: { kernel_shape: { ints: [1, 1] } } }];
  for (let i = 0; i < n; i++) nodes.push({ op: 'Relu', name: `r${i}`, inputs: [`t${i}`], outputs: [`t${i + 1}`] });
  for (let i = 0; i < fan; i++) nodes.push({ op: 'Relu', name: `f${i}`, inputs: ['t0'], outputs: [`f${i}`] });
  return buildModel({
    graph: { inputs: [{ name: 'images', shape: ['batch', 3, 'height', 'width'] }], outputs: [{ name: `t${n}` }], initializers: [{ name: 'w', dims: [4, 3, 1, 1], zeroBytes: 48 }], nodes },
  });
}

function convert(bytes: Uint8Array) {
  const model = parseOnnx(bytes, 'big.onnx');
  const shapes = inferShapes(model, { batch: 1, height: 32, width: 32 });
  return convertOnnx(model, { batch: 1, imgsz: [32, 32], facts: { shape: (t) => shapes.tensors[t]?.shape ?? null, value: () => null } });
}

test('converting a 90,000-node chain stops at the op budget without overflowing the call stack', () => {
  // Was a RangeError (Math.max over a spread of every node's module index) from ~125k nodes; now the
  // training graph stops at graph/builder.ts MAX_GRAPH_OPS with a one-line error naming the file.
  assert.throws(() => convert(convChain(90_000)), { message: /^big\.onnx: r\d+: model too large to analyse \(more than 5000 ops in one training step\)$/ });
});

test('a tensor read by 30,000 nodes stops at the op budget', () => {
  // Was quadratic: each consumer copied the tensor's whole consumer list.
  assert.throws(() => convert(convChain(1, 30_000)), { message: /^big\.onnx: f\d+: model too large to analyse \(more than 5000 ops in one training step\)$/ });
  // under the budget the fan converts
  assert.ok(convert(convChain(1, 4_000)).ops.length >= 4_000);
});

test('a shape error inside the converter names the file and the node', () => {
  // Was "invalid dimension -138 in shape [1, 4, -138, -138]" with no file: pads of -100 on a Conv.
  const bytes = buildModel({
    graph: {
      inputs: [{ name: 'images', shape: ['batch', 3, 'height', 'width'] }],
      outputs: [{ name: 'y' }],
      initializers: [{ name: 'w', dims: [4, 3, 3, 3], zeroBytes: 4 * 27 * 4 }],
      nodes: [{ op: 'Conv', name: '/model.0/conv/Conv', inputs: ['images', 'w'], outputs: ['y'], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [-100, -100, -100, -100] } } }],
    },
  });
  assert.throws(() => convert(bytes), { name: 'Error', message: /^big\.onnx: \/model\.0\/conv\/Conv: invalid dimension -\d+ in shape \[1, 4, -\d+, -\d+\]$/ });
});

test('an impossible image input names the file', () => {
  const bytes = buildModel({
    graph: { inputs: [{ name: 'images', shape: [1, 3, 2 ** 63, 2 ** 63] }], outputs: [{ name: 'y' }], nodes: [{ op: 'Relu', inputs: ['images'], outputs: ['y'] }] },
  });
  const model = parseOnnx(bytes, 'huge-input.onnx');
  assert.throws(() => convertOnnx(model, { batch: 1, imgsz: [2 ** 63, 2 ** 63], facts: { shape: () => null, value: () => null } }), {
    message: /^huge-input\.onnx: input 'images': invalid dimension \d+ in shape \[1, 3, \d+, \d+\]$/,
  });
});

test('a Concat axis of 2^31 is refused at once', () => {
  // Found by `npm run fuzz` (seed 20260101, case 2055): the converter spent 95 s building a
  // 2^31-slot shape array, then threw RangeError: Invalid string length.
  const bytes = buildModel({
    graph: {
      inputs: [{ name: 'images', shape: ['batch', 3, 'height', 'width'] }],
      outputs: [{ name: 'y' }],
      nodes: [
        { op: 'Relu', name: 'r', inputs: ['images'], outputs: ['a'] },
        { op: 'Concat', name: '/model.11/Concat', inputs: ['a', 'images'], outputs: ['y'], attrs: { axis: { i: 2 ** 31 } } },
      ],
    },
  });
  assert.throws(() => convert(bytes), { message: 'big.onnx: /model.11/Concat: Concat axis 2147483648 is out of range for rank 4' });
});
