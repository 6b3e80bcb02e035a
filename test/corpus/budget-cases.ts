// Inputs whose size or declared counts are legal in the format but absurd for a model: each must be
// refused with a one-line error naming the node or field and the limit, before the work or the
// memory they ask for is spent (reliability round 2). Large ones are generated here, at test time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, type NodeSpec } from '../helpers/onnx-writer';
import type { CorpusCase, Expect } from './types';
import { BASE_YAML } from './yaml-cases';

const INPUT = [{ name: 'images', shape: [1, 3, 64, 64] as number[] }];

export function budgetCases(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const exact = (m: string): Expect => ({ exit: 1, message: m });
  const onnx = (id: string, nodes: NodeSpec[], out: string, expect: Expect, note: string, initializers: Parameters<typeof buildModel>[0]['graph']['initializers'] = []) => {
    const file = `${id}.onnx`;
    writeFileSync(join(dir, file), buildModel({ graph: { inputs: INPUT, outputs: [{ name: out }], nodes, initializers } }));
    cases.push({ id, family: 'budget', kind: 'model', file, expect, note });
  };
  const yaml = (id: string, text: string, expect: Expect, note: string) => {
    const file = `${id}.yaml`;
    writeFileSync(join(dir, file), text);
    cases.push({ id, family: 'budget', kind: 'model', file, expect, note });
  };

  for (const [id, n] of [['split-5e7', 50_000_000], ['split-2p31', 2 ** 31]] as const) {
    onnx(id, [{ op: 'Split', name: 's', inputs: ['images'], outputs: ['o0'], attrs: { num_outputs: { i: n }, axis: { i: 1 } } }], 'o0', exact(`${id}.onnx: s (Split): num_outputs is ${n} but the node has 1 outputs`), `a Split declaring ${n} outputs (allocated that many shapes: heap exhaustion)`);
  }
  onnx('split-list-long', [{ op: 'Split', name: 's', inputs: ['images'], outputs: ['o0', 'o1'], attrs: { split: { ints: [1, 1, 1] }, axis: { i: 1 } } }], 'o0', exact('split-list-long.onnx: s (Split): split lists 3 sizes for 2 outputs'), 'a Split listing more sizes than outputs');
  onnx('resize-1e9', [{ op: 'Resize', name: 'r', inputs: ['images', '', '', 'sizes'], outputs: ['y'], attrs: { mode: { s: 'nearest' } } }], 'y', exact("resize-1e9.onnx: r (Resize): output [16, 3, 1000000000, 1000000000] is more than 65536 times the input's size; no detection model grows a tensor that far"), 'a Resize to 1e9 x 1e9 pixels', [{ name: 'sizes', dtype: 'int64', dims: [4], values: [1, 3, 1e9, 1e9] }]);
  onnx('upsample-1000', [{ op: 'Resize', name: 'u', inputs: ['images', '', 'scales'], outputs: ['y'], attrs: { mode: { s: 'nearest' } } }], 'y', exact("upsample-1000.onnx: u (Resize): output [16, 3, 64000, 64000] is more than 65536 times the input's size; no detection model grows a tensor that far"), 'an upsample by 1000 (was estimated at hundreds of GiB)', [{ name: 'scales', dtype: 'float32', dims: [4], values: [1, 1, 1000, 1000] }]);
  const chain = (n: number): NodeSpec[] => Array.from({ length: n }, (_, i) => ({ op: 'Relu', name: `n${i}`, inputs: [i ? `t${i - 1}` : 'images'], outputs: [`t${i}`] }));
  onnx('chain-20000', chain(20_000), 't19999', exact('chain-20000.onnx: n4999: model too large to analyse (more than 5000 ops in one training step)'), 'a chain of 20,000 Relu nodes (a 100,000-node chain took 122 s and 3.7 GiB)');

  yaml('yaml-depth-1e3', BASE_YAML.replace('[0.33, 0.25, 1024]', '[1000, 0.25, 1024]'), exact('yaml-depth-1e3.yaml: depth multiple 1000 is beyond any model (at most 8)'), 'scales depth 1e3 (every repeat x1000)');
  yaml('yaml-width-1e3', BASE_YAML.replace('[0.33, 0.25, 1024]', '[0.33, 1000, 1024]'), exact('yaml-width-1e3.yaml: width multiple 1000 is beyond any model (at most 8)'), 'scales width 1e3');
  let heavy = BASE_YAML.split('head:')[0];
  for (let i = 0; i < 999; i++) heavy += '  - [-1, 3, C2f, [256, True]]\n';
  yaml('yaml-999-heavy-rows', heavy + 'head:\n  - [[2, 5], 1, Detect, [nc]]\n', exact('yaml-999-heavy-rows.yaml: too many rows (1006, at most 1000)'), '999 heavy C2f rows');
  let many = BASE_YAML.split('head:')[0];
  for (let i = 0; i < 600; i++) many += '  - [-1, 3, C2f, [256, True]]\n';
  yaml('yaml-600-heavy-rows', many + 'head:\n  - [[2, 5], 1, Detect, [nc]]\n', { exit: 1, pattern: '^yaml-600-heavy-rows\\.yaml: backbone\\[\\d+\\] \\(C2f\\): model too large to analyse \\(more than 5000 ops in one training step\\)$' }, '600 C2f rows: under the row limit, over the op budget');
  return cases;
}
