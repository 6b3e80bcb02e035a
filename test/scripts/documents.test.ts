// YAML configs, Markdown code blocks and Jupyter notebooks.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPythonParser } from '../../src/core/scripts/python-parser';
import { scanScript, settingAt, settingAtCell, detectScriptLanguage, MAX_SCRIPT_CHARS } from '../../src/core/scripts/scan';
import { scanScriptAsync, deviceGpuCount } from '../../src/core/scripts';
import { checkRuns, rangeIn, rangeOf } from './helpers';

before(async () => {
  await initPythonParser();
});

test('yaml corpus: Ultralytics args.yaml', () => {
  const src = [
    'task: detect',
    'mode: train',
    'model: yolov8n.pt',
    'data: coco8.yaml',
    'epochs: 100',
    'batch: 16  # images per batch',
    'imgsz: 640',
    'cache: false',
    'device: null',
    'workers: 8',
    'optimizer: auto',
    'amp: true',
    '',
  ].join('\n');
  const scan = scanScript(src, 'yaml');
  checkRuns(scan, src, [{
    kind: 'yaml-config',
    settings: { model: ['yolov8n.pt', 'yolov8n.pt'], epochs: [100, '100'], batch: [16, '16'], imgsz: [640, '640'], cache: [false, 'false'], device: ['', 'null'], workers: [8, 'workers: «8»'], optimizer: ['auto', 'auto'], amp: [true, 'true'] },
  }]);
  assert.deepEqual(scan.runs[0].settings.batch!.keyRange, rangeIn(src, '«batch»: 16'));
});

test('yaml corpus: YOLOv5 opt.yaml (batch_size, weights, empty cfg, device list string)', () => {
  const src = "weights: yolov5s.pt\ncfg: ''\ndata: data/coco128.yaml\nepochs: 3\nbatch_size: 16\nimgsz: 640\ndevice: 0,1\ncache: ram\n";
  checkRuns(scanScript(src, 'yaml'), src, [{ kind: 'yaml-config', settings: { model: ['yolov5s.pt', 'yolov5s.pt'], batch: [16, '16'], device: ['0,1', '0,1'], cache: ['ram', 'ram'] } }]);
});

test('yaml corpus: model and dataset YAMLs give no run; broken YAML gives a note', () => {
  assert.deepEqual(scanScript('nc: 80\nscales:\n  n: [0.33, 0.25, 1024]\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n', 'yaml').runs, []);
  assert.deepEqual(scanScript('path: ../datasets/coco8\ntrain: images/train\nval: images/val\nnames:\n  0: person\n', 'yaml').runs, []);
  const bad = scanScript('batch: [16\nimgsz: 640\n', 'yaml');
  assert.match(bad.notes[0], /^YAML error: /);
});

test('markdown corpus: bash, python and yaml blocks in a README', () => {
  const src = [
    '# Train',
    '',
    '```bash',
    'yolo train data=coco8.yaml model=yolov8n.pt epochs=100 imgsz=640',
    '```',
    '',
    'Or in Python:',
    '',
    '```python',
    'from ultralytics import YOLO',
    'model = YOLO("yolov8n.pt")',
    'results = model.train(data="coco8.yaml", epochs=100, imgsz=640, batch=32)',
    '```',
    '',
    '```yaml',
    'imgsz: 320',
    'batch: 8',
    '```',
    '',
    '```js',
    'yolo train batch=999',
    '```',
    '',
  ].join('\n');
  const scan = scanScript(src, 'markdown');
  checkRuns(scan, src, [
    { kind: 'cli', settings: { imgsz: [640, '640'], model: ['yolov8n.pt', 'yolov8n.pt'] } },
    { kind: 'ultralytics-api', settings: { model: ['yolov8n.pt', '"yolov8n.pt"'], batch: [32, '32'], imgsz: [640, 'imgsz=«640», batch'] } },
    { kind: 'yaml-config', settings: { batch: [8, 'batch: «8»'], imgsz: [320, 'imgsz: «320»'] } },
  ]);
});

test('markdown corpus: an indented fence inside a list item still parses as Python', () => {
  const src = '1. Train:\n   ```python\n   model = YOLO("yolo11n.pt")\n   model.train(data="d.yaml", batch=4)\n   ```\n';
  const run = scanScript(src, 'markdown').runs[0];
  assert.equal(run.settings.batch!.value, 4);
  assert.deepEqual(run.settings.batch!.range, rangeIn(src, 'batch=«4»'));
});

