// npm run accuracy [-- --write] [--markdown] [--rows]
//
// Runs the estimator over the public calibration set (test/data/public-runs/*.csv), prints the
// cross-validated accuracy table (overall, per task, per family, by dataset knowledge), and with
// --write regenerates the error model (src/core/memory/error-model.json) from it. --rows lists every
// row's estimate, real figure, cross-validated factor and verdict. docs/accuracy.md says how to read it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCalibration } from '../src/core/calibration/evaluate';
import { fitErrorModel } from '../src/core/calibration/fit';
import { accuracyTable, renderTable } from '../src/core/calibration/table';
import { readCalibrationFiles } from '../src/core/calibration/files';
import { ERROR_MODEL } from '../src/core/memory/band';

const root = join(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const markdown = args.has('--markdown');

async function run(): Promise<number> {
  const files = readCalibrationFiles(root);
  const ev = await evaluateCalibration(files.files, (i, n) => process.stderr.write(`\restimating ${i + 1}/${n}`));
  process.stderr.write('\n');
  const fitted = fitErrorModel(ev.rows, files.digest);
  if (args.has('--write')) {
    writeFileSync(join(root, 'src/core/memory/error-model.json'), JSON.stringify(fitted, null, 2) + '\n');
    process.stderr.write('wrote src/core/memory/error-model.json\n');
  } else if (JSON.stringify(fitted) !== JSON.stringify(ERROR_MODEL)) {
    process.stderr.write('note: the calibration set has changed since error-model.json was written; the table uses the new fit (npm run accuracy -- --write to store it)\n');
  }
  const t = accuracyTable(ev, fitted);
  const out: string[] = [];
  out.push(`Calibration set: ${files.names.join(', ')} (sha256 ${files.digest.slice(0, 12)}), ${ev.rows.length + ev.skipped.length} rows, ${ev.skipped.length} not estimable`);
  out.push(`Error model: ${Object.entries(fitted.classes).map(([k, c]) => `${k}: upper = ${c.factor.toFixed(3)} x estimate (q${Math.round(c.quantile * 100)} of ${c.n} runs, cross-validated coverage ${(c.cvCoverage * 100).toFixed(1)} %)`).join('; ')}`);
  out.push('');
  const section = (title: string, lines: Parameters<typeof renderTable>[0]) => out.push(markdown ? `#### ${title}\n` : `${title}:`, renderTable(lines, markdown), '');
  section('Overall', [t.overall, t.typical, ...t.byKnowledge]);
  section('By task', t.byTask);
  section('By family', t.byFamily);
  if (args.has('--rows')) {
    out.push('id | group | model row | est reserved GiB | real e1 | real max | factor | verdict');
    for (const v of t.verdicts) {
      const g = (b: number | null) => (b === null ? '–' : (b / 2 ** 30).toFixed(2));
      out.push(`${v.row.id} | ${v.row.group} | ${v.row.family}/${v.row.task}${v.row.oom ? ' OOM' : ''}${v.row.densityKnown ? ' dens' : ''} | ${g(v.row.reserved)} | ${g(v.row.real)} | ${g(v.row.realMax)} | ${v.factor.toFixed(2)} | ${v.verdict}`);
    }
    for (const s of ev.skipped) out.push(`${s.id} | ${s.group} | skipped: ${s.reason}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

run().then(
  (c) => (process.exitCode = c),
  (e) => {
    process.stderr.write(`accuracy: ${(e as Error).message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
