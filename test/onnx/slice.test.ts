// Slice in the ONNX -> training-graph conversion. torch >= 2's exporter writes `chunk` on a graph with
// dynamic height/width as Shape -> Gather -> Add -> Div -> Mul -> Slice (seen in a real export of
// YOLOv8n-cls from torch 2.11, scripts/device/train_memory.py), not as a Split with constant sizes.
// A Slice is a view: the halves must get their real channel count (the Add of a Bottleneck failed
// with "do not broadcast" when Slice was passed through whole) and allocate nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { writeModel, type ModelSpec, type TensorSpec } from '../helpers/onnx-writer';

const i64 = (name: string, values: number[]): TensorSpec => ({ name, dtype: 'int64', dims: [values.length], values });
const zeros = (name: string, dims: number[]): TensorSpec => ({ name, dims, zeroBytes: dims.reduce((a, b) => a * b, 1) * 4 });

/** Conv(3 -> 8) -> two channel halves -> Add: constant bounds, or bounds computed from Shape. */
function spec(dynamicBounds: boolean): ModelSpec {
  const nodes: ModelSpec['graph']['nodes'] = [{ op: 'Conv', name: '/model.0/conv/Conv', inputs: ['images', 'w'], outputs: ['c'] }];
  if (dynamicBounds) {
    nodes.push(
      { op: 'Shape', name: '/model.1/Shape', inputs: ['c'], outputs: ['shape'] },
      { op: 'Gather', name: '/model.1/Gather', inputs: ['shape', 'one'], outputs: ['channels'], attrs: { axis: { i: 0 } } },
      { op: 'Add', name: '/model.1/Add', inputs: ['channels', 'one'], outputs: ['plus'] },
      { op: 'Div', name: '/model.1/Div', inputs: ['plus', 'two'], outputs: ['half'] },
      { op: 'Mul', name: '/model.1/Mul', inputs: ['half', 'two'], outputs: ['full'] },
      { op: 'Slice', name: '/model.1/Slice', inputs: ['c', 'zero', 'half', 'one'], outputs: ['a'] },
      { op: 'Slice', name: '/model.1/Slice_1', inputs: ['c', 'half', 'full', 'one'], outputs: ['b'] },
    );
  } else {
    nodes.push(
      { op: 'Slice', name: '/model.1/Slice', inputs: ['c', 'zero', 'four', 'one'], outputs: ['a'] },
      { op: 'Slice', name: '/model.1/Slice_1', inputs: ['c', 'four', 'big', 'one'], outputs: ['b'] },
    );
  }
  nodes.push({ op: 'Add', name: '/model.2/Add', inputs: ['a', 'b'], outputs: ['y'] });
  return {
    opset: 17,
    graph: {
      inputs: [{ name: 'images', shape: ['batch', 3, 'height', 'width'] }],
      outputs: [{ name: 'y' }],
      initializers: [zeros('w', [8, 3, 1, 1]), i64('zero', [0]), i64('one', [1]), i64('two', [2]), i64('four', [4]), i64('big', [2 ** 53 - 1])],
      nodes,
    },
  };
}

for (const dynamicBounds of [false, true]) {
  test(`a channel Slice with ${dynamicBounds ? 'bounds computed from Shape' : 'constant bounds'} is a view of half the channels`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slice-'));
    const path = join(dir, 'halves.onnx');
    writeModel(path, spec(dynamicBounds));
    const r = await analyze({ model: path, imgsz: 64, batch: [2], gpu: null, curveMax: 1 });
    const add = r.layers.find((l) => l.name === '/model.2/Add');
    assert.deepEqual(add?.outputShape, [2, 4, 64, 64]);
    // the halves are views: nothing is allocated for them, so the Slice rows carry no bytes
    for (const l of r.layers.filter((x) => /Slice/.test(x.name))) assert.equal(l.activationBytes, 0, l.name);
    assert.ok(!r.model.notes.some((n) => /unsupported/.test(n)), r.model.notes.join('; '));
  });
}
