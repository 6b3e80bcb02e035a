// Which files a dataset's facts come from, so an editor can watch them and rescan when they change:
// the YAML itself, each split's image folder and the labels folder that mirrors it (recursive), and
// the `.txt` lists with the folders their images are in. The scan cache notices files added to or
// removed from a source folder itself (its mtime is in the key), but not a label file edited in
// place or a change in a nested folder: those need a watcher.

import { stat } from 'node:fs/promises';
import { dirname, relative, isAbsolute } from 'node:path';
import { listImages } from './list';
import { IMG_FORMATS, img2labelPath, isImagePath, labelsDirOf } from './paths';
import type { DatasetSpec, SplitName } from './types';

/** Folders watched per dataset at most: a list file's images may sit in many folders. */
export const MAX_WATCH_FOLDERS = 16;
/** Time spent listing a `.txt` list's images to find their folders. */
export const LIST_WATCH_BUDGET_MS = 2000;
/** Splits the estimate reads (train for the assigner and host RAM, val for its loader). */
const WATCHED_SPLITS: SplitName[] = ['train', 'val'];

/** Label files and images, in both cases: glob matching is case-sensitive on Linux. Ultralytics'
 *  own `.cache` files and `cache=disk` `.npy` files are left out, so a training run writing them
 *  does not look like a dataset edit. */
export const WATCH_GLOB = `**/*.{${['txt', ...IMG_FORMATS].flatMap((e) => [e, e.toUpperCase()]).join(',')}}`;

export interface DatasetWatchTargets {
  /** Folders to watch recursively with WATCH_GLOB (none nested in another). */
  folders: string[];
  /** Single files to watch: the YAML, list files, single-image sources and their label files. */
  files: string[];
  /** What could not be watched and why. */
  notes: string[];
}

export async function datasetWatchTargets(spec: DatasetSpec, opts: { cwd?: string; signal?: AbortSignal } = {}): Promise<DatasetWatchTargets> {
  const folders = new Set<string>();
  const files = new Set<string>([spec.yamlPath]);
  const notes: string[] = [];
  const isDir = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
  const addImageFolder = async (dir: string) => {
    folders.add(dir);
    const labels = labelsDirOf(dir);
    if (labels && (await isDir(labels))) folders.add(labels);
  };
  for (const split of WATCHED_SPLITS) {
    for (const src of spec.splits[split] ?? []) {
      const st = await stat(src).catch(() => undefined);
      if (!st) {
        // Watched anyway: creating it changes the dataset.
        files.add(src);
        continue;
      }
      if (st.isDirectory()) await addImageFolder(src);
      else if (isImagePath(src)) files.add(src).add(img2labelPath(src));
      else {
        files.add(src);
        const dirs = new Set<string>();
        const lister = listImages([src], { deadline: performance.now() + LIST_WATCH_BUDGET_MS, signal: opts.signal, cwd: opts.cwd, notes: [] });
        for (;;) {
          const r = await lister.next();
          if (r.done) {
            if (!r.value) notes.push(`${src}: listed for ${LIST_WATCH_BUDGET_MS} ms only; images beyond that are not watched`);
            break;
          }
          for (const img of r.value) dirs.add(dirname(img));
        }
        for (const d of dirs) await addImageFolder(d);
      }
    }
  }
  const outer = topMost([...folders]);
  if (outer.length > MAX_WATCH_FOLDERS) notes.push(`${outer.length} folders hold the dataset's files; watching the first ${MAX_WATCH_FOLDERS}`);
  return { folders: outer.slice(0, MAX_WATCH_FOLDERS), files: [...files], notes };
}

/** The folders not inside another one of the list (a recursive watcher on the outer covers them). */
function topMost(dirs: string[]): string[] {
  const sorted = [...new Set(dirs)].sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const d of sorted) {
    if (!out.some((o) => inside(d, o))) out.push(d);
  }
  return out;
}

function inside(p: string, dir: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
