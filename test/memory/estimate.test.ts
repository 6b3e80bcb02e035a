// The static terms of the estimate, on a graph whose parameters can be counted by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../src/core/graph/builder';
import { accumulationSteps, convBackwardWorkspace, ddpBucketSizes, estimateStep, optimizerSlots, parameterTensors } from '../../src/core/memory/estimate';
import { tensorDtypes } from '../../src/core/memory/precision';
import { CUBLAS_WORKSPACE_BYTES, CUBLASLT_WORKSPACE_BYTES } from '../../src/core/memory/constants';
import { cudaContext } from '../../src/core/memory/context';
import { traceStep } from '../../src/core/memory/step';

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
  assert.equal(e.bytes.cudaContext, cudaContext(null).bytes);
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

test('backward requests a cuDNN workspace per conv pass: backward-data only where the input needs a gradient', () => {
  const g = tiny(2);
  const t = traceStep(g, { precision: 'fp32', gradsPersist: false, assignerBytes: 0, optimizerTempBytes: 0, convWorkspace: () => 0, convBackwardWorkspace: () => 1000, training: true });
  const allocs = t.events.filter((e) => e.kind === 'alloc').map((e) => (e.kind === 'alloc' ? e.id : ''));
  const convs = g.ops.filter((o) => o.kind === 'conv2d').map((o) => o.index);
  // the first conv reads the image (no gradient): backward-filter only
  assert.deepEqual(allocs.filter((id) => id.endsWith(`:${convs[0]}`) && /^ws[df]:/.test(id)), [`wsf:${convs[0]}`]);
  assert.deepEqual(allocs.filter((id) => id.endsWith(`:${convs[1]}`) && /^ws[df]:/.test(id)).sort(), [`wsd:${convs[1]}`, `wsf:${convs[1]}`]);
  // each is released at once: the live set after the pass is unchanged by them
  for (const id of allocs.filter((x) => /^ws[df]:/.test(x))) {
    const at = t.events.findIndex((e) => e.kind === 'alloc' && e.id === id);
    assert.deepEqual(t.events[at + 1], { kind: 'free', id });
  }
});

test('the backward workspace is the larger of a conv\'s input and output: a strided conv stages its input', () => {
  const b = new GraphBuilder('strided', 'test', 'detect', 2, [16, 16]);
  const x = b.addInput();
  const y = b.conv2d(x, 8, { k: 3 });
  b.conv2d(y, 8, { k: 3, s: [2, 2], p: [1, 1] });
  const g = b.finish();
  const [first, strided] = g.ops.filter((o) => o.kind === 'conv2d');
  const ws = convBackwardWorkspace(g, tensorDtypes(g, 'fp32'));
  assert.equal(ws(first.index), 2 * 8 * 16 * 16 * 4); // output (8 channels) > input (3)
  assert.equal(ws(strided.index), 2 * 8 * 16 * 16 * 4); // input (16 x 16) > output (8 x 8)
  assert.equal(convBackwardWorkspace(g, tensorDtypes(g, 'amp'))(strided.index), 2 * 8 * 16 * 16 * 2); // fp16 under autocast
});

test('a Linear layer adds cuBLASLt\'s workspace to cuBLAS\'s; a conv-only graph keeps cuBLAS\'s alone', () => {
  const conv = estimateStep(tiny(2), { precision: 'fp32', optimizer: 'sgd', objectsPerImage: 0, batchPerGpu: 2, gpus: 1 });
  const b = new GraphBuilder('head', 'test', 'classify', 2, [16, 16]);
  const x = b.addInput();
  b.linear(b.reshape(b.adaptiveAvgPool2d(b.conv2d(x, 8, { k: 1 })), [2, 8]), 10);
  const lin = estimateStep(b.finish(), { precision: 'fp32', optimizer: 'sgd', objectsPerImage: 0, batchPerGpu: 2, gpus: 1 });
  assert.equal(lin.bytes.workspace >= CUBLAS_WORKSPACE_BYTES + CUBLASLT_WORKSPACE_BYTES, true);
  assert.equal(conv.bytes.workspace < CUBLAS_WORKSPACE_BYTES + CUBLASLT_WORKSPACE_BYTES, true);
});
