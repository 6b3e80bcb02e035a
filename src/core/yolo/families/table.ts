// A family of built-ins given as tables in this project's own format: the scaling constants per
// size letter and, per variant (name suffix), the layer rows [from, repeats, module, args] with
// module names and argument conventions of Ultralytics model YAMLs, so the same resolver reads both.

import type { BuiltinEntry, BuiltinFamily } from '../builtin';
import type { ArchRow, ArchSpec } from '../types';

export interface TableVariant {
  /** Name suffix after the size letter: '' (detect), '-seg', '-pose', '-p2', ... */
  suffix: string;
  task: string;
  /** nc of the released weights (or of the YAML when no weights are released). */
  nc: number;
  kptShape?: [number, number];
  backbone: ArchRow[];
  head: ArchRow[];
  /** DFL bins (the YAML's reg_max; 16 when absent). */
  regMax?: number;
  /** The YAML's end2end: the head trains one-to-many and one-to-one branches. */
  end2end?: boolean;
  /** Letters this variant exists at, when not every letter of the family. */
  letters?: string[];
  /** Scales that differ from the family's for this variant. */
  scales?: Record<string, [number, number, number]>;
}

export interface TableFamilyDef {
  family: string;
  /** Name prefix before the size letter ("yolo26"). */
  prefix: string;
  /** [depth, width, max_channels] per size letter, in size order. */
  scales: Record<string, [number, number, number]>;
  variants: TableVariant[];
}

export function tableFamily(def: TableFamilyDef): BuiltinFamily {
  const names = new Map<string, { variant: TableVariant; letter: string }>();
  const entries: BuiltinEntry[] = [];
  for (const variant of def.variants) {
    for (const letter of variant.letters ?? Object.keys(def.scales)) {
      const name = `${def.prefix}${letter}${variant.suffix}`;
      names.set(name, { variant, letter });
      entries.push({ name, family: def.family, task: variant.task, scale: letter });
    }
  }
  return {
    family: def.family,
    entries: () => entries.map((e) => ({ ...e })),
    resolve(name: string): ArchSpec | null {
      const hit = names.get(name);
      if (!hit) return null;
      const { variant: v, letter } = hit;
      const [depth, width, maxChannels] = (v.scales ?? def.scales)[letter];
      const spec: ArchSpec = {
        name,
        file: `builtin:${name}`,
        format: 'scales',
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
      if (v.regMax !== undefined) spec.regMax = v.regMax;
      if (v.end2end) spec.end2end = true;
      spec.codeVersion = '8.4';
      return spec;
    },
  };
}
