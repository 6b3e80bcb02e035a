// YOLO26 (Ultralytics 8.4.x, cfg/models/26/yolo26*.yaml): the YOLO11 layout with SPPF(k=5, n=3,
// shortcut), an attention C3k2 (Bottleneck + PSABlock) at P5, reg_max 1 (no DFL) and end-to-end heads
// (one-to-many and one-to-one branches trained together). Task heads: Segment26 (Proto26 with a
// semantic branch), Pose26 (keypoint sigmas + RealNVP flow for the RLE loss), OBB26 (raw angle).
// `nc` is that of the released weights (pose: 1 person class, obb: 15 DOTA classes).

import type { ArchRow } from '../types';
import { tableFamily } from './table';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];
const conv = (c: number, k: number, s: number): ArchRow => [-1, 1, 'Conv', [c, k, s]];

const TRUNK: ArchRow[] = [
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
const BACKBONE: ArchRow[] = [...TRUNK, [-1, 1, 'SPPF', [1024, 5, 3, true]], [-1, 2, 'C2PSA', [1024]]]; // 9, 10
const NECK: ArchRow[] = [
  up,
  cat(6),
  [-1, 2, 'C3k2', [512, true]], // 13
  up,
  cat(4),
  [-1, 2, 'C3k2', [256, true]], // 16 P3
  conv(256, 3, 2),
  cat(13),
  [-1, 2, 'C3k2', [512, true]], // 19 P4
  conv(512, 3, 2),
  cat(10),
  [-1, 1, 'C3k2', [1024, true, 0.5, true]], // 22 P5 (attention C3k2)
];
const OUT = [16, 19, 22];

const P2_NECK: ArchRow[] = [
  up,
  cat(6),
  [-1, 2, 'C3k2', [512, true]], // 13
  up,
  cat(4),
  [-1, 2, 'C3k2', [256, true]], // 16
  up,
  cat(2),
  [-1, 2, 'C3k2', [128, true]], // 19 P2
  conv(128, 3, 2),
  cat(16),
  [-1, 2, 'C3k2', [256, true]], // 22 P3
  conv(256, 3, 2),
  cat(13),
  [-1, 2, 'C3k2', [512, true]], // 25 P4
  conv(512, 3, 2),
  cat(10),
  [-1, 1, 'C3k2', [1024, true, 0.5, true]], // 28 P5
];

const P6_BACKBONE: ArchRow[] = [
  conv(64, 3, 2), // 0 P1/2
  conv(128, 3, 2), // 1 P2/4
  [-1, 2, 'C3k2', [256, false, 0.25]],
  conv(256, 3, 2), // 3 P3/8
  [-1, 2, 'C3k2', [512, false, 0.25]],
  conv(512, 3, 2), // 5 P4/16
  [-1, 2, 'C3k2', [512, true]],
  conv(768, 3, 2), // 7 P5/32
  [-1, 2, 'C3k2', [768, true]],
  conv(1024, 3, 2), // 9 P6/64
  [-1, 2, 'C3k2', [1024, true]],
  [-1, 1, 'SPPF', [1024, 5, 3, false]], // 11
  [-1, 2, 'C2PSA', [1024]], // 12
];
const P6_NECK: ArchRow[] = [
  up,
  cat(8),
  [-1, 2, 'C3k2', [768, true]], // 15
  up,
  cat(6),
  [-1, 2, 'C3k2', [512, true]], // 18
  up,
  cat(4),
  [-1, 2, 'C3k2', [256, true]], // 21 P3
  conv(256, 3, 2),
  cat(18),
  [-1, 2, 'C3k2', [512, true]], // 24 P4
  conv(512, 3, 2),
  cat(15),
  [-1, 2, 'C3k2', [768, true]], // 27 P5
  conv(768, 3, 2),
  cat(12),
  [-1, 1, 'C3k2', [1024, true, 0.5, true]], // 30 P6
];

const E2E = { regMax: 1, end2end: true };

export const YOLO26_FAMILY = tableFamily({
  family: 'yolo26',
  prefix: 'yolo26',
  scales: {
    n: [0.5, 0.25, 1024],
    s: [0.5, 0.5, 1024],
    m: [0.5, 1.0, 512],
    l: [1.0, 1.0, 512],
    x: [1.0, 1.5, 512],
  },
  variants: [
    { suffix: '', task: 'detect', nc: 80, backbone: BACKBONE, head: [...NECK, [OUT, 1, 'Detect', ['nc']]], ...E2E },
    { suffix: '-seg', task: 'segment', nc: 80, backbone: BACKBONE, head: [...NECK, [OUT, 1, 'Segment26', ['nc', 32, 256]]], ...E2E },
    { suffix: '-pose', task: 'pose', nc: 1, kptShape: [17, 3], backbone: BACKBONE, head: [...NECK, [OUT, 1, 'Pose26', ['nc', 'kpt_shape']]], ...E2E },
    { suffix: '-obb', task: 'obb', nc: 15, backbone: BACKBONE, head: [...NECK, [OUT, 1, 'OBB26', ['nc', 1]]], ...E2E },
    { suffix: '-cls', task: 'classify', nc: 1000, backbone: [...TRUNK, [-1, 2, 'C2PSA', [1024]]], head: [[-1, 1, 'Classify', ['nc']]] },
    { suffix: '-p2', task: 'detect', nc: 80, backbone: BACKBONE, head: [...P2_NECK, [[19, 22, 25, 28], 1, 'Detect', ['nc']]], ...E2E },
    { suffix: '-p6', task: 'detect', nc: 80, backbone: P6_BACKBONE, head: [...P6_NECK, [[21, 24, 27, 30], 1, 'Detect', ['nc']]], ...E2E },
  ],
});
