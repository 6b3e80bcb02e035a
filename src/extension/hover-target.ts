// What a hover position points at in a scanned script: the batch, imgsz or model setting of a
// training run (its value or its key: `batch=16`, `--batch-size 16`, `-b 16`, `batch: 16`,
// `YOLO('yolov8n.pt')`). Pure.

import type { Position, Range, ScriptScan, TrainingRun } from '../core/scripts/types';

export type HoverKey = 'batch' | 'imgsz' | 'model';
export const HOVER_KEYS: readonly HoverKey[] = ['batch', 'imgsz', 'model'];

export interface HoverTarget {
  run: TrainingRun;
  runIndex: number;
  key: HoverKey;
  /** The range the hover highlights (the key or the value under the cursor). */
  range: Range;
}

export function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

export function findHoverTarget(scan: ScriptScan, pos: Position): HoverTarget | null {
  for (let runIndex = 0; runIndex < scan.runs.length; runIndex++) {
    const run = scan.runs[runIndex]!;
    for (const key of HOVER_KEYS) {
      const s = run.settings[key];
      if (!s) continue;
      if (contains(s.range, pos)) return { run, runIndex, key, range: s.range };
      if (s.keyRange && contains(s.keyRange, pos)) return { run, runIndex, key, range: s.keyRange };
      // The model named where the model object is built (YOLO('yolov8n.pt')) is also the model.
      if (key === 'model' && s.sourceRange && contains(s.sourceRange, pos)) return { run, runIndex, key, range: s.sourceRange };
    }
  }
  return null;
}
