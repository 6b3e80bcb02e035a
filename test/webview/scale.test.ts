import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { byteTicks, integerTicks, linear, niceStep, niceTicks } from '../../webview/shared/scale';

test('niceStep picks 1, 2, 2.5 or 5 times a power of ten', () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(100, 4), 25);
  assert.equal(niceStep(7, 5), 2);
  assert.equal(niceStep(0.9, 3), 0.5);
  assert.equal(niceStep(0, 5), 1);
});

test('niceTicks covers the data on round values', () => {
  assert.deepEqual(niceTicks(0, 13.2, 5), { min: 0, max: 15, step: 5, values: [0, 5, 10, 15] });
  assert.deepEqual(niceTicks(0, 11, 5).values, [0, 2.5, 5, 7.5, 10, 12.5]);
  assert.deepEqual(niceTicks(0, 0.3, 3).values, [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(5, 5).values.length > 1, true);
});

test('niceTicks property: covers [lo, hi], even steps, a sensible count', () => {
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 10 }), (lo, span, target) => {
      const hi = lo + span;
      const t = niceTicks(lo, hi, target);
      // Tolerance of a billionth of a step: the scale divides by the step.
      assert.ok(t.min <= lo + t.step * 1e-9 && t.max >= hi - t.step * 1e-9, `${t.min}..${t.max} for ${lo}..${hi}`);
      assert.ok(t.values.length >= 2 && t.values.length <= 2 * target + 2, `${t.values.length} ticks for target ${target}`);
      for (let i = 1; i < t.values.length; i++) assert.ok(Math.abs(t.values[i]! - t.values[i - 1]! - t.step) <= t.step * 1e-6);
      const m = t.step / 10 ** Math.floor(Math.log10(t.step));
      assert.ok([1, 2, 2.5, 5, 10].some((x) => Math.abs(x - m) < 1e-9), `step ${t.step}`);
    }),
  );
});

test('niceTicks covers a tiny span far from zero (a property counterexample)', () => {
  const lo = -999999.9999999999;
  const t = niceTicks(lo, lo + 0.001, 6);
  assert.ok(t.max >= lo + 0.001 && t.min <= lo);
});

test('niceTicks starts at or below lo when floor(lo / step) * step rounds up (fuzz seed 821253043)', () => {
  const t = niceTicks(-1000000, -1000000 + 0.001, 6);
  assert.ok(t.min <= -1000000, `min ${t.min}`);
  assert.ok(t.max >= -1000000 + 0.001, `max ${t.max}`);
});

test('integerTicks never steps by less than 1', () => {
  assert.deepEqual(integerTicks(0, 3).values, [0, 1, 2, 3]);
  const t = integerTicks(0, 130);
  assert.ok(Number.isInteger(t.step) && t.step >= 1);
  assert.ok(t.max >= 130);
});

test('byteTicks labels every tick in one binary unit', () => {
  const t = byteTicks(11 * 1024 ** 3);
  assert.equal(t.unit, 'GiB');
  assert.deepEqual(t.labels, ['0', '2.5', '5', '7.5', '10', '12.5']);
  assert.equal(t.max, 12.5 * 1024 ** 3);
  assert.equal(t.step, 2.5 * 1024 ** 3);
  assert.equal(byteTicks(300 * 1024 ** 2).unit, 'MiB');
});

test('linear maps the domain onto the range, flipped ranges included', () => {
  const y = linear(0, 10, 200, 0);
  assert.equal(y(0), 200);
  assert.equal(y(10), 0);
  assert.equal(y(5), 100);
  assert.equal(linear(3, 3, 7, 9)(100), 7);
});
