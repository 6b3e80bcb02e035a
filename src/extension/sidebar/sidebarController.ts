// The sidebar view's host-side logic without `vscode`: holds the state, answers `ready`, re-sends
// when the view becomes visible, polls the GPUs only while visible, routes clicks to the panel.

import type { GpuInfo } from '../../core/result';
import { parseWebviewMessage, type HostToSidebarMessage, type SidebarEntry, type SidebarState } from '../../protocol/webview';
import { readableError } from '../panel/panelController';

export interface GpuReading {
  gpus: GpuInfo[];
  /** Why the list is empty or partial (no nvidia-smi, ...); null when it is complete. */
  message: string | null;
}

export interface SidebarControllerDeps {
  post(msg: HostToSidebarMessage): PromiseLike<boolean> | boolean;
  /** Open the analysis panel for an entry the user clicked. */
  openEntry(entry: SidebarEntry): void;
  showLog(): void;
  /** Read the GPUs now (nvidia-smi). Absent: the GPU list comes only through update(). */
  readGpus?(): Promise<GpuReading>;
  log(line: string): void;
  now?(): number;
  setInterval?(fn: () => void, ms: number): unknown;
  clearInterval?(handle: unknown): void;
}

/** How often GPU usage is read while the view is visible. nvidia-smi takes ~50-100 ms. */
export const GPU_POLL_MS = 5000;

export const EMPTY_SIDEBAR_STATE: SidebarState = { gpus: [], gpuMessage: 'Reading GPUs…', active: null, workspace: [], updatedAt: 0 };

export class SidebarController {
  private state: SidebarState = EMPTY_SIDEBAR_STATE;
  private visible = false;
  private timer: unknown = null;
  private reading = false;
  private disposed = false;

  constructor(
    private readonly deps: SidebarControllerDeps,
    private readonly pollMs = GPU_POLL_MS,
  ) {}

  get snapshot(): SidebarState {
    return this.state;
  }

  /** Replace parts of the state (the extension feeds the active editor and workspace entries). */
  update(patch: Partial<SidebarState>): void {
    this.state = { ...this.state, ...patch };
    this.send();
  }

  /** The view was shown or hidden (resolveWebviewView, onDidChangeVisibility). */
  setVisible(visible: boolean): void {
    if (this.disposed || visible === this.visible) return;
    this.visible = visible;
    if (visible) {
      this.send();
      void this.refreshGpus();
      if (this.deps.readGpus && this.timer === null) {
        const every = this.deps.setInterval ?? ((f, ms) => setInterval(f, ms));
        this.timer = every(() => void this.refreshGpus(), this.pollMs);
      }
    } else this.stopTimer();
  }

  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw, 'sidebar');
    if (!parsed.ok) {
      this.deps.log(`sidebar: ignored message: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'ready':
        this.send();
        return;
      case 'showLog':
        this.deps.showLog();
        return;
      case 'refresh':
        return this.refreshGpus();
      case 'openEntry': {
        const entry = this.state.active?.id === msg.id ? this.state.active : this.state.workspace.find((e) => e.id === msg.id);
        if (!entry) {
          this.deps.log(`sidebar: openEntry for an unknown id ignored`);
          return;
        }
        this.deps.openEntry(entry);
        return;
      }
    }
  }

  async refreshGpus(): Promise<void> {
    if (!this.deps.readGpus || this.reading || this.disposed) return;
    this.reading = true;
    try {
      const r = await this.deps.readGpus();
      this.state = { ...this.state, gpus: r.gpus, gpuMessage: r.message, updatedAt: (this.deps.now ?? Date.now)() };
    } catch (e) {
      this.state = { ...this.state, gpus: [], gpuMessage: `Could not read the GPUs: ${readableError(e)}`, updatedAt: (this.deps.now ?? Date.now)() };
    } finally {
      this.reading = false;
    }
    this.send();
  }

  private send(): void {
    // A hidden webview view drops messages; the state goes out again when it is shown.
    if (!this.visible || this.disposed) return;
    void Promise.resolve(this.deps.post({ type: 'sidebarState', state: this.state })).then(undefined, (e) => this.deps.log(`sidebar: post failed: ${readableError(e)}`));
  }

  private stopTimer(): void {
    if (this.timer !== null) (this.deps.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>)))(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
  }
}
