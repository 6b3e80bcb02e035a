// The CLI and the worker's cache key on .pt files: `yolo-mem estimate best.pt` estimates the
// checkpoint, a hostile one exits 1 with one line, and an existing yolov8s.pt is keyed by its bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_ANALYSIS_FAILED, EXIT_OK, main } from '../../src/cli/cli';
import { modelKey } from '../../src/worker/model-key';
import { Pickle, torchZip } from './writers';

const BEST = join(__dirname, '..', 'data', 'checkpoints', 'det-nc3-best.pt');
const tmp = mkdtempSync(join(tmpdir(), 'ckpt-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

test('yolo-mem estimate best.pt --json: the checkpoint, at its train_args imgsz and batch', async () => {
  const r = await run('estimate', BEST, '--gpu-memory', '12GiB', '--json');
  assert.equal(r.code, EXIT_OK, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.model.format, 'checkpoint');
  assert.equal(j.model.params, 3_011_433);
  assert.equal(j.estimates[0].imgsz, 160);
  assert.equal(j.estimates[0].batch, 4);
  assert.ok(j.assumptions.includes("batch 4 from det-nc3-best.pt's train_args"));
});

test('yolo-mem estimate evil.pt: exit 1, one line, nothing run', async () => {
  const marker = join(tmp, 'MARKER');
  const evil = join(tmp, 'evil.pt');
  writeFileSync(evil, torchZip(new Pickle().proto(2).global('os', 'system').op('(').str(`touch ${marker}`).op('t').op('R').stop()));
  const r = await run('estimate', evil, '--gpu-memory', '12GiB');
  assert.equal(r.code, EXIT_ANALYSIS_FAILED);
  assert.match(r.stderr, /^yolo-mem: evil\.pt: pickle at byte \d+: refused the global 'os\.system', which is not on the list of what a model checkpoint names; nothing from the file was run\n$/);
  assert.equal(existsSync(marker), false);
});

test("the worker's cache key: an existing yolov8s.pt is its bytes, a missing one the built-in", async () => {
  const cwd = process.cwd();
  copyFileSync(BEST, join(tmp, 'yolov8s.pt'));
  process.chdir(tmp);
  try {
    assert.match((await modelKey('yolov8s.pt')).key, /^sha1:[0-9a-f]{40}$/);
    assert.equal((await modelKey('yolov8m.pt')).key, 'builtin:yolov8m.pt');
  } finally {
    process.chdir(cwd);
  }
});