test('markdown corpus: console prompts', () => {
  const src = '```console\n$ python train.py --img 640 --batch 16 --weights yolov5s.pt\n```\n';
  checkRuns(scanScript(src, 'markdown'), src, [{ kind: 'yolov5-cli', settings: { batch: [16, '16'], model: ['yolov5s.pt', 'yolov5s.pt'] } }]);
});

function notebook(cells: Array<{ type: 'code' | 'markdown'; lines: string[] }>): string {
  return JSON.stringify({
    cells: cells.map((c) => ({ cell_type: c.type, metadata: {}, source: c.lines, ...(c.type === 'code' ? { outputs: [], execution_count: null } : {}) })),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  }, null, 1);
}

test('notebook corpus: a variable from an earlier cell, exact file and cell ranges through JSON escapes', () => {
  const text = notebook([
    { type: 'markdown', lines: ['# YOLO training\n'] },
    { type: 'code', lines: ['from ultralytics import YOLO\n', 'model = YOLO("yolov8n.pt")\n', 'BATCH = 16'] },
    { type: 'code', lines: ['results = model.train(data="coco8.yaml",\n', '\tbatch=BATCH, imgsz=640)'] },
  ]);
  const scan = scanScript(text, 'notebook');
  assert.equal(scan.runs.length, 1);
  const run = scan.runs[0];
  assert.equal(run.cell, 2);
  // In the file, Python's "yolov8n.pt" is written \"yolov8n.pt\": the range covers the escapes.
  assert.equal(run.settings.model!.value, 'yolov8n.pt');
  assert.equal(run.settings.model!.raw, '"yolov8n.pt"');
  assert.deepEqual(run.settings.model!.range, rangeOf(text, '\\"yolov8n.pt\\"'));
  assert.deepEqual(run.settings.model!.cell, { index: 1, range: { start: { line: 1, character: 13 }, end: { line: 1, character: 25 } } });
  assert.equal(run.settings.batch!.value, 16);
  assert.deepEqual(run.settings.batch!.range, rangeIn(text, 'batch=«BATCH»'));
  assert.deepEqual(run.settings.batch!.cell, { index: 2, range: { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } } });
  assert.deepEqual(run.settings.batch!.sourceRange, rangeIn(text, 'BATCH = «16»'));
  assert.equal(run.settings.imgsz!.value, 640);
  assert.deepEqual(settingAtCell(scan, 2, { line: 1, character: 9 })?.key, 'batch');
  assert.equal(settingAtCell(scan, 1, { line: 1, character: 9 }), null);
});

test('notebook corpus: ! lines, %%bash cells and line magics', () => {
  const text = notebook([
    { type: 'code', lines: ['%cd yolov5\n', '!python train.py --img 640 --batch 16 --epochs 3 --data coco128.yaml --weights yolov5s.pt --cache\n', 'x = 1'] },
    { type: 'code', lines: ['%%bash\n', 'yolo train model=yolov8s.pt data=coco8.yaml batch=48'] },
  ]);
  const scan = scanScript(text, 'notebook');
  assert.deepEqual(scan.runs.map((r) => r.kind), ['yolov5-cli', 'cli']);
  assert.equal(scan.runs[0].settings.batch!.value, 16);
  assert.deepEqual(scan.runs[0].settings.batch!.range, rangeIn(text, '--batch «16»'));
  assert.deepEqual(scan.runs[0].settings.batch!.cell, { index: 0, range: { start: { line: 1, character: 35 }, end: { line: 1, character: 37 } } });
  assert.equal(scan.runs[1].settings.batch!.value, 48);
  assert.deepEqual(scan.runs[1].settings.batch!.range, rangeIn(text, 'batch=«48»'));
  assert.equal(scan.runs[1].cell, 1);
});

test('notebook corpus: source as one string and \\u escapes', () => {
  const text = '{"cells":[{"cell_type":"code","metadata":{},"outputs":[],"source":"n = \\"\\u00e9\\"\\nYOLO(\'yolov8n.pt\').train(data=\'d\', batch=8)"}],"metadata":{},"nbformat":4,"nbformat_minor":5}';
  const run = scanScript(text, 'notebook').runs[0];
  assert.equal(run.settings.batch!.value, 8);
  assert.deepEqual(run.settings.batch!.range, rangeIn(text, 'batch=«8»'));
  assert.deepEqual(run.settings.batch!.cell!.range, { start: { line: 1, character: 41 }, end: { line: 1, character: 42 } });
});

