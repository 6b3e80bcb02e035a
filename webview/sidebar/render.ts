// The sidebar as an HTML string from its state: GPUs now, the active editor's verdict, the largest
// batch that fits, the workspace's models and scripts. Pure; main.ts only inserts it.

import type { GpuInfo } from '../../src/core/result';
import type { SidebarEntry, SidebarState } from '../../src/protocol/webview';
import { escapeHtml, formatBytes, formatPercent } from '../shared/format';
import { VERDICT_ICON, VERDICT_LABEL } from '../shared/memory';

/** A 100-unit-wide bar: `used` of `total`, optional limit tick. SVG attributes only (CSP). */
export function miniBar(used: number, total: number, cls: string, limit: number | null = null, label = ''): string {
  const frac = total > 0 ? Math.min(1, Math.max(0, used / total)) : 0;
  const lim = limit !== null && total > 0 ? `<line class="limit" x1="${((limit / total) * 100).toFixed(2)}" x2="${((limit / total) * 100).toFixed(2)}" y1="0" y2="6"></line>` : '';
  return `<svg class="mini" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}"><rect class="track" width="100" height="6"></rect><rect class="fill ${cls}" width="${(frac * 100).toFixed(2)}" height="6"></rect>${lim}</svg>`;
}

export function gpuHtml(g: GpuInfo): string {
  const used = g.usedBytes ?? (g.freeBytes !== undefined ? g.totalBytes - g.freeBytes : null);
  const usage = used !== null ? `${formatBytes(used)} / ${formatBytes(g.totalBytes)}` : formatBytes(g.totalBytes);
  const share = used !== null ? formatPercent(used / g.totalBytes, 0) : '';
  const label = `${g.name}: ${usage} used`;
  const bar = used !== null ? miniBar(used, g.totalBytes, used / g.totalBytes > 0.9 ? 'oom' : used / g.totalBytes > 0.7 ? 'tight' : '', null, label) : '';
  const title = [g.name, g.driverVersion ? `driver ${g.driverVersion}` : '', `from ${g.source}`].filter(Boolean).join(' · ');
  return `<div class="gpu" title="${escapeHtml(title)}"><div class="gpu-name">${g.index !== undefined ? `${g.index}: ` : ''}${escapeHtml(g.name)}</div>${bar}<div class="gpu-line"><span>${escapeHtml(usage)}</span><span>${share}</span></div></div>`;
}

/** "needs 5.1 GiB of 7.2 GiB usable" (the decisive figure, as the hover and status bar say it), or
 *  why there is no estimate. */
export function entryUsage(e: SidebarEntry): string {
  if (e.deviceBytes === null) return e.message ?? VERDICT_LABEL[e.verdict];
  const limit = e.usableBytes ?? null;
  return limit !== null ? `needs ${formatBytes(e.deviceBytes)} of ${formatBytes(limit)} usable` : e.vramBytes !== null ? `needs ${formatBytes(e.deviceBytes)} of ${formatBytes(e.vramBytes)}` : `needs ${formatBytes(e.deviceBytes)}`;
}

/** The entry's status word: the verdict, or "No estimate" when there is none and a reason says why
 *  (an unknown model is not "no GPU"). */
export function entryStatus(e: SidebarEntry): string {
  if (e.deviceBytes === null && e.message && (e.verdict === 'unknown' || e.verdict === 'error')) return e.verdict === 'error' ? 'Could not estimate' : 'No estimate';
  return VERDICT_LABEL[e.verdict];
}

