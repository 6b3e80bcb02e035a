// Saved-for-backward rules on a graph small enough to count by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../src/core/graph/builder';
import { savedForBackward } from '../../src/core/memory/saved';
import { tensorDtypes } from '../../src/core/memory/precision';

/** input [2,3,8,8] -> conv 3x3 (3->4) -> BN -> SiLU -> maxpool 2 -> conv 1x1 (4->2, bias) */
function tiny() {
  const b = new GraphBuilder('tiny', 'test', 'detect', 2, [8, 8]);
  const x = b.addInput();
  const c1 = b.inModule({ index: 0, path: 'model.0', type: 'Conv', group: 'backbone' }, () => b.act('silu', b.batchnorm(b.conv2d(x, 4, { k: 3 }))));
  const p = b.inModule({ index: 1, path: 'model.1', type: 'MaxPool', group: 'backbone' }, () => b.maxpool2d(c1, 2, 2, 0));
  b.inModule({ index: 2, path: 'model.2', type: 'Conv2d', group: 'head' }, () => b.conv2d(p, 2, { k: 1, bias: true }));
  return b.finish();
}

test('fp32: each saved storage counted once, by the rule of the op that saves it', () => {
  const g = tiny();
  const s = savedForBackward(g, 'fp32');
  // conv1 saves the image (input, 2*3*8*8*4 = 1536)
  assert.equal(s.inputBytes, 1536);
  // BN: conv out 2048 + stats 2*4*4 = 32; SiLU: BN out 2048; maxpool: SiLU out 2048 + int64 indices 2*4*4*4*8 = 1024; conv2: pool out 512
  assert.equal(s.activationBytes, 2048 + 32 + 2048 + 2048 + 1024 + 512);
  assert.equal(s.paramCastBytes, 0);
  const byOp = s.perOp.map((e) => e.activationBytes);
  assert.deepEqual(byOp, [0, 0, 2048 + 32, 2048, 2048 + 1024, 512]);
});

test('AMP: fp16 convs save fp16 copies of fp32 inputs and cast weights once', () => {
  const g = tiny();
  const dt = tensorDtypes(g, 'amp');
  assert.equal(dt[g.input], 'float32');
  assert.equal(dt[g.ops[1].outputs[0]], 'float16'); // conv output
  assert.equal(dt[g.ops[2].outputs[0]], 'float16'); // BN keeps fp16 activations
  const s = savedForBackward(g, 'amp');
  assert.equal(s.inputBytes, 0); // the image itself is not saved, its fp16 copy is
  assert.equal(s.activationBytes, 768 + (1024 + 32) + 1024 + (1024 + 1024) + 256);
  assert.equal(s.paramCastBytes, (4 * 3 * 9 + 2 * 4) * 2);
});

test('views share storage: two savers of views of one tensor keep it once', () => {
  const b = new GraphBuilder('views', 'test', 'detect', 1, [4, 4]);
  const x = b.addInput();
  const y = b.conv2d(x, 8, { k: 1 });
  const [a, c] = b.chunk(y, 2, 1);
  b.conv2d(a, 4, { k: 1 });
  b.conv2d(c, 4, { k: 1 });
  const s = savedForBackward(b.finish(), 'fp32');
  assert.equal(s.activationBytes, 8 * 16 * 4);
});

test('mul saves each operand only when the other needs a gradient', () => {
  const b = new GraphBuilder('mul', 'test', 'detect', 1, [4, 4]);
  const x = b.addInput();
  const y = b.conv2d(x, 2, { k: 1 });
  const k = b.constant([1, 2, 4, 4], 'float32', 'mask');
  b.binary('mul', y, k);
  const s = savedForBackward(b.finish(), 'fp32');
  // y requires grad, k does not: only k is saved (needed for dy), y is not
  assert.equal(s.activationBytes, 2 * 16 * 4);
});
