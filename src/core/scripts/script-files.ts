// The Python scripts a launch line runs (`python train.py`, `python ../yolov5/train.py`), read from
// disk beside the file that launches them: their argparse defaults or training call say what a
// command line leaves out, and whether a bare `python train.py` trains YOLO at all. Only relative
// `.py` paths are read (as text, never run), each once per scan, under the size limit.

import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { MAX_SCRIPT_CHARS, scanScript } from './scan';
import type { ScriptRuns } from './shell';
import type { TrainingRun } from './types';

/** A resolver for scanShell: scripts relative to `dir` (the launching file's folder). The Python
 *  grammar must be loaded (scanScriptAsync does it when given this resolver). */
export function scriptFileRuns(dir: string): ScriptRuns {
  const seen = new Map<string, TrainingRun[] | null>();
  return (script) => {
    if (isAbsolute(script) || !/\.py$/i.test(script)) return null;
    const path = join(dir, script);
    if (seen.has(path)) return seen.get(path)!;
    let runs: TrainingRun[] | null = null;
    try {
      if (statSync(path).size <= MAX_SCRIPT_CHARS) runs = scanScript(readFileSync(path, 'utf8'), 'python').runs;
    } catch {
      runs = null; // not there, or not readable: the command line is all there is
    }
    seen.set(path, runs);
    return runs;
  };
}
