// The yolo-mem CLI contract: JSON shape, numbers, exit codes and one-line errors. Runs main() in
// process for speed, and the built dist/cli.js once to prove the entry point works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, EXIT_ANALYSIS_FAILED, EXIT_OK, EXIT_USAGE } from '../../src/cli/cli';
import { fixtureModel } from '../helpers/fixtures';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { PATH: '/nonexistent' } });
  return { code, out, err };
}

const BYTES_KEYS = ['weights', 'gradients', 'optimizerState', 'ema', 'activations', 'lossAndAssigner', 'workspace', 'allocatorOverhead', 'allocated', 'reserved', 'cudaContext', 'device'];

test('estimate a built-in name: the documented JSON, integer bytes, a verdict and a max batch', async () => {
  const { code, out } = await run('estimate', 'yolov8n.pt', '--batch', '8,16', '--gpu-memory', '12GiB', '--json');
  assert.equal(code, EXIT_OK);
  const r = JSON.parse(out);
  assert.equal(r.model.name, 'yolov8n');
  assert.equal(r.model.params, 3157200);
  assert.equal(r.gpu.totalBytes, 12 * 2 ** 30);
  assert.deepEqual(r.estimates.map((e: any) => e.batch), [8, 16]);
  for (const e of r.estimates) {
    for (const k of BYTES_KEYS) assert.ok(Number.isInteger(e.bytes[k]) && e.bytes[k] >= 0, `${k} = ${e.bytes[k]}`);
    assert.equal(e.bytes.device, e.bytes.reserved + e.bytes.cudaContext);
    assert.ok(e.bytes.reserved >= e.bytes.allocated);
    assert.equal(e.fits, true);
  }
  // memory grows with batch, and the max batch is where the curve crosses the usable VRAM
  assert.ok(r.estimates[1].bytes.activations > 1.9 * r.estimates[0].bytes.activations);
  assert.ok(r.maxBatch >= 16);
  const usable = 12 * 2 ** 30 * 0.9;
  for (const p of r.curve) {
    assert.equal(p.fits, p.batch <= r.maxBatch, `curve point b${p.batch}`);
    if (p.device > usable) assert.equal(p.fits, false);
  }
  assert.ok(r.curve.some((p: any) => p.fits === false));
  assert.ok(r.layers.length > 100 && r.lossLayers.length > 0);
  assert.ok(r.timeline.some((t: any) => t.phase === 'backward'));
});

test('AMP roughly halves activations; Adam keeps twice the optimizer state of SGD', async () => {
  const fp32 = JSON.parse((await run('estimate', 'yolov8n', '--batch', '4', '--no-amp', '--optimizer', 'sgd', '--json')).out).estimates[0];
  const amp = JSON.parse((await run('estimate', 'yolov8n', '--batch', '4', '--amp', '--optimizer', 'adam', '--json')).out).estimates[0];
  assert.ok(amp.bytes.activations < 0.6 * fp32.bytes.activations);
  assert.equal(amp.bytes.optimizerState, 2 * fp32.bytes.optimizerState);
  assert.equal(fp32.optimizer, 'sgd');
});

test('no GPU: no verdict and no max batch, never invented', async () => {
  const r = JSON.parse((await run('estimate', 'yolov8n', '--json')).out);
  assert.equal(r.gpu, null);
  assert.equal(r.maxBatch, null);
  assert.equal(r.estimates[0].fits, null);
});

test('bad usage exits 2 with the usage text', async () => {
  for (const argv of [[], ['frobnicate'], ['estimate'], ['estimate', 'yolov8n', '--batch', 'x'], ['estimate', 'yolov8n', '--imgsz', '0'], ['estimate', 'yolov8n', '--gpu-memory', 'lots'], ['estimate', 'yolov8n', '--wat']]) {
    const { code, err, out } = await run(...argv);
    assert.equal(code, EXIT_USAGE, argv.join(' '));
    assert.match(err + out, /usage: yolo-mem/);
  }
});

test('a model that cannot be analysed exits 1 with one line naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yolo-mem-cli-'));
  const cases: [string, Buffer | string][] = [
    ['empty.onnx', Buffer.alloc(0)],
    ['text.onnx', 'this is not a model\n'],
    ['truncated.onnx', Buffer.from([0x08, 0x08, 0x12, 0x40, 0x70, 0x79])],
    ['broken.yaml', 'backbone: [[-1, 1, Nope, [64]]]\nhead: []\n'],
  ];
  for (const [name, data] of cases) writeFileSync(join(dir, name), data);
  for (const [name] of [...cases, ['missing.onnx']]) {
    const { code, err } = await run('estimate', join(dir, name), '--json');
    assert.equal(code, EXIT_ANALYSIS_FAILED, name);
    assert.equal(err.trim().split('\n').length, 1, `${name}: ${err}`);
    assert.match(err, new RegExp(name.replace('.', '\\.')));
    assert.doesNotMatch(err, /\n\s+at /);
  }
  assert.equal((await run('estimate', 'yolov99z')).code, EXIT_ANALYSIS_FAILED);
});

