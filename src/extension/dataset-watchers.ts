// VS Code side of DatasetWatch: file-system watchers for the datasets the open scripts train on,
// the worker's and the host's caches to drop, and the documents to re-run (see dataset-watch.ts).
// `onDidInvalidate` tells the rest (the open analysis panels) once both caches are dropped.

import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { datasetYamlPath } from '../core/dataset/paths';
import { DatasetWatch } from './dataset-watch';
import type { DocumentAnalyzer } from './documents';
import type { EstimateService } from './estimates';
import type { WorkerClient } from './worker-client';

export interface DatasetWatchers extends vscode.Disposable {
  /** A dataset YAML (absolute path) whose files changed, after its cached estimates were dropped:
   *  an estimate asked for from here on reads the dataset again. */
  readonly onDidInvalidate: vscode.Event<string>;
}

/** True when `dir` is a workspace folder or inside one (never an ancestor of one). */
export function insideWorkspace(dir: string, folders: readonly string[] = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath)): boolean {
  return folders.some((f) => {
    const rel = relative(f, dir);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

export function watchDatasets(
  analyzer: DocumentAnalyzer,
  estimates: EstimateService,
  client: Pick<WorkerClient, 'datasetFiles' | 'invalidateDataset'>,
  log: (line: string) => void,
  debounceMs?: number,
): DatasetWatchers {
  const emitter = new vscode.EventEmitter<string>();
  const watch = new DatasetWatch(
    {
      files: (ref) => client.datasetFiles(ref),
      invalidateWorker: (yamlPath) => client.invalidateDataset({ yamlPath }),
      invalidated: (yamlPath) => {
        const dropped = estimates.invalidate((o) => !!o.data && datasetYamlPath(o.data, o.cwd) === yamlPath);
        const docs = analyzer.reanalyzeDataset(yamlPath);
        log(`dataset ${yamlPath}: ${dropped} cached estimate(s) dropped, ${docs} document(s) re-estimated`);
        emitter.fire(yamlPath);
      },
      watch: (base, glob, onEvent) => {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), glob));
        const on = (u: vscode.Uri) => onEvent(u.fsPath);
        const subs = [w, w.onDidChange(on), w.onDidCreate(on), w.onDidDelete(on)];
        return { dispose: () => subs.forEach((d) => d.dispose()) };
      },
      mayWatchFolder: (dir) => insideWorkspace(dir),
      log,
    },
    debounceMs,
  );
  const sub = analyzer.onDidUpdate(() => watch.sync(analyzer.datasetsInUse()));
  return {
    onDidInvalidate: emitter.event,
    dispose: () => {
      sub.dispose();
      watch.dispose();
      emitter.dispose();
    },
  };
}
