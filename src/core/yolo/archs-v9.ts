// YOLOv9 (GELAN) as Ultralytics ships it (cfg/models/v9/yolov9{t,s,m,c,e}.yaml and the c/e -seg
// files, 8.4.x): one fixed architecture per size (no `scales:`, depth and width 1), rows in this
// project's format (see archs.ts). The PGI auxiliary branch of the original repository is not part of
// the Ultralytics models except v9e's CBLinear/CBFuse second backbone, which is.

import type { ArchRow } from './types';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];
const conv = (c: number, k: number, s: number): ArchRow => [-1, 1, 'Conv', [c, k, s]];
const elan = (c2: number, c3: number, c4: number, n: number): ArchRow => [-1, 1, 'RepNCSPELAN4', [c2, c3, c4, n]];
const aconv = (c: number): ArchRow => [-1, 1, 'AConv', [c]];
const adown = (c: number): ArchRow => [-1, 1, 'ADown', [c]];

/** The t/s/m layout: ELAN1 or RepNCSPELAN4 stem, AConv downsampling, widths w[0..3] per level. */
function small(w0: number, stem: ArchRow, w: [number, number, number], n: number, down: (c: number) => ArchRow, neckDown: [number, number]): ArchRow[] {
  const [a, b, c] = w;
  return [
    conv(w0, 3, 2), // 0 P1/2
    conv(2 * w0, 3, 2), // 1 P2/4
    stem, // 2
    down(a), // 3 P3/8
    elan(a, a, a / 2, n), // 4
    down(b), // 5 P4/16
    elan(b, b, b / 2, n), // 6
    down(c), // 7 P5/32
    elan(c, c, c / 2, n), // 8
    [-1, 1, 'SPPELAN', [c, c / 2]], // 9
    up,
    cat(6),
    elan(b, b, b / 2, n), // 12
    up,
    cat(4),
    elan(a, a, a / 2, n), // 15 P3
    down(neckDown[0]),
    cat(12),
    elan(b, b, b / 2, n), // 18 P4
    down(neckDown[1]),
    cat(9),
    elan(c, c, c / 2, n), // 21 P5
  ];
}

const OUT: ArchRow[0] = [15, 18, 21];

export const V9_ROWS: Record<'t' | 's' | 'm' | 'c', { backboneRows: number; rows: ArchRow[] }> = {
  t: { backboneRows: 10, rows: small(16, [-1, 1, 'ELAN1', [32, 32, 16]], [64, 96, 128], 3, aconv, [48, 64]) },
  s: { backboneRows: 10, rows: small(32, [-1, 1, 'ELAN1', [64, 64, 32]], [128, 192, 256], 3, aconv, [96, 128]) },
  m: { backboneRows: 10, rows: small(32, elan(128, 128, 64, 1), [240, 360, 480], 1, aconv, [180, 240]) },
  c: {
    backboneRows: 10,
    rows: [
      conv(64, 3, 2), // 0 P1/2
      conv(128, 3, 2), // 1 P2/4
      elan(256, 128, 64, 1), // 2
      adown(256), // 3 P3/8
      elan(512, 256, 128, 1), // 4
      adown(512), // 5 P4/16
      elan(512, 512, 256, 1), // 6
      adown(512), // 7 P5/32
      elan(512, 512, 256, 1), // 8
      [-1, 1, 'SPPELAN', [512, 256]], // 9
      up,
      cat(6),
      elan(512, 512, 256, 1), // 12
      up,
      cat(4),
      elan(256, 256, 128, 1), // 15 P3
      adown(256),
      cat(12),
      elan(512, 512, 256, 1), // 18 P4
      adown(512),
      cat(9),
      elan(512, 512, 256, 1), // 21 P5
    ],
  },
};

/** YOLOv9e: a first GELAN backbone whose levels feed, through CBLinear/CBFuse, a second one. */
const V9E_ROWS: ArchRow[] = [
  [-1, 1, 'nn.Identity', []], // 0
  conv(64, 3, 2), // 1 P1/2
  conv(128, 3, 2), // 2 P2/4
  elan(256, 128, 64, 2), // 3
  adown(256), // 4 P3/8
  elan(512, 256, 128, 2), // 5
  adown(512), // 6 P4/16
  elan(1024, 512, 256, 2), // 7
  adown(1024), // 8 P5/32
  elan(1024, 512, 256, 2), // 9
  [1, 1, 'CBLinear', [[64]]], // 10
  [3, 1, 'CBLinear', [[64, 128]]], // 11
  [5, 1, 'CBLinear', [[64, 128, 256]]], // 12
  [7, 1, 'CBLinear', [[64, 128, 256, 512]]], // 13
  [9, 1, 'CBLinear', [[64, 128, 256, 512, 1024]]], // 14
  [0, 1, 'Conv', [64, 3, 2]], // 15 P1/2
  [[10, 11, 12, 13, 14, -1], 1, 'CBFuse', [[0, 0, 0, 0, 0]]], // 16
  conv(128, 3, 2), // 17 P2/4
  [[11, 12, 13, 14, -1], 1, 'CBFuse', [[1, 1, 1, 1]]], // 18
  elan(256, 128, 64, 2), // 19
  adown(256), // 20 P3/8
  [[12, 13, 14, -1], 1, 'CBFuse', [[2, 2, 2]]], // 21
  elan(512, 256, 128, 2), // 22
  adown(512), // 23 P4/16
  [[13, 14, -1], 1, 'CBFuse', [[3, 3]]], // 24
  elan(1024, 512, 256, 2), // 25
  adown(1024), // 26 P5/32
  [[14, -1], 1, 'CBFuse', [[4]]], // 27
  elan(1024, 512, 256, 2), // 28
  [-1, 1, 'SPPELAN', [512, 256]], // 29 (last backbone row)
  up,
  cat(25),
  elan(512, 512, 256, 2), // 32
  up,
  cat(22),
  elan(256, 256, 128, 2), // 35 P3
  adown(256),
  cat(32),
  elan(512, 512, 256, 2), // 38 P4
  adown(512),
  cat(29),
  elan(512, 1024, 512, 2), // 41 P5
];

export type V9Size = 't' | 's' | 'm' | 'c' | 'e';

/** Rows of yolov9<size>[-seg]; -seg exists for c and e only, as Ultralytics ships them. */
export function v9Rows(size: V9Size, seg: boolean): { backboneRows: number; rows: ArchRow[] } {
  const base = size === 'e' ? { backboneRows: 30, rows: V9E_ROWS } : V9_ROWS[size];
  const out: ArchRow[0] = size === 'e' ? [35, 38, 41] : OUT;
  const head: ArchRow = seg ? [out, 1, 'Segment', ['nc', 32, 256]] : [out, 1, 'Detect', ['nc']];
  return { backboneRows: base.backboneRows, rows: [...base.rows, head] };
}
