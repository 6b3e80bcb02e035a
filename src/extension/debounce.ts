// Debounced, newest-wins scheduling per key (a document URI, a watched file): a burst of edits or
// file events runs the job once, after `delayMs` of quiet, and starting a new run cancels the one
// still in flight for that key, so a late answer for old text never overwrites a newer one.
// Free of vscode: the token it hands out is structurally a vscode.CancellationToken.

import { CancelSource, type CancellationToken } from './panel/cancel';

export class KeyedDebouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, CancelSource>();
  private disposed = false;

  constructor(private readonly delayMs: number) {}

  /** Run `job` for `key` after the quiet period; cancels a pending or running job for the key. */
  schedule(key: string, job: (token: CancellationToken) => Promise<unknown> | unknown, delayMs = this.delayMs): void {
    if (this.disposed) return;
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        const cs = new CancelSource();
        this.running.set(key, cs);
        Promise.resolve()
          .then(() => job(cs.token))
          .catch(() => undefined) // jobs report their own errors; a cancelled one just ends
          .finally(() => {
            if (this.running.get(key) === cs) this.running.delete(key);
          });
      }, delayMs),
    );
  }

  /** Cancel the pending and running job for `key`. */
  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.running.get(key)?.cancel();
    this.running.delete(key);
  }

  get pendingKeys(): string[] {
    return [...new Set([...this.timers.keys(), ...this.running.keys()])];
  }

  dispose(): void {
    this.disposed = true;
    for (const k of this.pendingKeys) this.cancel(k);
  }
}
