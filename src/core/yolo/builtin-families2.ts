// Built-in names of the families added for issue #19 part 2, as Ultralytics names its released
// weights: yolov9t/s/m/c/e, yolov9c-seg, yolov9e-seg, yolov3u, yolov3-sppu, yolov3-tinyu,
// yolov6n..x. Each maps to an ArchSpec that the shared resolver (resolve.ts) reads like a YAML.

import { v3Rows, v3TinyRows, v6Rows, V6_SCALES } from './archs-v3-v6';
import { rtdetrRows, type RtdetrVariant } from './archs-rtdetr';
import { v9Rows, type V9Size } from './archs-v9';
import { worldV2Rows } from './archs-world';
import { YOLOV5_CLASSIC, YOLOV8, type Letter } from './archs';
import type { ActKind, ArchRow, ArchSpec } from './types';

export interface Families2Entry {
  name: string;
  family: string;
  task: 'detect' | 'segment' | 'pose' | 'obb' | 'classify';
  scale: string;
}

interface Def extends Families2Entry {
  nc: number;
  depth: number;
  width: number;
  maxChannels: number | null;
  act: ActKind;
  rows: () => { backboneRows: number; rows: ArchRow[] };
}

const V9_SIZES: readonly V9Size[] = ['t', 's', 'm', 'c', 'e'];
const LETTERS: readonly Letter[] = ['n', 's', 'm', 'l', 'x'];

const DEFS: readonly Def[] = [
  ...V9_SIZES.map((s): Def => ({ name: `yolov9${s}`, family: 'yolov9', task: 'detect', scale: s, nc: 80, depth: 1, width: 1, maxChannels: null, act: 'silu', rows: () => v9Rows(s, false) })),
  ...(['c', 'e'] as const).map((s): Def => ({ name: `yolov9${s}-seg`, family: 'yolov9', task: 'segment', scale: s, nc: 80, depth: 1, width: 1, maxChannels: null, act: 'silu', rows: () => v9Rows(s, true) })),
  { name: 'yolov3u', family: 'yolov3u', task: 'detect', scale: '', nc: 80, depth: 1, width: 1, maxChannels: null, act: 'silu', rows: () => v3Rows(false) },
  { name: 'yolov3-sppu', family: 'yolov3u', task: 'detect', scale: '', nc: 80, depth: 1, width: 1, maxChannels: null, act: 'silu', rows: () => v3Rows(true) },
  { name: 'yolov3-tinyu', family: 'yolov3u', task: 'detect', scale: '', nc: 80, depth: 1, width: 1, maxChannels: null, act: 'silu', rows: v3TinyRows },
  ...LETTERS.map((l): Def => {
    const [depth, width, maxChannels] = V6_SCALES[l];
    return { name: `yolov6${l}`, family: 'yolov6', task: 'detect', scale: l, nc: 80, depth, width, maxChannels, act: 'relu', rows: v6Rows };
  }),
];

/** yolov5 v7.0 ClassificationModel._from_detection_model(cutoff=10): the detection backbone's rows
 *  0-9, whose last (SPPF) is replaced by Classify(c1 = SPPF's input channels, nc=1000). */
function v5ClsRows(): { backboneRows: number; rows: ArchRow[] } {
  const backbone = YOLOV5_CLASSIC.variants.detect!.backbone.slice(0, 9);
  return { backboneRows: backbone.length, rows: [...backbone, [-1, 1, 'Classify', ['nc']]] };
}

const V5_CLS: readonly Def[] = LETTERS.map((l): Def => {
  const [depth, width] = YOLOV5_CLASSIC.scales[l];
  return { name: `yolov5${l}-cls`, family: 'yolov5', task: 'classify', scale: l, nc: 1000, depth, width, maxChannels: null, act: 'silu', rows: v5ClsRows };
});

const RTDETR: readonly Def[] = (['l', 'x', 'resnet50', 'resnet101'] as RtdetrVariant[]).map((v): Def => {
  const scale = v === 'l' || v === 'x' ? v : 'l';
  return { name: `rtdetr-${v}`, family: 'rtdetr', task: 'detect', scale, nc: 80, depth: 1, width: 1, maxChannels: rtdetrRows(v).maxChannels, act: 'silu', rows: () => rtdetrRows(v) };
});

const WORLD: readonly Def[] = LETTERS.map((l): Def => {
  const [depth, width, maxChannels] = YOLOV8.scales[l] as [number, number, number];
  return { name: `yolov8${l}-worldv2`, family: 'yolov8-worldv2', task: 'detect', scale: l, nc: 80, depth, width, maxChannels, act: 'silu', rows: worldV2Rows };
});

const ALL: readonly Def[] = [...DEFS, ...V5_CLS, ...RTDETR, ...WORLD];

const BY_NAME: ReadonlyMap<string, Def> = new Map(ALL.map((d) => [d.name, d]));

/** True when `base` (lower case, no extension) is one of these built-ins. */
export function isFamilies2Name(base: string): boolean {
  return BY_NAME.has(base);
}

/** The ArchSpec of one of these built-ins, or null. */
export function families2Spec(base: string): ArchSpec | null {
  const d = BY_NAME.get(base);
  if (!d) return null;
  const { backboneRows, rows } = d.rows();
  return {
    name: d.name,
    file: `builtin:${d.name}`,
    format: 'scales',
    nc: d.nc,
    scale: d.scale,
    depth: d.depth,
    width: d.width,
    maxChannels: d.maxChannels,
    act: d.act,
    backboneRows,
    // copies, so a caller editing a spec cannot change the shared tables
    rows: rows.map(([f, n, m, a]) => [Array.isArray(f) ? [...f] : f, n, m, structuredClone(a)]),
  };
}

/** Every name of these families, in family and size order. */
export function listFamilies2(): Families2Entry[] {
  return ALL.map(({ name, family, task, scale }) => ({ name, family, task, scale }));
}
