// Ultralytics (and YOLOv5) export metadata. Values are str() of Python objects; plain strings such
// as task='detect' are written without quotes, so each key is parsed as a literal and falls back
// to the raw text.
import { parsePyLiteral, type PyValue } from './pyliteral';
import type { UltralyticsMetadata } from './types';

export function ultralyticsMetadata(meta: Record<string, string>): UltralyticsMetadata | null {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(meta, k);
  const isUltralytics = has('stride') && has('names');
  if (!isUltralytics) return null;
  const lit = (k: string): PyValue | undefined => (has(k) ? parsePyLiteral(meta[k]) : undefined);
  const out: UltralyticsMetadata = {};
  const num = (v: PyValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const stride = lit('stride');
  // Some exports write a stride list ([8, 16, 32]); the model stride is its maximum.
  out.stride = Array.isArray(stride) ? num(Math.max(...stride.filter((x): x is number => typeof x === 'number'))) : num(stride);
  const imgsz = lit('imgsz');
  if (Array.isArray(imgsz) && imgsz.every((x) => typeof x === 'number')) out.imgsz = imgsz as number[];
  else if (typeof imgsz === 'number') out.imgsz = [imgsz, imgsz];
  out.batch = num(lit('batch'));
  out.channels = num(lit('channels'));
  const names = lit('names');
  if (names && typeof names === 'object' && !Array.isArray(names)) {
    out.names = Object.fromEntries(Object.entries(names).map(([k, v]) => [k, String(v)]));
  } else if (Array.isArray(names)) out.names = Object.fromEntries(names.map((v, i) => [String(i), String(v)]));
  const args = lit('args');
  if (args && typeof args === 'object' && !Array.isArray(args)) out.args = args;
  for (const k of ['task', 'version', 'description', 'author', 'date'] as const) {
    if (!has(k)) continue;
    const v = parsePyLiteral(meta[k]);
    out[k] = typeof v === 'string' ? v : meta[k];
  }
  for (const k of Object.keys(out) as (keyof UltralyticsMetadata)[]) if (out[k] === undefined) delete out[k];
  return out;
}
