import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GPU_PRESETS, ampSupported, findGpuPreset, nearestGpuNames, presetLabel, presetToGpuInfo } from '../../src/core/gpu/presets';
import { cudaContext, smSpec } from '../../src/core/memory/context';

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

test('names (with their memory) and aliases are unique', () => {
  const names = new Set<string>();
  const aliases = new Set<string>();
  for (const p of GPU_PRESETS) {
    const key = `${p.name} ${p.totalMiB}`;
    assert.ok(!names.has(key), key);
    names.add(key);
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
  assert.equal(findGpuPreset('RTX 5099'), null);
  assert.equal(findGpuPreset(''), null);
  assert.deepEqual(presetToGpuInfo(findGpuPreset('l4')!), { name: 'NVIDIA L4', totalBytes: 23034 * MIB, source: 'preset' });
});

test('GPU names as nvidia-smi prints them, on any driver, with or without the board memory', () => {
  const cases: Record<string, [string, number]> = {
    'NVIDIA GeForce RTX 3060': ['NVIDIA GeForce RTX 3060', 12288],
    'GeForce RTX 3060': ['NVIDIA GeForce RTX 3060', 12288], // older drivers print no vendor word
    'GeForce RTX 3060 12GB': ['NVIDIA GeForce RTX 3060', 12288],
    'Tesla T4': ['Tesla T4', 15360],
    'NVIDIA A100-SXM4-80GB': ['NVIDIA A100-SXM4-80GB', 81920],
    'NVIDIA A100 80GB PCIe': ['NVIDIA A100 80GB PCIe', 81920],
    'NVIDIA H100 80GB HBM3': ['NVIDIA H100 80GB HBM3', 81559],
    'NVIDIA GeForce RTX 4060 Ti': ['NVIDIA GeForce RTX 4060 Ti', 8188],
    'RTX 4060 Ti 16GB': ['NVIDIA GeForce RTX 4060 Ti', 16380], // one nvidia-smi name, two boards
    'NVIDIA GeForce RTX 5090': ['NVIDIA GeForce RTX 5090', 32607],
    'NVIDIA L40S': ['NVIDIA L40S', 46068],
    'NVIDIA B200': ['NVIDIA B200', 183359],
  };
  for (const [q, [name, mib]] of Object.entries(cases)) {
    const p = findGpuPreset(q);
    assert.ok(p, q);
    assert.deepEqual([p.name, p.totalMiB], [name, mib], q);
  }
  // a memory size that disagrees with the name is not silently taken as another card
  assert.equal(findGpuPreset('GeForce RTX 3060 8GB'), null);
});

test('the table covers the cards people train on now, each with SMs, compute capability and a source', () => {
  for (const q of ['RTX 5090', 'RTX 5080', 'RTX 5070 Ti', 'RTX 5070', 'L40S', 'A40', 'B200', 'GH200', 'Jetson AGX Orin 64GB', 'Jetson Orin Nano 8GB', 'RTX 4060 Ti 16GB', 'RTX 3070']) {
    assert.ok(findGpuPreset(q), q);
  }
  for (const p of GPU_PRESETS) {
    assert.ok(Number.isInteger(p.sms) && p.sms > 0, p.name);
    assert.match(p.computeCapability, /^\d+\.\d$/, p.name);
    assert.ok(p.source.length > 20, p.name);
  }
  assert.ok(GPU_PRESETS.filter((p) => p.totalMiB <= 8192 + 100 && p.totalMiB >= 8000).length >= 3, 'consumer 8 GB cards');
  assert.ok(GPU_PRESETS.filter((p) => p.totalMiB >= 16000 && p.totalMiB <= 16400).length >= 4, 'consumer 16 GB cards');
});

test("each preset's SM count is the one the CUDA-context model uses for its name", () => {
  for (const p of GPU_PRESETS) {
    assert.equal(smSpec(p.name)?.sms, p.sms, p.name);
    assert.equal(cudaContext(p.name).knownGpu, true, p.name);
  }
});

test('presetLabel names exactly one preset, also where two boards share an nvidia-smi name', () => {
  for (const p of GPU_PRESETS) assert.equal(findGpuPreset(presetLabel(p)), p, presetLabel(p));
});

test('nearestGpuNames offers the close names for a typo', () => {
  assert.deepEqual(nearestGpuNames('RTX 5099').slice(0, 1), ['NVIDIA GeForce RTX 5090']);
  assert.deepEqual(nearestGpuNames('quantum9000'), []);
});
