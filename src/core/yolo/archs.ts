// The built-in architectures, as data in this project's own format: per family, the scaling
// constants per size letter and the layer rows [from, repeats, module, args] (module names and
// argument conventions as in Ultralytics model YAMLs, so the same resolver reads both). The layer
// facts are those of the public model definitions (Ultralytics 8.3.x for YOLOv5u/v8/11, the YOLOv5
// repository at v7.0 for the classic anchor-based YOLOv5); `nc` is that of the released weights.

import type { ArchRow } from './types';

export type Letter = 'n' | 's' | 'm' | 'l' | 'x';
export type Variant = 'detect' | 'seg' | 'pose' | 'obb' | 'cls';

export interface Family {
  /** Name prefix, e.g. "yolov8"; a model is prefix + letter (+ "u") + variant suffix. */
  prefix: string;
  /** Suffix after the letter ("u" for YOLOv5u). */
  letterSuffix: string;
  format: 'scales' | 'v5';
  /** [depth, width, max_channels] per letter (max_channels null for YOLOv5 v7.0: no cap). */
  scales: Record<Letter, [number, number, number | null]>;
  /** Scales that differ for one variant (the classifiers keep 1024 channels at every size). */
  variantScales?: Partial<Record<Variant, Record<Letter, [number, number, number]>>>;
  variants: Partial<Record<Variant, { nc: number; kptShape?: [number, number]; backbone: ArchRow[]; head: ArchRow[] }>>;
  anchors?: number[][];
}

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];
const conv = (c: number, k: number, s: number, p?: number): ArchRow => [-1, 1, 'Conv', p === undefined ? [c, k, s] : [c, k, s, p]];

// ---- YOLOv8 (C2f) -----------------------------------------------------------------------------

const V8_TRUNK: ArchRow[] = [
  conv(64, 3, 2), // 0 P1/2
  conv(128, 3, 2), // 1 P2/4
  [-1, 3, 'C2f', [128, true]],
  conv(256, 3, 2), // 3 P3/8
  [-1, 6, 'C2f', [256, true]],
  conv(512, 3, 2), // 5 P4/16
  [-1, 6, 'C2f', [512, true]],
  conv(1024, 3, 2), // 7 P5/32
  [-1, 3, 'C2f', [1024, true]],
];
const V8_BACKBONE: ArchRow[] = [...V8_TRUNK, [-1, 1, 'SPPF', [1024, 5]]]; // 9
const V8_NECK: ArchRow[] = [
  up,
  cat(6),
  [-1, 3, 'C2f', [512]], // 12
  up,
  cat(4),
  [-1, 3, 'C2f', [256]], // 15 P3
  conv(256, 3, 2),
  cat(12),
  [-1, 3, 'C2f', [512]], // 18 P4
  conv(512, 3, 2),
  cat(9),
  [-1, 3, 'C2f', [1024]], // 21 P5
];
const V8_OUT = [15, 18, 21];

const V8_SCALES: Record<Letter, [number, number, number]> = {
  n: [0.33, 0.25, 1024],
  s: [0.33, 0.5, 1024],
  m: [0.67, 0.75, 768],
  l: [1.0, 1.0, 512],
  x: [1.0, 1.25, 512],
};

export const YOLOV8: Family = {
  prefix: 'yolov8',
  letterSuffix: '',
  format: 'scales',
  scales: V8_SCALES,
  variantScales: {
    cls: { n: [0.33, 0.25, 1024], s: [0.33, 0.5, 1024], m: [0.67, 0.75, 1024], l: [1.0, 1.0, 1024], x: [1.0, 1.25, 1024] },
  },
  variants: {
    detect: { nc: 80, backbone: V8_BACKBONE, head: [...V8_NECK, [V8_OUT, 1, 'Detect', ['nc']]] },
    seg: { nc: 80, backbone: V8_BACKBONE, head: [...V8_NECK, [V8_OUT, 1, 'Segment', ['nc', 32, 256]]] },
    pose: { nc: 1, kptShape: [17, 3], backbone: V8_BACKBONE, head: [...V8_NECK, [V8_OUT, 1, 'Pose', ['nc', 'kpt_shape']]] },
    obb: { nc: 15, backbone: V8_BACKBONE, head: [...V8_NECK, [V8_OUT, 1, 'OBB', ['nc', 1]]] },
    cls: { nc: 1000, backbone: V8_TRUNK, head: [[-1, 1, 'Classify', ['nc']]] },
  },
};

// ---- YOLO11 (C3k2, C2PSA) ---------------------------------------------------------------------

