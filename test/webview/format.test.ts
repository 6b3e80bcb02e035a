import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteUnit, escapeHtml, formatBytes, formatCount, formatPercent, formatShape, trimNumber } from '../../webview/shared/format';

test('formatBytes uses binary units with three significant digits', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1 KiB');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(8 * 1024 ** 3), '8 GiB');
  assert.equal(formatBytes(3.64 * 1024 ** 3), '3.64 GiB');
  assert.equal(formatBytes(123.4 * 1024 ** 2), '123 MiB');
  assert.equal(formatBytes(-2 * 1024 ** 2), '−2 MiB');
  assert.equal(formatBytes(null), '—');
  assert.equal(formatBytes(Number.NaN), '—');
});

test('byteUnit picks the unit formatBytes shows', () => {
  assert.deepEqual(byteUnit(5 * 1024 ** 3), { unit: 'GiB', size: 1024 ** 3 });
  assert.deepEqual(byteUnit(100), { unit: 'B', size: 1 });
});

test('formatCount uses SI suffixes', () => {
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(3_151_904), '3.15 M');
  assert.equal(formatCount(8.7e9), '8.7 G');
  assert.equal(formatCount(12_345), '12.3 K');
  assert.equal(formatCount(undefined), '—');
});

test('trimNumber keeps three significant digits without trailing zeros', () => {
  assert.equal(trimNumber(1.5), '1.5');
  assert.equal(trimNumber(2), '2');
  assert.equal(trimNumber(12.34), '12.3');
  assert.equal(trimNumber(123.4), '123');
});

test('formatPercent marks tiny non-zero shares instead of showing 0', () => {
  assert.equal(formatPercent(0.4567), '45.7 %');
  assert.equal(formatPercent(0), '0.0 %');
  assert.equal(formatPercent(0.00001), '<0.1 %');
  assert.equal(formatPercent(0.1, 0), '10 %');
  assert.equal(formatPercent(null), '—');
});

test('formatShape and escapeHtml', () => {
  assert.equal(formatShape([16, 3, 640, 640]), '[16, 3, 640, 640]');
  assert.equal(formatShape([]), '—');
  assert.equal(escapeHtml(`<img src=x onerror="a('b')">&`), '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
});
