// Entry point of the training-script reader: picks the reader for the file type, applies the size
// limits, and finds the setting under a position (for hovers). Synchronous once the Python
// grammar is loaded (initPythonParser(), once per process).

import { pythonParser } from './python-parser';
import { scanPython } from './python';
import { scanShell, type ScriptRuns } from './shell';
import { scanYaml } from './yaml-config';
import { markdownBlocks } from './markdown';
import { readNotebook } from './notebook';
import { documentKind } from './kinds';
import { dockerfileParts, makefileParts, workflowParts, type ShellParts } from './launch-files';
import { launchesOnly } from './launches';
import { containsPosition, lineStarts, makeLocator, positionAt, toFileOffset, wholeFile, type Fragment } from './text';
import { SETTING_KEYS, type Position, type Range, type ScriptLanguage, type ScriptScan, type Setting, type SettingKey, type TrainingRun } from './types';

/** Scripts, YAML and Markdown larger than this are not read (generated or data files, not scripts). */
export const MAX_SCRIPT_CHARS = 2 * 1024 * 1024;
/** Notebooks carry their outputs (often base64 images), so they may be larger. */
export const MAX_NOTEBOOK_CHARS = 20 * 1024 * 1024;

/** The reader for a file, from its VS Code language id or its name (the registry in kinds.ts); null when none applies. */
export function detectScriptLanguage(fileName: string, languageId?: string): ScriptLanguage | null {
  return documentKind(fileName, languageId)?.reader ?? null;
}

function requireParser() {
  const p = pythonParser();
  if (!p) throw new Error('the Python grammar is not loaded: call initPythonParser() before scanning Python');
  return p;
}

function sizeNote(chars: number, limit: number): string {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `skipped: the file is ${mb(chars)}, over the ${mb(limit).replace('.0 ', ' ')} limit for reading training settings`;
}

/** Reads every training run in `text`. Never throws for bad input: problems become notes. */
/** What a scan may read besides the text: the Python scripts its commands run (script-files.ts). */
export interface ScanContext {
  scriptRuns?: ScriptRuns;
}

export function scanScript(text: string, language: ScriptLanguage, ctx: ScanContext = {}): ScriptScan {
  const limit = language === 'notebook' ? MAX_NOTEBOOK_CHARS : MAX_SCRIPT_CHARS;
  if (text.length > limit) return { language, runs: [], notes: [sizeNote(text.length, limit)] };
  const starts = lineStarts(text);
  const frag = wholeFile(text);
  switch (language) {
    case 'python': {
      const r = scanPython(requireParser(), frag, makeLocator(text, frag, starts));
      return { language, runs: launchesOnly(r.runs, text), notes: r.notes };
    }
    case 'yaml': {
      const r = scanYaml(frag, makeLocator(text, frag, starts));
      return { language, runs: r.runs, notes: r.notes };
    }
    case 'shell':
      return { language, runs: scanShell(frag, makeLocator(text, frag, starts), ctx), notes: [] };
    case 'makefile':
      return scanParts(language, text, starts, makefileParts(text), ctx);
    case 'dockerfile':
      return scanParts(language, text, starts, dockerfileParts(text), ctx);
    case 'workflow':
      return scanParts(language, text, starts, workflowParts(text), ctx);
    case 'markdown':
      return scanMarkdown(text, starts, ctx);
    case 'notebook':
      return scanNotebook(text, starts, ctx);
  }
}

/** Shell fragments cut out of another syntax (launch-files.ts), with the variables it sets. */
function scanParts(language: ScriptLanguage, text: string, starts: number[], parts: ShellParts, ctx: ScanContext): ScriptScan {
  const runs: TrainingRun[] = [];
  for (const frag of parts.frags) append(runs, scanShell(frag, makeLocator(text, frag, starts), { ...ctx, vars: parts.vars }));
  runs.sort(byStart);
  return { language, runs, notes: [] };
}

function scanMarkdown(text: string, starts: number[], ctx: ScanContext): ScriptScan {
  const runs: TrainingRun[] = [];
  const notes: string[] = [];
  for (const block of markdownBlocks(text)) {
    const loc = makeLocator(text, block.frag, starts);
    if (block.language === 'python') {
      const r = scanPython(requireParser(), block.frag, loc);
      append(runs, launchesOnly(r.runs, block.frag.text));
      append(notes, r.notes.map((n) => `code block at line ${loc.line(0)}: ${n}`));
    } else if (block.language === 'yaml') {
      const r = scanYaml(block.frag, loc);
      append(runs, r.runs);
      append(notes, r.notes.map((n) => `code block at line ${loc.line(0)}: ${n}`));
    } else {
      append(runs, scanShell(block.frag, loc, ctx));
    }
  }
  runs.sort(byStart);
  return { language: 'markdown', runs, notes };
}

/**
 * Appends one by one: `into.push(...items)` passes every item as an argument, and a 2 MB file of
 * shell lines has over 100,000 runs, past V8's argument limit (a RangeError).
 */
