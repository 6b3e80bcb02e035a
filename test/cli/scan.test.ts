// `yolo-mem scan FILE... --json` (issue #14): the JSON shape per file and run, notebook cells mapped
// to raw-file lines and cell lines, the estimate through the same path as the extension, and the
// exit codes for a missing file and bad usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';

const CORPUS = join(__dirname, '..', 'data', 'scripts-corpus');

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {} });
  return { code, out, err };
}

test('scan --json: one entry per file with its kind and runs; notebook runs carry their cell', async () => {
  const r = await run(['scan', join(CORPUS, 'nb07_two_runs.ipynb'), join(CORPUS, 'ps01_set_location.ps1'), join(CORPUS, 'py_NEG01_hub.py'), '--json', '--gpu', 't4']);
  assert.equal(r.code, 0, r.err);
  const files = JSON.parse(r.out);
  assert.deepEqual(files.map((f: { kind: string }) => f.kind), ['notebook', 'powershell', 'python']);
  const [nb, ps, neg] = files;
  assert.deepEqual(Object.keys(nb.runs[0]).sort(), ['batch', 'cell', 'data', 'estimate', 'gpus', 'imgsz', 'line', 'model']);
  assert.deepEqual(nb.runs.map((x: { cell: unknown }) => x.cell), [{ index: 1, line: 1 }, { index: 3, line: 2 }]);
  assert.equal(nb.runs[0].batch, 16);
  assert.equal(nb.runs[0].estimate.ok, true);
  assert.equal(nb.runs[0].estimate.batch, 16);
  // batch=0.7: AutoBatch's predicted pick on the T4 is what is estimated
  assert.equal(nb.runs[1].batch, 0.7);
  assert.equal(nb.runs[1].estimate.batch, nb.runs[1].estimate.autoBatch);
  assert.deepEqual(ps.runs.map((x: { line: number; model: string; batch: number; imgsz: number }) => [x.line, x.model, x.batch, x.imgsz]), [[2, 'yolov5s.pt', 16, 640]]);
  assert.equal(ps.runs[0].estimate.ok, true);
  assert.deepEqual(neg.runs, []);
});

test('scan: a missing file is a one-line error and exit 1; no file is bad usage (exit 2)', async () => {
  const missing = await run(['scan', join(CORPUS, 'nope.sh'), '--no-estimate']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^yolo-mem scan: .*nope\.sh: no such file\n$/);
  const usage = await run(['scan']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /scan needs at least one FILE/);
  const kind = await run(['scan', join(CORPUS, 'README.md'), '--no-estimate']);
  assert.equal(kind.code, 0, 'a README is a Markdown file');
});
