// Which `cache=` values get a host-RAM warning. Pure: diagnostics.ts turns it into a
// vscode.Diagnostic next to the batch markers.
//
// Two different outcomes, worded apart: Ultralytics checks the cache against available RAM itself
// (with a 50 % margin) and trains without it when it does not fit — slower, but it runs; when its
// check passes yet the whole data pipeline is more than the free RAM, the OS may kill the process.

import type { AnalysisResult } from '../core/result';
import type { Range, TrainingRun } from '../core/scripts/types';
import { formatBytes } from '../../webview/shared/format';

export const CACHE_DIAGNOSTIC_CODE = 'cache-ram-exceeds-host-ram';

export interface CacheProblem {
  severity: 'warning';
  /** The cache value as written (`True`, `'ram'`, YOLOv5's bare `--cache`). */
  range: Range;
  message: string;
}

export function cacheProblem(run: TrainingRun, result: AnalysisResult): CacheProblem | null {
  const setting = run.settings.cache;
  const h = result.dataset?.hostRam;
  if (!setting || !h || h.cache.mode !== 'ram') return null;
  const free = formatBytes(h.freeRamBytes);
  let message: string;
  if (h.cache.ultralyticsWouldCache === false) {
    message =
      `cache=ram needs ${formatBytes(h.cache.requiredWithMarginBytes)} of host RAM with Ultralytics' 50 % margin (${free} free): Ultralytics will skip the cache and read images from disk` +
      (h.verdict === 'exceeds' ? `; even so the data pipeline needs ${formatBytes(h.totalBytes)}, and the process may be killed` : '');
  } else if (h.verdict === 'exceeds') {
    message = `cache=ram needs ${formatBytes(h.cache.ramBytes)} of host RAM, ${formatBytes(h.totalBytes)} with the loader workers' buffers (${free} free): the process may be killed (out of memory)`;
  } else return null;
  return { severity: 'warning', range: setting.range, message };
}
