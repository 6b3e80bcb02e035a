// YOLOv10 (Ultralytics 8.4.x, cfg/models/v10/yolov10{n,s,m,b,l,x}.yaml): one YAML per size, each with its
// own rows (SCDown downsampling, C2fCIB with large-kernel RepVGGDW at n/s, PSA) and the end-to-end
// v10Detect head (one-to-many + one-to-one branches, DFL reg_max 16, light depthwise class branch).

import type { ArchRow } from '../types';
import { tableFamily, type TableVariant } from './table';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];
const conv = (c: number, k: number, s: number): ArchRow => [-1, 1, 'Conv', [c, k, s]];
const c2f = (n: number, c: number, sc?: boolean): ArchRow => [-1, n, 'C2f', sc === undefined ? [c] : [c, sc]];
const cib = (n: number, c: number, lk?: boolean): ArchRow => [-1, n, 'C2fCIB', lk ? [c, true, true] : [c, true]];
const scd = (c: number): ArchRow => [-1, 1, 'SCDown', [c, 3, 2]];

/** Rows 6 and 8 of the backbone and rows 13, 19, 22 of the head differ by size. */
function rows(p4: ArchRow, p5: ArchRow, h13: ArchRow, h19: ArchRow, h22: ArchRow): { backbone: ArchRow[]; head: ArchRow[] } {
  return {
    backbone: [conv(64, 3, 2), conv(128, 3, 2), c2f(3, 128, true), conv(256, 3, 2), c2f(6, 256, true), scd(512), p4, scd(1024), p5, [-1, 1, 'SPPF', [1024, 5]], [-1, 1, 'PSA', [1024]]],
    head: [up, cat(6), h13, up, cat(4), c2f(3, 256), conv(256, 3, 2), cat(13), h19, scd(512), cat(10), h22, [[16, 19, 22], 1, 'v10Detect', ['nc']]],
  };
}

const V: Record<string, { backbone: ArchRow[]; head: ArchRow[] }> = {
  n: rows(c2f(6, 512, true), c2f(3, 1024, true), c2f(3, 512), c2f(3, 512), cib(3, 1024, true)),
  s: rows(c2f(6, 512, true), cib(3, 1024, true), c2f(3, 512), c2f(3, 512), cib(3, 1024, true)),
  m: rows(c2f(6, 512, true), cib(3, 1024), c2f(3, 512), cib(3, 512), cib(3, 1024)),
  b: rows(c2f(6, 512, true), cib(3, 1024), cib(3, 512), cib(3, 512), cib(3, 1024)),
  l: rows(c2f(6, 512, true), cib(3, 1024), cib(3, 512), cib(3, 512), cib(3, 1024)),
  x: rows(cib(6, 512), cib(3, 1024), cib(3, 512), cib(3, 512), cib(3, 1024)),
};

export const YOLOV10_FAMILY = tableFamily({
  family: 'yolov10',
  prefix: 'yolov10',
  scales: {
    n: [0.33, 0.25, 1024],
    s: [0.33, 0.5, 1024],
    m: [0.67, 0.75, 768],
    b: [0.67, 1.0, 512],
    l: [1.0, 1.0, 512],
    x: [1.0, 1.25, 512],
  },
  variants: Object.entries(V).map(([letter, r]): TableVariant => ({ suffix: '', task: 'detect', nc: 80, letters: [letter], ...r })),
});
