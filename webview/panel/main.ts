// The analysis panel's webview: builds the page, binds the controls, renders the state the host
// sends. Everything that computes what to draw lives in the pure modules next to this one; this
// file only moves their HTML into the DOM and turns DOM events into messages.

import type { Group } from '../../src/core/graph/types';
import type { AnalyzeOptions } from '../../src/core/options';
import { parseHostToPanel, type PanelState } from '../../src/protocol/webview';
import { escapeHtml } from '../shared/format';
import { neededOf, VERDICT_ICON } from '../shared/memory';
import { applyAccessibleNames, registerPanelComponents, type CheckedElement, type ValueElement } from '../shared/toolkit';
import { vscodeApi, warn } from '../shared/vscodeApi';
import { BAR_GEOMETRY, renderBreakdown } from './breakdownBar';
import { accessibleName, FIELDS, readFields, valuesFromOptions, type FieldId, type FieldValues } from './controls';
import { CURVE_GEOMETRY, renderCurveChart } from './curveChart';
import { buildDataset, renderDatasetSection } from './datasetSection';
import { buildTable, COLUMNS, DEFAULT_QUERY, GROUP_ORDER, locateRow, renderTableBody, SORT_KEYS, tableRows, type SortKey, type TableQuery } from './layerTable';
import { renderTimelineChart, TIMELINE_GEOMETRY } from './timelineChart';
import { buildHeader, mainEstimate } from './viewModel';
import { mountMeasured, renderMeasured } from './measuredSection';

interface UiState {
  tab: string;
  query: TableQuery;
  selected: number | null;
}

interface Persisted {
  /** Read back by the host's serializer after a reload. */
  options?: AnalyzeOptions;
  ui?: UiState;
}

/** Controls wait this long after the last keystroke before asking for an estimate. */
const DEBOUNCE_MS = 300;
const NOTICE_MS = 5000;
const TABS = ['tab-memory', 'tab-layers', 'tab-notes'];

registerPanelComponents();
const vs = vscodeApi<Persisted>();
const saved = vs.getState();
const ui: UiState = restoreUi(saved?.ui);
let state: PanelState | null = null;
/** Highest request we sent; states answering older ones are dropped. */
let sentSeq = 0;
let seenSeq = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** Set while the page writes control values, so the toolkit's change events are not re-sent. */
let applying = false;

function restoreUi(u: UiState | undefined): UiState {
  const q = u?.query;
  return {
    tab: u && TABS.includes(u.tab) ? u.tab : TABS[0]!,
    query: {
      ...DEFAULT_QUERY,
      filter: typeof q?.filter === 'string' ? q.filter.slice(0, 200) : '',
      sort: q && SORT_KEYS.includes(q.sort) ? q.sort : 'index',
      desc: q?.desc === true,
      collapsed: Array.isArray(q?.collapsed) ? q.collapsed.filter((g): g is Group => GROUP_ORDER.includes(g)) : [],
      page: typeof q?.page === 'number' && q.page >= 0 ? Math.floor(q.page) : 0,
    },
    selected: typeof u?.selected === 'number' ? u.selected : null,
  };
}

