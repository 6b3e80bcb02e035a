// The hover card's Markdown, from an AnalysisResult. Pure (no vscode): hover.ts wraps the string in
// a trusted MarkdownString that may run only HOVER_COMMANDS. The verdict and the memory terms come
// from webview/shared/memory.ts, so the hover, the status bar and both views always agree.

import { maxBatchText } from '../core/max-batch';
import type { HostRamEstimate } from '../core/dataset/host-ram';
import type { AnalysisResult, DatasetSummary, Estimate } from '../core/result';
import type { Verdict } from '../protocol/webview';
import { formatBytes, formatPercent } from '../../webview/shared/format';
import { breakdownOf, neededOf, needsPhrase, otherTotals, usableBytes, verdictOf } from '../../webview/shared/memory';
import { COMMANDS, commandLink } from './commands';

/** Codicons, not emoji: emoji need a colour-emoji font that many Linux desktops lack (empty boxes). */
export const VERDICT_CODICON: Readonly<Record<Verdict, string>> = {
  fits: '$(pass)',
  tight: '$(warning)',
  oom: '$(error)',
  unknown: '$(question)',
  pending: '$(loading~spin)',
  error: '$(error)',
};

/** Optimizers in the user's words: what each keeps per trainable weight. */
const OPTIMIZER_WORDS: Readonly<Record<string, string>> = {
  sgd: 'SGD (1 momentum buffer per weight)',
  adam: 'Adam (2 moment buffers per weight)',
  adamw: 'AdamW (2 moment buffers per weight)',
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

/** The card, most decisive first so it fits VS Code's hover (~250 px before it scrolls):
 *    verdict + the decisive figure against the usable VRAM
 *    largest batch that fits · Open memory panel · Select GPU…
 *    ---
 *    run settings, the bar, the other totals and the top terms in plain words, the dataset. */
export function renderHoverCard(result: AnalysisResult, opts: { batch?: number | null; link?: CardLinkArgs } = {}): string {
  const est = pickEstimate(result, opts.batch);
  const gpu = result.gpu;
  const links = [`[$(graph) Open memory panel](${commandLink(COMMANDS.analyzeModel, opts.link ?? { options: { model: result.model.source.replace(/^builtin:/, '') } })})`, `[$(chip) Select GPU…](${commandLink(COMMANDS.selectGpu)})`];
  if (!est) return [`$(chip) **${escapeMd(result.model.name)}**: _no estimate in the result._`, '', links.join(' · ')].join('\n');
  const verdict = verdictOf(est, gpu?.totalBytes, result.margin);
  const batchText = est.batchPerGpu !== est.batch ? `batch ${est.batch} (${est.batchPerGpu} per GPU)` : `batch ${est.batch}`;
  const lines: string[] = [];
  lines.push(`${VERDICT_CODICON[verdict]} **${batchText} ${verdictWords(verdict, est)}** — ${escapeMd(needsPhrase(est, gpu?.totalBytes, result.margin))}`, '');
  const tight = result.maxBatchTight !== undefined && result.maxBatchTight !== null && result.maxBatch !== null && result.maxBatchTight > result.maxBatch ? ` (may fit up to ${result.maxBatchTight})` : '';
  const action = result.maxBatch === 0 ? [`**${maxBatchText(result)}**`] : result.maxBatch !== null ? [`Largest batch that fits: **${maxBatchText(result)}**${tight}`] : [];
  lines.push([...action, ...links].join(' · '), '', '---', '');

  const settings = [`**${escapeMd(result.model.name)}**`, `imgsz ${est.imgsz}`, est.amp ? 'mixed precision (AMP)' : 'fp32', OPTIMIZER_WORDS[est.optimizer] ?? est.optimizer];
  settings.push(gpu ? `${escapeMd(gpu.name)} ${formatBytes(gpu.totalBytes)}, ${formatPercent(result.margin, 0)} kept free` : 'no GPU known');
  lines.push(settings.join(' · '), '');
  if (gpu) lines.push('```text', `needs ${textBar(neededOf(est).bytes, usableBytes(gpu.totalBytes, result.margin))} ${gib(neededOf(est).bytes)} of ${gib(usableBytes(gpu.totalBytes, result.margin))} GiB usable`, '```');
  const totals = otherTotals(est).map((t) => `${t.label.toLowerCase()} ${formatBytes(t.bytes)} _(${escapeMd(t.short)})_`);
  lines.push(`Other totals: ${totals.join(' · ')}`, '');
  if (est.upper) lines.push(bandLine(result, est), '');
  const top = breakdownOf(est.bytes)
    .segments.filter((s) => s.key !== 'other')
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  if (top.length) lines.push(`Largest terms: ${top.map((s) => `${s.label} ${formatBytes(s.bytes)}`).join(' · ')}`, '');
  if (result.dataset) lines.push(...renderDatasetLines(result.dataset), '');
  return lines.join('\n').trimEnd();
}

export const HOST_RAM_CODICON: Readonly<Record<HostRamEstimate['verdict'], string>> = { fits: '$(pass)', tight: '$(warning)', exceeds: '$(error)' };
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
    const parts = [`${HOST_RAM_CODICON[h.verdict]} Host RAM: data pipeline ${formatBytes(h.totalBytes)} of ${formatBytes(h.freeRamBytes)} free (${HOST_RAM_WORDS[h.verdict]})`];
    // A cache Ultralytics will skip is not in the total: the line below says what it needs.
    if (h.cache.mode === 'ram' && h.cache.ultralyticsWouldCache !== false) parts.push(`cache=ram ${formatBytes(h.cache.ramBytes)}`);
    if (h.cache.mode === 'disk' && h.cache.diskBytes !== null) parts.push(`cache=disk ${formatBytes(h.cache.diskBytes)} on disk`);
    parts.push(`${h.workersEffective} worker${h.workersEffective === 1 ? '' : 's'}`);
    lines.push('', parts.join(' · '));
    if (h.cache.ultralyticsWouldCache === false) {
      lines.push('', `$(warning) cache=ram needs ${formatBytes(h.cache.requiredWithMarginBytes)} with Ultralytics' 50 % margin (${formatBytes(h.freeRamBytes)} free): it will train without the cache`);
    }
  }
  return lines;
}

