// Turns a literal read from any source (Python constant, YAML scalar, CLI token) into a setting of
// the right type, the way the training code would read it. A value of the wrong type is kept as
// raw text with value null and a note, never coerced by guesswork.

import type { Range, Setting, SettingKey, TrainingSettings } from './types';

/** A constant as the readers produce it (Python None / YAML null is `null`). */
export type Lit = number | string | boolean | null | Lit[] | { [key: string]: Lit };

/** A value that could not be read, and why. */
export interface Unknown {
  unknown: string;
}

export type Value = { lit: Lit; resolvedFrom?: string; sourceRange?: Range } | Unknown;

export function isUnknown(v: Value): v is Unknown {
  return (v as Unknown).unknown !== undefined;
}

export interface SettingSite {
  raw: string;
  range: Range;
  keyRange?: Range;
}

type AnySetting = Setting<number> | Setting<string> | Setting<boolean> | Setting<boolean | string>;

function describe(l: Lit): string {
  if (l === null) return 'None';
  if (Array.isArray(l)) return 'a list';
  if (typeof l === 'object') return 'a mapping';
  return typeof l === 'string' ? `the string "${l}"` : String(l);
}

/** Normalised device: '' auto, '0', '0,1', 'cpu', 'mps', '-1'. null when not a device spec. */
export function normaliseDevice(l: Lit): string | null {
  if (l === null) return '';
  if (typeof l === 'number' && Number.isInteger(l)) return String(l);
  if (Array.isArray(l)) {
    const parts = l.map((x) => (typeof x === 'number' && Number.isInteger(x) ? String(x) : typeof x === 'string' && /^-?\d+$/.test(x.trim()) ? x.trim() : null));
    return parts.includes(null) ? null : parts.join(',');
  }
  if (typeof l === 'string') {
    const s = l.toLowerCase().replace(/cuda:/g, '').replace(/[\s[\]()]/g, '');
    if (s === 'cuda') return '0';
    if (s === '' || s === 'cpu' || s === 'mps' || /^-?\d+(,-?\d+)*$/.test(s)) return s;
  }
  return null;
}

/**
 * How many GPUs a device setting trains on: '0,1' → 2 (DDP), '0' / '' / '-1' → 1, 'cpu' / 'mps' → 0.
 * null when the device is unknown.
 */
export function deviceGpuCount(device: string | null | undefined): number | null {
  if (device === null || device === undefined) return null;
  if (device === 'cpu' || device === 'mps') return 0;
  if (device === '') return 1;
  return device.split(',').length;
}

export function makeSetting(key: SettingKey, v: Value, site: SettingSite): AnySetting {
  const s: Setting<never> = { value: null, raw: site.raw, range: site.range };
  if (site.keyRange) s.keyRange = site.keyRange;
  if (isUnknown(v)) return { ...s, note: v.unknown };
  const out: AnySetting = { ...s };
  if (v.resolvedFrom) out.resolvedFrom = v.resolvedFrom;
  if (v.sourceRange && JSON.stringify(v.sourceRange) !== JSON.stringify(site.range)) out.sourceRange = v.sourceRange;
  const l = v.lit;
  const bad = (expected: string): AnySetting => ({ ...out, value: null, note: `${key} should be ${expected}, not ${describe(l)}` });
  switch (key) {
    case 'batch': {
      if (typeof l !== 'number') return bad('a number');
      const r = { ...out, value: l } as Setting<number>;
      if (l === -1) r.note = 'AutoBatch: Ultralytics picks the batch that fills about 60% of GPU memory';
      else if (l > 0 && l < 1) r.note = `AutoBatch: Ultralytics picks the batch that fills ${Math.round(l * 100)}% of GPU memory`;
      else if (!Number.isInteger(l) || l < 1) r.note = `batch ${l} is not a usable batch size`;
      return r;
    }
    case 'epochs':
    case 'workers':
      return typeof l === 'number' ? { ...out, value: l } : bad('a number');
    case 'imgsz': {
      if (typeof l === 'number') return { ...out, value: l };
      // Ultralytics' check_imgsz takes an int or a list of one or two sides and refuses longer
      // lists; refusing them here also keeps a 300,000-element list out of a spread (stack overflow).
      if (Array.isArray(l) && l.length > 2) return bad('a number or a list [h, w]');
      if (Array.isArray(l) && l.length > 0 && l.every((x) => typeof x === 'number')) {
        const max = (l as number[]).reduce((a, b) => Math.max(a, b), -Infinity);
        // Ultralytics trains on square images: check_imgsz(..., max_dim=1) keeps the largest side.
        return { ...out, value: max, note: `training uses square ${max}x${max} images (the largest of ${JSON.stringify(l)})` };
      }
      return bad('a number');
    }
    case 'model':
    case 'data':
    case 'optimizer':
      if (typeof l === 'string') return { ...out, value: l };
      if (l === null) return { ...out, value: null, note: `${key} is None (the default is used)` };
      return bad('a string');
    case 'amp':
      return typeof l === 'boolean' ? { ...out, value: l } : bad('True or False');
    case 'cache':
      if (l === null) return { ...out, value: false };
      if (typeof l === 'boolean') return { ...out, value: l };
      if (typeof l === 'string' && ['ram', 'disk'].includes(l.toLowerCase())) return { ...out, value: l.toLowerCase() };
      if (typeof l === 'string' && ['true', 'false'].includes(l.toLowerCase())) return { ...out, value: l.toLowerCase() === 'true' };
      return bad("True, False, 'ram' or 'disk'");
    case 'device': {
      const d = normaliseDevice(l);
      return d === null ? bad("a device such as 0, '0,1', [0, 1] or 'cpu'") : { ...out, value: d };
    }
  }
}

export function setSetting(settings: TrainingSettings, key: SettingKey, setting: AnySetting): void {
  (settings as Record<SettingKey, AnySetting>)[key] = setting;
}
