// A cancellation source shaped like vscode.CancellationTokenSource, without importing vscode, so
// the view controllers run (and are tested) in plain Node. The worker client accepts it because
// vscode.CancellationToken is a structural interface.

export interface Disposable {
  dispose(): void;
}

export interface CancellationToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): Disposable;
}

export class CancelSource {
  private cancelled = false;
  private listeners = new Set<() => void>();
  readonly token: CancellationToken;

  constructor() {
    const self = this;
    this.token = {
      get isCancellationRequested() {
        return self.cancelled;
      },
      onCancellationRequested(listener: () => void): Disposable {
        if (self.cancelled) {
          queueMicrotask(listener);
          return { dispose() {} };
        }
        self.listeners.add(listener);
        return { dispose: () => self.listeners.delete(listener) };
      },
    };
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const ls = [...this.listeners];
    this.listeners.clear();
    for (const l of ls) l();
  }
}
