// The CLI takes what Ultralytics takes: image sizes rounded up to the model's stride with a note,
// GPU names as nvidia-smi prints them, help on every command with every option explained, the list
// of built-in names, and unknown names explained (a family not modelled yet, or a typo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, EXIT_ANALYSIS_FAILED, EXIT_OK, EXIT_USAGE, USAGE } from '../../src/cli/cli';
import { ESTIMATE_HELP, MODELS_HELP, PROGRAM_HELP } from '../../src/cli/help';
import { listBuiltins } from '../../src/core/yolo/builtin';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { PATH: '/nonexistent' } });
  return { code, out, err };
}
const json = async (...argv: string[]) => {
  const r = await run(...argv, '--json');
  assert.equal(r.code, EXIT_OK, r.err);
  return JSON.parse(r.out);
};

test('imgsz 1000 is estimated at 1024 with a note, as check_imgsz rounds it', async () => {
  const r = await json('estimate', 'yolov8n', '--imgsz', '1000', '--gpu-memory', '12GiB');
  assert.equal(r.estimates[0].imgsz, 1024);
  assert.ok(r.assumptions.includes("imgsz 1000 is not a multiple of the model's max stride 32: updated to 1024 (as Ultralytics does)"), r.assumptions.join('\n'));
  const exact = await json('estimate', 'yolov8n', '--imgsz', '1024', '--gpu-memory', '12GiB');
  assert.deepEqual(exact.estimates[0].bytes, r.estimates[0].bytes, 'the rounded run is the 1024 run');
  assert.ok(!exact.assumptions.some((a: string) => a.includes('not a multiple')));
  const text = await run('estimate', 'yolov8n', '--imgsz', '2736', '--gpu-memory', '24GiB', '--batch', '1');
  assert.match(text.out, /note: imgsz 2736 is not a multiple of the model's max stride 32: updated to 2752/);
});

test('a P6 model (max stride 64) rounds to a multiple of 64, once, from the size given', async () => {
  // a small four-level (P3-P6) detector written for this test
  const dir = mkdtempSync(join(tmpdir(), 'yolo-mem-p6-'));
  const yaml = join(dir, 'tiny-p6.yaml');
  writeFileSync(
    yaml,
    `nc: 3
backbone:
  - [-1, 1, Conv, [16, 3, 2]]
  - [-1, 1, Conv, [32, 3, 2]]
  - [-1, 1, Conv, [32, 3, 2]]
  - [-1, 1, Conv, [64, 3, 2]]
  - [-1, 1, Conv, [64, 3, 2]]
  - [-1, 1, Conv, [64, 3, 2]]
head:
  - [[2, 3, 4, 5], 1, Detect, [nc]]
`,
  );
  const r = await json('estimate', yaml, '--imgsz', '2720', '--batch', '1', '--gpu-memory', '80GiB');
  assert.equal(r.estimates[0].imgsz, 2752);
  const notes = r.assumptions.filter((a: string) => a.startsWith('imgsz'));
  assert.deepEqual(notes, ["imgsz 2720 is not a multiple of the model's max stride 64: updated to 2752 (as Ultralytics does)"]);
  const r2 = await json('estimate', yaml, '--imgsz', '1000', '--batch', '1', '--gpu-memory', '80GiB');
  assert.equal(r2.estimates[0].imgsz, 1024);
  assert.deepEqual(r2.assumptions.filter((a: string) => a.startsWith('imgsz')), ["imgsz 1000 is not a multiple of the model's max stride 64: updated to 1024 (as Ultralytics does)"]);
});

test('--gpu takes names as nvidia-smi prints them', async () => {
  for (const name of ['NVIDIA GeForce RTX 3060', 'GeForce RTX 3060 12GB', 'GeForce RTX 3060']) {
    const r = await json('estimate', 'yolov8n', '--gpu', name);
    assert.deepEqual(r.gpu, { name: 'NVIDIA GeForce RTX 3060', totalBytes: 12288 * 2 ** 20, source: 'preset' }, name);
  }
  for (const [name, mib] of [['Tesla T4', 15360], ['NVIDIA A100-SXM4-80GB', 81920], ['NVIDIA H100 80GB HBM3', 81559]] as const) {
    assert.equal((await json('estimate', 'yolov8n', '--gpu', name)).gpu.totalBytes, mib * 2 ** 20, name);
  }
});

test('--help on every command, and every option of estimate explained', async () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    const r = await run(...argv);
    assert.equal(r.code, EXIT_OK);
    assert.equal(r.out, PROGRAM_HELP + '\n');
  }
  for (const argv of [['estimate', '--help'], ['estimate', 'yolov8n', '--batch', '8', '-h'], ['help', 'estimate']]) {
    const r = await run(...argv);
    assert.equal(r.code, EXIT_OK, argv.join(' '));
    assert.equal(r.out, ESTIMATE_HELP + '\n');
  }
  assert.equal((await run('models', '--help')).out, MODELS_HELP + '\n');
  assert.equal((await run('help', 'frobnicate')).code, EXIT_USAGE);
  // each option of the usage line has its own explained line in the help
  const options = [...new Set(USAGE.match(/--[a-z-]+/g))];
  assert.ok(options.length >= 15, options.join(' '));
  for (const o of options) assert.match(ESTIMATE_HELP, new RegExp(`^\\s+(-h, |--[a-z-]+, )?${o}[ ,]`, "m"), `${o} is not explained`);
  // and each command of the program help has a help of its own
  for (const cmd of PROGRAM_HELP.match(/^ {2}([a-z]+) /gm)!.map((l) => l.trim())) assert.equal((await run(cmd, '--help')).code, EXIT_OK, cmd);
});

test('yolo-mem models lists every built-in name by family and task', async () => {
  const r = await run('models');
  assert.equal(r.code, EXIT_OK);
  const all = listBuiltins();
  assert.ok(all.length >= 65);
  for (const b of all) assert.match(r.out, new RegExp(`(^|\\s)${b.name}(\\s|$)`, 'm'), b.name);
  for (const f of new Set(all.map((b) => b.family))) assert.match(r.out, new RegExp(`^${f}$`, 'm'), f);
  assert.match(r.out, /^ {2}classify +yolov8n-cls yolov8s-cls/m);
  assert.deepEqual(JSON.parse((await run('models', '--json')).out), all);
  assert.equal((await run('models', '--wat')).code, EXIT_USAGE);
  // every listed name is accepted by estimate
  for (const b of all.filter((_, i) => i % 13 === 0)) assert.equal((await run('estimate', b.name, '--gpu-memory', '24GiB')).code, EXIT_OK, b.name);
});

test('an unknown model name says whether it is a family not modelled yet or a typo', async () => {
  // YOLOE is an Ultralytics family not modelled yet (rtdetr, yolov9, yolo26 ... are built in now)
  const family = await run('estimate', 'yoloe-11s-seg');
  assert.equal(family.code, EXIT_ANALYSIS_FAILED);
  assert.match(family.err, /^yolo-mem: yoloe-11s-seg: yoloe is an Ultralytics model family this version does not model yet \(built in: /);
  assert.equal(family.err.split('\n').filter(Boolean).length, 1);
  const typo = await run('estimate', 'yolo11nn');
  assert.match(typo.err, /^yolo-mem: yolo11nn: not a .onnx or model .yaml file, and not a built-in model name \(a typo\? the nearest names: yolo11n[,;]/);
  const nothing = await run('estimate', 'banana');
  assert.match(nothing.err, /not a built-in model name \(e\.g\. yolov8n, yolo11s-seg, yolov5su; `yolo-mem models` lists every name\)$/m);
});
