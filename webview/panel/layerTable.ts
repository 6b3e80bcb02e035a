// The per-layer table as a view-model: filter, sort within groups, collapse groups, page.
// Pure, so 2,000+ row behaviour is tested in Node; main.ts only puts the HTML in the DOM.

import type { Group } from '../../src/core/graph/types';
import type { AnalysisResult, LayerRow } from '../../src/core/result';
import { escapeHtml, formatBytes, formatCount, formatInt, formatPercent, formatShape } from '../shared/format';

export type SortKey = 'index' | 'name' | 'type' | 'shape' | 'params' | 'flops' | 'activationBytes';

export const SORT_KEYS: readonly SortKey[] = ['index', 'name', 'type', 'shape', 'params', 'flops', 'activationBytes'];

export interface TableQuery {
  filter: string;
  sort: SortKey;
  desc: boolean;
  collapsed: Group[];
  /** 0-based. Clamped to the last page. */
  page: number;
  pageSize: number;
}

/** Every row the table lists: the model's layers, then the loss's ops (their saved tensors are
 *  part of the activation total, so the % column covers both). */
export function tableRows(r: Pick<AnalysisResult, 'layers' | 'lossLayers'>): LayerRow[] {
  return r.lossLayers?.length ? [...r.layers, ...r.lossLayers] : r.layers;
}

export const DEFAULT_QUERY: TableQuery = { filter: '', sort: 'index', desc: false, collapsed: [], page: 0, pageSize: 200 };

export const GROUP_ORDER: readonly Group[] = ['backbone', 'neck', 'head', 'loss', 'other'];
export const GROUP_LABEL: Readonly<Record<Group, string>> = { backbone: 'Backbone', neck: 'Neck', head: 'Head', loss: 'Loss', other: 'Other' };

export interface GroupItem {
  kind: 'group';
  group: Group;
  /** Rows of the group that pass the filter. */
  count: number;
  params: number;
  flops: number;
  activationBytes: number;
  collapsed: boolean;
  /** This header repeats a group whose rows started on an earlier page. */
  continued: boolean;
}

export interface RowItem {
  kind: 'row';
  row: LayerRow;
  /** Share of all layers' activation bytes (unfiltered). */
  share: number;
  /** Bar length: activation bytes over the largest layer's (unfiltered). */
  bar: number;
}

export type TableItem = GroupItem | RowItem;

export interface TableView {
  items: TableItem[];
  page: number;
  pageCount: number;
  /** Rows that pass the filter (all groups, collapsed or not). */
  matched: number;
  total: number;
  /** Sum of activation bytes over all rows: the denominator of the % column. */
  activationTotal: number;
}

function rowMatches(r: LayerRow, terms: string[]): boolean {
  if (!terms.length) return true;
  const hay = `${r.index} ${r.name} ${r.type} ${r.source} ${r.moduleType} ${r.modulePath} ${r.group}`.toLowerCase();
  return terms.every((t) => hay.includes(t));
}

function shapeSize(s: readonly number[]): number {
  return s.reduce((a, d) => a * d, 1);
}

function compare(a: LayerRow, b: LayerRow, key: SortKey): number {
  switch (key) {
    case 'index':
      return a.index - b.index;
    case 'name':
      return a.name.localeCompare(b.name);
    case 'type':
      return a.type.localeCompare(b.type);
    case 'shape':
      return shapeSize(a.outputShape) - shapeSize(b.outputShape);
    case 'params':
      return a.params - b.params;
    case 'flops':
      return a.flops - b.flops;
    case 'activationBytes':
      return a.activationBytes - b.activationBytes;
  }
}

export function buildTable(rows: readonly LayerRow[], q: TableQuery): TableView {
  const terms = q.filter.toLowerCase().split(/\s+/).filter(Boolean);
  let activationTotal = 0;
  let maxAct = 0;
  for (const r of rows) {
    activationTotal += r.activationBytes;
    if (r.activationBytes > maxAct) maxAct = r.activationBytes;
  }
  const byGroup = new Map<Group, LayerRow[]>();
  let matched = 0;
  for (const r of rows) {
    if (!rowMatches(r, terms)) continue;
    matched++;
    const list = byGroup.get(r.group) ?? [];
    list.push(r);
    byGroup.set(r.group, list);
  }
  // Flatten: header, then rows unless collapsed. Stable sort with the index as tie-breaker.
  const flat: TableItem[] = [];
  for (const g of GROUP_ORDER) {
    const list = byGroup.get(g);
    if (!list) continue;
    list.sort((a, b) => {
      const c = compare(a, b, q.sort);
      return (q.desc ? -c : c) || a.index - b.index;
    });
    const collapsed = q.collapsed.includes(g);
    flat.push({
      kind: 'group',
      group: g,
      count: list.length,
      params: list.reduce((a, r) => a + r.params, 0),
      flops: list.reduce((a, r) => a + r.flops, 0),
      activationBytes: list.reduce((a, r) => a + r.activationBytes, 0),
      collapsed,
      continued: false,
    });
    if (!collapsed) {
      for (const row of list) flat.push({ kind: 'row', row, share: activationTotal ? row.activationBytes / activationTotal : 0, bar: maxAct ? row.activationBytes / maxAct : 0 });
    }
  }
  const size = Math.max(1, Math.floor(q.pageSize));
  const pageCount = Math.max(1, Math.ceil(flat.length / size));
  const page = Math.min(Math.max(0, Math.floor(q.page)), pageCount - 1);
  const items = flat.slice(page * size, (page + 1) * size);
  // A page that starts inside a group repeats that group's header, so every row has its context.
  if (items.length && items[0]!.kind === 'row') {
    const start = page * size;
    for (let i = start - 1; i >= 0; i--) {
      const it = flat[i]!;
      if (it.kind === 'group') {
        items.unshift({ ...it, continued: true });
        break;
      }
    }
  }
  return { items, page, pageCount, matched, total: rows.length, activationTotal };
}

