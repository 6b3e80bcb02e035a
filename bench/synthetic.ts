// A large synthetic ONNX model for the reader benchmark: a stack of 3×3 convolutions with SiLU and
// residual adds, whose weights are inline raw_data (so the file is one big protobuf, like a real
// export without external data). Zero weights: one shared zero buffer is written repeatedly.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeModel, type NodeSpec, type TensorSpec } from '../test/helpers/onnx-writer';

export interface SyntheticInfo {
  path: string;
  bytes: number;
  nodes: number;
  initializerBytes: number;
}

/** `blocks` blocks of Conv(c→c, 3×3, bias) → Sigmoid → Mul → Add (residual): 4 nodes each. */
export function syntheticModel(dir: string, blocks = 500, channels = 128, size = 20): SyntheticInfo {
  const path = join(dir, `synthetic-${blocks}x${channels}.onnx`);
  const weightBytes = channels * channels * 9 * 4;
  const initializerBytes = blocks * (weightBytes + channels * 4);
  const nodes: NodeSpec[] = [];
  const inits: TensorSpec[] = [];
  let x = 'images';
  for (let i = 0; i < blocks; i++) {
    const p = `/model.${i}`;
    inits.push({ name: `model.${i}.conv.weight`, dims: [channels, channels, 3, 3], zeroBytes: weightBytes });
    inits.push({ name: `model.${i}.conv.bias`, dims: [channels], zeroBytes: channels * 4 });
    nodes.push({ op: 'Conv', name: `${p}/conv/Conv`, inputs: [x, `model.${i}.conv.weight`, `model.${i}.conv.bias`], outputs: [`${p}/conv/Conv_output_0`], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [1, 1] }, group: { i: 1 }, dilations: { ints: [1, 1] } } });
    nodes.push({ op: 'Sigmoid', name: `${p}/act/Sigmoid`, inputs: [`${p}/conv/Conv_output_0`], outputs: [`${p}/act/Sigmoid_output_0`] });
    nodes.push({ op: 'Mul', name: `${p}/act/Mul`, inputs: [`${p}/conv/Conv_output_0`, `${p}/act/Sigmoid_output_0`], outputs: [`${p}/act/Mul_output_0`] });
    nodes.push({ op: 'Add', name: `${p}/Add`, inputs: [x, `${p}/act/Mul_output_0`], outputs: [`${p}/Add_output_0`] });
    x = `${p}/Add_output_0`;
  }
  if (!existsSync(path)) {
    writeModel(path, {
      producer: 'yolo-memory-insight bench',
      graph: {
        name: 'synthetic',
        inputs: [{ name: 'images', shape: ['batch', channels, size, size] }],
        outputs: [{ name: x, shape: ['batch', channels, size, size] }],
        initializers: inits,
        nodes,
      },
    });
  }
  return { path, bytes: statSync(path).size, nodes: nodes.length, initializerBytes };
}
