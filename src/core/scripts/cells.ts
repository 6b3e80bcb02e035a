// A notebook is read whole (cells in order, variables across cells: notebook.ts), but VS Code shows
// each cell as its own document. This turns the notebook's scan into the view of one cell: the runs
// anchored in that cell (where their batch is set, else where the launch starts), with every range
// that lies in the cell in the cell's own coordinates. Settings written in other cells (the model
// built two cells up) keep their values, so the estimate is the notebook's; their ranges are moved
// past the cell's end, where no hover or marker can land on them.

import { SETTING_KEYS, type Position, type Range, type ScriptScan, type Setting, type TrainingRun } from './types';

/** A line no cell reaches: ranges of settings written in other cells are put here. */
export const OTHER_CELL_LINE = 1_000_000_000;

const elsewhere: Range = { start: { line: OTHER_CELL_LINE, character: 0 }, end: { line: OTHER_CELL_LINE, character: 0 } };

function anchorCell(run: TrainingRun): number | undefined {
  return run.settings.batch?.cell?.index ?? run.cell;
}

/** Notebook `text` (the joined cells) is not needed: every setting of a notebook scan carries its cell.
 *  The view holds the runs anchored in this cell, then (marked `reference`) the runs anchored
 *  elsewhere that have a setting written in this cell: hovering `YOLO('yolov8n.pt')` in the cell that
 *  builds the model shows the card of the training run two cells down. */
export function notebookCellView(scan: ScriptScan, cellIndex: number): { scan: ScriptScan; runIndices: number[] } {
  const runs: TrainingRun[] = [];
  const runIndices: number[] = [];
  const references: { run: TrainingRun; index: number }[] = [];
  scan.runs.forEach((run, i) => {
    const anchored = anchorCell(run) === cellIndex;
    if (!anchored && !SETTING_KEYS.some((k) => writtenIn(run.settings[k] as Setting<unknown> | undefined, cellIndex))) return;
    const settings: TrainingRun['settings'] = {};
    for (const key of SETTING_KEYS) {
      const s = run.settings[key] as Setting<unknown> | undefined;
      if (!s) continue;
      const inCell = s.cell?.index === cellIndex;
      const out: Setting<unknown> = { ...s, range: inCell ? s.cell!.range : elsewhere };
      // Key and source ranges are file ranges in a notebook scan: shown only when they are in this cell.
      delete out.keyRange;
      delete out.sourceRange;
      if (inCell && s.keyRange && s.cell) {
        const k = shift(s.keyRange, s.range, s.cell.range);
        if (k) out.keyRange = k;
      }
      if (s.sourceCell?.index === cellIndex) out.sourceRange = s.sourceCell.range;
      (settings as Record<string, Setting<unknown>>)[key] = out;
    }
    const view: TrainingRun = { ...run, settings, range: anchored ? (run.cellRange ?? elsewhere) : elsewhere, calls: [] };
    if (anchored) {
      runs.push(view);
      runIndices.push(i);
    } else references.push({ run: { ...view, reference: true }, index: i });
  });
  for (const r of references) {
    runs.push(r.run);
    runIndices.push(r.index);
  }
  return { scan: { ...scan, runs }, runIndices };
}

/** Is the setting's value, or the literal it came from, written in this cell? */
function writtenIn(s: Setting<unknown> | undefined, cellIndex: number): boolean {
  return !!s && (s.cell?.index === cellIndex || s.sourceCell?.index === cellIndex);
}

/**
 * A key range on the same file line as its value moves with it (`batch=16`, `--batch 16`): the cell
 * range is the file range shifted by a constant column. Null when they are on different lines.
 */
function shift(key: Range, fileValue: Range, cellValue: Range): Range | null {
  if (key.start.line !== fileValue.start.line || key.end.line !== fileValue.start.line) return null;
  const dc = cellValue.start.character - fileValue.start.character;
  const at = (p: Position): Position => ({ line: cellValue.start.line, character: p.character + dc });
  const r = { start: at(key.start), end: at(key.end) };
  return r.start.character >= 0 ? r : null;
}