const V11_TRUNK: ArchRow[] = [
  conv(64, 3, 2), // 0 P1/2
  conv(128, 3, 2), // 1 P2/4
  [-1, 2, 'C3k2', [256, false, 0.25]],
  conv(256, 3, 2), // 3 P3/8
  [-1, 2, 'C3k2', [512, false, 0.25]],
  conv(512, 3, 2), // 5 P4/16
  [-1, 2, 'C3k2', [512, true]],
  conv(1024, 3, 2), // 7 P5/32
  [-1, 2, 'C3k2', [1024, true]],
];
const V11_BACKBONE: ArchRow[] = [...V11_TRUNK, [-1, 1, 'SPPF', [1024, 5]], [-1, 2, 'C2PSA', [1024]]]; // 9, 10
const V11_NECK: ArchRow[] = [
  up,
  cat(6),
  [-1, 2, 'C3k2', [512, false]], // 13
  up,
  cat(4),
  [-1, 2, 'C3k2', [256, false]], // 16 P3
  conv(256, 3, 2),
  cat(13),
  [-1, 2, 'C3k2', [512, false]], // 19 P4
  conv(512, 3, 2),
  cat(10),
  [-1, 2, 'C3k2', [1024, true]], // 22 P5
];
const V11_OUT = [16, 19, 22];

export const YOLO11: Family = {
  prefix: 'yolo11',
  letterSuffix: '',
  format: 'scales',
  scales: {
    n: [0.5, 0.25, 1024],
    s: [0.5, 0.5, 1024],
    m: [0.5, 1.0, 512],
    l: [1.0, 1.0, 512],
    x: [1.0, 1.5, 512],
  },
  variants: {
    detect: { nc: 80, backbone: V11_BACKBONE, head: [...V11_NECK, [V11_OUT, 1, 'Detect', ['nc']]] },
    seg: { nc: 80, backbone: V11_BACKBONE, head: [...V11_NECK, [V11_OUT, 1, 'Segment', ['nc', 32, 256]]] },
    pose: { nc: 1, kptShape: [17, 3], backbone: V11_BACKBONE, head: [...V11_NECK, [V11_OUT, 1, 'Pose', ['nc', 'kpt_shape']]] },
    obb: { nc: 15, backbone: V11_BACKBONE, head: [...V11_NECK, [V11_OUT, 1, 'OBB', ['nc', 1]]] },
    cls: { nc: 1000, backbone: [...V11_TRUNK, [-1, 2, 'C2PSA', [1024]]], head: [[-1, 1, 'Classify', ['nc']]] },
  },
};

// ---- YOLOv5 layout (C3, SPPF), shared by YOLOv5u and the classic YOLOv5 v7.0 ------------------

const V5_BACKBONE: ArchRow[] = [
  conv(64, 6, 2, 2), // 0 P1/2
  conv(128, 3, 2), // 1 P2/4
  [-1, 3, 'C3', [128]],
  conv(256, 3, 2), // 3 P3/8
  [-1, 6, 'C3', [256]],
  conv(512, 3, 2), // 5 P4/16
  [-1, 9, 'C3', [512]],
  conv(1024, 3, 2), // 7 P5/32
  [-1, 3, 'C3', [1024]],
  [-1, 1, 'SPPF', [1024, 5]], // 9
];
const V5_NECK: ArchRow[] = [
  conv(512, 1, 1),
  up,
  cat(6),
  [-1, 3, 'C3', [512, false]], // 13
  conv(256, 1, 1),
  up,
  cat(4),
  [-1, 3, 'C3', [256, false]], // 17 P3
  conv(256, 3, 2),
  cat(14),
  [-1, 3, 'C3', [512, false]], // 20 P4
  conv(512, 3, 2),
  cat(10),
  [-1, 3, 'C3', [1024, false]], // 23 P5
];
const V5_OUT = [17, 20, 23];

export const YOLOV5U: Family = {
  prefix: 'yolov5',
  letterSuffix: 'u',
  format: 'scales',
  scales: {
    n: [0.33, 0.25, 1024],
    s: [0.33, 0.5, 1024],
    m: [0.67, 0.75, 1024],
    l: [1.0, 1.0, 1024],
    x: [1.33, 1.25, 1024],
  },
  variants: {
    detect: { nc: 80, backbone: V5_BACKBONE, head: [...V5_NECK, [V5_OUT, 1, 'Detect', ['nc']]] },
  },
};

export const YOLOV5_CLASSIC: Family = {
  prefix: 'yolov5',
  letterSuffix: '',
  format: 'v5',
  scales: {
    n: [0.33, 0.25, null],
    s: [0.33, 0.5, null],
    m: [0.67, 0.75, null],
    l: [1.0, 1.0, null],
    x: [1.33, 1.25, null],
  },
  // default COCO anchors (w, h pixel pairs) for P3/8, P4/16, P5/32
  anchors: [
    [10, 13, 16, 30, 33, 23],
    [30, 61, 62, 45, 59, 119],
    [116, 90, 156, 198, 373, 326],
  ],
  variants: {
    detect: { nc: 80, backbone: V5_BACKBONE, head: [...V5_NECK, [V5_OUT, 1, 'Detect', ['nc', 'anchors']]] },
    seg: { nc: 80, backbone: V5_BACKBONE, head: [...V5_NECK, [V5_OUT, 1, 'Segment', ['nc', 'anchors', 32, 256]]] },
  },
};

export const FAMILIES: readonly Family[] = [YOLOV8, YOLO11, YOLOV5U, YOLOV5_CLASSIC];
