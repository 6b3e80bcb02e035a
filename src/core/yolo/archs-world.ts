// YOLO-World v2 as Ultralytics ships it (cfg/models/v8/yolov8-worldv2.yaml, 8.4.x): YOLOv8's backbone,
// a neck whose C2f blocks are text-guided C2fAttn, and WorldDetect with BN contrastive heads (embed
// 512). Rows in this project's format (see archs.ts).

import { YOLOV8 } from './archs';
import type { ArchRow } from './types';

const up: ArchRow = [-1, 1, 'nn.Upsample', [null, 2, 'nearest']];
const cat = (f: number): ArchRow => [[-1, f], 1, 'Concat', [1]];

export function worldV2Rows(): { backboneRows: number; rows: ArchRow[] } {
  const backbone = YOLOV8.variants.detect!.backbone;
  const head: ArchRow[] = [
    up,
    cat(6),
    [-1, 3, 'C2fAttn', [512, 256, 8]], // 12
    up,
    cat(4),
    [-1, 3, 'C2fAttn', [256, 128, 4]], // 15 P3
    [15, 1, 'Conv', [256, 3, 2]],
    cat(12),
    [-1, 3, 'C2fAttn', [512, 256, 8]], // 18 P4
    [-1, 1, 'Conv', [512, 3, 2]],
    cat(9),
    [-1, 3, 'C2fAttn', [1024, 512, 16]], // 21 P5
    [[15, 18, 21], 1, 'WorldDetect', ['nc', 512, true]],
  ];
  return { backboneRows: backbone.length, rows: [...backbone, ...head] };
}
