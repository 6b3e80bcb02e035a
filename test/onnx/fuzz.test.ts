// Property test: whatever bytes arrive (mutated, truncated, spliced models), the reader either
// returns a model or throws an OnnxFormatError, and shape inference on any model it returns never
// throws. This is what keeps stack traces away from users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseOnnx, isOnnxFormatError } from '../../src/core/onnx/index';
import { inferShapes } from '../../src/core/shape/index';
import { buildModel } from '../helpers/onnx-writer';

const base = buildModel({
  metadata: { stride: '32', names: "{0: 'a'}", imgsz: '[64, 64]' },
  graph: {
    inputs: [{ name: 'x', shape: ['batch', 3, 'height', 'width'] }],
    outputs: [{ name: 'y' }],
    initializers: [
      { name: 'w', dims: [4, 3, 3, 3], zeroBytes: 4 * 27 * 4 },
      { name: 'ax', dtype: 'int64', dims: [1], values: [0] },
      { name: 'm1', dtype: 'int64', dims: [1], values: [-1] },
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } } },
      { op: 'Shape', inputs: ['c'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'ax'], outputs: ['n'] },
      { op: 'Concat', inputs: ['n', 'm1'], outputs: ['t'], attrs: { axis: { i: 0 } } },
      { op: 'Reshape', inputs: ['c', 't'], outputs: ['r'] },
      { op: 'Split', inputs: ['r'], outputs: ['y', 'z'], attrs: { axis: { i: 1 } } },
    ],
  },
});

function check(bytes: Uint8Array): void {
  let model;
  try {
    model = parseOnnx(bytes, 'fuzz.onnx');
  } catch (e) {
    assert.ok(isOnnxFormatError(e), `non-OnnxFormatError thrown: ${(e as Error)?.stack ?? e}`);
    assert.ok((e as Error).message.startsWith('fuzz.onnx: '));
    assert.ok(!(e as Error).message.includes('\n'));
    return;
  }
  inferShapes(model, { batch: 2, height: 32, width: 32 });
}

test('the base model parses and infers', () => {
  const r = inferShapes(parseOnnx(base, 'fuzz.onnx'), { batch: 2, height: 32, width: 32 });
  assert.deepEqual(r.outputs[0].shape, [2, 2048]);
});

test('byte mutations never escape as anything but OnnxFormatError', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (muts) => {
      const b = base.slice();
      for (const [i, v] of muts) b[i] = v;
      check(b);
    }),
    { numRuns: 3000 },
  );
});

test('truncations and splices never escape as anything but OnnxFormatError', () => {
  fc.assert(
    fc.property(fc.nat(base.length), fc.nat(base.length), fc.uint8Array({ maxLength: 16 }), (cut, at, junk) => {
      check(base.subarray(0, cut));
      const spliced = new Uint8Array([...base.subarray(0, at), ...junk, ...base.subarray(at)]);
      check(spliced);
    }),
    { numRuns: 2000 },
  );
});
