// List a split's image files the way Ultralytics' `BaseDataset.get_img_files` does, streaming:
//   - a folder → every file under it whose extension is an image format (`glob("**/*.*")`: hidden
//     files and folders skipped, symlinked folders followed);
//   - a `.txt` (any non-image file) → one image path per line, `./x` relative to the list's folder;
//   - an image file → itself.
// Symlinked folders are followed once per real folder (device + inode), so a link loop ends.
// Paths are yielded as listed (not realpath'd), because the label path is derived from them.

import { opendirSync, statSync, type Dir, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { boundedLines, type LineStats } from '../fs/lines';
import { openRegular } from '../fs/regular-file';
import { isImagePath } from './paths';

/** A list file is read up to this size (Objects365's train.txt, ~1.7 M lines, is ~100 MiB). */
export const MAX_LIST_BYTES = 512 * 2 ** 20;
/** Lines longer than this are not image paths (PATH_MAX is 4096) and are skipped. */
export const MAX_LINE = 4096;

/** Synchronous directory reads run in slices this long; then the event loop gets a turn. */
export const SLICE_MS = 10;

export interface ListOptions {
  /** Stop listing (and report `complete: false`) after this time (performance.now() clock). */
  deadline: number;
  signal?: AbortSignal;
  /** Ignore the deadline until this many images are listed (so a tiny budget still yields a sample). */
  minImages?: number;
  /** Base for relative list lines without `./`; default: the list file's folder. */
  cwd?: string;
  notes: string[];
}

/** Yields image paths in chunks; returns whether listing finished before the deadline. */
export async function* listImages(sources: string[], opts: ListOptions): AsyncGenerator<string[], boolean> {
  const seenDirs = new Set<string>();
  let complete = true;
  const out = { chunk: [] as string[] };
  let listed = 0;
  const minImages = opts.minImages ?? 0;
  const timeUp = () => {
    throwIfAborted(opts.signal);
    return listed + out.chunk.length >= minImages && performance.now() > opts.deadline;
  };
  for (const src of sources) {
    let st;
    try {
      st = await stat(src);
    } catch {
      opts.notes.push(`${src} does not exist (Ultralytics stops with "does not exist")`);
      continue;
    }
    if (st.isDirectory()) {
      seenDirs.add(`${st.dev}:${st.ino}`);
      // Depth-first with an explicit stack (deep trees do not grow the JS call stack). Synchronous
      // directory reads in slices of SLICE_MS: far cheaper per entry than async iteration, and the
      // event loop still gets a turn between slices.
      const stack: string[] = [src];
      let sliceStart = performance.now();
      while (stack.length && complete) {
        const dir = stack.pop()!;
        let handle: Dir;
        try {
          handle = opendirSync(dir, { bufferSize: 1024 });
        } catch (e) {
          opts.notes.push(`cannot list ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
          continue;
        }
        try {
          for (;;) {
            let ent: Dirent | null;
            try {
              ent = handle.readSync();
            } catch (e) {
              opts.notes.push(`cannot list ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
              break;
            }
            if (ent === null) break;
            const name = ent.name;
            if (name.charCodeAt(0) === 46 /* '.' */) continue; // glob's `*` and `**` skip hidden names
            const p = join(dir, name);
            // Folders, and links to folders (glob follows them), are entered once per device + inode.
            // A dangling link stays a candidate file: listed below when named like an image.
            if (ent.isDirectory() || ent.isSymbolicLink() || !ent.isFile()) {
              try {
                const t = statSync(p);
                if (t.isDirectory()) {
                  const key = `${t.dev}:${t.ino}`;
                  if (!seenDirs.has(key)) {
                    seenDirs.add(key);
                    stack.push(p);
                  }
                }
              } catch {
                /* dangling link or vanished entry */
              }
            }
            // `*.*` matches folders too: Ultralytics lists a folder named `x.jpg` as an image (and fails to read it).
            if (isImagePath(name)) out.chunk.push(p);
            if (performance.now() - sliceStart > SLICE_MS) {
              if (out.chunk.length) {
                listed += out.chunk.length;
                yield out.chunk;
                out.chunk = [];
              }
              await new Promise((r) => setImmediate(r));
              sliceStart = performance.now();
              if (timeUp()) {
                complete = false;
                break;
              }
            }
          }
        } finally {
          handle.closeSync();
        }
      }
    } else if (isImagePath(src)) {
      out.chunk.push(src);
    } else {
      // A list file: stream its lines. Only a regular file (a FIFO or /dev/urandom named as a split
      // would block or never end), at most MAX_LIST_BYTES, lines of at most MAX_LINE characters.
      let fh;
      try {
        fh = (await openRegular(src)).fh;
      } catch (e) {
        opts.notes.push(`${src} ${(e as Error).message}: not read as an image list`);
        continue;
      }
      const parent = dirname(src);
      const base = opts.cwd ?? parent;
      let guessedBase = false;
      const stats: LineStats = { longLines: 0, truncated: false };
      let n = 0;
      try {
        for await (const line of boundedLines(fh, MAX_LIST_BYTES, MAX_LINE, stats)) {
          const x = line.trim();
          if (++n % 1024 === 0) {
            listed += out.chunk.length;
            yield out.chunk;
            out.chunk = [];
            if (timeUp()) {
              complete = false;
              break;
            }
          }
          if (!x || !isImagePath(x)) continue;
          // Ultralytics: `./x` is relative to the list's folder; other relative lines to the process cwd.
          if (x.startsWith('./')) out.chunk.push(join(parent, x.slice(2)));
          else if (isAbsolute(x)) out.chunk.push(x);
          else {
            if (!opts.cwd && !guessedBase) {
              guessedBase = true;
              opts.notes.push(`relative lines in ${src} resolved against its folder (the training cwd is unknown)`);
            }
            out.chunk.push(resolve(base, x));
          }
        }
      } finally {
        await fh.close().catch(() => undefined);
      }
      if (stats.truncated) opts.notes.push(`${src}: only the first ${MAX_LIST_BYTES / 2 ** 20} MiB of the list were read`);
      if (stats.longLines) opts.notes.push(`${src}: ${stats.longLines} line(s) longer than ${MAX_LINE} characters skipped (not image paths)`);
    }
    if (!complete) break;
  }
  if (out.chunk.length) yield out.chunk;
  return complete;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    const e = new Error('dataset scan aborted');
    e.name = 'AbortError';
    throw e;
  }
}
