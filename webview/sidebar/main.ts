// The sidebar view's webview: renders the state the host sends; clicks open the analysis panel.

import { parseHostToSidebar, type SidebarState } from '../../src/protocol/webview';
import { registerSidebarComponents } from '../shared/toolkit';
import { vscodeApi, warn } from '../shared/vscodeApi';
import { renderSidebar } from './render';

interface Persisted {
  state?: SidebarState;
}

registerSidebarComponents();
const vs = vscodeApi<Persisted>();
const root = document.getElementById('root')!;

function show(s: SidebarState): void {
  const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.id ?? (document.activeElement?.id === 'refresh' ? '#refresh' : null);
  root.innerHTML = renderSidebar(s);
  root.setAttribute('aria-busy', 'false');
  // Keep keyboard focus across the refreshes that arrive every few seconds.
  if (focusedId === '#refresh') document.getElementById('refresh')?.focus();
  else if (focusedId) root.querySelector<HTMLElement>(`button.entry[data-id="${CSS.escape(focusedId)}"]`)?.focus();
}

root.addEventListener('click', (ev) => {
  const t = ev.target as HTMLElement;
  if (t.closest('#refresh')) {
    vs.postMessage({ type: 'refresh' });
    return;
  }
  const entry = t.closest<HTMLElement>('button.entry');
  if (entry?.dataset.id) vs.postMessage({ type: 'openEntry', id: entry.dataset.id });
});

// Up/Down move between entries, like a list.
root.addEventListener('keydown', (ev) => {
  if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
  const entries = [...root.querySelectorAll<HTMLElement>('button.entry')];
  const i = entries.indexOf(document.activeElement as HTMLElement);
  if (i < 0) return;
  const next = entries[ev.key === 'ArrowDown' ? i + 1 : i - 1];
  if (next) {
    ev.preventDefault();
    next.focus();
  }
});

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const parsed = parseHostToSidebar(ev.data);
  if (!parsed.ok) {
    warn(`ignored message: ${parsed.error}`);
    return;
  }
  show(parsed.value.state);
  vs.setState({ state: parsed.value.state });
});

// Show the last state at once (a hidden view is rebuilt when shown again), then ask for a fresh one.
const saved = vs.getState()?.state;
if (saved) {
  const again = parseHostToSidebar({ type: 'sidebarState', state: saved });
  if (again.ok) show(again.value.state);
}
vs.postMessage({ type: 'ready' });
