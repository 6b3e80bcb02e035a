import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GPU_PRESETS, ampSupported, findGpuPreset, presetToGpuInfo } from '../../src/core/gpu/presets';

const MIB = 2 ** 20;

test('preset sizes are nvidia-smi memory.total in MiB, as bytes', () => {
  const expect: Record<string, number> = {
    'Tesla T4': 15360,
    'NVIDIA GeForce RTX 3060': 12288,
    'NVIDIA GeForce RTX 3090': 24576,
    'NVIDIA GeForce RTX 4090': 24564,
    'NVIDIA L4': 23034,
    'NVIDIA A100-SXM4-40GB': 40960,
    'NVIDIA A100-SXM4-80GB': 81920,
    'NVIDIA H100 80GB HBM3': 81559,
    'Tesla V100-SXM2-16GB': 16160,
    'Tesla V100-SXM2-32GB': 32510,
    'NVIDIA GeForce RTX 4060': 8188,
    'NVIDIA GeForce RTX 4070': 12282,
    'NVIDIA GeForce RTX 4080': 16376,
    'NVIDIA RTX A6000': 49140,
    'NVIDIA GeForce GTX 1660': 6144,
  };
  for (const [name, mib] of Object.entries(expect)) {
    const p = GPU_PRESETS.find((g) => g.name === name);
    assert.ok(p, name);
    assert.equal(p.totalMiB, mib, name);
    assert.equal(p.totalBytes, mib * MIB, name);
  }
});

test('names and aliases are unique', () => {
  const names = new Set<string>();
  const aliases = new Set<string>();
  for (const p of GPU_PRESETS) {
    assert.ok(!names.has(p.name), p.name);
    names.add(p.name);
    for (const a of p.aliases) {
      assert.ok(!aliases.has(a), a);
      aliases.add(a);
    }
  }
});

test('ampSupported follows Ultralytics check_amp name pattern', () => {
  for (const n of ['NVIDIA GeForce GTX 1660 SUPER', 'NVIDIA GeForce GTX 1650', 'NVIDIA GeForce GTX 1630', 'NVIDIA T400 4GB', 'NVIDIA T600', 'Quadro T1000', 'Quadro T2000', 'Tesla K40m', 'NVIDIA T550 Laptop GPU', 'NVIDIA T1200 Laptop GPU']) {
    assert.equal(ampSupported(n), false, n);
  }
  for (const n of ['Tesla T4', 'NVIDIA GeForce RTX 3090', 'NVIDIA A100-SXM4-80GB', 'NVIDIA GeForce GTX 1080 Ti', 'NVIDIA L4']) {
    assert.equal(ampSupported(n), true, n);
  }
  // The pattern needs a vendor word before the number, exactly as Ultralytics wrote it.
  assert.equal(ampSupported('GTX 1660'), true);
  assert.equal(GPU_PRESETS.find((p) => p.name === 'NVIDIA GeForce GTX 1660')!.amp, false);
  assert.equal(GPU_PRESETS.find((p) => p.name === 'Tesla T4')!.amp, true);
});

test('findGpuPreset matches full names, vendor-less names and aliases, never fuzzily', () => {
  assert.equal(findGpuPreset('NVIDIA GeForce RTX 3090')!.totalMiB, 24576);
  assert.equal(findGpuPreset('rtx 3090')!.name, 'NVIDIA GeForce RTX 3090');
  assert.equal(findGpuPreset('GeForce RTX 3090')!.name, 'NVIDIA GeForce RTX 3090');
  assert.equal(findGpuPreset('3090 Ti')!.name, 'NVIDIA GeForce RTX 3090 Ti');
  assert.equal(findGpuPreset('T4')!.name, 'Tesla T4');
  assert.equal(findGpuPreset('a100-80gb')!.name, 'NVIDIA A100-SXM4-80GB');
  assert.equal(findGpuPreset('RTX 5090'), null);
  assert.equal(findGpuPreset(''), null);
  assert.deepEqual(presetToGpuInfo(findGpuPreset('l4')!), { name: 'NVIDIA L4', totalBytes: 23034 * MIB, source: 'preset' });
});
