// The panel's "Dataset" section: what the scan of the run's dataset found, what the label assigner
// was sized for, and the data pipeline's host RAM term by term with its verdict. A view-model (every
// number next to its text, so a test can hold it to the result) and a pure HTML renderer; no inline
// styles (the page's CSP refuses them), only the classes the header and legend tables already use.

import type { DatasetSummary } from '../../src/core/result';
import type { HostRamEstimate, HostRamTerm } from '../../src/core/dataset/host-ram';
import type { PanelState } from '../../src/protocol/webview';
import { escapeHtml, formatBytes, formatInt } from '../shared/format';
import type { Shown } from './viewModel';

export type HostRamVerdict = HostRamEstimate['verdict'];

export interface HostRamVM {
  verdict: HostRamVerdict;
  verdictLabel: string;
  /** CSS class of the verdict line (the header's verdict colours). */
  verdictClass: string;
  icon: string;
  total: Shown;
  free: Shown;
  cacheMode: 'ram' | 'disk' | null;
  cacheRam: Shown;
  /** What Ultralytics' check_cache_ram demands (cache × 1.5). */
  cacheRequired: Shown;
  /** false: Ultralytics will train without the cache. */
  wouldCache: boolean | null;
  cacheDisk: Shown;
  workers: Shown;
  terms: { key: HostRamTerm['key']; label: string; bytes: Shown; detail: string }[];
  notes: string[];
}

export interface DatasetVM {
  source: string;
  /** False when the YAML was not found locally: only `explanation` is known. */
  scanned: boolean;
  explanation: string;
  images: Shown;
  sampled: string | null;
  objectsMax: Shown;
  objectsP99: Shown;
  objectsMean: Shown;
  /** Boxes per image the estimate's label assigner was padded to. */
  assigner: Shown;
  /** Set when the panel's own "objects per image" overrides what the dataset gives. */
  assignerOverride: string | null;
  hostRam: HostRamVM | null;
  notes: string[];
}

const HOST_VERDICT: Readonly<Record<HostRamVerdict, { label: string; cls: string; icon: string }>> = {
  fits: { label: 'Host RAM fits', cls: 'verdict-fits', icon: 'pass' },
  tight: { label: 'Host RAM is tight', cls: 'verdict-tight', icon: 'warning' },
  exceeds: { label: 'Host RAM exceeded', cls: 'verdict-oom', icon: 'error' },
};

const shown = (value: number | null | undefined, fmt: (v: number) => string): Shown =>
  value === null || value === undefined || !Number.isFinite(value) ? { value: null, text: '—' } : { value, text: fmt(value) };
const mean = (v: number) => String(Number(v.toFixed(1)));

function hostRamVM(h: HostRamEstimate): HostRamVM {
  const v = HOST_VERDICT[h.verdict] ?? HOST_VERDICT.exceeds;
  const mode = h.cache?.mode ?? null;
  return {
    verdict: h.verdict,
    verdictLabel: v.label,
    verdictClass: v.cls,
    icon: v.icon,
    total: shown(h.totalBytes, formatBytes),
    free: shown(h.freeRamBytes, formatBytes),
    cacheMode: mode,
    cacheRam: shown(mode === 'ram' ? h.cache.ramBytes : null, formatBytes),
    cacheRequired: shown(mode === 'ram' ? h.cache.requiredWithMarginBytes : null, formatBytes),
    wouldCache: h.cache?.ultralyticsWouldCache ?? null,
    cacheDisk: shown(mode === 'disk' ? h.cache.diskBytes : null, formatBytes),
    workers: shown(h.workersEffective, String),
    terms: (h.terms ?? []).map((t) => ({ key: t.key, label: t.label, bytes: shown(t.bytes, formatBytes), detail: t.detail })),
    notes: h.notes ?? [],
  };
}

