// Keeps dataset-aware estimates current. A run with `data=DATA.yaml` gets its boxes per image and its
// host-RAM estimate from a scan of the dataset; that scan and the results built on it are cached
// (worker: scans and results; host: EstimateService), keyed by the options, which name the YAML
// but say nothing of its content or of the label files. So for every dataset in use this watches
// the YAML, its `.txt` lists and its image and label folders, and when something there changes it
// drops what was cached from that dataset (only that dataset) and re-runs the documents that use it.
//
// Cheap by construction: file events are debounced per dataset (a relabelling tool writing 10k
// files costs one rescan, after the burst), a rescan happens only when a document that uses the
// dataset is re-estimated, and the scan itself is bounded by its time and file budgets.
// Free of vscode: the watcher factory and the caches are injected (dataset-watchers.ts wires them).

import { basename, dirname } from 'node:path';
import type { DatasetFilesReply, InvalidateDatasetReply } from '../protocol/worker';
import { KeyedDebouncer } from './debounce';

/** Quiet time after the last file event of a dataset before its estimates are redone. */
export const DATASET_EVENT_DEBOUNCE_MS = 1000;

export interface DatasetRef {
  data: string;
  cwd?: string;
}

export interface DatasetWatchDeps {
  /** Where the dataset's files are (the worker reads the YAML). */
  files(ref: DatasetRef): Promise<DatasetFilesReply>;
  /** Drop the worker's cached scans and results for the dataset. */
  invalidateWorker(yamlPath: string): Promise<InvalidateDatasetReply>;
  /** Host side, after the worker's: drop cached results, re-run the documents using the dataset. */
  invalidated(yamlPath: string): void;
  /** Watch `glob` under `base` (recursive for `**` globs); events name the changed file. */
  watch(base: string, glob: string, onEvent: (path: string) => void): { dispose(): unknown };
  /** Whether a folder may be watched recursively: only inside the workspace folders. A dataset
   *  YAML with `path: /` would otherwise have the editor watch the whole disk; a dataset outside
   *  the workspace is read on demand (each estimate rescans it within its budget) instead. */
  mayWatchFolder(dir: string): boolean;
  log(line: string): void;
}

interface Watched {
  ref: DatasetRef;
  /** The single files watched (YAML, lists): a change there may move the folders. */
  files: Set<string>;
  watchers: { dispose(): unknown }[];
  /** A single file changed since the last flush: re-read where the dataset's files are. */
  relist: boolean;
}

export class DatasetWatch {
  private readonly watched = new Map<string, Watched>();
  private readonly debouncer: KeyedDebouncer;
  private disposed = false;

  constructor(
    private readonly deps: DatasetWatchDeps,
    debounceMs = DATASET_EVENT_DEBOUNCE_MS,
  ) {
    this.debouncer = new KeyedDebouncer(debounceMs);
  }

  /** The datasets in use now (YAML path → how a run names it): watch the new ones, stop watching
   *  the ones no document uses any more. */
  sync(used: Map<string, DatasetRef>): void {
    if (this.disposed) return;
    for (const [yamlPath, w] of this.watched) {
      if (used.has(yamlPath)) continue;
      this.watched.delete(yamlPath);
      this.debouncer.cancel(yamlPath);
      for (const d of w.watchers.splice(0)) d.dispose();
    }
    for (const [yamlPath, ref] of used) {
      if (this.watched.has(yamlPath)) continue;
      const w: Watched = { ref, files: new Set([yamlPath]), watchers: [], relist: false };
      this.watched.set(yamlPath, w);
      void this.watchFiles(yamlPath, w);
    }
  }

  /** YAML paths being watched (tests, logs). */
  get datasets(): string[] {
    return [...this.watched.keys()];
  }

  private async watchFiles(yamlPath: string, w: Watched): Promise<void> {
    let reply: DatasetFilesReply;
    try {
      reply = await this.deps.files(w.ref);
    } catch (e) {
      // Still watch the YAML: fixing it is a change that brings the dataset back.
      reply = { yamlPath, found: false, folders: [], files: [], glob: '', notes: [(e as Error).message] };
    }
    if (this.disposed || this.watched.get(yamlPath) !== w) return;
    for (const d of w.watchers.splice(0)) d.dispose();
    // A YAML that is not there is watched too: creating it makes the dataset readable.
    w.files = new Set([yamlPath, ...reply.files]);
    for (const f of w.files) w.watchers.push(this.deps.watch(dirname(f), globLiteral(basename(f)), (p) => this.onEvent(yamlPath, p)));
    const outside: string[] = [];
    for (const dir of reply.folders) {
      if (this.deps.mayWatchFolder(dir)) w.watchers.push(this.deps.watch(dir, reply.glob, (p) => this.onEvent(yamlPath, p)));
      else outside.push(dir);
    }
    if (outside.length) this.deps.log(`dataset ${yamlPath}: ${outside.length} folder(s) outside the workspace not watched (${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ', ...' : ''}); they are read again on each estimate`);
    for (const n of reply.notes) this.deps.log(`dataset ${yamlPath}: ${n}`);
  }

  private onEvent(yamlPath: string, path: string): void {
    const w = this.watched.get(yamlPath);
    if (!w || this.disposed) return;
    if (w.files.has(path)) w.relist = true;
    this.debouncer.schedule(yamlPath, () => this.flush(yamlPath, w));
  }

  private async flush(yamlPath: string, w: Watched): Promise<void> {
    if (this.watched.get(yamlPath) !== w) return;
    const relist = w.relist;
    w.relist = false;
    // The worker first: the re-estimates that follow must not find its old scan or result.
    try {
      const r = await this.deps.invalidateWorker(yamlPath);
      this.deps.log(`dataset ${yamlPath} changed: dropped ${r.results} cached estimate(s) and ${r.scans} scan(s) in the estimator`);
    } catch (e) {
      this.deps.log(`dataset ${yamlPath} changed; the estimator could not be told: ${(e as Error).message}`);
    }
    if (this.disposed || this.watched.get(yamlPath) !== w) return;
    this.deps.invalidated(yamlPath);
    if (relist) await this.watchFiles(yamlPath, w);
  }

  dispose(): void {
    this.disposed = true;
    this.debouncer.dispose();
    for (const w of this.watched.values()) for (const d of w.watchers.splice(0)) d.dispose();
    this.watched.clear();
  }
}

/** A file name as a glob that matches only itself (`[`, `{`, `*`, `?` are glob syntax). */
function globLiteral(name: string): string {
  return name.replace(/[[\]{}*?]/g, (c) => `[${c}]`);
}