function append<T>(into: T[], items: readonly T[]): void {
  for (const x of items) into.push(x);
}

function byStart(a: TrainingRun, b: TrainingRun): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function scanNotebook(text: string, starts: number[], ctx: ScanContext): ScriptScan {
  let nb: ReturnType<typeof readNotebook>;
  try {
    nb = readNotebook(text);
  } catch (e) {
    return { language: 'notebook', runs: [], notes: [(e as Error).message] };
  }
  const notes: string[] = [];
  if (nb.language !== 'python') notes.push(`the notebook's language is ${nb.language}; its cells were read as Python`);
  // Extract in the joined text's own coordinates, then map each range to the file and the cell.
  const virtStarts = lineStarts(nb.frag.text);
  const found: TrainingRun[] = [];
  if (nb.python.trim()) {
    const py = wholeFile(nb.python);
    const r = scanPython(requireParser(), py, makeLocator(nb.python, py, virtStarts));
    append(found, launchesOnly(r.runs, nb.python));
    append(notes, r.notes);
  }
  if (nb.shell.trim()) {
    const sh = wholeFile(nb.shell);
    append(found, scanShell(sh, makeLocator(nb.shell, sh, virtStarts), ctx));
  }
  const offsetOf = (p: Position) => virtStarts[p.line] + p.character;
  const cellOf = (offset: number) => nb.cells.find((c) => offset >= c.start && offset <= c.start + c.length) ?? null;
  const toFile = (r: Range): Range => ({
    start: positionAt(starts, toFileOffset(nb.frag, offsetOf(r.start))),
    end: positionAt(starts, toFileOffset(nb.frag, offsetOf(r.end), true)),
  });
  const toCell = (r: Range, frag: Fragment) => {
    const cell = cellOf(offsetOf(r.start));
    if (!cell) return undefined;
    const cellStarts = lineStarts(frag.text.slice(cell.start, cell.start + cell.length));
    return { index: cell.index, range: { start: positionAt(cellStarts, offsetOf(r.start) - cell.start), end: positionAt(cellStarts, offsetOf(r.end) - cell.start) } };
  };
  for (const run of found) {
    const cell = cellOf(offsetOf(run.range.start));
    if (cell) run.cell = cell.index;
    const runInCell = toCell(run.range, nb.frag);
    if (runInCell) run.cellRange = runInCell.range;
    for (const key of SETTING_KEYS) {
      const s = run.settings[key] as Setting<unknown> | undefined;
      if (!s) continue;
      const c = toCell(s.range, nb.frag);
      if (c) s.cell = c;
      const sc = s.sourceRange ? toCell(s.sourceRange, nb.frag) : undefined;
      if (sc) s.sourceCell = sc;
      s.range = toFile(s.range);
      if (s.keyRange) s.keyRange = toFile(s.keyRange);
      if (s.sourceRange) s.sourceRange = toFile(s.sourceRange);
    }
    for (const call of run.calls) call.range = toFile(call.range);
    run.range = toFile(run.range);
  }
  found.sort(byStart);
  return { language: 'notebook', runs: found, notes };
}

export interface SettingHit {
  run: TrainingRun;
  runIndex: number;
  key: SettingKey;
  setting: Setting<unknown>;
  /** Which token the position is on: the value, the key / flag, or the literal a variable was set from. */
  on: 'value' | 'key' | 'source';
}

function span(r: Range): number {
  return (r.end.line - r.start.line) * 1e6 + (r.end.character - r.start.character);
}

/** The setting whose value, key or source literal is under `position` (the tightest one wins). */
export function settingAt(scan: ScriptScan, position: Position): SettingHit | null {
  let best: SettingHit | null = null;
  let bestSpan = Infinity;
  scan.runs.forEach((run, runIndex) => {
    for (const key of SETTING_KEYS) {
      const setting = run.settings[key] as Setting<unknown> | undefined;
      if (!setting) continue;
      const targets: Array<[Range | undefined, SettingHit['on']]> = [[setting.range, 'value'], [setting.keyRange, 'key'], [setting.sourceRange, 'source']];
      for (const [r, on] of targets) {
        if (r && containsPosition(r, position) && span(r) < bestSpan) {
          best = { run, runIndex, key, setting, on };
          bestSpan = span(r);
        }
      }
    }
  });
  return best;
}

/** Notebooks: the setting under a position inside cell `cellIndex` (VS Code's cell documents). */
export function settingAtCell(scan: ScriptScan, cellIndex: number, position: Position): SettingHit | null {
  let best: SettingHit | null = null;
  let bestSpan = Infinity;
  scan.runs.forEach((run, runIndex) => {
    for (const key of SETTING_KEYS) {
      const setting = run.settings[key] as Setting<unknown> | undefined;
      if (setting?.cell?.index === cellIndex && containsPosition(setting.cell.range, position) && span(setting.cell.range) < bestSpan) {
        best = { run, runIndex, key, setting, on: 'value' };
        bestSpan = span(setting.cell.range);
      }
    }
  });
  return best;
}
