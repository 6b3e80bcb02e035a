// Turns the `yolo-mem measure --json` outputs of scripts/gpu-check.sh into a Markdown table and
// writes it into docs/gpu-measurements.md between two markers (replacing the previous run's).
//   node scripts/gpu-check-report.mjs <folder of <model>.json> <imgsz> <markdown file>
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, imgsz, md] = process.argv.slice(2);
if (!dir || !md) {
  console.error('usage: node scripts/gpu-check-report.mjs <dir> <imgsz> <markdown file>');
  process.exit(2);
}
const MiB = (b) => (b === null || b === undefined ? '—' : `${Math.round(b / 2 ** 20)}`);
const err = (e) => (e === null || e === undefined ? '' : ` (${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)}%)`);
const rows = [];
let machine = '';
for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
  const model = f.replace(/\.json$/, '');
  const text = readFileSync(join(dir, f), 'utf8').trim();
  const errText = existsSync(join(dir, `${model}.err`)) ? readFileSync(join(dir, `${model}.err`), 'utf8').trim().split('\n').at(-1) : '';
  if (!text) {
    rows.push(`| ${model} | — | — | not measured: ${errText.replace(/\|/g, '/')} | | | |`);
    continue;
  }
  const r = JSON.parse(text);
  for (const { measurement: m, estimate: e, comparison } of r.measurements) {
    if (m.device && !machine) machine = `${m.device.name}, driver ${m.device.driver ?? '?'}; torch ${m.versions?.torch}, ultralytics ${m.versions?.ultralytics}`;
    const get = (phase, fig) => comparison.find((c) => c.phase === phase && c.figure === fig);
    const cellFor = (phase, fig) => {
      const c = get(phase, fig);
      if (!c) return '—';
      return c.estimatedBytes === null ? `${MiB(c.measuredBytes)} / not estimable` : `${MiB(c.measuredBytes)} / ${MiB(c.estimatedBytes)}${err(c.error)}`;
    };
    const outcome = m.outcome === 'fits' ? 'fits' : m.outcome === 'oom' ? `out of memory (${m.oomPhase})` : `${m.outcome}: ${m.message}`;
    const note = e ? '' : ` — estimate: not estimable (${(r.estimateError ?? 'unknown').replace(/\|/g, '/')})`;
    rows.push(`| ${model} | ${m.batch} | ${outcome}${note} | ${cellFor('steady', 'allocated')} | ${cellFor('steady', 'reserved')} | ${cellFor('steady', 'nvidia-smi')} | ${cellFor('validation', 'nvidia-smi')} |`);
  }
}
const section = [
  '<!-- gpu-check:start -->',
  `### scripts/gpu-check.sh, ${new Date().toISOString().slice(0, 10)}, imgsz ${imgsz}, AMP on, synthetic dataset (8 boxes per image)`,
  '',
  machine ? `Machine: ${machine}. MiB, measured / estimated (error of the estimate).` : 'MiB, measured / estimated (error of the estimate).',
  '',
  '| model | batch | outcome | steady allocated | steady reserved | steady nvidia-smi | validation nvidia-smi |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '<!-- gpu-check:end -->',
].join('\n');
const doc = readFileSync(md, 'utf8');
const re = /<!-- gpu-check:start -->[\s\S]*<!-- gpu-check:end -->/;
writeFileSync(md, re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n## Measured with the probe (\`yolo-mem measure\`)\n\n${section}\n`);
console.log(section);
