// Sidebar rows from the document states. Pure (DocState is plain data), so tests check it directly.

import type { AnalysisResult } from '../core/result';
import type { SidebarEntry, Verdict } from '../protocol/webview';
import { verdictOf } from '../../webview/shared/memory';
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
  const run = state.runs.find((r) => r.result) ?? state.runs.find((r) => r.options) ?? state.runs[0];
  if (!run) return state.error ? { ...empty(state.uri, label, path, 'script'), verdict: 'error', message: state.error.message } : null;
  if (!run.options) return { ...empty(state.uri, label, path, 'script'), verdict: 'unknown', message: run.reason ?? 'no model in this training call' };
  return build(state.uri, label, `${path} · ${run.run.kind}`, 'script', run.options, run.result, run.error?.message);
}

function empty(id: string, label: string, detail: string, kind: SidebarEntry['kind']): SidebarEntry {
  return { id, label, detail, kind, model: '', batch: null, imgsz: null, verdict: 'pending', deviceBytes: null, vramBytes: null, maxBatch: null };
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
  if (error) return { ...e, verdict: 'error', message: error };
  if (!result) return e;
  const est = pickEstimate(result, e.batch);
  const verdict: Verdict = verdictOf(est, result.gpu?.totalBytes, result.margin);
  return {
    ...e,
    model: result.model.name,
    batch: est?.batch ?? e.batch,
    imgsz: est?.imgsz ?? e.imgsz,
    verdict,
    deviceBytes: est?.bytes.device ?? null,
    vramBytes: result.gpu?.totalBytes ?? null,
    maxBatch: result.maxBatch,
    ...(verdict === 'unknown' ? { message: 'No GPU known: set one with "Select GPU…"' } : {}),
  };
}
