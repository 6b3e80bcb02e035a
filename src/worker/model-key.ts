// What identifies a model for the result cache: the bytes of its file (sha1), or its built-in name.
// Hashing a 30 MB ONNX file costs ~50 ms, so the hash is memoised per (path, size, mtime): a file
// that was not touched is not read again, and a file that was touched is re-hashed (an edit that
// restores the old bytes still hits the cache).

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface ModelKey {
  /** 'sha1:<hex>' for files, 'builtin:<name>' otherwise. */
  key: string;
  /** Absolute path when the model is a file. */
  file?: string;
}

const statMemo = new Map<string, { size: number; mtimeMs: number; sha1: string }>();
const STAT_MEMO_MAX = 256;

/** Files that name a model by path; anything else (yolov8n, yolo11s-seg.pt) is a built-in name,
 *  unless it is a .pt file that exists. */
function looksLikePath(spec: string): boolean {
  return /[\\/]/.test(spec) || /\.(onnx|ya?ml)$/i.test(spec);
}

export async function modelKey(spec: string, signal?: AbortSignal): Promise<ModelKey> {
  const builtin = { key: `builtin:${spec.trim().toLowerCase()}` };
  const path = looksLikePath(spec);
  // a plain name answers at once (no await: callers snapshot state right after this returns)
  if (!path && !/\.pth?$/i.test(spec)) return builtin;
  const file = resolve(spec);
  // A missing file is not our error to report: analyze() reads the file and names the problem.
  const st = await stat(file).catch(() => undefined);
  // a .pt that exists is a checkpoint (a fine-tuned yolov8s.pt is not the built-in yolov8s)
  if (!path && !st?.isFile()) return builtin;
  if (!st || !st.isFile()) return { key: `path:${file}`, file };
  const memo = statMemo.get(file);
  if (memo && memo.size === st.size && memo.mtimeMs === st.mtimeMs) return { key: `sha1:${memo.sha1}`, file };
  const sha1 = await hashFile(file, signal);
  if (statMemo.size >= STAT_MEMO_MAX) statMemo.delete(statMemo.keys().next().value as string);
  statMemo.set(file, { size: st.size, mtimeMs: st.mtimeMs, sha1 });
  return { key: `sha1:${sha1}`, file };
}

function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha1');
    const s = createReadStream(file, { signal });
    s.on('data', (chunk) => h.update(chunk));
    s.on('error', rej);
    s.on('end', () => res(h.digest('hex')));
  });
}

/** Options JSON with keys sorted, so {a,b} and {b,a} share a cache entry. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