function persist(): void {
  vs.setState({ options: state?.options ?? saved?.options, ui });
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

// ---------------------------------------------------------------------------------------------
// Page skeleton
// ---------------------------------------------------------------------------------------------

/** Each field's accessible name goes on the toolkit component itself (`aria-label`): the toolkit
 *  copies it to the input inside its shadow root, which a `<label for>` or `aria-labelledby` outside
 *  that root cannot reach. The help text is visible under the field, not only a mouse tooltip. */
function fieldHtml(f: (typeof FIELDS)[number]): string {
  const id = `f-${f.id}`;
  const err = `<span class="field-error" id="e-${f.id}" aria-live="polite"></span>`;
  const help = `<span class="field-help" id="d-${f.id}">${escapeHtml(f.help)}</span>`;
  const name = escapeHtml(accessibleName(f));
  if (f.kind === 'checkbox') return `<div class="field field-check"><vscode-checkbox id="${id}" aria-label="${name}" aria-describedby="d-${f.id}">${escapeHtml(f.label)}</vscode-checkbox>${help}${err}</div>`;
  if (f.kind === 'select') {
    const opts = (f.choices ?? []).map((c) => `<vscode-option value="${c.value}">${escapeHtml(c.label)}</vscode-option>`).join('');
    return `<div class="field"><label id="l-${f.id}" for="${id}">${escapeHtml(f.label)}</label><vscode-dropdown id="${id}" aria-label="${name}" aria-describedby="d-${f.id}">${opts}</vscode-dropdown>${help}${err}</div>`;
  }
  const unit = f.unit ? `<span slot="end" class="unit" aria-hidden="true">${escapeHtml(f.unit)}</span>` : '';
  return `<div class="field"><label id="l-${f.id}" for="${id}">${escapeHtml(f.label)}</label><vscode-text-field id="${id}" size="6" inputmode="decimal" aria-label="${name}" data-aria-label="${name}">${unit}</vscode-text-field>${help}${err}</div>`;
}

function skeleton(): string {
  const headers = COLUMNS.map(
    (c) => `<th scope="col" class="${c.numeric ? 'num' : ''}" data-sort="${c.key}" aria-sort="none"><button class="sort" data-sort="${c.key}" title="Sort by ${c.label}">${c.label}<span class="codicon sort-icon" aria-hidden="true"></span></button></th>`,
  ).join('');
  return `
<header class="header">
  <div class="title-row">
    <h1 id="model-name">YOLO memory</h1>
    <span id="task-badge" class="badge"></span>
    <span id="busy" class="busy-indicator" role="status" aria-live="polite"><span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true"></span><span class="busy-text">Updating…</span></span>
    <span class="spacer"></span>
    <div class="actions" role="toolbar" aria-label="Export">
      <vscode-button appearance="secondary" id="btn-md" title="Copy the summary and layer table as Markdown"><span slot="start" class="codicon codicon-copy"></span>Copy Markdown</vscode-button>
      <vscode-button appearance="secondary" id="btn-csv" title="Save the layer table as CSV"><span slot="start" class="codicon codicon-table"></span>Save CSV</vscode-button>
      <vscode-button appearance="secondary" id="btn-json" title="Save the whole result as JSON (the CLI's --json)"><span slot="start" class="codicon codicon-json"></span>Save JSON</vscode-button>
    </div>
  </div>
  <div class="facts" id="facts"></div>
  <div id="verdict" class="verdict" role="status" aria-live="polite"></div>
  <div id="error" class="banner banner-error" role="alert" hidden>
    <span class="codicon codicon-error" aria-hidden="true"></span><span id="error-text" class="banner-text"></span>
    <vscode-button id="btn-log" appearance="secondary">Show Log</vscode-button>
  </div>
  <div id="notice" class="banner banner-info" role="status" hidden><span class="codicon codicon-info" aria-hidden="true"></span><span id="notice-text" class="banner-text"></span></div>
</header>
<section class="controls" aria-label="Training settings">${FIELDS.map(fieldHtml).join('')}</section>
<vscode-panels id="tabs" aria-label="Views">
  <vscode-panel-tab id="tab-memory">MEMORY</vscode-panel-tab>
  <vscode-panel-tab id="tab-layers">LAYERS <span id="layer-count" class="badge"></span></vscode-panel-tab>
  <vscode-panel-tab id="tab-notes">ASSUMPTIONS</vscode-panel-tab>
  <vscode-panel-view id="view-memory">
    <div class="stack">
      <section aria-labelledby="h-breakdown"><h2 id="h-breakdown">Breakdown</h2><div id="breakdown" class="chart-box"></div></section>
      <section aria-labelledby="h-curve"><h2 id="h-curve">Memory vs batch size</h2>
        <div class="chart-legend" aria-hidden="true"><span class="legend-item"><span class="key key-device"></span>needs (what the verdict compares)</span><span class="legend-item"><span class="key key-reserved"></span>reserved (torch)</span><span class="legend-item"><span class="key key-oom"></span>does not fit (past the usable limit)</span><span class="legend-item"><span class="key key-vram"></span>VRAM</span><span class="legend-item"><span class="key key-margin"></span>margin</span></div>
        <div id="curve" class="chart-box"></div></section>
      <section id="dataset-section" aria-labelledby="h-dataset" hidden><h2 id="h-dataset">Dataset</h2><div id="dataset"></div></section>
    </div>
  </vscode-panel-view>
  <vscode-panel-view id="view-layers">
    <div class="stack">
      <section aria-labelledby="h-timeline"><h2 id="h-timeline">One training step</h2><p class="hint">Live memory after each op. Click the chart to find a layer; select a row to mark it here.</p><div id="timeline" class="chart-box"></div></section>
      <section aria-labelledby="h-layers"><h2 id="h-layers">Layers</h2>
        <div class="table-toolbar">
          <vscode-text-field id="filter" placeholder="Filter: name, type, module" aria-label="Filter layers" data-aria-label="Filter layers"><span slot="start" class="codicon codicon-filter"></span></vscode-text-field>
          <span id="match-count" class="muted" aria-live="polite"></span>
          <span class="spacer"></span>
          <vscode-button appearance="icon" id="btn-collapse" aria-label="Collapse all groups" title="Collapse all groups"><span class="codicon codicon-collapse-all"></span></vscode-button>
          <vscode-button appearance="icon" id="btn-expand" aria-label="Expand all groups" title="Expand all groups"><span class="codicon codicon-expand-all"></span></vscode-button>
          <div class="pager" role="group" aria-label="Pages">
            <vscode-button appearance="icon" id="btn-prev" aria-label="Previous page" title="Previous page"><span class="codicon codicon-chevron-left"></span></vscode-button>
            <span id="page-label" class="muted"></span>
            <vscode-button appearance="icon" id="btn-next" aria-label="Next page" title="Next page"><span class="codicon codicon-chevron-right"></span></vscode-button>
          </div>
        </div>
        <div class="table-wrap"><table class="layers" aria-label="Layers" aria-rowcount="-1">
          <thead><tr>${headers}<th scope="col" class="num">% of act.</th></tr></thead>
          <tbody id="layers-body"></tbody>
        </table></div>
      </section>
    </div>
  </vscode-panel-view>
  <vscode-panel-view id="view-notes"><div id="notes" class="notes"></div></vscode-panel-view>
</vscode-panels>`;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function fact(label: string, value: string, title = ''): string {
  return `<div class="fact"${title ? ` title="${escapeHtml(title)}"` : ''}><span class="fact-label">${escapeHtml(label)}</span><span class="fact-value">${escapeHtml(value)}</span></div>`;
}

function renderHeader(s: PanelState): void {
  const h = buildHeader(s);
  $('busy').classList.toggle('active', s.busy);
  // dim what is stale: everything while an estimate runs, but a quick result's verdict is fresh
  document.body.classList.toggle('busy', s.busy && s.result?.partial !== true);
  if (!h) {
    $('model-name').textContent = s.options.model;
    $('facts').innerHTML = '';
    $('verdict').innerHTML = s.busy ? `<span class="codicon codicon-loading codicon-modifier-spin"></span> Estimating…` : '';
    return;
  }
  $('model-name').textContent = h.name;
  $('model-name').title = h.source;
  $('task-badge').textContent = h.task;
  $('facts').innerHTML = [
    fact('Source', `${h.source} (${h.format})`, h.source),
    fact('Params', h.params.text, `${h.trainableParams.text} trainable`),
    fact('Compute', h.gflops.text),
    fact('Layers', h.layers.text),
    fact('GPU', h.gpuName, h.gpuSource ? `from ${h.gpuSource}` : ''),
    fact('VRAM', h.gpuTotal.text),
    fact('Free now', h.gpuFree.text, h.gpuFreeNote),
    fact('Optimizer', `${h.optimizer}${h.amp ? ', AMP' : ', FP32'}`),
    fact(`Deploy (${h.deployPrecision})`, h.deployBytes.text, 'Weights file size at the deployment precision'),
  ].join('');
  const tightLine = h.maxBatchTight.value !== null ? ` (may fit up to ${h.maxBatchTight.text})` : '';
  // a quick result (verdict first) has no search yet: say it is coming rather than leave a gap
  const maxLine = s.result?.partial
    ? `<span class="max-batch">Largest batch that fits: <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true"></span> searching…</span>`
    : h.maxBatch.value !== null
      ? `<span class="max-batch">Largest batch that fits: <strong>${h.maxBatch.text}</strong>${tightLine}</span>`
      : '';
  $('verdict').className = `verdict verdict-${h.verdict}`;
  $('verdict').innerHTML =
    `<span class="codicon codicon-${VERDICT_ICON[h.verdict]}" aria-hidden="true"></span>` +
    `<strong>${escapeHtml(h.verdictLabel)}</strong> at batch ${h.batch.text}${h.batchPerGpu.value !== h.batch.value ? ` (${h.batchPerGpu.text} per GPU)` : ''}, imgsz ${h.imgsz.text}: ` +
    `<span>${escapeHtml(h.verdictText)}</span>${maxLine}`;
}

function renderError(s: PanelState): void {
  const box = $('error');
  box.hidden = !s.error;
  if (s.error) {
    $('error-text').textContent = s.result ? `${s.error.message} — showing the last good estimate.` : s.error.message;
    $('btn-log').hidden = !s.error.hasLog;
  }
}

function renderControls(s: PanelState): void {
  const values = valuesFromOptions(s.options, s.result);
  applying = true;
  try {
    for (const f of FIELDS) {
      const el = document.getElementById(`f-${f.id}`);
      if (!el || el.contains(document.activeElement) || el === document.activeElement) continue; // don't fight the user's typing
      const v = values[f.id];
      if (f.kind === 'checkbox') (el as CheckedElement).checked = v === true;
      else (el as ValueElement).value = String(v);
      setFieldError(f.id, undefined);
    }
  } finally {
    applying = false;
  }
}

/** Charts are drawn at the box's own pixel width, so text stays at its CSS size at any width. A
 *  box inside a hidden tab has no width yet; the page width stands in until the tab is shown. */
function widthOf(id: string): number {
  const w = $(id).clientWidth || document.body.clientWidth - 32;
  return Math.max(260, Math.min(1400, Math.floor(w)));
}

function renderCharts(s: PanelState): void {
  const r = s.result;
  if (!r) {
    for (const id of ['breakdown', 'curve', 'timeline']) $(id).innerHTML = `<p class="empty">${s.busy ? 'Estimating…' : 'No estimate yet.'}</p>`;
    return;
  }
  const e = mainEstimate(r);
  const vram = r.gpu?.totalBytes ?? null;
  $('h-breakdown').textContent = e ? `Breakdown at batch ${e.batch}` : 'Breakdown';
  $('breakdown').innerHTML = e ? renderBreakdown(e.bytes, vram, r.margin, { ...BAR_GEOMETRY, width: widthOf('breakdown') }, neededOf(e)) : '<p class="empty">No estimate in this result.</p>';
  // the quick result's curve is just the asked batch: keep the last full curve on screen, dimmed,
  // until the full analysis replaces it (the panel never blanks, issue #15)
  const curveBox = $('curve');
  curveBox.classList.toggle('stale', r.partial === true);
  if (r.partial) {
    if (!curveBox.querySelector('svg')) curveBox.innerHTML = `<p class="empty">Computing the memory-vs-batch curve…</p>`;
  } else curveBox.innerHTML = renderCurveChart({ curve: r.curve, vramBytes: vram, margin: r.margin, currentBatch: e?.batch ?? 1, maxBatch: r.maxBatch, maxBatchTight: r.maxBatchTight ?? null }, { ...CURVE_GEOMETRY, width: widthOf('curve') });
  renderTimeline();
}

function renderTimeline(): void {
  const r = state?.result;
  if (!r) return;
  $('timeline').innerHTML = renderTimelineChart(r.timeline, ui.selected, { ...TIMELINE_GEOMETRY, width: widthOf('timeline') });
}

function renderTable(): void {
  const r = state?.result;
  const body = $('layers-body');
  if (!r) {
    body.innerHTML = `<tr><td colspan="8" class="empty">No layers yet.</td></tr>`;
    return;
  }
  const view = buildTable(tableRows(r), ui.query);
  ui.query.page = view.page;
  body.innerHTML = renderTableBody(view, ui.selected);
  $('layer-count').textContent = String(view.total);
  $('match-count').textContent = ui.query.filter.trim() ? `${view.matched} of ${view.total} layers` : `${view.total} layers`;
  $('page-label').textContent = `Page ${view.page + 1} of ${view.pageCount}`;
  ($('btn-prev') as HTMLElement & { disabled: boolean }).disabled = view.page === 0;
  ($('btn-next') as HTMLElement & { disabled: boolean }).disabled = view.page >= view.pageCount - 1;
  for (const th of document.querySelectorAll<HTMLElement>('th[data-sort]')) {
    const active = th.dataset.sort === ui.query.sort;
    th.setAttribute('aria-sort', active ? (ui.query.desc ? 'descending' : 'ascending') : 'none');
    const icon = th.querySelector('.sort-icon');
    if (icon) icon.className = `codicon sort-icon${active ? (ui.query.desc ? ' codicon-arrow-down' : ' codicon-arrow-up') : ''}`;
  }
  // Roving tabindex: one row is in the tab order (the selected one, else the first).
  if (!body.querySelector('tr.layer-row[tabindex="0"]')) body.querySelector<HTMLElement>('tr.layer-row')?.setAttribute('tabindex', '0');
}

/** Only when the run names a dataset: the section stays hidden otherwise. */
function renderDataset(s: PanelState): void {
  const vm = buildDataset(s);
  $('dataset-section').hidden = !vm;
  $('dataset').innerHTML = vm ? renderDatasetSection(vm) : '';
}

function renderNotes(s: PanelState): void {
  const r = s.result;
  if (!r) {
    $('notes').innerHTML = '';
    return;
  }
  const list = (items: string[]) => (items.length ? `<ul>${items.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>` : '<p class="muted">None.</p>');
  $('notes').innerHTML = `<h2>Assumptions</h2>${list(r.assumptions)}<h2>How the model was read</h2>${list(r.model.notes)}`;
}

function render(s: PanelState): void {
  renderHeader(s);
  renderError(s);
  // Only a state that answers our newest request may rewrite the controls; otherwise a late reply
  // would undo what the user changed since.
  if (s.resultSeq >= sentSeq && debounce === undefined) renderControls(s);
  renderCharts(s);
  renderTable();
  renderDataset(s);
  renderNotes(s);
  document.getElementById('root')?.setAttribute('aria-busy', String(s.busy));
}

function showNotice(level: 'info' | 'error', text: string): void {
  const box = $('notice');
  box.className = `banner banner-${level}`;
  box.querySelector('.codicon')!.className = `codicon codicon-${level === 'error' ? 'error' : 'info'}`;
  $('notice-text').textContent = text;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (box.hidden = true), NOTICE_MS);
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

function setFieldError(id: FieldId, msg: string | undefined): void {
  const el = document.getElementById(`f-${id}`);
  const err = document.getElementById(`e-${id}`);
  el?.classList.toggle('invalid', !!msg);
  el?.setAttribute('aria-invalid', String(!!msg));
  if (err) err.textContent = msg ? `Expected ${msg}` : '';
}

function readValues(): FieldValues {
  const v = {} as FieldValues;
  for (const f of FIELDS) {
    const el = $(`f-${f.id}`);
    v[f.id] = f.kind === 'checkbox' ? (el as CheckedElement).checked : (el as ValueElement).value;
  }
  return v;
}

function scheduleEstimate(): void {
  if (applying) return;
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    debounce = undefined;
    const { patch, errors } = readFields(readValues());
    for (const f of FIELDS) setFieldError(f.id, errors[f.id]);
    if (Object.keys(errors).length) return; // fix the field first; the last good estimate stays
    sentSeq++;
    vs.postMessage({ type: 'setOptions', seq: sentSeq, patch });
  }, DEBOUNCE_MS);
}

