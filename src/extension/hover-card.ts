// The hover card's Markdown, from an AnalysisResult. Pure (no vscode): hover.ts wraps the string in
// a trusted MarkdownString that may run only HOVER_COMMANDS. The verdict and the memory terms come
// from webview/shared/memory.ts, so the hover, the status bar and both views always agree.

import { maxBatchText } from '../core/max-batch';
import type { HostRamEstimate } from '../core/dataset/host-ram';
import type { AnalysisResult, DatasetSummary, Estimate } from '../core/result';
import type { Verdict } from '../protocol/webview';
import { formatBytes, formatPercent } from '../../webview/shared/format';
import { breakdownOf, verdictOf } from '../../webview/shared/memory';
import { COMMANDS, commandLink } from './commands';

export const VERDICT_EMOJI: Readonly<Record<Verdict, string>> = {
  fits: '✅',
  tight: '⚠️',
  oom: '❌',
  unknown: '❔',
  pending: '⏳',
  error: '❌',
};

/** What the analyze-command link in the card opens: the panel for these options. */
export interface CardLinkArgs {
  /** The document the hover is in (a URI string), so the panel can refer back. */
  uri?: string;
  options: unknown;
}

export const BAR_WIDTH = 20;

/** `████████░░░░` filled in proportion to used/total (clamped; over 100 % shows a full bar + "!"). */
export function textBar(used: number, total: number, width = BAR_WIDTH): string {
  if (!(total > 0)) return '░'.repeat(width);
  const frac = used / total;
  const filled = Math.max(0, Math.min(width, Math.round(frac * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled) + (frac > 1 ? ' !' : '');
}

function gib(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(1);
}

/** The estimate the card is about: the one for `batch` when given, else the first. */
export function pickEstimate(result: AnalysisResult, batch?: number | null): Estimate | undefined {
  return (batch ? result.estimates.find((e) => e.batch === batch) : undefined) ?? result.estimates[0];
}

export function renderHoverCard(result: AnalysisResult, opts: { batch?: number | null; link?: CardLinkArgs } = {}): string {
  const est = pickEstimate(result, opts.batch);
  const gpu = result.gpu;
  const lines: string[] = [];
  const head = [`**${escapeMd(result.model.name)}**`];
  if (est) head.push(`imgsz ${est.imgsz}`, est.amp ? 'AMP' : 'fp32', est.optimizer.toUpperCase());
  head.push(gpu ? `${escapeMd(gpu.name)} (${formatBytes(gpu.totalBytes)})` : 'no GPU');
  lines.push(`$(chip) ${head.join(' · ')}`, '');
  if (!est) {
    lines.push('_No estimate in the result._');
    return lines.join('\n');
  }
  const verdict = verdictOf(est, gpu?.totalBytes, result.margin);
  const batchText = est.batchPerGpu !== est.batch ? `batch ${est.batch} (${est.batchPerGpu} per GPU)` : `batch ${est.batch}`;
  lines.push(`${VERDICT_EMOJI[verdict]} **${batchText}: ${verdictWords(verdict, est)}**`, '');
  if (gpu) {
    const t = gpu.totalBytes;
    lines.push(
      '```text',
      `reserved ${textBar(est.bytes.reserved, t)} ${gib(est.bytes.reserved)}/${gib(t)} GiB`,
      `device   ${textBar(est.bytes.device, t)} ${gib(est.bytes.device)}/${gib(t)} GiB`,
      ...(est.validationDevice !== null ? [`val ×2   ${textBar(est.validationDevice, t)} ${gib(est.validationDevice)}/${gib(t)} GiB`] : []),
      '```',
    );
  } else {
    lines.push(`reserved ${formatBytes(est.bytes.reserved)} · device ${formatBytes(est.bytes.device)} — no GPU known to compare with`, '');
  }
  if (result.maxBatch === 0) lines.push(`**${maxBatchText(result)}** (${formatPercent(result.margin, 0)} kept free)`, '');
  else if (result.maxBatch !== null) {
    lines.push(`Largest batch that fits: **${maxBatchText(result)}** (${formatPercent(result.margin, 0)} kept free)`, '');
  }
  const top = breakdownOf(est.bytes)
    .segments.filter((s) => s.key !== 'other')
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  if (top.length) lines.push(`Top: ${top.map((s) => `${s.label} ${formatBytes(s.bytes)}`).join(' · ')}`, '');
  if (result.dataset) lines.push(...renderDatasetLines(result.dataset), '');
  const links = [`[$(graph) Open memory panel](${commandLink(COMMANDS.analyzeModel, opts.link ?? { options: { model: result.model.source.replace(/^builtin:/, '') } })})`, `[$(chip) Select GPU…](${commandLink(COMMANDS.selectGpu)})`];
  lines.push(links.join(' · '));
  return lines.join('\n');
}

export const HOST_RAM_EMOJI: Readonly<Record<HostRamEstimate['verdict'], string>> = { fits: '✅', tight: '⚠️', exceeds: '❌' };
const HOST_RAM_WORDS: Readonly<Record<HostRamEstimate['verdict'], string>> = { fits: 'fits', tight: 'tight', exceeds: 'exceeds free RAM' };

/** One decimal at most: a mean of 2.375 boxes reads 2.4, 300 reads 300. */
function oneDecimal(n: number): string {
  return String(Number(n.toFixed(1)));
}

/** The card's dataset lines: what the scan found, what the assigner was sized for, and the data
 *  pipeline's host RAM with its verdict (and the cache=ram cache, which is most of it). */
export function renderDatasetLines(d: DatasetSummary): string[] {
  const name = `**Dataset** ${escapeMd(d.source)}`;
  // Not scanned: the explanation names the file itself ("coco8.yaml: an Ultralytics built-in ...").
  if (d.images === null) return [`**Dataset** ${escapeMd(d.explanation.startsWith(d.source) ? d.explanation : `${d.source}: ${d.explanation}`)}`];
  const facts = [`${d.images.toLocaleString('en-US')} images${d.sampled ? ` (${escapeMd(d.sampled)})` : ''}`];
  if (d.objects) facts.push(`objects/image max ${d.objects.max} · p99 ${d.objects.p99} · mean ${oneDecimal(d.objects.mean)}`);
  if (d.assignerObjects !== null) facts.push(`assigner sized for ${d.assignerObjects} boxes`);
  const lines = [`${name}: ${facts.join(' · ')}`];
  const h = d.hostRam;
  if (h) {
    const parts = [`${HOST_RAM_EMOJI[h.verdict]} Host RAM: data pipeline ${formatBytes(h.totalBytes)} of ${formatBytes(h.freeRamBytes)} free (${HOST_RAM_WORDS[h.verdict]})`];
    // A cache Ultralytics will skip is not in the total: the line below says what it needs.
    if (h.cache.mode === 'ram' && h.cache.ultralyticsWouldCache !== false) parts.push(`cache=ram ${formatBytes(h.cache.ramBytes)}`);
    if (h.cache.mode === 'disk' && h.cache.diskBytes !== null) parts.push(`cache=disk ${formatBytes(h.cache.diskBytes)} on disk`);
    parts.push(`${h.workersEffective} worker${h.workersEffective === 1 ? '' : 's'}`);
    lines.push('', parts.join(' · '));
    if (h.cache.ultralyticsWouldCache === false) {
      lines.push('', `⚠️ cache=ram needs ${formatBytes(h.cache.requiredWithMarginBytes)} with Ultralytics' 50 % margin (${formatBytes(h.freeRamBytes)} free): it will train without the cache`);
    }
  }
  return lines;
}

/** The card while the first estimate for these settings is running. */
export function renderPendingCard(model: string): string {
  return `$(chip) **${escapeMd(model)}** · $(loading~spin) estimating GPU memory… hover again in a moment.`;
}

export function renderErrorCard(model: string, message: string): string {
  return `$(chip) **${escapeMd(model)}** · ❌ could not estimate: ${escapeMd(message)}\n\n[Show log](${commandLink(COMMANDS.showLog)})`;
}

function verdictWords(v: Verdict, est: Estimate): string {
  switch (v) {
    case 'fits':
      return 'fits';
    case 'tight':
      return 'fits, but tight';
    case 'oom':
      return est.limitedBy === 'validation' ? 'training fits, validation (2× batch) does not' : 'does not fit';
    default:
      return 'no GPU to check against';
  }
}

/** Escape Markdown punctuation in names that come from files. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
