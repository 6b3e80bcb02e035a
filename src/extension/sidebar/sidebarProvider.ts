// The sidebar memory view (view id yoloMemory.sidebar, in the yoloMemory view container). The
// extension feeds it with update(); the logic lives in SidebarController.

import * as vscode from 'vscode';
import type { SidebarEntry, SidebarState } from '../../protocol/webview';
import { setWebviewHtml } from '../panel/webviewSetup';
import { SidebarController, type GpuReading } from './sidebarController';

export const SIDEBAR_VIEW_ID = 'yoloMemory.sidebar';

export interface SidebarDeps {
  extensionUri: vscode.Uri;
  openEntry(entry: SidebarEntry): void;
  showLog(): void;
  readGpus?(): Promise<GpuReading>;
  log(line: string): void;
}

export class SidebarProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly controller: SidebarController;
  private readonly registration: vscode.Disposable;
  private viewDisposables: vscode.Disposable[] = [];

  constructor(private readonly deps: SidebarDeps) {
    this.controller = new SidebarController({
      post: (m) => this.view?.webview.postMessage(m) ?? false,
      openEntry: deps.openEntry,
      showLog: deps.showLog,
      readGpus: deps.readGpus,
      log: deps.log,
    });
    this.registration = vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, this);
  }

  /** Replace parts of the sidebar state (active editor entry, workspace entries, GPUs). */
  update(patch: Partial<SidebarState>): void {
    this.controller.update(patch);
  }

  get state(): SidebarState {
    return this.controller.snapshot;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = view;
    setWebviewHtml(view.webview, this.deps.extensionUri, 'sidebar', 'YOLO Memory');
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((m) => void this.controller.handle(m)),
      view.onDidChangeVisibility(() => this.controller.setVisible(view.visible)),
      view.onDidDispose(() => {
        this.controller.setVisible(false);
        if (this.view === view) this.view = undefined;
      }),
    );
    this.controller.setVisible(view.visible);
  }

  dispose(): void {
    this.controller.dispose();
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.registration.dispose();
  }
}
