// Chart scales: "nice" axis ticks (1, 2, 2.5, 5 x 10^k steps) and linear maps. Pure.

import { byteUnit, trimNumber } from './format';

export interface Ticks {
  /** Axis starts here (<= the data minimum). */
  min: number;
  /** Axis ends here (>= the data maximum). */
  max: number;
  step: number;
  values: number[];
}

/** A step of 1, 2, 2.5 or 5 times a power of ten, close to span / target. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0) || !(target > 0)) return 1;
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return m * pow;
}

/** About `target` ticks covering [lo, hi] on nice round values. */
export function niceTicks(lo: number, hi: number, target = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 1, step: 1, values: [0, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) hi = lo === 0 ? 1 : lo + Math.abs(lo);
  const step = niceStep(hi - lo, target);
  let min = Math.floor(lo / step) * step;
  // The product floor(lo / step) * step is rounded and can land just above lo when |lo| is large
  // next to the step (lo = -1e6, step = 2e-4 gave a min 1e-10 above lo); one step down restores it.
  if (min > lo) min -= step;
  // Count steps from min rather than rounding hi / step: near |x| = 1e6 with tiny steps the
  // quotient loses the last digits and the top tick could fall just below hi.
  let n = Math.max(1, Math.round((Math.ceil(hi / step) * step - min) / step));
  while (min + n * step < hi) n++;
  const max = min + n * step;
  const values: number[] = [];
  // Integer counter avoids 0.1 + 0.2 drift; round to the step's precision.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let i = 0; i <= n; i++) values.push(Number((min + i * step).toFixed(decimals)));
  return { min, max, step, values };
}

/** Integer ticks (batch sizes): steps of at least 1. */
export function integerTicks(lo: number, hi: number, target = 6): Ticks {
  const t = niceTicks(lo, hi, target);
  if (t.step >= 1 && Number.isInteger(t.step)) return t;
  const step = Math.max(1, Math.ceil(t.step));
  const min = Math.floor(lo / step) * step;
  const max = Math.max(min + step, Math.ceil(hi / step) * step);
  const values: number[] = [];
  for (let v = min; v <= max; v += step) values.push(v);
  return { min, max, step, values };
}

export interface ByteTicks extends Ticks {
  unit: string;
  /** Bytes per unit. */
  unitSize: number;
  /** Labels in `unit`, e.g. "12", "2.5". */
  labels: string[];
}

/** Byte axis from 0 to at least `maxBytes`, ticked on nice values of one binary unit. */
export function byteTicks(maxBytes: number, target = 5): ByteTicks {
  const { unit, size } = byteUnit(Math.max(1, maxBytes));
  const t = niceTicks(0, Math.max(1, maxBytes) / size, target);
  return {
    min: 0,
    max: t.max * size,
    step: t.step * size,
    values: t.values.map((v) => v * size),
    unit,
    unitSize: size,
    labels: t.values.map((v) => trimNumber(v)),
  };
}

/** Linear map from a domain to a range (pixels). A zero-width domain maps to the range start. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (span === 0) return () => r0;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Round to 0.1 px so SVG strings stay short and deterministic. */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
