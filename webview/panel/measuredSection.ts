// "Measured on this GPU" in the analysis panel: the button that asks the host to run the probe,
// and what it measured beside the estimate, phase by phase, with the estimate's error. The section
// mounts itself under the header's verdict, so the panel's skeleton stays as it is.
import type { MeasuredView } from '../../src/protocol/measured';
import { escapeHtml, formatBytes } from '../shared/format';

const PHASES: Record<string, string> = { first_step: 'First step', steady: 'Steady steps', validation: 'Validation (2× batch)' };
const FIGURES: Record<string, string> = { allocated: 'allocated (peak)', reserved: 'reserved (GPU_mem)', 'nvidia-smi': 'nvidia-smi', 'cpu-peak-rss': 'CPU peak RSS' };

export function mountMeasured(onMeasure: () => void): void {
  const anchor = document.getElementById('verdict');
  if (!anchor || document.getElementById('measured')) return;
  const section = document.createElement('section');
  section.id = 'measured';
  section.className = 'measured';
  section.setAttribute('aria-labelledby', 'h-measured');
  section.innerHTML = `<div class="title-row"><h2 id="h-measured">Measured on this GPU</h2><span class="spacer"></span>
<vscode-button appearance="secondary" id="btn-measure" title="Run a few real Ultralytics training steps and one validation pass with your Python, and show what they used"><span slot="start" class="codicon codicon-pulse"></span>Measure on this GPU</vscode-button></div>
<div id="measured-body" role="status" aria-live="polite"><p class="muted">Not measured yet: real training steps on this machine's GPU, beside the estimate.</p></div>`;
  anchor.insertAdjacentElement('afterend', section);
  document.getElementById('btn-measure')!.addEventListener('click', onMeasure);
}

function pct(e: number | null): string {
  if (e === null) return '';
  return `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)}%`;
}

export function measuredHtml(v: MeasuredView | null): string {
  if (!v) return '<p class="muted">Not measured yet: real training steps on this machine\'s GPU, beside the estimate.</p>';
  const head = `batch ${v.batch}, imgsz ${v.imgsz}${v.device ? ` on ${escapeHtml(v.device)}` : ''}`;
  const statusText: Record<MeasuredView['status'], string> = {
    running: 'Measuring…',
    fits: 'Fits',
    oom: 'Out of memory',
    error: 'Could not measure',
    cancelled: 'Cancelled',
    timeout: 'Timed out',
  };
  const cls = v.status === 'fits' ? 'fits' : v.status === 'oom' ? 'oom' : 'unknown';
  const lines = [`<p class="measured-status measured-${cls}" data-status="${v.status}"><strong>${statusText[v.status]}</strong> — ${escapeHtml(v.message)} <span class="muted">(${head})</span></p>`];
  if (v.rows.length) {
    const body = v.rows
      .map((r) => `<tr data-phase="${escapeHtml(r.phase)}" data-figure="${escapeHtml(r.figure)}"><td>${escapeHtml(PHASES[r.phase] ?? r.phase)}</td><td>${escapeHtml(FIGURES[r.figure] ?? r.figure)}</td><td class="num">${formatBytes(r.measuredBytes)}</td><td class="num">${r.estimatedBytes === null ? '—' : formatBytes(r.estimatedBytes)}</td><td class="num">${pct(r.error)}</td></tr>`)
      .join('');
    lines.push(`<table class="measured-table"><thead><tr><th scope="col">Phase</th><th scope="col">Figure</th><th scope="col" class="num">Measured</th><th scope="col" class="num">Estimate</th><th scope="col" class="num">Error</th></tr></thead><tbody>${body}</tbody></table>`);
  }
  return lines.join('');
}

export function renderMeasured(v: MeasuredView | null): void {
  const body = document.getElementById('measured-body');
  if (body) body.innerHTML = measuredHtml(v);
}