test('notebook corpus: not a notebook gives a one-line note', () => {
  const scan = scanScript('{"cells": [', 'notebook');
  assert.equal(scan.runs.length, 0);
  assert.match(scan.notes[0], /^not a valid notebook: .* at offset \d+$/);
  assert.match(scanScript('{"nbformat": 4}', 'notebook').notes[0], /no "cells" list/);
});

test('settingAt finds the value, the key and the literal a variable came from', () => {
  const src = `BATCH = 16\nmodel = YOLO('n.pt')\nmodel.train(data='d.yaml', batch=BATCH)\n`;
  const scan = scanScript(src, 'python');
  const v = rangeIn(src, 'batch=«BATCH»');
  assert.equal(settingAt(scan, v.start)?.on, 'value');
  assert.equal(settingAt(scan, v.end)?.key, 'batch');
  assert.equal(settingAt(scan, rangeIn(src, '«batch»=BATCH').start)?.on, 'key');
  assert.equal(settingAt(scan, { line: 0, character: 9 })?.on, 'source');
  assert.equal(settingAt(scan, rangeOf(src, "'n.pt'").start)?.key, 'model');
  assert.equal(settingAt(scan, { line: 1, character: 0 }), null);
});

test('files over the size limit are skipped with a note', () => {
  const big = `# ${'x'.repeat(MAX_SCRIPT_CHARS)}\nYOLO('n.pt').train(batch=16)\n`;
  const scan = scanScript(big, 'python');
  assert.deepEqual(scan.runs, []);
  assert.match(scan.notes[0], /^skipped: the file is 2\.0 MB, over the 2 MB limit/);
});

test('detectScriptLanguage from language id or file name', () => {
  assert.equal(detectScriptLanguage('train.py'), 'python');
  assert.equal(detectScriptLanguage('runs/detect/train/args.yaml'), 'yaml');
  assert.equal(detectScriptLanguage('train.sh'), 'shell');
  assert.equal(detectScriptLanguage('README.md'), 'markdown');
  assert.equal(detectScriptLanguage('tutorial.ipynb'), 'notebook');
  assert.equal(detectScriptLanguage('Untitled-1', 'python'), 'python');
  assert.equal(detectScriptLanguage('model.onnx'), null);
});

test('scanScriptAsync loads the grammar and the result is plain JSON', async () => {
  const src = "YOLO('yolov8n.pt').train(data='d.yaml', batch=16, device=[0,1])\n";
  const scan = await scanScriptAsync(src, 'python');
  assert.deepEqual(JSON.parse(JSON.stringify(scan)), scan);
  assert.equal(deviceGpuCount(scan.runs[0].settings.device!.value), 2);
  assert.equal(deviceGpuCount('cpu'), 0);
  assert.equal(deviceGpuCount(''), 1);
  assert.equal(deviceGpuCount(null), null);
});

test('runToAnalyzeOptions passes on known values only', async () => {
  const { runToAnalyzeOptions } = await import('../../src/core/scripts/to-options');
  const scan = scanScript("YOLO('yolov8s.pt').train(data='d.yaml', batch=32, imgsz=512, amp=False, optimizer='AdamW', device=[0,1], epochs=E)\n", 'python');
  const r = runToAnalyzeOptions(scan.runs[0]);
  assert.deepEqual(r.options, { model: 'yolov8s.pt', imgsz: 512, batch: [32], amp: false, optimizer: 'adamw', gpus: 2 });
  assert.deepEqual(r.notes, []);
  const auto = runToAnalyzeOptions(scanScript('yolo train model=n.pt batch=-1 device=cpu optimizer=RMSProp\n', 'shell').runs[0]);
  assert.deepEqual(auto.options, { model: 'n.pt' });
  assert.deepEqual(auto.notes, [
    'the script uses AutoBatch: see the largest batch that fits instead',
    "optimizer RMSProp is not modelled; the estimator's default is used",
    'the script trains on cpu, not on a GPU',
  ]);
});
