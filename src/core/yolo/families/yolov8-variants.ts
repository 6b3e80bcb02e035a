// The YOLOv8 architecture variants Ultralytics 8.4.x ships as YAMLs (cfg/models/v8/): P2 (an extra
// stride-4 level), P6 (a stride-64 level, C2 in the neck; also -pose-p6 and -seg-p6), Ghost
// (GhostConv downsampling and C3Ghost blocks; also -ghost-p2 and -ghost-p6). Architectures only: no
// weights are released for them, so `nc` is the YAML's (pose-p6: 1 person class).

import type { ArchRow } from '../types';
import { tableFamily } from './table';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];
const conv = (c: number, k: number, s: number): ArchRow => [-1, 1, 'Conv', [c, k, s]];
const ghost = (c: number): ArchRow => [-1, 1, 'GhostConv', [c, 3, 2]];

/** Backbone with `down` as the stride-2 layer and `block` as the CSP block; P6 adds a 768-wide P5. */
function backbone(down: (c: number) => ArchRow, block: string, p6: boolean): ArchRow[] {
  const rows: ArchRow[] = [conv(64, 3, 2), down(128), [-1, 3, block, [128, true]], down(256), [-1, 6, block, [256, true]], down(512), [-1, 6, block, [512, true]]];
  if (p6) rows.push(down(768), [-1, 3, block, [768, true]], down(1024), [-1, 3, block, [1024, true]]);
  else rows.push(down(1024), [-1, 3, block, [1024, true]]);
  rows.push([-1, 1, 'SPPF', [1024, 5]]);
  return rows;
}

/** P3-P5 neck plus a P2 level (outputs 18, 21, 24, 27). */
function p2Neck(down: (c: number) => ArchRow, block: string): ArchRow[] {
  const b = (c: number): ArchRow => [-1, 3, block, [c]];
  return [up, cat(6), b(512), up, cat(4), b(256), up, cat(2), b(128), down(128), cat(15), b(256), down(256), cat(12), b(512), down(512), cat(9), b(1024)];
}

/** P3-P6 neck (outputs 20, 23, 26, 29); `args` are the block's extra arguments (C2 takes shortcut False). */
function p6Neck(down: (c: number) => ArchRow, block: string, extra: ArchRow[3]): ArchRow[] {
  const b = (c: number): ArchRow => [-1, 3, block, [c, ...extra]];
  return [up, cat(8), b(768), up, cat(6), b(512), up, cat(4), b(256), down(256), cat(17), b(512), down(512), cat(14), b(768), down(768), cat(11), b(1024)];
}

/** P3-P5 neck (outputs 15, 18, 21). */
function neck(down: (c: number) => ArchRow, block: string): ArchRow[] {
  const b = (c: number): ArchRow => [-1, 3, block, [c]];
  return [up, cat(6), b(512), up, cat(4), b(256), down(256), cat(12), b(512), down(512), cat(9), b(1024)];
}

const convDown = (c: number): ArchRow => conv(c, 3, 2);
const P6_OUT = [20, 23, 26, 29];

export const YOLOV8_VARIANTS_FAMILY = tableFamily({
  family: 'yolov8-variants',
  prefix: 'yolov8',
  scales: {
    n: [0.33, 0.25, 1024],
    s: [0.33, 0.5, 1024],
    m: [0.67, 0.75, 768],
    l: [1.0, 1.0, 512],
    x: [1.0, 1.25, 512],
  },
  variants: [
    { suffix: '-p2', task: 'detect', nc: 80, backbone: backbone(convDown, 'C2f', false), head: [...p2Neck(convDown, 'C2f'), [[18, 21, 24, 27], 1, 'Detect', ['nc']]] },
    { suffix: '-p6', task: 'detect', nc: 80, backbone: backbone(convDown, 'C2f', true), head: [...p6Neck(convDown, 'C2', [false]), [P6_OUT, 1, 'Detect', ['nc']]] },
    { suffix: '-seg-p6', task: 'segment', nc: 80, backbone: backbone(convDown, 'C2f', true), head: [...p6Neck(convDown, 'C2', [false]), [P6_OUT, 1, 'Segment', ['nc', 32, 256]]] },
    { suffix: '-pose-p6', task: 'pose', nc: 1, kptShape: [17, 3], backbone: backbone(convDown, 'C2f', true), head: [...p6Neck(convDown, 'C2', [false]), [P6_OUT, 1, 'Pose', ['nc', 'kpt_shape']]] },
    { suffix: '-ghost', task: 'detect', nc: 80, backbone: backbone(ghost, 'C3Ghost', false), head: [...neck(ghost, 'C3Ghost'), [[15, 18, 21], 1, 'Detect', ['nc']]] },
    { suffix: '-ghost-p2', task: 'detect', nc: 80, backbone: backbone(ghost, 'C3Ghost', false), head: [...p2Neck(ghost, 'C3Ghost'), [[18, 21, 24, 27], 1, 'Detect', ['nc']]] },
    { suffix: '-ghost-p6', task: 'detect', nc: 80, backbone: backbone(ghost, 'C3Ghost', true), head: [...p6Neck(ghost, 'C3Ghost', []), [P6_OUT, 1, 'Detect', ['nc']]] },
  ],
});