/** The page that shows layer `index` under this query, or null when the filter hides it. A row in
 *  a collapsed group reports that group so the caller can expand it first. */
export function locateRow(rows: readonly LayerRow[], q: TableQuery, index: number): { page: number; collapsedGroup: Group | null } | null {
  const row = rows.find((r) => r.index === index);
  if (!row) return null;
  if (q.collapsed.includes(row.group)) {
    const open = locateRow(rows, { ...q, collapsed: q.collapsed.filter((g) => g !== row.group) }, index);
    return open && { page: open.page, collapsedGroup: row.group };
  }
  const all = buildTable(rows, { ...q, page: 0, pageSize: Number.MAX_SAFE_INTEGER });
  const pos = all.items.findIndex((it) => it.kind === 'row' && it.row.index === index);
  if (pos < 0) return null;
  return { page: Math.floor(pos / Math.max(1, Math.floor(q.pageSize))), collapsedGroup: null };
}

/** Column headings, in order, with their sort keys. */
export const COLUMNS: ReadonlyArray<{ key: SortKey; label: string; numeric: boolean }> = [
  { key: 'index', label: '#', numeric: true },
  { key: 'name', label: 'Name', numeric: false },
  { key: 'type', label: 'Type', numeric: false },
  { key: 'shape', label: 'Output shape', numeric: false },
  { key: 'params', label: 'Params', numeric: true },
  { key: 'flops', label: 'FLOPs', numeric: true },
  { key: 'activationBytes', label: 'Activations', numeric: true },
];

/** Rows as HTML for the table body. Bars are SVG attributes, not inline styles, for the CSP. */
export function renderTableBody(view: TableView, selected: number | null): string {
  const out: string[] = [];
  for (const it of view.items) {
    if (it.kind === 'group') {
      const label = `${GROUP_LABEL[it.group]}${it.continued ? ' (continued)' : ''}`;
      out.push(
        `<tr class="group-row" data-group="${it.group}">` +
          `<th colspan="8" scope="rowgroup">` +
          `<button class="group-toggle" data-group="${it.group}" aria-expanded="${!it.collapsed}" title="${it.collapsed ? 'Expand' : 'Collapse'} ${GROUP_LABEL[it.group]}">` +
          `<span class="codicon codicon-chevron-${it.collapsed ? 'right' : 'down'}" aria-hidden="true"></span>${escapeHtml(label)}</button>` +
          `<span class="group-stats">${formatInt(it.count)} layers · ${formatCount(it.params)} params · ${formatCount(it.flops)}FLOPs · ${formatBytes(it.activationBytes)} activations</span>` +
          `</th></tr>`,
      );
      continue;
    }
    const r = it.row;
    const sel = r.index === selected;
    const flags = [r.inferenceOnly ? '<span class="tag" title="In the exported graph but not run in training">inference only</span>' : '', r.unsupported ? `<span class="tag tag-error" title="${escapeHtml(r.unsupported)}">unsupported</span>` : ''].join('');
    out.push(
      `<tr class="layer-row${sel ? ' selected' : ''}" data-index="${r.index}" tabindex="${sel ? 0 : -1}" aria-selected="${sel}">` +
        `<td class="num">${r.index}</td>` +
        `<td class="name" title="${escapeHtml(`${r.name}\n${r.modulePath} (${r.moduleType})\nfrom ${r.source}`)}">${escapeHtml(r.name)}${flags}</td>` +
        `<td>${escapeHtml(r.type)}</td>` +
        `<td class="shape">${escapeHtml(formatShape(r.outputShape))}</td>` +
        `<td class="num" title="${formatInt(r.params)}">${r.params ? formatCount(r.params) : '0'}</td>` +
        `<td class="num" title="${formatInt(r.flops)}">${r.flops ? formatCount(r.flops) : '0'}</td>` +
        `<td class="num act" title="${formatInt(r.activationBytes)} bytes"><svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect width="${(it.bar * 100).toFixed(2)}" height="6"></rect></svg><span class="act-value">${formatBytes(r.activationBytes)}</span></td>` +
        `<td class="num">${formatPercent(it.share)}</td>` +
        `</tr>`,
    );
  }
  if (!view.items.length) out.push(`<tr><td colspan="8" class="empty">No layer matches the filter.</td></tr>`);
  return out.join('');
}
