// The launch corpus (test/data/scripts-corpus/, issue #14): real-world-shaped scripts, notebooks,
// READMEs, shell / PowerShell / cmd files, Makefiles, Dockerfiles, workflows and YAMLs, each
// labelled by hand in sources.json with the training launches a reader should find. `yolo-mem scan`'s
// own scanFile() reads every file; the test prints and checks recall, precision and how many found
// launches have model, batch, imgsz and GPU count right, and that inference-only files give nothing.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFile, type ScanRunReport } from '../../src/cli/scan';
import { initPythonParser } from '../../src/core/scripts/python-parser';

const DIR = join(__dirname, '..', 'data', 'scripts-corpus');

interface Label {
  line: number;
  model: string | null;
  batch: number | null;
  imgsz: number | null;
  gpus: number;
  cell?: { index: number; line: number };
}
interface Entry {
  file: string;
  source: string;
  launches: Label[];
}

const entries: Entry[] = JSON.parse(readFileSync(join(DIR, 'sources.json'), 'utf8'));

before(async () => {
  await initPythonParser();
});

test('the corpus: ≥ 60 files, about a fifth with no launch, every file labelled with its source', () => {
  assert.ok(entries.length >= 60, `${entries.length} files`);
  const negatives = entries.filter((e) => e.launches.length === 0).length;
  assert.ok(negatives / entries.length >= 0.15, `${negatives} launch-free files`);
  for (const e of entries) assert.ok(e.source.length > 10, `${e.file}: source`);
});

test('yolo-mem scan over the corpus: recall ≥ 0.9, precision ≥ 0.95, settings right for ≥ 95 %, nothing on inference-only files', async () => {
  let labelled = 0;
  let found = 0;
  let matched = 0;
  let right = 0;
  const misses: string[] = [];
  const negativeCards: string[] = [];
  for (const e of entries) {
    const report = await scanFile(join(DIR, e.file), { estimate: false, gpu: null });
    assert.equal(report.error, undefined, `${e.file}: ${report.error}`);
    labelled += e.launches.length;
    found += report.runs.length;
    const used = new Set<ScanRunReport>();
    for (const want of e.launches) {
      const got = report.runs.find((r) => r.line === want.line && !used.has(r));
      if (!got) {
        misses.push(`${e.file}:${want.line}: launch not found (found lines ${report.runs.map((r) => r.line).join(', ') || 'none'})`);
        continue;
      }
      used.add(got);
      matched++;
      const same = got.model === want.model && got.batch === want.batch && got.imgsz === want.imgsz && got.gpus === want.gpus && (!want.cell || JSON.stringify(got.cell) === JSON.stringify(want.cell));
      if (same) right++;
      else misses.push(`${e.file}:${want.line}: got ${JSON.stringify({ model: got.model, batch: got.batch, imgsz: got.imgsz, gpus: got.gpus, cell: got.cell })}, labelled ${JSON.stringify(want)}`);
    }
    for (const r of report.runs) if (!used.has(r)) misses.push(`${e.file}:${r.line}: extra run ${JSON.stringify({ model: r.model, batch: r.batch })}`);
    if (e.launches.length === 0 && report.runs.length) negativeCards.push(e.file);
  }
  const recall = matched / labelled;
  const precision = found ? matched / found : 1;
  const accuracy = matched ? right / matched : 0;
  console.log(`# corpus: ${entries.length} files, ${labelled} labelled launches, ${found} found; recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, model/batch/imgsz/gpus right ${right}/${matched} (${(accuracy * 100).toFixed(1)} %)`);
  for (const m of misses) console.log(`#   ${m}`);
  assert.deepEqual(negativeCards, [], 'launch-free files with runs');
  assert.ok(recall >= 0.9, `recall ${recall}`);
  assert.ok(precision >= 0.95, `precision ${precision}`);
  assert.ok(accuracy >= 0.95, `accuracy ${accuracy}`);
});
