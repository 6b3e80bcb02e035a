// How long a result that read the machine's free RAM may be reused. Everything else in a result is
// a function of its options and the files' bytes (the caches key on those), but the host-RAM verdict
// compares the data pipeline with `os.freemem()` at the moment of the analysis, and free RAM moves
// as other programs start and stop. Re-reading it per hover would defeat the caches; a minute keeps
// hovers instant and the cache=ram warning no more than a minute behind the machine.

import type { AnalyzeOptions } from './options';
import type { AnalysisResult } from './result';

export const FREE_RAM_FRESH_MS = 60_000;

/** The result compared against free RAM read at analysis time (not a value the options fixed). */
export function readsFreeRam(options: AnalyzeOptions, result: AnalysisResult): boolean {
  return options.freeRamBytes === undefined && result.dataset?.hostRam != null;
}

/** A cached result computed at `at` (ms) may still be served at `now`. */
export function stillFresh(options: AnalyzeOptions, result: AnalysisResult, at: number, now: number): boolean {
  return !readsFreeRam(options, result) || now - at < FREE_RAM_FRESH_MS;
}
