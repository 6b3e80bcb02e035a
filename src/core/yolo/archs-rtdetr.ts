// RT-DETR as Ultralytics ships it (cfg/models/rt-detr/rtdetr-{l,x,resnet50,resnet101}.yaml, 8.4.x):
// an HGNetv2 or ResNet backbone, AIFI on the last level, a CCFM neck of RepC3 blocks and the
// RTDETRDecoder. One scale per file (depth and width 1; max_channels 1024, or 2048 for x). Rows in
// this project's format (see archs.ts).

import type { ArchRow } from './types';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const proj = (c: number, from = -1): ArchRow => [from, 1, 'Conv', [c, 1, 1, null, 1, 1, false]];
const hg = (cm: number, c2: number, k: number, light?: boolean, shortcut?: boolean): ArchRow => [-1, 6, 'HGBlock', light === undefined ? [cm, c2, k] : [cm, c2, k, light, shortcut ?? false]];
const down = (c: number): ArchRow => [-1, 1, 'DWConv', [c, 3, 2, 1, false]];

/** The encoder (AIFI) and neck shared by every RT-DETR: `c` channels, inputs P3/P4/P5 rows. */
function neck(c: number, cm: number, p3: number, p4: number, first: number): ArchRow[] {
  const y5 = first + 2;
  const y4 = first + 7;
  return [
    proj(c), // input_proj.2
    [-1, 1, 'AIFI', [cm, 8]],
    [-1, 1, 'Conv', [c, 1, 1]], // Y5, lateral_convs.0
    up,
    proj(c, p4), // input_proj.1
    [[-2, -1], 1, 'Concat', [1]],
    [-1, 3, 'RepC3', [c]], // fpn_blocks.0
    [-1, 1, 'Conv', [c, 1, 1]], // Y4, lateral_convs.1
    up,
    proj(c, p3), // input_proj.0
    [[-2, -1], 1, 'Concat', [1]],
    [-1, 3, 'RepC3', [c]], // X3, fpn_blocks.1
    [-1, 1, 'Conv', [c, 3, 2]], // downsample_convs.0
    [[-1, y4], 1, 'Concat', [1]],
    [-1, 3, 'RepC3', [c]], // F4, pan_blocks.0
    [-1, 1, 'Conv', [c, 3, 2]], // downsample_convs.1
    [[-1, y5], 1, 'Concat', [1]],
    [-1, 3, 'RepC3', [c]], // F5, pan_blocks.1
    [[first + 11, first + 14, first + 17], 1, 'RTDETRDecoder', ['nc']],
  ];
}

export type RtdetrVariant = 'l' | 'x' | 'resnet50' | 'resnet101';

export function rtdetrRows(v: RtdetrVariant): { backboneRows: number; rows: ArchRow[]; maxChannels: number } {
  let backbone: ArchRow[];
  let p3: number;
  let p4: number;
  if (v === 'l') {
    backbone = [
      [-1, 1, 'HGStem', [32, 48]], // 0 P2/4
      hg(48, 128, 3), // stage 1
      down(128), // 2 P3/8
      hg(96, 512, 3), // stage 2
      down(512), // 4 P4/16
      hg(192, 1024, 5, true, false),
      hg(192, 1024, 5, true, true),
      hg(192, 1024, 5, true, true), // stage 3
      down(1024), // 8 P5/32
      hg(384, 2048, 5, true, false), // stage 4
    ];
    [p3, p4] = [3, 7];
  } else if (v === 'x') {
    backbone = [
      [-1, 1, 'HGStem', [32, 64]], // 0 P2/4
      hg(64, 128, 3), // stage 1
      down(128), // 2 P3/8
      hg(128, 512, 3),
      hg(128, 512, 3, false, true), // 4 stage 2
      down(512), // 5 P4/16
      hg(256, 1024, 5, true, false),
      hg(256, 1024, 5, true, true),
      hg(256, 1024, 5, true, true),
      hg(256, 1024, 5, true, true),
      hg(256, 1024, 5, true, true), // 10 stage 3
      down(1024), // 11 P5/32
      hg(512, 2048, 5, true, false),
      hg(512, 2048, 5, true, true), // 13 stage 4
    ];
    [p3, p4] = [4, 10];
  } else {
    backbone = [
      [-1, 1, 'ResNetLayer', [3, 64, 1, true, 1]], // 0
      [-1, 1, 'ResNetLayer', [64, 64, 1, false, 3]], // 1
      [-1, 1, 'ResNetLayer', [256, 128, 2, false, 4]], // 2
      [-1, 1, 'ResNetLayer', [512, 256, 2, false, v === 'resnet50' ? 6 : 23]], // 3
      [-1, 1, 'ResNetLayer', [1024, 512, 2, false, 3]], // 4
    ];
    [p3, p4] = [2, 3];
  }
  const c = v === 'x' ? 384 : 256;
  const cm = v === 'x' ? 2048 : 1024;
  return { backboneRows: backbone.length, rows: [...backbone, ...neck(c, cm, p3, p4, backbone.length)], maxChannels: v === 'x' ? 2048 : 1024 };
}
