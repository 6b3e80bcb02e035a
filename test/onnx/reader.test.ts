import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOnnx, readOnnxFile, isOnnxFormatError, type OnnxModel } from '../../src/core/onnx/index';
import { buildModel, writeModel, type ModelSpec } from '../helpers/onnx-writer';

const convRelu: ModelSpec = {
  metadata: { stride: '32', names: "{0: 'person', 1: 'bi\\'cycle'}", task: 'detect', imgsz: '[640, 640]', batch: '1', args: "{'batch': 16, 'half': False, 'lr0': 0.01, 'name': None}" },
  graph: {
    inputs: [{ name: 'images', shape: ['batch', 3, 'height', 'width'] }],
    outputs: [{ name: 'y', shape: ['batch', 8, null, null] }],
    initializers: [
      { name: 'w', dims: [8, 3, 3, 3], zeroBytes: 8 * 3 * 3 * 3 * 4 },
      { name: 'b', dims: [8], values: [0, 1, 2, 3, 4, 5, 6, 7] },
    ],
    nodes: [
      { op: 'Conv', name: '/model.0/conv/Conv', inputs: ['images', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [2, 2] }, group: { i: 1 } } },
      { op: 'Relu', inputs: ['c'], outputs: ['y'] },
    ],
  },
};

test('decodes a conv+relu model: graph, attributes, initializers without payloads, metadata', () => {
  const m: OnnxModel = parseOnnx(buildModel(convRelu), 'tiny.onnx');
  assert.equal(m.irVersion, 8);
  assert.equal(m.opset, 17);
  assert.equal(m.producerName, 'test-writer');
  assert.deepEqual(m.graph.inputs, [{ name: 'images', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }]);
  assert.deepEqual(m.graph.outputs[0].shape, ['batch', 8, null, null]);
  const [conv, relu] = m.graph.nodes;
  assert.equal(conv.opType, 'Conv');
  assert.equal(conv.name, '/model.0/conv/Conv');
  assert.deepEqual(conv.attributes.kernel_shape, { type: 'ints', value: [3, 3] });
  assert.deepEqual(conv.attributes.group, { type: 'int', value: 1 });
  assert.deepEqual(relu.inputs, ['c']);
  const w = m.graph.initializers[0];
  assert.deepEqual({ name: w.name, dtype: w.dtype, dims: w.dims, elements: w.elements, byteLength: w.byteLength }, { name: 'w', dtype: 'float32', dims: [8, 3, 3, 3], elements: 216, byteLength: 864 });
  assert.equal(w.data.kind, 'raw');
  assert.equal(w.values, undefined, 'payloads above 64 elements are never decoded');
  assert.deepEqual(m.graph.initializers[1].values, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(m.graph.order, [0, 1]);
  assert.equal(m.ultralytics?.task, 'detect');
  assert.equal(m.ultralytics?.stride, 32);
  assert.deepEqual(m.ultralytics?.imgsz, [640, 640]);
  assert.deepEqual(m.ultralytics?.names, { '0': 'person', '1': "bi'cycle" });
  assert.deepEqual(m.ultralytics?.args, { batch: 16, half: false, lr0: 0.01, name: null });
  // The result is plain JSON data.
  assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
});

test('raw payload offsets point at the bytes in the file', () => {
  const bytes = buildModel(convRelu);
  const m = parseOnnx(bytes, 'tiny.onnx');
  const b = m.graph.initializers[1];
  assert.equal(b.data.kind, 'raw');
  if (b.data.kind !== 'raw') return;
  const f = new Float32Array(bytes.slice(b.data.offset, b.data.offset + b.data.length).buffer);
  assert.deepEqual([...f], [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('readOnnxFile and parseOnnx agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-reader-'));
  const p = join(dir, 'tiny.onnx');
  writeModel(p, convRelu);
  assert.deepEqual(readOnnxFile(p), parseOnnx(buildModel(convRelu), 'tiny.onnx', { baseDir: dir }));
});

test('typed data fields, negative ints and all attribute kinds decode', () => {
  const m = parseOnnx(
    buildModel({
      graph: {
        inputs: [{ name: 'x', shape: [1, 4] }],
        outputs: [{ name: 'y' }],
        initializers: [
          { name: 'shape', dtype: 'int64', dims: [2], typed: [-1, 4] },
          { name: 'f', dtype: 'float32', dims: [3], typed: [0.5, 1.5, -2] },
          { name: 'i32', dtype: 'int32', dims: [2], typed: [-7, 9] },
        ],
        nodes: [
          {
            op: 'Custom',
            inputs: ['x', 'shape'],
            outputs: ['y'],
            attrs: { a: { f: 0.25 }, b: { i: -3 }, c: { s: 'nearest' }, d: { ints: [-1, 9223372036854775807] }, e: { floats: [1, 2.5] }, f: { strings: ['p', 'q'] }, t: { t: { name: '', dtype: 'int64', dims: [], values: [42] } } },
          },
        ],
      },
    }),
    'typed.onnx',
  );
  const [shape, f, i32] = m.graph.initializers;
  assert.deepEqual(shape.values, [-1, 4]);
  assert.deepEqual(f.values, [0.5, 1.5, -2]);
  assert.deepEqual(i32.values, [-7, 9]);
  assert.equal(shape.data.kind, 'typed');
  const a = m.graph.nodes[0].attributes;
  assert.deepEqual(a.a, { type: 'float', value: 0.25 });
  assert.deepEqual(a.b, { type: 'int', value: -3 });
  assert.deepEqual(a.c, { type: 'string', value: 'nearest' });
  assert.equal(a.d.type, 'ints');
  if (a.d.type === 'ints') assert.ok(a.d.value[0] === -1 && a.d.value[1] > 9e18);
  assert.deepEqual(a.e, { type: 'floats', value: [1, 2.5] });
  assert.deepEqual(a.f, { type: 'strings', value: ['p', 'q'] });
  assert.equal(a.t.type, 'tensor');
  if (a.t.type === 'tensor') assert.deepEqual({ dims: a.t.value.dims, elements: a.t.value.elements, values: a.t.value.values }, { dims: [], elements: 1, values: [42] });
});

test('a model without Ultralytics metadata has ultralytics: null', () => {
  const m = parseOnnx(buildModel({ graph: { nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', shape: [1] }] } }), 'plain.onnx');
  assert.equal(m.ultralytics, null);
});

test('errors are OnnxFormatError with one line naming the file', () => {
  try {
    parseOnnx(new Uint8Array(0), 'x.onnx');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(isOnnxFormatError(e));
    assert.equal((e as Error).message, 'x.onnx: empty file (0 bytes), not an ONNX model');
  }
});

test('the reader never reads weight payloads from disk', async () => {
  const { fileSource } = await import('../../src/core/onnx/source');
  const dir = mkdtempSync(join(tmpdir(), 'onnx-reader-'));
  const p = join(dir, 'big.onnx');
  const spec: ModelSpec = {
    graph: {
      inputs: [{ name: 'x', shape: [1, 8, 4, 4] }],
      initializers: Array.from({ length: 20 }, (_, i) => ({ name: `w${i}`, dims: [256, 256, 4, 4], zeroBytes: 256 * 256 * 16 * 4 })),
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    },
  };
  const size = writeModel(p, spec);
  assert.ok(size > 80e6);
  // Count the bytes the file source loads while decoding.
  const src = fileSource(p);
  const { WireReader } = await import('../../src/core/onnx/wire');
  const { decodeModel } = await import('../../src/core/onnx/decode');
  decodeModel({ r: new WireReader(src, 'big.onnx'), file: 'big.onnx', baseDir: dir, sizes: new Map(), nodeCount: 0, depth: 0 });
  const read = src.bytesRead;
  src.close();
  assert.ok(read < 1e6, `read ${read} bytes of an ${size}-byte file`);
  assert.equal(readOnnxFile(p).graph.initializers.length, 20);
  writeFileSync(p, ''); // free the disk space early
});
