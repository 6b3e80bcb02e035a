// The CUDA context's size from the GPU: stacks for every resident thread + runtime + library kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cudaContext, LIBRARY_KERNEL_BYTES, RUNTIME_BYTES, smSpec } from '../../src/core/memory/context';
import { GPU_PRESETS } from '../../src/core/gpu/presets';

const MIB = 2 ** 20;

test('the stack reservation is SMs x resident threads x 1 KiB', () => {
  assert.equal(cudaContext('NVIDIA H100 80GB HBM3').stackBytes, 132 * 2048 * 1024); // 264 MiB
  assert.equal(cudaContext('Tesla T4').stackBytes, 40 * 1024 * 1024); // 40 MiB
  assert.equal(cudaContext('NVIDIA H100 PCIe').sms, 114); // the PCIe card has fewer SMs than the SXM
  assert.equal(cudaContext('NVIDIA GeForce RTX 3090 Ti').sms, 84); // not the 3090's 82
});

test('the H100 estimate lands within the measured 694-760 MiB band, to within 10%', () => {
  const mib = cudaContext('NVIDIA H100 80GB HBM3').bytes / MIB;
  assert.ok(mib > 694 * 0.9 && mib < 760 * 1.1, `${mib} MiB`);
});

test('an unknown GPU gets a mid-size card\'s context, between a T4\'s and an H100\'s', () => {
  for (const name of [null, undefined, 'GPU with 24.0 GiB', 'Some Future GPU']) {
    const c = cudaContext(name);
    assert.equal(c.knownGpu, false);
    assert.ok(c.bytes > cudaContext('Tesla T4').bytes && c.bytes < cudaContext('NVIDIA H100 80GB HBM3').bytes);
  }
});

test('every GPU preset has a known SM count, so planning for a preset uses its own context', () => {
  const missing = GPU_PRESETS.filter((p) => smSpec(p.name) === null).map((p) => p.name);
  assert.deepEqual(missing, []);
  assert.equal(cudaContext('NVIDIA A100-SXM4-80GB').bytes, 108 * 2048 * 1024 + RUNTIME_BYTES + LIBRARY_KERNEL_BYTES);
});
