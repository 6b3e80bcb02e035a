// The registry of built-in families and the 8.4-era families' mechanics that need no Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptimizer } from '../../src/core/analyze';
import { deployParams, trainParams } from '../../src/core/memory/deploy-stats';
import { buildBuiltin, buildFromYamlText, builtinName, listBuiltins, resolveBuiltin, YoloArchError } from '../../src/core/yolo/index';

test('listBuiltins: every entry has name, family, task and scale, and resolves', () => {
  const all = listBuiltins();
  const by = new Map(all.map((e) => [e.name, e]));
  assert.deepEqual(by.get('yolo26n-seg'), { name: 'yolo26n-seg', family: 'yolo26', task: 'segment', scale: 'n' });
  assert.deepEqual(by.get('yolov10b'), { name: 'yolov10b', family: 'yolov10', task: 'detect', scale: 'b' });
  assert.deepEqual(by.get('yolo12x-cls'), { name: 'yolo12x-cls', family: 'yolo12', task: 'classify', scale: 'x' });
  assert.deepEqual(by.get('yolov8s-ghost-p6'), { name: 'yolov8s-ghost-p6', family: 'yolov8-variants', task: 'detect', scale: 's' });
  for (const e of all) assert.equal(resolveBuiltin(e.name)!.name, e.name);
});

test('names with .pt / .yaml, any case, resolve to the canonical built-in', () => {
  assert.equal(builtinName('YOLO26n-pose.pt'), 'yolo26n-pose');
  assert.equal(builtinName('models/yolo12s.yaml'), 'yolo12s');
  assert.equal(builtinName('yolov10b.pt'), 'yolov10b');
  for (const bad of ['yolo26q', 'yolov10n-seg', 'yolo12n-p6', 'yolo26n-depth2']) assert.equal(builtinName(bad), null, bad);
});

test('an Ultralytics module this estimator does not model is a one-line error naming it and its line', () => {
  const yaml = 'nc: 2\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, YOLOEDetect, [32, 64, 2]]\nhead:\n  - [-1, 1, Classify, [nc]]\n';
  assert.throws(
    () => buildFromYamlText(yaml, 'yoloe.yaml', { batch: 1, imgsz: 64 }),
    (e: unknown) => e instanceof YoloArchError && e.message === "yoloe.yaml: backbone[1], line 4: module 'YOLOEDetect' is an Ultralytics module this estimator does not model yet",
  );
});

test('a P6 model rounds imgsz up to a multiple of 64', () => {
  const g = buildBuiltin('yolo26n-p6', { batch: 1, imgsz: 600 });
  assert.deepEqual(g.imgsz, [640, 640]);
  assert.ok(g.notes.some((n) => n.includes('max stride 64')));
});

test('end-to-end heads train both branches; the deployed model keeps the one-to-one branch only', () => {
  const g = buildBuiltin('yolo26n', { batch: 1, imgsz: 64 });
  assert.ok(g.head!.one2one, 'one-to-one branch');
  assert.equal(g.head!.regMax, 1);
  // YAML summary (training) and the official table's fused count
  assert.equal(trainParams(g), 2_572_280);
  assert.equal(deployParams(g), 2_408_932);
  const v10 = buildBuiltin('yolov10n', { batch: 1, imgsz: 64 });
  assert.ok(v10.head!.one2one && v10.head!.regMax === 16);
});

test('optimizer=auto resolves to MuSGD above 10,000 iterations (Ultralytics 8.4 build_optimizer), else AdamW', () => {
  assert.equal(resolveOptimizer({ model: 'yolo26n', datasetImages: 100_000, epochs: 100 }, 16).optimizer, 'musgd');
  assert.equal(resolveOptimizer({ model: 'yolo26n', datasetImages: 1_000, epochs: 100 }, 16).optimizer, 'adamw');
});