export function buildDataset(state: PanelState): DatasetVM | null {
  const d: DatasetSummary | null | undefined = state.result?.dataset;
  if (!d) return null;
  const override = state.options.objectsPerImage;
  const scanned = d.images !== null;
  return {
    source: d.source,
    scanned,
    explanation: d.explanation,
    images: shown(d.images, formatInt),
    sampled: d.sampled,
    objectsMax: shown(d.objects?.max, String),
    objectsP99: shown(d.objects?.p99, String),
    objectsMean: shown(d.objects?.mean, mean),
    // The estimator takes a given objects-per-image over the dataset's: say which one the numbers used.
    assigner: override !== undefined ? shown(override, String) : shown(d.assignerObjects, String),
    assignerOverride:
      override !== undefined && scanned ? `set in the panel; the dataset gives ${d.assignerObjects === null ? 'no count' : `${d.assignerObjects} boxes`}` : null,
    hostRam: d.hostRam ? hostRamVM(d.hostRam) : null,
    notes: d.notes,
  };
}

function fact(label: string, value: string, title = ''): string {
  return `<div class="fact"${title ? ` title="${escapeHtml(title)}"` : ''}><span class="fact-label">${escapeHtml(label)}</span><span class="fact-value">${escapeHtml(value)}</span></div>`;
}

function hostRamHtml(h: HostRamVM): string {
  const extra: string[] = [];
  // A cache Ultralytics will skip is not part of the pipeline: the warning below says what it needs.
  if (h.cacheMode === 'ram' && h.wouldCache !== false) extra.push(`cache=ram ${h.cacheRam.text}`);
  if (h.cacheMode === 'disk') extra.push(h.cacheDisk.value !== null ? `cache=disk ${h.cacheDisk.text} on disk` : 'cache=disk');
  extra.push(`${h.workers.text} worker${h.workers.value === 1 ? '' : 's'}`);
  const line =
    `<div class="verdict ${h.verdictClass}" role="status"><span class="codicon codicon-${h.icon}" aria-hidden="true"></span>` +
    `<strong>${escapeHtml(h.verdictLabel)}</strong><span>data pipeline ${escapeHtml(h.total.text)} of ${escapeHtml(h.free.text)} free</span>` +
    `<span class="muted">${escapeHtml(extra.join(' · '))}</span></div>`;
  const skip =
    h.wouldCache === false
      ? `<div class="verdict verdict-tight" role="status"><span class="codicon codicon-warning" aria-hidden="true"></span><span>cache=ram needs ${escapeHtml(h.cacheRequired.text)} with Ultralytics' 50 % margin (${escapeHtml(h.free.text)} free): it will train without the cache</span></div>`
      : '';
  const rows = h.terms
    .map((t) => `<tr title="${escapeHtml(t.detail)}"><td>${escapeHtml(t.label)}</td><td class="num">${escapeHtml(t.bytes.text)}</td><td class="help">${escapeHtml(t.detail)}</td></tr>`)
    .join('');
  const table =
    `<table class="legend" aria-label="Host RAM of the data pipeline"><thead><tr><th scope="col">Term</th><th scope="col" class="num">Bytes</th><th scope="col" class="help">How it is counted</th></tr></thead>` +
    `<tbody>${rows}<tr class="total"><td>Data pipeline</td><td class="num">${escapeHtml(h.total.text)}</td><td class="help">of ${escapeHtml(h.free.text)} free RAM</td></tr></tbody></table>`;
  return line + skip + table;
}

export function renderDatasetSection(vm: DatasetVM): string {
  if (!vm.scanned) {
    return `<div class="facts">${fact('Source', vm.source, vm.source)}</div><p class="note"><span class="codicon codicon-info" aria-hidden="true"></span> ${escapeHtml(vm.explanation)}</p>`;
  }
  const facts = [
    fact('Source', vm.source, vm.source),
    fact('Images', vm.sampled ? `${vm.images.text} (${vm.sampled})` : vm.images.text),
    fact('Objects / image', `max ${vm.objectsMax.text} · p99 ${vm.objectsP99.text} · mean ${vm.objectsMean.text}`),
    fact('Assigner sized for', `${vm.assigner.text} boxes${vm.assignerOverride ? ` (${vm.assignerOverride})` : ''}`, vm.explanation),
  ].join('');
  const notes = [...vm.notes, ...(vm.hostRam?.notes ?? [])];
  const noteList = notes.length ? `<ul class="note">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<div class="facts">${facts}</div>${vm.hostRam ? hostRamHtml(vm.hostRam) : ''}${noteList}`;
}
