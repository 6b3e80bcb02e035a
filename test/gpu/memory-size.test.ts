import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMemorySize, formatMiB } from '../../src/core/gpu/memory-size';

test('IEC units are powers of 1024, SI units powers of 1000, a bare letter is binary', () => {
  assert.equal(parseMemorySize('24GiB'), 24 * 2 ** 30);
  assert.equal(parseMemorySize('24 GB'), 24e9);
  assert.equal(parseMemorySize('24576MiB'), 24 * 2 ** 30);
  assert.equal(parseMemorySize('16G'), 16 * 2 ** 30);
  assert.equal(parseMemorySize('16g'), 16 * 2 ** 30);
  assert.equal(parseMemorySize('1.5 TiB'), 1.5 * 2 ** 40);
  assert.equal(parseMemorySize('512 KiB'), 512 * 1024);
  assert.equal(parseMemorySize('  8000 MB '), 8e9);
  assert.equal(parseMemorySize('100B'), 100);
});

test('rejects sizes without a unit, unknown units and zero with one-line messages', () => {
  assert.throws(() => parseMemorySize('24'), /has no unit/);
  assert.throws(() => parseMemorySize('24 XB'), /unknown memory unit "XB"/);
  assert.throws(() => parseMemorySize('lots'), /is not a memory size/);
  assert.throws(() => parseMemorySize('0GiB'), /greater than zero/);
  assert.throws(() => parseMemorySize('-4GiB'), /is not a memory size/);
  for (const bad of ['24', 'lots', '0GiB']) {
    try { parseMemorySize(bad); } catch (e) { assert.ok(!(e as Error).message.includes('\n')); }
  }
});

test('formatMiB rounds to whole MiB', () => {
  assert.equal(formatMiB(24576 * 2 ** 20), '24576 MiB');
});
