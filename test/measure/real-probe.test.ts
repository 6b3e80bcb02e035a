// `yolo-mem measure yolov8n --batch 2 --imgsz 160 --device cpu` with the real probe and real
// Ultralytics training steps, when this machine's Python has torch and ultralytics. `npm test` never
// needs Python: without it this test is skipped and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';

function pythonWithUltralytics(): string | null {
  for (const py of ['python3', 'python']) {
    const r = spawnSync(py, ['-c', 'import torch, ultralytics'], { stdio: 'ignore', timeout: 120_000 });
    if (r.status === 0) return py;
  }
  return null;
}

const py = pythonWithUltralytics();
const name = py
  ? 'real Ultralytics steps on the CPU: yolo-mem measure yolov8n --batch 2 --imgsz 160 --device cpu'
  : 'SKIPPED (no python3/python with torch + ultralytics here): real Ultralytics steps on the CPU';

test(name, { skip: py ? false : 'no python3/python that imports torch and ultralytics' }, async () => {
  let out = '';
  let err = '';
  // Ultralytics keeps its settings in YOLO_CONFIG_DIR: a temporary one, not the user's
  const config = mkdtempSync(join(tmpdir(), 'yolo-config-'));
  let code: number;
  try {
    code = await main(['measure', 'yolov8n', '--batch', '2', '--imgsz', '160', '--device', 'cpu', '--python', py!, '--json'], { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { ...process.env, YOLO_CONFIG_DIR: config } });
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  const m = r.measurements[0].measurement;
  assert.equal(m.outcome, 'fits');
  assert.equal(m.device.type, 'cpu');
  assert.match(m.versions.ultralytics, /^\d+\.\d+\.\d+/);
  for (const phase of ['first_step', 'steady', 'validation']) {
    const p = m.phases[phase];
    assert.ok(p, `${phase} measured`);
    // the sampled peak of the phase is at least the resident memory when training started
    assert.ok(p.cpuPeakRssBytes >= p.cpuRssBaselineBytes && p.cpuRssBaselineBytes > 0, `${phase}: ${p.cpuPeakRssBytes} vs ${p.cpuRssBaselineBytes}`);
  }
  // the estimate beside it, for the same model, batch and image size
  const e = r.measurements[0].estimate;
  assert.equal(e.batch, 2);
  assert.equal(e.imgsz, 160);
  assert.ok(e.bytes.device > 0);
});

test(py ? 'a Python without torch and ultralytics: the probe names both as missing' : 'SKIPPED (no python3/python here): the probe names missing modules', { skip: py ? false : 'no python3/python with torch + ultralytics' }, () => {
  // -S: no site-packages, so neither module can be imported (a real Python, a real check)
  const r = spawnSync(py!, ['-S', join(import.meta.dirname, '..', '..', 'probe', 'measure.py'), '--check'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 3, r.stderr);
  const msg = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(msg.type, 'error');
  assert.deepEqual(msg.missing, ['torch', 'ultralytics']);
  assert.match(msg.message, /missing Python modules: torch, ultralytics \(pip install torch ultralytics\)/);
});

test(py ? 'a user dataset: real steps on it, and nothing is written into its folder' : 'SKIPPED (no python3/python with torch + ultralytics here): a user dataset', { skip: py ? false : 'no python3/python with torch + ultralytics' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'measure-user-data-'));
  const config = mkdtempSync(join(tmpdir(), 'yolo-config-'));
  try {
    // a small detection dataset, made with the probe's own generator
    const probeDir = join(import.meta.dirname, '..', '..', 'probe');
    const mk = spawnSync(py!, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(probeDir)}); import measure; measure.synthetic_dataset(${JSON.stringify(join(dir, 'ds'))}, 160, 8, 8, 3)`], { encoding: 'utf8' });
    assert.equal(mk.status, 0, mk.stderr);
    const before = listTree(dir);
    let out = '';
    let err = '';
    const code = await main(['measure', 'yolov8n', '--batch', '2', '--imgsz', '160', '--device', 'cpu', '--python', py!, '--data', join(dir, 'ds', 'data.yaml'), '--json'], { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { ...process.env, YOLO_CONFIG_DIR: config } });
    assert.equal(code, 0, err);
    assert.equal(JSON.parse(out).measurements[0].measurement.outcome, 'fits');
    assert.deepEqual(listTree(dir), before, 'the probe wrote into the dataset folder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  }
});

function listTree(d: string): string[] {
  return (readdirSync(d, { recursive: true }) as string[]).sort();
}
