// YOLOv3u and YOLOv6 as Ultralytics ships them (cfg/models/v3/yolov3{,-spp,-tiny}.yaml, loaded as
// yolov3u / yolov3-sppu / yolov3-tinyu, and cfg/models/v6/yolov6.yaml at scales n-x, 8.4.x): the
// original backbones and necks with Ultralytics' anchor-free Detect head. Rows in this project's
// format (see archs.ts). YOLOv6 sets `activation: nn.ReLU()` for every Conv.

import type { ArchRow } from './types';
import type { Letter } from './archs';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];
const conv = (c: number, k: number, s: number, n = 1, from: number = -1): ArchRow => [from, n, 'Conv', [c, k, s]];
const bott = (c: number, n = 1, shortcut = true): ArchRow => [-1, n, 'Bottleneck', shortcut ? [c] : [c, false]];

/** yolov3 (spp = yolov3-spp: an SPP replaces the first 1x1 Conv of the P5 head). */
export function v3Rows(spp: boolean): { backboneRows: number; rows: ArchRow[] } {
  const rows: ArchRow[] = [
    conv(32, 3, 1), // 0
    conv(64, 3, 2), // 1 P1/2
    bott(64),
    conv(128, 3, 2), // 3 P2/4
    bott(128, 2),
    conv(256, 3, 2), // 5 P3/8
    bott(256, 8),
    conv(512, 3, 2), // 7 P4/16
    bott(512, 8),
    conv(1024, 3, 2), // 9 P5/32
    bott(1024, 4), // 10
    bott(1024, 1, false),
    spp ? [-1, 1, 'SPP', [512, [5, 9, 13]]] : conv(512, 1, 1),
    conv(1024, 3, 1),
    conv(512, 1, 1),
    conv(1024, 3, 1), // 15 P5
    conv(256, 1, 1, 1, -2),
    up,
    cat(8),
    bott(512, 1, false),
    bott(512, 1, false),
    conv(256, 1, 1),
    conv(512, 3, 1), // 22 P4
    conv(128, 1, 1, 1, -2),
    up,
    cat(6),
    bott(256, 1, false),
    bott(256, 2, false), // 27 P3
    [[27, 22, 15], 1, 'Detect', ['nc']],
  ];
  return { backboneRows: 11, rows };
}

/** yolov3-tiny: Conv + MaxPool2d stages, a ZeroPad2d before the stride-1 pool, two output levels. */
export function v3TinyRows(): { backboneRows: number; rows: ArchRow[] } {
  const pool = (k: number, s: number): ArchRow => [-1, 1, 'nn.MaxPool2d', [k, s, 0]];
  const rows: ArchRow[] = [
    conv(16, 3, 1), // 0
    pool(2, 2), // 1 P1/2
    conv(32, 3, 1),
    pool(2, 2), // 3 P2/4
    conv(64, 3, 1),
    pool(2, 2), // 5 P3/8
    conv(128, 3, 1),
    pool(2, 2), // 7 P4/16
    conv(256, 3, 1),
    pool(2, 2), // 9 P5/32
    conv(512, 3, 1),
    [-1, 1, 'nn.ZeroPad2d', [[0, 1, 0, 1]]], // 11
    pool(2, 1), // 12
    conv(1024, 3, 1),
    conv(256, 1, 1),
    conv(512, 3, 1), // 15 P5
    conv(128, 1, 1, 1, -2),
    up,
    cat(8),
    conv(256, 3, 1), // 19 P4
    [[19, 15], 1, 'Detect', ['nc']],
  ];
  return { backboneRows: 13, rows };
}

export const V6_SCALES: Record<Letter, [number, number, number]> = {
  n: [0.33, 0.25, 1024],
  s: [0.33, 0.5, 1024],
  m: [0.67, 0.75, 768],
  l: [1.0, 1.0, 512],
  x: [1.0, 1.25, 512],
};

/** yolov6: plain Conv stacks, ConvTranspose2d upsampling in the neck. */
export function v6Rows(): { backboneRows: number; rows: ArchRow[] } {
  const deconv = (c: number): ArchRow => [-1, 1, 'nn.ConvTranspose2d', [c, 2, 2, 0]];
  const rows: ArchRow[] = [
    conv(64, 3, 2), // 0 P1/2
    conv(128, 3, 2), // 1 P2/4
    conv(128, 3, 1, 6),
    conv(256, 3, 2), // 3 P3/8
    conv(256, 3, 1, 12),
    conv(512, 3, 2), // 5 P4/16
    conv(512, 3, 1, 18),
    conv(1024, 3, 2), // 7 P5/32
    conv(1024, 3, 1, 6),
    [-1, 1, 'SPPF', [1024, 5]], // 9
    conv(256, 1, 1),
    deconv(256),
    cat(6),
    conv(256, 3, 1),
    conv(256, 3, 1, 9), // 14
    conv(128, 1, 1),
    deconv(128),
    cat(4),
    conv(128, 3, 1),
    conv(128, 3, 1, 9), // 19
    conv(128, 3, 2),
    cat(15),
    conv(256, 3, 1),
    conv(256, 3, 1, 9), // 23
    conv(256, 3, 2),
    cat(10),
    conv(512, 3, 1),
    conv(512, 3, 1, 9), // 27
    [[19, 23, 27], 1, 'Detect', ['nc']],
  ];
  return { backboneRows: 10, rows };
}
