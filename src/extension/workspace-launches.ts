// The workspace's training launches for the sidebar, found without opening them: the script files
// (launch-files.ts: bounded count and size, a cheap text filter) are read from disk and handed to
// the DocumentAnalyzer, whose scan runs in the worker through the core's one entry point
// (extractScript) — so every file kind the script reader learns shows up here too. Re-read when
// such a file changes on disk, and when an open one is closed (its state was the editor's).

import * as vscode from 'vscode';
import { KeyedDebouncer } from './debounce';
import type { DocumentAnalyzer } from './documents';
import { languageIdFor, LAUNCH_EXCLUDE, LAUNCH_GLOB, looksLikeLaunch, MAX_LAUNCH_BYTES, MAX_LAUNCH_FILES, MAX_LAUNCHES } from './launch-files';
import { FILE_EVENT_DEBOUNCE_MS } from './watchers';

export class WorkspaceLaunches implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly debouncer = new KeyedDebouncer(FILE_EVENT_DEBOUNCE_MS);
  private readonly launches = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the set of launches changes. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly analyzer: DocumentAnalyzer) {
    const w = vscode.workspace.createFileSystemWatcher(LAUNCH_GLOB);
    const reread = (uri: vscode.Uri) => this.debouncer.schedule(uri.toString(), () => this.readOne(uri));
    this.disposables.push(
      w,
      this.emitter,
      w.onDidCreate(reread),
      w.onDidChange(reread),
      w.onDidDelete((uri) => {
        if (this.launches.delete(uri.toString())) {
          analyzer.forget(uri);
          this.emitter.fire();
        }
      }),
      // ModelWatchers forgets a closed document's state; a launch goes back to its text on disk
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.launches.has(d.uri.toString())) reread(d.uri);
      }),
    );
    void this.list();
  }

  has(uri: string): boolean {
    return this.launches.has(uri);
  }

  private async list(): Promise<void> {
    const found = await vscode.workspace.findFiles(LAUNCH_GLOB, LAUNCH_EXCLUDE, MAX_LAUNCH_FILES);
    // one file at a time: the worker scans them in turn and the editor's own requests go first
    for (const uri of found) {
      if (this.launches.size >= MAX_LAUNCHES) break;
      await this.readOne(uri, false);
    }
    this.emitter.fire();
  }

  /** Reads one candidate from disk; schedules its analysis when it looks like a launch. */
  private async readOne(uri: vscode.Uri, notify = true): Promise<void> {
    const key = uri.toString();
    const before = this.launches.has(key);
    let text: string | null = null;
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (st.size <= MAX_LAUNCH_BYTES) text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      text = null; // gone or unreadable: not a launch
    }
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
    if (text !== null && looksLikeLaunch(text, uri.path) && (before || this.launches.size < MAX_LAUNCHES)) {
      this.launches.add(key);
      // an open document is the editor's: the analyzer follows its edits already
      if (!open) this.analyzer.scheduleClosedFile(uri, text, languageIdFor(uri.path), 0);
    } else if (this.launches.delete(key) && !open) this.analyzer.forget(uri);
    if (notify && before !== this.launches.has(key)) this.emitter.fire();
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
