// How long a result that read the machine's free RAM may be reused. Everything else in a result is
// a function of its options and the files' bytes (the caches key on those), but the host-RAM verdict
// compares the data pipeline with `os.freemem()` at the moment of the analysis, and free RAM moves
// as other programs start and stop. Re-reading it per hover would defeat the caches; a minute keeps
// hovers instant and the cache=ram warning no more than a minute behind the machine. The age is
// the reading's own (`DatasetSummary.freeRamReadAt`), so a result passed from the worker's cache to
// the host's is not made younger on the way.

import type { AnalysisResult } from './result';

export const FREE_RAM_FRESH_MS = 60_000;

/** The result may still be served at `now` (ms since the epoch). */
export function stillFresh(result: AnalysisResult, now: number): boolean {
  const readAt = result.dataset?.freeRamReadAt;
  return readAt == null || now - readAt < FREE_RAM_FRESH_MS;
}
