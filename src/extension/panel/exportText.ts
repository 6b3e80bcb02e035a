// The panel's exports, built on the host from its own copy of the result (the webview only asks).
// Pure: Markdown summary + layer table, CSV of the layers, and the result JSON (the CLI's --json).

import type { AnalyzeOptions } from '../../core/options';
import type { AnalysisResult } from '../../core/result';
import { formatBytes, formatCount, formatPercent, formatShape } from '../../../webview/shared/format';
import { breakdownOf, neededOf, usableBytes, VERDICT_LABEL, verdictOf } from '../../../webview/shared/memory';
import { DEPLOY_BYTES_PER_PARAM } from '../../../webview/panel/viewModel';
import { tableRows } from '../../../webview/panel/layerTable';

export type ExportFormat = 'markdown' | 'csv' | 'json';

/** Cell text safe inside a Markdown table: no pipes or line breaks. */
function md(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export function toMarkdown(r: AnalysisResult, o: AnalyzeOptions): string {
  const e = r.estimates[0];
  const lines: string[] = [];
  lines.push(`# ${md(r.model.name)}: training memory`, '');
  lines.push(`Source: \`${r.model.source.replace(/`/g, "'")}\` (${r.model.format}), task ${r.model.task ?? 'unknown'}, ${formatCount(r.model.params)} parameters, ${r.model.gflops.toFixed(1)} GFLOPs, ${r.model.layers} layers.`, '');
  if (r.gpu) lines.push(`GPU: ${md(r.gpu.name)}, ${formatBytes(r.gpu.totalBytes)} (${r.gpu.source}); safety margin ${formatPercent(r.margin, 0)}.`, '');
  else lines.push('GPU: none known (no verdict).', '');
  if (r.estimates.length) {
    // "needs" first: the figure the verdict compares with the usable VRAM (as in the editor)
    lines.push('| batch | per GPU | imgsz | AMP | optimizer | needs | usable | verdict | allocated | reserved | device |', '| ---: | ---: | ---: | :-: | --- | ---: | ---: | --- | ---: | ---: | ---: |');
    for (const x of r.estimates) {
      const usable = r.gpu ? formatBytes(usableBytes(r.gpu.totalBytes, r.margin)) : '—';
      lines.push(`| ${x.batch} | ${x.batchPerGpu} | ${x.imgsz} | ${x.amp ? 'yes' : 'no'} | ${x.optimizer} | ${formatBytes(neededOf(x).bytes)} | ${usable} | ${VERDICT_LABEL[verdictOf(x, r.gpu?.totalBytes, r.margin)]} | ${formatBytes(x.bytes.allocated)} | ${formatBytes(x.bytes.reserved)} | ${formatBytes(x.bytes.device)} |`);
    }
    lines.push('');
  }
  if (r.maxBatch !== null) lines.push(`Largest batch that fits: **${r.maxBatch}**.`, '');
  if (e) {
    lines.push(`## Breakdown at batch ${e.batch}`, '', '| term | bytes |', '| --- | ---: |');
    for (const s of breakdownOf(e.bytes).segments) lines.push(`| ${s.label} | ${formatBytes(s.bytes)} |`);
    lines.push(`| **device** | **${formatBytes(e.bytes.device)}** |`, '');
  }
  const dp = o.deployPrecision ?? 'fp32';
  lines.push(`Deployed weights (${dp}): ${formatBytes(r.model.params * DEPLOY_BYTES_PER_PARAM[dp])}.`, '');
  const rows = tableRows(r);
  const act = rows.reduce((a, l) => a + l.activationBytes, 0);
  lines.push('## Layers', '', '| # | name | type | group | output shape | params | FLOPs | activations | % |', '| ---: | --- | --- | --- | --- | ---: | ---: | ---: | ---: |');
  for (const l of rows) {
    lines.push(`| ${l.index} | ${md(l.name)} | ${md(l.type)} | ${l.group} | ${formatShape(l.outputShape)} | ${formatCount(l.params)} | ${formatCount(l.flops)} | ${formatBytes(l.activationBytes)} | ${formatPercent(act ? l.activationBytes / act : null)} |`);
  }
  if (r.assumptions.length) lines.push('', '## Assumptions', '', ...r.assumptions.map((a) => `- ${a.replace(/[\r\n]+/g, ' ')}`));
  return lines.join('\n') + '\n';
}

/** RFC 4180 quoting; text cells that a spreadsheet would run as a formula get a leading quote. */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  let s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  if (/[",\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export const CSV_COLUMNS = ['index', 'name', 'type', 'source', 'group', 'module', 'moduleType', 'modulePath', 'outputShape', 'params', 'flops', 'outputBytes', 'activationBytes', 'activationShare', 'inferenceOnly', 'unsupported'] as const;

/** One row per layer (loss ops included), raw integers (bytes, counts) so the numbers re-import exactly. */
export function toCsv(r: AnalysisResult): string {
  const layers = tableRows(r);
  const act = layers.reduce((a, l) => a + l.activationBytes, 0);
  const rows = [CSV_COLUMNS.join(',')];
  for (const l of layers) {
    rows.push(
      [l.index, l.name, l.type, l.source, l.group, l.module, l.moduleType, l.modulePath, l.outputShape.join('x'), l.params, l.flops, l.outputBytes, l.activationBytes, act ? Number((l.activationBytes / act).toFixed(6)) : 0, l.inferenceOnly ?? false, l.unsupported ?? '']
        .map(csvCell)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/** The result as the CLI's --json prints it. */
export function toJson(r: AnalysisResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}

export function exportText(format: ExportFormat, r: AnalysisResult, o: AnalyzeOptions): string {
  switch (format) {
    case 'markdown':
      return toMarkdown(r, o);
    case 'csv':
      return toCsv(r);
    case 'json':
      return toJson(r);
  }
}

/** A file name from the model name: letters, digits, dot, dash, underscore. */
export function suggestedFileName(r: AnalysisResult, format: 'csv' | 'json'): string {
  const base = r.model.name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'model';
  return `${base}-memory.${format}`;
}