test('ONNX fixtures: every layer shaped, params equal the initializers, output shapes', async () => {
  const want: Record<string, [number, number[]]> = {
    'yolov8n-640-static.onnx': [3147056, [1, 84, 8400]],
    'yolov8n-640-dynamic-batch.onnx': [3147056, [1, 84, 8400]],
    'yolov8n-dynamic.onnx': [3147056, [1, 84, 8400]],
    'yolov8n-640-static-bnrand.onnx': [3151776, [1, 84, 8400]],
    'yolo11n-640-static.onnx': [2608872, [1, 84, 8400]],
    'yolov5s-640-static.onnx': [7217373, [1, 25200, 85]],
  };
  for (const [file, [params, out]] of Object.entries(want)) {
    const { code, out: json, err } = await run('estimate', fixtureModel(file), '--batch', '1', '--json');
    assert.equal(code, EXIT_OK, err);
    const r = JSON.parse(json);
    assert.equal(r.model.params, params, file);
    assert.ok(r.layers.every((l: any) => Array.isArray(l.outputShape)), file);
    assert.deepEqual(r.layers.at(-1).outputShape, out, file);
  }
  const r = JSON.parse((await run('estimate', fixtureModel('yolov8n-dynamic.onnx'), '--batch', '3', '--imgsz', '320', '--json')).out);
  assert.deepEqual(r.layers.at(-1).outputShape, [3, 84, 2100]);
  const v8 = JSON.parse((await run('estimate', fixtureModel('yolov8n-640-static.onnx'), '--batch', '1', '--json')).out);
  assert.ok(Math.abs(v8.model.gflops - 8.744) / 8.744 < 0.03);
});

test('the built CLI runs as a program', { skip: existsSync('dist/cli.js') ? false : 'dist/cli.js not built (npm run build)' }, () => {
  const out = execFileSync(process.execPath, ['dist/cli.js', 'estimate', 'yolov8n', '--batch', '2', '--gpu-memory', '8GiB'], { encoding: 'utf8' });
  assert.match(out, /largest batch that fits/);
  assert.match(out, /backbone/);
  const bad = spawnSync(process.execPath, ['dist/cli.js', 'estimate'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});

test('--gpu plans for a known GPU model: its memory, source and CUDA context', async () => {
  const h100 = JSON.parse((await run('estimate', 'yolov8n', '--gpu', 'h100', '--json')).out);
  assert.deepEqual(h100.gpu, { name: 'NVIDIA H100 80GB HBM3', totalBytes: 81559 * 2 ** 20, source: 'preset' });
  const t4 = JSON.parse((await run('estimate', 'yolov8n', '--gpu', 'Tesla T4', '--json')).out);
  // a T4 holds 40 SMs x 1,024 threads of stacks, an H100 132 x 2,048: the context differs by 224 MiB
  assert.equal(h100.estimates[0].bytes.cudaContext - t4.estimates[0].bytes.cudaContext, (132 * 2048 - 40 * 1024) * 1024);
  const unknown = await run('estimate', 'yolov8n', '--gpu', 'quantum9000');
  assert.equal(unknown.code, EXIT_USAGE);
  assert.match(unknown.err, /^yolo-mem: --gpu: unknown GPU 'quantum9000'; known: t4, /);
  const typo = await run('estimate', 'yolov8n', '--gpu', 'RTX 5099');
  assert.equal(typo.code, EXIT_USAGE);
  assert.match(typo.err, /^yolo-mem: --gpu: unknown GPU 'RTX 5099'; nearest: NVIDIA GeForce RTX 5090, /);
  assert.equal((await run('estimate', 'yolov8n', '--gpu', 'h100', '--gpu-memory', '8GiB')).code, EXIT_USAGE);
});

test('the built CLI stops quietly when its reader closes the pipe (yolo-mem ... | head)', { skip: existsSync('dist/cli.js') ? false : 'dist/cli.js not built (npm run build)' }, () => {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" dist/cli.js estimate yolov8n --gpu-memory 8GiB --json | head -c 10`], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
});
