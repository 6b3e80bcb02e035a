// Typed access to the webview API VS Code injects. acquireVsCodeApi may be called only once.

import type { WebviewToHostMessage } from '../../src/protocol/webview';

interface VsCodeApi<S> {
  postMessage(msg: WebviewToHostMessage): void;
  getState(): S | undefined;
  setState(state: S): S;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

let api: VsCodeApi<unknown> | null = null;

export function vscodeApi<S>(): VsCodeApi<S> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<S>;
}

/** Log to the webview's developer console (Help > Toggle Developer Tools): where ignored
 *  messages are reported on this side. */
export function warn(msg: string): void {
  console.warn(`[yolo-memory] ${msg}`);
}
