// The extension's side of checkpoints: a script training from runs/…/best.pt resolves the file the
// way the script reader resolves models (next to the script, then the workspace), and the options
// leave imgsz to the checkpoint as Ultralytics does (Model._reset_ckpt_args keeps imgsz); the
// hover target covers YOLO("…best.pt") and the sidebar lists a .pt as a model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { scanScriptAsync } from '../../src/core/scripts';
import { findHoverTarget } from '../../src/extension/hover-target';
import { optionsForModel, optionsForRun } from '../../src/extension/run-options';
import { readSettings } from '../../src/extension/settings';
import { entryFor } from '../../src/extension/sidebar-entries';

const settings = readSettings({ get: () => undefined }, { trusted: true }).settings;
const BEST = join(__dirname, '..', 'data', 'checkpoints', 'det-nc3-best.pt');
const gpu = { name: 'NVIDIA GeForce RTX 3070', totalBytes: 8 * 2 ** 30, source: 'preset' as const };

const SCRIPT = `from ultralytics import YOLO
model = YOLO("runs/detect/train/weights/best.pt")
model.train(data="coco128.yaml", epochs=3, batch=8)
model.train(data="coco128.yaml", epochs=3, batch=8, imgsz=320)
`;

test('a script training from best.pt: the file found, imgsz left to the checkpoint, the batch from the script', async () => {
  const scan = await scanScriptAsync(SCRIPT, 'python');
  const find = (s: string) => (s === 'runs/detect/train/weights/best.pt' ? BEST : undefined);
  const r0 = optionsForRun(scan.runs[0]!, settings, gpu, find);
  assert.ok(r0.ok);
  assert.equal(r0.value.options.model, BEST);
  assert.equal(r0.value.options.imgsz, undefined);
  assert.ok(!r0.value.assumed.some((a) => a.startsWith('imgsz')), r0.value.assumed.join(' | '));
  const result = await analyze(r0.value.options);
  assert.equal(result.estimates[0].imgsz, 160, "the checkpoint's train_args imgsz");
  assert.equal(result.estimates[0].batch, 8, 'the script wins');
  assert.ok(result.assumptions.includes("imgsz 160 from det-nc3-best.pt's train_args"));
  assert.ok(!result.assumptions.some((a) => a.startsWith('batch 4 from')));
  const r1 = optionsForRun(scan.runs[1]!, settings, gpu, find);
  assert.ok(r1.ok);
  assert.equal(r1.value.options.imgsz, 320);
  // the hover on the model name is the model setting of the run
  const src = scan.runs[0]!.settings.model!.sourceRange ?? scan.runs[0]!.settings.model!.range;
  assert.equal(findHoverTarget(scan, src.start)?.key, 'model');
  const missing = optionsForRun(scan.runs[0]!, settings, gpu, () => undefined);
  assert.ok(!missing.ok && /best\.pt: checkpoint not found/.test(missing.reason));
});

test("YOLOv5 train.py --weights best.pt: the file, at YOLOv5's own default imgsz (it does not read the checkpoint's)", async () => {
  const scan = await scanScriptAsync('python train.py --weights runs/train/exp/weights/best.pt --batch-size 8 --data coco128.yaml\n', 'shell');
  const r = optionsForRun(scan.runs[0]!, settings, gpu, (s) => (s === 'runs/train/exp/weights/best.pt' ? BEST : undefined));
  assert.ok(r.ok, r.ok ? '' : r.reason);
  assert.equal(r.value.options.model, BEST);
  assert.equal(r.value.options.imgsz, settings.estimate.imgsz);
});

test('a .pt opened on its own (explorer, sidebar): estimated as the run that made it; listed as a model', async () => {
  const options = optionsForModel(BEST, settings, gpu);
  assert.equal(options.imgsz, undefined);
  assert.equal(options.batch, undefined);
  const result = await analyze(options);
  assert.equal(result.estimates[0].batch, 4);
  assert.equal(result.estimates[0].imgsz, 160);
  const entry = entryFor({ uri: 'file:///w/best.pt', kind: 'model', runs: [], model: { options, result } }, () => 'runs/best.pt');
  assert.equal(entry?.kind, 'model');
  assert.equal(entry?.batch, 4);
  assert.equal(entry?.imgsz, 160);
});
