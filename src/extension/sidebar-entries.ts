// Sidebar rows from the document states. Pure (DocState is plain data), so tests check it directly.

import type { AnalysisResult } from '../core/result';
import type { SidebarEntry, Verdict } from '../protocol/webview';
import { neededOf, usableBytes, verdictOf } from '../../webview/shared/memory';
import { pickEstimate } from './hover-card';

/** Structural subset of documents.ts' DocState (kept separate so this file needs no vscode). */
export interface EntrySource {
  uri: string;
  kind: 'script' | 'model';
  runs: { options?: { model: string; batch?: number[]; imgsz?: number }; result?: { [K in keyof AnalysisResult]: AnalysisResult[K] }; error?: { message: string }; reason?: string; run: { kind: string } }[];
  model?: { options: { model: string; batch?: number[]; imgsz?: number }; result?: AnalysisResult; error?: { message: string } };
  error?: { message: string };
}

export function entryFor(state: EntrySource, relPath: (uri: string) => string): SidebarEntry | null {
  const path = relPath(state.uri);
  const label = path.split(/[\\/]/).pop() ?? path;
  if (state.kind === 'model' && state.model) {
    const { options, result, error } = state.model;
    return build(state.uri, label, path, /\.(onnx|pth?)$/i.test(options.model) ? 'model' : 'yaml', options, result, error?.message);
  }
  // the run the entry is about: the worst estimated one (a script's OOM call is what matters)
  const estimated = state.runs.filter((r) => r.result).sort((a, b) => runRank(a) - runRank(b));
  const run = estimated[0] ?? state.runs.find((r) => r.options) ?? state.runs[0];
  if (!run) return state.error ? { ...empty(state.uri, label, path, 'script'), verdict: 'error', message: `Could not read the training settings: ${state.error.message}` } : null;
  if (!run.options) return { ...empty(state.uri, label, path, 'script'), verdict: 'unknown', message: `No estimate: ${run.reason ?? 'no model in this training call'}` };
  return build(state.uri, label, `${path} · ${run.run.kind}`, 'script', run.options, run.result, run.error?.message);
}

/** Worst first: does not fit, tight, fits, then those without a verdict. */
export const VERDICT_RANK: Readonly<Record<Verdict, number>> = { oom: 0, tight: 1, fits: 2, error: 3, unknown: 4, pending: 5 };

function runRank(r: EntrySource['runs'][number]): number {
  const est = r.result ? pickEstimate(r.result as AnalysisResult, r.options?.batch?.[0]) : undefined;
  return VERDICT_RANK[verdictOf(est, r.result?.gpu?.totalBytes, r.result?.margin ?? 0)];
}

/** The workspace list, worst first; within a verdict, the larger share of the usable VRAM first. */
export function sortWorstFirst(entries: SidebarEntry[]): SidebarEntry[] {
  const share = (e: SidebarEntry) => (e.deviceBytes !== null && e.usableBytes ? e.deviceBytes / e.usableBytes : -1);
  return [...entries].sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || share(b) - share(a) || a.label.localeCompare(b.label));
}

function empty(id: string, label: string, detail: string, kind: SidebarEntry['kind']): SidebarEntry {
  return { id, label, detail, kind, model: '', batch: null, imgsz: null, verdict: 'pending', deviceBytes: null, vramBytes: null, usableBytes: null, maxBatch: null };
}

function build(
  id: string,
  label: string,
  detail: string,
  kind: SidebarEntry['kind'],
  options: { model: string; batch?: number[]; imgsz?: number },
  result: AnalysisResult | undefined,
  error: string | undefined,
): SidebarEntry {
  const e = empty(id, label, detail, kind);
  e.model = options.model.split(/[\\/]/).pop() ?? options.model;
  e.batch = options.batch?.[0] ?? null;
  e.imgsz = options.imgsz ?? null;
  if (error) return { ...e, verdict: 'error', message: `Could not estimate: ${error}` };
  if (!result) return e;
  const est = pickEstimate(result, e.batch);
  const verdict: Verdict = verdictOf(est, result.gpu?.totalBytes, result.margin);
  return {
    ...e,
    model: result.model.name,
    batch: est?.batch ?? e.batch,
    imgsz: est?.imgsz ?? e.imgsz,
    verdict,
    // the decisive figure, as in the hover and the status bar: what the run needs of the usable VRAM
    deviceBytes: est ? neededOf(est).bytes : null,
    vramBytes: result.gpu?.totalBytes ?? null,
    usableBytes: result.gpu ? usableBytes(result.gpu.totalBytes, result.margin) : null,
    maxBatch: result.maxBatch,
    ...(verdict === 'unknown' ? { message: 'No GPU known to check against: choose one with "Select GPU…"' } : {}),
  };
}
