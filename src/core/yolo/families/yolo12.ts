// YOLO12 (Ultralytics 8.4.x, cfg/models/12/yolo12*.yaml): area-attention A2C2f blocks (blocks-a2.ts)
// at P4/P5 and in the neck, YOLO11's C3k2 elsewhere, a YOLO11 (non-legacy) Detect head with DFL.
// `nc` is the YAML's (only detection weights are released; the task YAMLs ship as architectures).

import type { ArchRow } from '../types';
import { tableFamily } from './table';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];
const conv = (c: number, k: number, s: number): ArchRow => [-1, 1, 'Conv', [c, k, s]];

const BACKBONE: ArchRow[] = [
  conv(64, 3, 2), // 0 P1/2
  conv(128, 3, 2), // 1 P2/4
  [-1, 2, 'C3k2', [256, false, 0.25]],
  conv(256, 3, 2), // 3 P3/8
  [-1, 2, 'C3k2', [512, false, 0.25]],
  conv(512, 3, 2), // 5 P4/16
  [-1, 4, 'A2C2f', [512, true, 4]],
  conv(1024, 3, 2), // 7 P5/32
  [-1, 4, 'A2C2f', [1024, true, 1]], // 8
];
const NECK: ArchRow[] = [
  up,
  cat(6),
  [-1, 2, 'A2C2f', [512, false, -1]], // 11
  up,
  cat(4),
  [-1, 2, 'A2C2f', [256, false, -1]], // 14 P3
  conv(256, 3, 2),
  cat(11),
  [-1, 2, 'A2C2f', [512, false, -1]], // 17 P4
  conv(512, 3, 2),
  cat(8),
  [-1, 2, 'C3k2', [1024, true]], // 20 P5
];
const OUT = [14, 17, 20];

export const YOLO12_FAMILY = tableFamily({
  family: 'yolo12',
  prefix: 'yolo12',
  scales: {
    n: [0.5, 0.25, 1024],
    s: [0.5, 0.5, 1024],
    m: [0.5, 1.0, 512],
    l: [1.0, 1.0, 512],
    x: [1.0, 1.5, 512],
  },
  variants: [
    { suffix: '', task: 'detect', nc: 80, backbone: BACKBONE, head: [...NECK, [OUT, 1, 'Detect', ['nc']]] },
    { suffix: '-seg', task: 'segment', nc: 80, backbone: BACKBONE, head: [...NECK, [OUT, 1, 'Segment', ['nc', 32, 256]]] },
    { suffix: '-pose', task: 'pose', nc: 80, kptShape: [17, 3], backbone: BACKBONE, head: [...NECK, [OUT, 1, 'Pose', ['nc', 'kpt_shape']]] },
    { suffix: '-obb', task: 'obb', nc: 80, backbone: BACKBONE, head: [...NECK, [OUT, 1, 'OBB', ['nc', 1]]] },
    { suffix: '-cls', task: 'classify', nc: 1000, backbone: BACKBONE, head: [[-1, 1, 'Classify', ['nc']]] },
  ],
});
