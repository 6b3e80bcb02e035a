// A .pt through the estimator: the model-source rule (an existing .pt is read, a name that is no
// file is a built-in), the architecture from the checkpoint's yaml with its parameters checked
// against the tensors, and train_args filling what the caller left unset, each with a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { openModel } from '../../src/core/model-source';
import { instance, Pickle, pickleValue, tensor, torchZip } from './writers';

const DIR = join(__dirname, '..', 'data', 'checkpoints');
const BEST = join(DIR, 'det-nc3-best.pt');
const tmp = mkdtempSync(join(tmpdir(), 'ckpt-source-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

test('estimate best.pt (nc=3): its architecture, its parameters, its train_args imgsz and batch with notes', async () => {
  const r = await analyze({ model: BEST, gpu: null });
  assert.equal(r.model.format, 'checkpoint');
  assert.equal(r.model.task, 'detect');
  assert.equal(r.model.params, 3_011_433);
  assert.ok(r.model.notes.includes('det-nc3-best.pt: its 3,011,433 parameters match the architecture built from its yaml'), r.model.notes.join('\n'));
  assert.ok(r.model.notes.some((n) => /a DetectionModel \(detect, nc=3\) saved by Ultralytics 8\.4\.190/.test(n)));
  assert.equal(r.estimates[0].imgsz, 160);
  assert.equal(r.estimates[0].batch, 4);
  assert.equal(r.estimates[0].optimizer, 'adamw');
  for (const n of ["imgsz 160 from det-nc3-best.pt's train_args", "batch 4 from det-nc3-best.pt's train_args", "optimizer AdamW from det-nc3-best.pt's train_args"]) {
    assert.ok(r.assumptions.includes(n), `${n} in ${r.assumptions.join(' | ')}`);
  }
});

test('what the caller sets wins over train_args, and gets no note', async () => {
  const r = await analyze({ model: BEST, imgsz: 320, batch: [2], optimizer: 'sgd', amp: false, gpu: null });
  assert.equal(r.estimates[0].imgsz, 320);
  assert.equal(r.estimates[0].batch, 2);
  assert.equal(r.estimates[0].optimizer, 'sgd');
  assert.equal(r.estimates[0].amp, false);
  assert.ok(!r.assumptions.some((n) => n.includes('train_args')), r.assumptions.join(' | '));
});

test('an existing file named like a built-in (yolov8s.pt) is read, not replaced by the built-in', async () => {
  const cwd = process.cwd();
  copyFileSync(BEST, join(tmp, 'yolov8s.pt'));
  process.chdir(tmp);
  try {
    const local = await openModel('yolov8s.pt');
    assert.equal(local.format, 'checkpoint');
    assert.equal(local.paramCount(local.build(1, 64, 0)), 3_011_433, 'the fine-tuned nano, not the 11 M built-in yolov8s');
  } finally {
    process.chdir(cwd);
  }
  const builtin = await openModel('yolov8s.pt');
  assert.equal(builtin.format, 'builtin', 'a name that is not a file is a built-in name');
  await assert.rejects(openModel(join(tmp, 'runs', 'best.pt')), /best\.pt: file not found, and not a built-in model name/);
});

test('every committed checkpoint estimates with its own task and nc', async () => {
  for (const [file, task] of [['yolo11n-seg-saved.pt', 'segment'], ['cls-nc3-last-unstripped.pt', 'classify'], ['yolov5n-v7-nc3.pt', 'detect'], ['yolov5-w0125-nc3-legacy.pt', 'detect']]) {
    const r = await analyze({ model: join(DIR, file), gpu: null });
    assert.equal(r.model.task, task, file);
    assert.ok(r.model.notes.some((n) => /parameters match the architecture built from its yaml/.test(n)), `${file}: ${r.model.notes.join(' | ')}`);
  }
});

/** A checkpoint whose yaml and tensors are written here: a one-Conv classifier. */
function tinyCheckpoint(name: string, yamlModule: string, weightShape: number[]): string {
  const w = tensor('0', weightShape);
  const conv = instance('torch.nn.modules.conv', 'Conv2d', { _parameters: { weight: { pickle: (p: Pickle) => w.pickle(p) } }, _modules: {} });
  const model = instance('ultralytics.nn.tasks', 'ClassificationModel', {
    _parameters: {},
    _modules: { model: instance('torch.nn.modules.container', 'Sequential', { _parameters: {}, _modules: { '0': conv } }) },
    yaml: { nc: 2, backbone: [[-1, 1, yamlModule, [16, 3, 2]]], head: [[-1, 1, 'Classify', [2]]] },
  });
  const pkl = pickleValue(new Pickle().proto(2), { model, train_args: { imgsz: 100, batch: -1, optimizer: 'RMSProp', amp: false } }).stop();
  const path = join(tmp, name);
  writeFileSync(path, torchZip(pkl, [w]));
  return path;
}

test('a checkpoint whose tensors disagree with its yaml gets a note; unusable train_args are named', async () => {
  const r = await analyze({ model: tinyCheckpoint('tiny.pt', 'Conv', [16, 3, 3, 3]), gpu: null });
  assert.equal(r.model.task, 'classify');
  assert.ok(r.model.notes.some((n) => /^tiny\.pt: its tensors hold 432 parameters but the architecture built from its yaml has [\d,]+: the estimate follows the yaml$/.test(n)), r.model.notes.join(' | '));
  assert.ok(r.assumptions.includes("tiny.pt's train_args: imgsz 100 is not a multiple of 32, not used"));
  assert.ok(r.assumptions.includes("tiny.pt's train_args: optimizer RMSProp is not modelled, not used"));
  assert.ok(r.assumptions.includes("AMP off from tiny.pt's train_args"));
  assert.equal(r.estimates[0].batch, 16, 'batch -1 (AutoBatch) is not a batch');
});

test('torch.save(model) of the module itself: the model is the file, no train_args', async () => {
  const w = tensor('0', [16, 3, 3, 3]);
  const root = instance('ultralytics.nn.tasks', 'ClassificationModel', {
    _parameters: {},
    _modules: {},
    yaml: { nc: 2, backbone: [[-1, 1, 'Conv', [16, 3, 2]]], head: [[-1, 1, 'Classify', [2]]] },
  });
  const path = join(tmp, 'bare.pt');
  writeFileSync(path, torchZip(pickleValue(new Pickle().proto(2), root).stop(), [w]));
  const r = await analyze({ model: path, gpu: null });
  assert.equal(r.model.task, 'classify');
  assert.ok(!r.assumptions.some((a) => a.includes('train_args')));
});

test("a module the builder does not model gets the builder's one-line error", async () => {
  await assert.rejects(openModel(tinyCheckpoint('fancy.pt', 'FancyBlock', [1])), (e: Error) => /^fancy\.pt: backbone\[0\](, line \d+)?: unknown module 'FancyBlock'$/.test(e.message));
});
