// The first built-in families (YOLOv8, YOLO11, YOLOv5u, classic YOLOv5), whose tables live in
// archs.ts, as BuiltinFamily entries of the registry.

import { FAMILIES, type Family, type Letter, type Variant } from '../archs';
import type { BuiltinEntry, BuiltinFamily } from '../builtin';
import type { ArchSpec } from '../types';

const LETTERS: readonly Letter[] = ['n', 's', 'm', 'l', 'x'];
const SUFFIX: Record<Variant, string> = { detect: '', seg: '-seg', pose: '-pose', obb: '-obb', cls: '-cls' };
const TASK: Record<Variant, string> = { detect: 'detect', seg: 'segment', pose: 'pose', obb: 'obb', cls: 'classify' };

function legacyFamily(family: Family): BuiltinFamily {
  const names = new Map<string, { letter: Letter; variant: Variant }>();
  const entries: BuiltinEntry[] = [];
  for (const variant of Object.keys(SUFFIX) as Variant[]) {
    if (!family.variants[variant]) continue;
    for (const letter of LETTERS) {
      const name = `${family.prefix}${letter}${family.letterSuffix}${SUFFIX[variant]}`;
      names.set(name, { letter, variant });
      entries.push({ name, family: `${family.prefix}${family.letterSuffix}`, task: TASK[variant], scale: letter });
    }
  }
  return {
    family: `${family.prefix}${family.letterSuffix}`,
    entries: () => entries.map((e) => ({ ...e })),
    resolve(name: string): ArchSpec | null {
      const hit = names.get(name);
      if (!hit) return null;
      const { letter, variant } = hit;
      const v = family.variants[variant]!;
      const [depth, width, maxChannels] = (family.variantScales?.[variant] ?? family.scales)[letter];
      const spec: ArchSpec = {
        name,
        file: `builtin:${name}`,
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
    },
  };
}

export const LEGACY_FAMILIES: readonly BuiltinFamily[] = FAMILIES.map(legacyFamily);