/** The card while the first estimate for these settings is running. */
export function renderPendingCard(model: string): string {
  return `$(chip) **${escapeMd(model)}** · $(loading~spin) estimating GPU memory… hover again in a moment.`;
}

export function renderErrorCard(model: string, message: string): string {
  return `$(chip) **${escapeMd(model)}** · $(error) could not estimate: ${escapeMd(message)}\n\n[Show log](${commandLink(COMMANDS.showLog)})`;
}

function verdictWords(v: Verdict, est: Estimate): string {
  switch (v) {
    case 'fits':
      return 'fits';
    case 'tight':
      return 'fits, but tight (may not fit)';
    case 'oom':
      return est.limitedBy === 'validation' ? 'does not fit: training fits, validation (2× batch) does not' : 'does not fit';
    default:
      return 'has no GPU to check against';
  }
}

/** The band under the bars: the central estimate, what real runs reached at most, and why a
 *  'tight' verdict is tight (issue #21). */
export function bandLine(result: AnalysisResult, est: Estimate): string {
  const band = result.errorBand;
  const range = `Band: reserved ${formatBytes(est.bytes.reserved)} (estimate) to ${formatBytes(est.upper.reserved)} (upper bound)`;
  const why = est.verdictReason ? ` — ${escapeMd(est.verdictReason)}` : '';
  const assumed = band?.knowledge === 'assumed' ? ' · dataset unknown: density assumed, a dense dataset can need several times more' : '';
  return `${range}${why}${assumed}`;
}

/** Escape Markdown punctuation in names that come from files. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
