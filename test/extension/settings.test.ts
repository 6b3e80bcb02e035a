// readSettings(): defaults, validation with one-line problems, trust handling of the nvidia-smi path.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings, type ConfigSource } from '../../src/extension/settings';

function cfg(values: Record<string, unknown>): ConfigSource {
  return { get: <T>(k: string) => values[k] as T | undefined };
}

describe('readSettings', () => {
  test('defaults when nothing is set', () => {
    const { settings, problems } = readSettings(cfg({}), { trusted: true });
    assert.deepEqual(problems, []);
    assert.equal(settings.gpu.memoryBytes, null);
    assert.equal(settings.gpu.index, null);
    assert.equal(settings.gpu.nvidiaSmiPath, undefined);
    assert.equal(settings.gpu.pollingMs, 5000);
    assert.deepEqual(settings.estimate, { margin: 0.1, imgsz: 640, batch: 16, amp: 'auto', optimizer: 'auto', objectsPerImage: 8 });
    assert.equal(settings.hoverEnabled, true);
    assert.equal(settings.diagnosticsEnabled, true);
  });

  test('valid values are read', () => {
    const { settings, problems } = readSettings(
      cfg({ 'gpu.memory': ' 24GiB ', 'gpu.index': 1, 'gpu.nvidiaSmiPath': '/opt/nv/nvidia-smi', 'gpu.pollingInterval': 0, 'estimate.amp': 'off', 'estimate.optimizer': 'adamw', 'estimate.imgsz': 1280, 'hover.enabled': false }),
      { trusted: true },
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.gpu.memoryBytes, 24 * 2 ** 30);
    assert.equal(settings.gpu.memoryText, '24GiB');
    assert.equal(settings.gpu.index, 1);
    assert.equal(settings.gpu.nvidiaSmiPath, '/opt/nv/nvidia-smi');
    assert.equal(settings.gpu.pollingMs, 0);
    assert.equal(settings.estimate.amp, 'off');
    assert.equal(settings.estimate.optimizer, 'adamw');
    assert.equal(settings.estimate.imgsz, 1280);
    assert.equal(settings.hoverEnabled, false);
  });

  test('invalid values fall back to defaults with a one-line problem each', () => {
    const { settings, problems } = readSettings(
      cfg({ 'gpu.memory': '24 bananas', 'estimate.imgsz': 100.5, 'estimate.safetyMargin': 2, 'estimate.amp': 'maybe', 'diagnostics.enabled': 'yes', 'gpu.index': -1 }),
      { trusted: true },
    );
    assert.equal(settings.gpu.memoryBytes, null);
    assert.equal(settings.estimate.imgsz, 640);
    assert.equal(settings.estimate.margin, 0.1);
    assert.equal(settings.estimate.amp, 'auto');
    assert.equal(settings.diagnosticsEnabled, true);
    assert.equal(settings.gpu.index, null, 'an out-of-range index falls back to auto');
    assert.equal(problems.length, 6);
    for (const p of problems) assert.ok(!p.includes('\n') && p.startsWith('yoloMemory.'), p);
    assert.ok(problems.some((p) => p.includes('gpu.memory') && p.includes('bananas')));
    assert.ok(problems.some((p) => p.includes('estimate.safetyMargin') && p.includes('0..0.5')));
  });

  test('gpu.memory takes a size or a GPU preset name', () => {
    const size = readSettings(cfg({ 'gpu.memory': '12288MiB' }), { trusted: true }).settings.gpu;
    assert.equal(size.memoryBytes, 12 * 2 ** 30);
    assert.equal(size.presetName, null);
    const named = readSettings(cfg({ 'gpu.memory': 'RTX 3090' }), { trusted: true }).settings.gpu;
    assert.equal(named.presetName, 'NVIDIA GeForce RTX 3090');
    assert.equal(named.memoryBytes, 24576 * 2 ** 20);
    const bad = readSettings(cfg({ 'gpu.memory': '24' }), { trusted: true });
    assert.equal(bad.settings.gpu.memoryBytes, null);
    assert.match(bad.problems[0]!, /no unit/);
  });

  test('the nvidia-smi path is ignored in an untrusted workspace', () => {
    const { settings } = readSettings(cfg({ 'gpu.nvidiaSmiPath': './evil.sh' }), { trusted: false });
    assert.equal(settings.gpu.nvidiaSmiPath, undefined);
  });
});