function select(index: number | null, focus: boolean): void {
  ui.selected = index;
  const r = state?.result;
  if (r && index !== null) {
    const where = locateRow(tableRows(r), ui.query, index);
    if (where) {
      if (where.collapsedGroup) ui.query.collapsed = ui.query.collapsed.filter((g) => g !== where.collapsedGroup);
      ui.query.page = where.page;
    }
  }
  renderTable();
  renderTimeline();
  persist();
  if (focus && index !== null) document.querySelector<HTMLElement>(`tr.layer-row[data-index="${index}"]`)?.focus();
}

function bind(): void {
  for (const f of FIELDS) {
    const el = $(`f-${f.id}`);
    el.addEventListener(f.kind === 'number' ? 'input' : 'change', scheduleEstimate);
  }
  $('btn-md').addEventListener('click', () => vs.postMessage({ type: 'export', format: 'markdown' }));
  $('btn-csv').addEventListener('click', () => vs.postMessage({ type: 'export', format: 'csv' }));
  $('btn-json').addEventListener('click', () => vs.postMessage({ type: 'export', format: 'json' }));
  $('btn-log').addEventListener('click', () => vs.postMessage({ type: 'showLog' }));

  const tabs = $('tabs') as HTMLElement & { activeid: string };
  tabs.activeid = ui.tab;
  tabs.addEventListener('change', () => {
    if (TABS.includes(tabs.activeid) && tabs.activeid !== ui.tab) {
      ui.tab = tabs.activeid;
      persist();
      if (state) requestAnimationFrame(() => renderCharts(state!));
    }
  });
  let lastWidth = document.body.clientWidth;
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  new ResizeObserver(() => {
    if (document.body.clientWidth === lastWidth) return;
    lastWidth = document.body.clientWidth;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => state && renderCharts(state), 100);
  }).observe(document.body);

  const filter = $('filter') as ValueElement;
  filter.value = ui.query.filter;
  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  filter.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      ui.query.filter = filter.value;
      ui.query.page = 0;
      renderTable();
      persist();
    }, 120);
  });
  const page = (d: number) => {
    ui.query.page = Math.max(0, ui.query.page + d);
    renderTable();
    persist();
  };
  $('btn-prev').addEventListener('click', () => page(-1));
  $('btn-next').addEventListener('click', () => page(1));
  $('btn-collapse').addEventListener('click', () => {
    ui.query.collapsed = [...GROUP_ORDER];
    ui.query.page = 0;
    renderTable();
    persist();
  });
  $('btn-expand').addEventListener('click', () => {
    ui.query.collapsed = [];
    renderTable();
    persist();
  });

  document.querySelector('table.layers thead')!.addEventListener('click', (ev) => {
    const key = (ev.target as HTMLElement).closest<HTMLElement>('button.sort')?.dataset.sort as SortKey | undefined;
    if (!key || !SORT_KEYS.includes(key)) return;
    // First click on a numeric column sorts largest first: that is what people look for.
    const numeric = COLUMNS.find((c) => c.key === key)?.numeric && key !== 'index';
    ui.query.desc = ui.query.sort === key ? !ui.query.desc : !!numeric;
    ui.query.sort = key;
    ui.query.page = 0;
    renderTable();
    persist();
  });

  const body = $('layers-body');
  body.addEventListener('click', (ev) => {
    const t = ev.target as HTMLElement;
    const toggle = t.closest<HTMLElement>('button.group-toggle');
    if (toggle) {
      const g = toggle.dataset.group as Group;
      ui.query.collapsed = ui.query.collapsed.includes(g) ? ui.query.collapsed.filter((x) => x !== g) : [...ui.query.collapsed, g];
      renderTable();
      persist();
      document.querySelector<HTMLElement>(`button.group-toggle[data-group="${g}"]`)?.focus();
      return;
    }
    const row = t.closest<HTMLElement>('tr.layer-row');
    if (row) select(Number(row.dataset.index), true);
  });
  body.addEventListener('keydown', (ev) => {
    const row = (ev.target as HTMLElement).closest<HTMLElement>('tr.layer-row');
    if (!row) return;
    const rows = [...body.querySelectorAll<HTMLElement>('tr.layer-row')];
    const i = rows.indexOf(row);
    let next: HTMLElement | undefined;
    if (ev.key === 'ArrowDown') next = rows[i + 1];
    else if (ev.key === 'ArrowUp') next = rows[i - 1];
    else if (ev.key === 'Home') next = rows[0];
    else if (ev.key === 'End') next = rows[rows.length - 1];
    else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      select(Number(row.dataset.index), true);
      return;
    } else return;
    ev.preventDefault();
    if (next) select(Number(next.dataset.index), true);
  });

  $('timeline').addEventListener('click', (ev) => {
    const layer = (ev.target as Element).closest('rect.hit')?.getAttribute('data-layer');
    if (layer === null || layer === undefined) return;
    select(Number(layer), false);
  });
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const parsed = parseHostToPanel(ev.data);
  if (!parsed.ok) {
    warn(`ignored message: ${parsed.error}`);
    return;
  }
  const msg = parsed.value;
  switch (msg.type) {
    case 'panelState':
      // A state that answers an older request than one already shown is stale.
      if (msg.state.resultSeq < seenSeq) return;
      seenSeq = msg.state.resultSeq;
      state = msg.state;
      render(state);
      persist();
      return;
    case 'notice':
      showNotice(msg.level, msg.text);
      return;
    case 'gpuNow':
      // Only the header shows the reading; the charts and table stay as they are.
      if (!state) return;
      state = { ...state, gpuNow: msg.gpu };
      renderHeader(state);
      return;
    case 'measured':
      renderMeasured(msg.view);
      return;
  }
});

document.getElementById('root')!.innerHTML = skeleton();
applyAccessibleNames(document);
bind();
mountMeasured(() => vs.postMessage({ type: 'measure' }));
vs.postMessage({ type: 'ready' });
