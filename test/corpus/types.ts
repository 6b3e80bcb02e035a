// One entry of the reliability corpus: an input, how to feed it to the product, and what must come out.
import type { AnalyzeOptions } from '../../src/core/options';
import type { ScriptLanguage } from '../../src/core/scripts/types';

/**
 * exit: the CLI's exit code (`yolo-mem estimate <file> --json`). For exit 1, `message` (exact) or
 * `pattern` (a regex source) is the one line analyze() rejects with; the CLI prints it as
 * `yolo-mem: <line>`. For scripts, `pattern` matches the scan's first note (or '' when none).
 * For nvidia-smi, `pattern` matches discoverGpus()'s message.
 */
export interface Expect {
  exit: 0 | 1 | 2;
  message?: string;
  pattern?: string;
  /** Scripts: number of training runs the scan must find. */
  runs?: number;
}

export interface CorpusCase {
  id: string;
  family: string;
  kind: 'model' | 'script' | 'smi';
  /** File name inside the corpus folder (models, scripts), or a built-in model name. */
  file: string;
  expect: Expect;
  /** What the input is, for the report. */
  note: string;
  /** Extra analyze() options, and the same as CLI flags. */
  options?: Partial<AnalyzeOptions>;
  cliArgs?: string[];
  language?: ScriptLanguage;
  /** nvidia-smi behaviour (FAKE_SMI_* variables; file names are inside the corpus folder). */
  smi?: Record<string, string>;
  /** Expected time for the whole case in ms (default 10 s); the hang net is a multiple of it. */
  timeMs?: number;
}