export function entryHtml(e: SidebarEntry, withBar: boolean): string {
  const icon = e.verdict === 'pending' ? 'loading codicon-modifier-spin' : VERDICT_ICON[e.verdict];
  const setting = [e.batch !== null ? `batch ${e.batch}` : '', e.imgsz !== null ? `imgsz ${e.imgsz}` : ''].filter(Boolean).join(', ');
  const limit = e.usableBytes ?? e.vramBytes;
  const bar = withBar && e.deviceBytes !== null && limit ? miniBar(e.deviceBytes, Math.max(limit, e.deviceBytes), e.verdict === 'oom' ? 'oom' : e.verdict === 'tight' ? 'tight' : '', limit, `${entryStatus(e)}: ${entryUsage(e)}`) : '';
  const max = e.maxBatch !== null ? `max batch ${e.maxBatch}` : '';
  const label = `${e.label}: ${entryStatus(e)}${setting ? ` at ${setting}` : ''}, ${entryUsage(e)}${max ? `, ${max}` : ''}. Open the analysis panel.`;
  const line = [`<span class="v-${e.verdict}">${escapeHtml(entryStatus(e))}</span>`, e.deviceBytes !== null ? `<span>${escapeHtml(entryUsage(e))}</span>` : '', max ? `<span>${max}</span>` : ''].join('');
  const detail = [setting, e.detail].filter(Boolean).join(' · ');
  return (
    `<button class="entry" data-id="${escapeHtml(e.id)}" aria-label="${escapeHtml(label)}" title="${escapeHtml(e.message ?? e.detail)}">` +
    `<span class="entry-head"><span class="codicon codicon-${icon} v-${e.verdict}" aria-hidden="true"></span><span class="entry-label">${escapeHtml(e.label)}</span></span>` +
    bar +
    `<span class="entry-line">${line}</span>` +
    (e.message && e.deviceBytes === null ? `<span class="entry-message">${escapeHtml(e.message)}</span>` : '') +
    `<span class="entry-detail">${escapeHtml(detail)}</span></button>`
  );
}

/** "Largest batch that fits: 37 (imgsz 640 on 8 GiB)", about the active editor's entry only: a
 *  note sits with the item it is about (each workspace entry carries its own "max batch"). */
export function largestLine(s: SidebarState): string | null {
  const e = s.active;
  if (!e || e.maxBatch === null) return null;
  const where = [e.imgsz !== null ? `imgsz ${e.imgsz}` : '', e.vramBytes !== null ? `on ${formatBytes(e.vramBytes)}` : ''].filter(Boolean).join(', ');
  return `Largest batch that fits: ${e.maxBatch}${where ? ` (${where})` : ''}`;
}

export function renderSidebar(s: SidebarState): string {
  const out: string[] = [];
  const gpus = s.gpus.length ? s.gpus.map(gpuHtml).join('') : `<p class="empty">${escapeHtml(s.gpuMessage ?? 'No GPU found.')}</p>`;
  const time = s.updatedAt ? new Date(s.updatedAt).toLocaleTimeString() : '';
  out.push(
    `<section class="sb-section" aria-labelledby="sb-gpu"><h2 id="sb-gpu"><span>GPU now</span><span class="spacer"></span>` +
      `<vscode-button appearance="icon" id="refresh" title="Read the GPUs again${time ? ` (last ${escapeHtml(time)})` : ''}" aria-label="Refresh GPUs"><span class="codicon codicon-refresh"></span></vscode-button></h2>${gpus}</section>`,
  );
  const largest = largestLine(s);
  out.push(
    `<section class="sb-section" aria-labelledby="sb-active"><h2 id="sb-active">Active editor</h2>${s.active ? entryHtml(s.active, true) : '<p class="empty">No YOLO model or training call in the active editor.</p>'}` +
      (largest ? `<p class="largest" role="status">${escapeHtml(largest)}</p>` : '') +
      `</section>`,
  );
  const items = s.workspace.map((e) => `<li>${entryHtml(e, false)}</li>`).join('');
  out.push(
    `<section class="sb-section" aria-labelledby="sb-ws"><h2 id="sb-ws"><span>Workspace</span><span class="badge" aria-label="${s.workspace.length} entries">${s.workspace.length}</span></h2>` +
      (items ? `<ul class="entries" aria-label="Models and training launches, worst first">${items}</ul>` : '<p class="empty">No models or training launches found.</p>') +
      `</section>`,
  );
  return out.join('');
}
