// Built-in model names -> ArchSpec, so `yolov8n`, `yolov8n.pt`, `yolo11s-seg.yaml` or `yolov5su` can be
// estimated without a file. A name with `.pt` means that released model's architecture (the weights
// are never read); `.yaml` the architecture at the scale in the name, as Ultralytics reads it.

import { FAMILIES, type Family, type Letter, type Variant } from './archs';
import type { ArchSpec } from './types';

const LETTERS: readonly Letter[] = ['n', 's', 'm', 'l', 'x'];
const SUFFIX: Record<Variant, string> = { detect: '', seg: '-seg', pose: '-pose', obb: '-obb', cls: '-cls' };
const NAME_RE = /^(yolov8|yolo11|yolov5)([nsmlx])(u?)(-seg|-pose|-obb|-cls)?$/;

/** One canonical built-in name, as `yolo-mem models` lists it. */
export interface BuiltinEntry {
  name: string;
  family: string;
  task: string;
  scale: string;
}

/** The same as BuiltinEntry (kept for existing importers). */
export type BuiltinInfo = BuiltinEntry;

const TASK: Record<Variant, string> = { detect: 'detect', seg: 'segment', pose: 'pose', obb: 'obb', cls: 'classify' };

/** Canonical name of a built-in ("YOLOv8n.pt" -> "yolov8n"), or null when it is not one. */
export function builtinName(name: string): string | null {
  const base = (name.split(/[\\/]/).pop() ?? name).trim().toLowerCase().replace(/\.(pt|ya?ml)$/, '');
  return NAME_RE.test(base) && findFamily(base) ? base : null;
}

function findFamily(base: string): { family: Family; letter: Letter; variant: Variant } | null {
  const m = NAME_RE.exec(base);
  if (!m) return null;
  const [, prefix, letter, u, suffix] = m;
  const variant = (Object.keys(SUFFIX) as Variant[]).find((v) => SUFFIX[v] === (suffix ?? ''))!;
  const family = FAMILIES.find((f) => f.prefix === prefix && f.letterSuffix === u);
  if (!family || !family.variants[variant]) return null;
  return { family, letter: letter as Letter, variant };
}

/** The architecture of a built-in model name, or null when the name is not a built-in. */
export function resolveBuiltin(name: string): ArchSpec | null {
  const base = builtinName(name);
  if (!base) return null;
  const { family, letter, variant } = findFamily(base)!;
  const v = family.variants[variant]!;
  const [depth, width, maxChannels] = (family.variantScales?.[variant] ?? family.scales)[letter];
  const spec: ArchSpec = {
    name: base,
    file: `builtin:${base}`,
    format: family.format,
    nc: v.nc,
    scale: letter,
    depth,
    width,
    maxChannels,
    act: 'silu',
    backboneRows: v.backbone.length,
    // copies, so a caller editing a spec cannot change the shared tables
    rows: [...v.backbone, ...v.head].map(([f, n, m, a]) => [Array.isArray(f) ? [...f] : f, n, m, structuredClone(a)]),
  };
  if (v.kptShape) spec.kptShape = [...v.kptShape];
  if (family.anchors) spec.anchors = family.anchors.map((l) => [...l]);
  return spec;
}

/** Every built-in name, grouped by family in size order. */
export function listBuiltins(): BuiltinEntry[] {
  const out: BuiltinEntry[] = [];
  for (const family of FAMILIES) {
    for (const variant of Object.keys(SUFFIX) as Variant[]) {
      if (!family.variants[variant]) continue;
      for (const letter of LETTERS) {
        out.push({ name: `${family.prefix}${letter}${family.letterSuffix}${SUFFIX[variant]}`, family: `${family.prefix}${family.letterSuffix}`, scale: letter, task: TASK[variant] });
      }
    }
  }
  return out;
}
