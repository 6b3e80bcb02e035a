// Built-in model names -> ArchSpec, so `yolov8n`, `yolov8n.pt`, `yolo11s-seg.yaml`, `yolo26n-pose` or
// `yolov10b` can be estimated without a file. A name with `.pt` means that released model's
// architecture (the weights are never read); `.yaml` the architecture at the scale in the name, as
// Ultralytics reads it.
//
// Data-driven: every family is one BuiltinFamily (its canonical names and a resolver), listed in
// families/index.ts. A new family is a new file there plus one line in that list; nothing here changes.

import { ALL_FAMILIES } from './families/index';
import type { ArchSpec } from './types';

/** One canonical built-in name, as `yolo-mem models` lists it. */
export interface BuiltinEntry {
  name: string;
  family: string;
  task: string;
  scale: string;
}

/** @deprecated the same as BuiltinEntry (kept for existing importers). */
export type BuiltinInfo = BuiltinEntry;

/** A family of built-in names: what it lists and how one of its names becomes an ArchSpec. */
export interface BuiltinFamily {
  /** Family id, e.g. "yolov8", "yolo26", "yolov10". */
  family: string;
  /** Every canonical name of the family, grouped by task, in size order. */
  entries(): BuiltinEntry[];
  /** The architecture of one of this family's canonical names (lower case, no suffix); a fresh copy. */
  resolve(name: string): ArchSpec | null;
}

let index: Map<string, { family: BuiltinFamily; entry: BuiltinEntry }> | null = null;

function byName(): Map<string, { family: BuiltinFamily; entry: BuiltinEntry }> {
  if (index) return index;
  index = new Map();
  for (const family of ALL_FAMILIES) {
    for (const entry of family.entries()) {
      // the first family to claim a name wins (a family list is ordered by precedence)
      if (!index.has(entry.name)) index.set(entry.name, { family, entry });
    }
  }
  return index;
}

/** Canonical name of a built-in ("YOLOv8n.pt" -> "yolov8n"), or null when it is not one. */
export function builtinName(name: string): string | null {
  const base = (name.split(/[\\/]/).pop() ?? name).trim().toLowerCase().replace(/\.(pt|ya?ml)$/, '');
  return byName().has(base) ? base : null;
}

/** The architecture of a built-in model name, or null when the name is not a built-in. */
export function resolveBuiltin(name: string): ArchSpec | null {
  const base = builtinName(name);
  if (!base) return null;
  return byName().get(base)!.family.resolve(base);
}

/** The list entry of a built-in name (family, task, scale), or null. */
export function builtinEntry(name: string): BuiltinEntry | null {
  const base = builtinName(name);
  return base ? { ...byName().get(base)!.entry } : null;
}

/** Every canonical built-in name, grouped by family in size order. */
export function listBuiltins(): BuiltinEntry[] {
  return [...byName().values()].map((v) => ({ ...v.entry }));
}
