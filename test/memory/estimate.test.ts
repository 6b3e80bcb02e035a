// The static terms of the estimate, on a graph whose parameters can be counted by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../src/core/graph/builder';
import { accumulationSteps, ddpBucketSizes, estimateStep, optimizerSlots, parameterTensors } from '../../src/core/memory/estimate';
import { CUBLAS_WORKSPACE_BYTES, CUDA_CONTEXT_BYTES } from '../../src/core/memory/constants';

/** conv 3x3 (3->8, no bias) -> BN(8) -> SiLU -> conv 1x1 (8->4, bias): params 216 + 16 + 36 = 268 */
function tiny(batch: number) {
  const b = new GraphBuilder('tiny', 'test', 'detect', batch, [16, 16]);
  const x = b.addInput();
  const y = b.act('silu', b.batchnorm(b.conv2d(x, 8, { k: 3 })));
  b.conv2d(y, 4, { k: 1, bias: true });
  return b.finish();
}

test('parameter and buffer tensors, one block each', () => {
  const t = parameterTensors(tiny(1));
  assert.deepEqual(t.params, [216 * 4, 8 * 4, 8 * 4, 32 * 4, 4 * 4]);
  assert.deepEqual(t.buffers, [8 * 4, 8 * 4, 8]);
});

test('weights, gradients, optimizer state, EMA, context and device', () => {
  const e = estimateStep(tiny(2), { precision: 'fp32', optimizer: 'sgd', objectsPerImage: 0, batchPerGpu: 2, gpus: 1 });
  assert.equal(e.bytes.weights, 268 * 4 + 72);
  assert.equal(e.bytes.ema, e.bytes.weights);
  assert.equal(e.bytes.gradients, 268 * 4);
  assert.equal(e.bytes.optimizerState, 268 * 4);
  assert.equal(e.bytes.workspace >= CUBLAS_WORKSPACE_BYTES, true);
  assert.equal(e.bytes.cudaContext, CUDA_CONTEXT_BYTES);
  assert.equal(e.bytes.device, e.bytes.reserved + e.bytes.cudaContext);
  assert.equal(e.bytes.allocatorOverhead, e.bytes.reserved - e.bytes.allocated);
  const adam = estimateStep(tiny(2), { precision: 'fp32', optimizer: 'adamw', objectsPerImage: 0, batchPerGpu: 2, gpus: 1 });
  assert.equal(adam.bytes.optimizerState, 2 * 268 * 4);
});

test('activations grow linearly with batch; reserved covers allocated', () => {
  const a = estimateStep(tiny(4), { precision: 'fp32', optimizer: 'sgd', objectsPerImage: 0, batchPerGpu: 4, gpus: 1 });
  const b = estimateStep(tiny(8), { precision: 'fp32', optimizer: 'sgd', objectsPerImage: 0, batchPerGpu: 8, gpus: 1 });
  // per image: BN keeps conv out (8*16*16*4) and its stats are per channel; SiLU keeps BN out; conv2 keeps SiLU out
  assert.equal(b.bytes.activations - a.bytes.activations, 4 * 3 * 8 * 16 * 16 * 4);
  assert.ok(a.bytes.reserved >= a.bytes.allocated);
});

test("Ultralytics' accumulation to a nominal batch of 64 and optimizer slots", () => {
  assert.equal(accumulationSteps(16), 4);
  assert.equal(accumulationSteps(42), 2);
  assert.equal(accumulationSteps(43), 1);
  assert.equal(accumulationSteps(128), 1);
  assert.equal(optimizerSlots('sgd'), 1);
  assert.equal(optimizerSlots('adam'), 2);
});

test('DDP adds gradient buckets the size of the gradients', () => {
  const sizes = ddpBucketSizes(60 * 2 ** 20);
  assert.deepEqual(sizes, [2 ** 20, 25 * 2 ** 20, 25 * 2 ** 20, 9 * 2 ** 20]);
  const one = estimateStep(tiny(2), { precision: 'fp32', optimizer: 'sgd', objectsPerImage: 0, batchPerGpu: 2, gpus: 1 });
  const two = estimateStep(tiny(2), { precision: 'fp32', optimizer: 'sgd', objectsPerImage: 0, batchPerGpu: 2, gpus: 2 });
  assert.equal(two.bytes.gradients - one.bytes.gradients, 268 * 4);
});
