// Number and text formatting shared by both webviews and the host's exports. Pure functions, so
// the numbers a test reads are the numbers the user sees.

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary units (GiB, as nvidia-smi and torch report them), 3 significant digits, at most 2 decimals. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '−' : '';
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < BINARY_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${sign}${Math.round(v)} B`;
  return `${sign}${trimNumber(v)} ${BINARY_UNITS[u]}`;
}

/** The unit formatBytes would pick for `bytes`, and its size: axes label every tick in one unit. */
export function byteUnit(bytes: number): { unit: string; size: number } {
  let u = 0;
  let size = 1;
  while (Math.abs(bytes) >= size * 1024 && u < BINARY_UNITS.length - 1) {
    size *= 1024;
    u++;
  }
  return { unit: BINARY_UNITS[u]!, size };
}

/** 3 significant digits, no trailing zeros: 1.5, 12.3, 123, 1234. */
export function trimNumber(v: number): string {
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return Number(v.toFixed(digits)).toString();
}

/** Counts with SI suffixes: 3.16 M parameters, 8.7 G FLOPs. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  for (const [div, suffix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as const) {
    if (a >= div) return `${trimNumber(n / div)} ${suffix}`;
  }
  return String(n);
}

/** Exact integer with thousands separators (for tooltips and exports). */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatPercent(fraction: number | null | undefined, decimals = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  // A non-zero share that rounds to 0 says "<0.1 %", so it is not read as nothing.
  const least = 10 ** -decimals / 100;
  if (fraction > 0 && fraction < least / 2) return `<${(least * 100).toFixed(decimals)} %`;
  return `${(fraction * 100).toFixed(decimals)} %`;
}

export function formatGflops(g: number): string {
  return Number.isFinite(g) ? `${g.toFixed(1)} GFLOPs` : '—';
}

export function formatShape(shape: readonly number[]): string {
  return shape.length ? `[${shape.join(', ')}]` : '—';
}

/** Escape text for HTML element content and double-quoted attributes. Model names, layer names
 *  and paths come from files the user opened, so everything drawn goes through here. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
