// Launches as people write them: launcher prefixes, any script name, PowerShell / cmd variables,
// Makefile / Dockerfile / GitHub Actions, IPython `!cmd \` continuations, and what is not a launch
// (inference, non-YOLO DataLoaders and configs). Issue #14.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initPythonParser } from '../../src/core/scripts/python-parser';
import { detectScriptLanguage, scanScript } from '../../src/core/scripts/scan';
import { DOCUMENT_KINDS, documentKind } from '../../src/core/scripts/kinds';
import type { ScriptLanguage } from '../../src/core/scripts/types';
import { checkRuns, rangeIn, type RunExpect } from './helpers';

before(async () => {
  await initPythonParser();
});

const CASES: Array<{ name: string; lang: ScriptLanguage; src: string; runs: RunExpect[] }> = [
  {
    name: 'nohup, python -u, a script not named train.py',
    lang: 'shell',
    src: 'nohup python -u scripts/train_yolo11n.py --batch 8 --data data/x.yaml > log.txt 2>&1 &\n',
    runs: [{ kind: 'yolov5-cli', settings: { batch: [8, '8'], data: ['data/x.yaml', 'data/x.yaml'] } }],
  },
  {
    name: 'horovodrun -np 4 with a host list: 4 processes, the batch split over them',
    lang: 'shell',
    src: 'horovodrun -np 4 -H localhost:4 python train.py --batch-size 64 --weights yolov5s.pt\n',
    runs: [{ kind: 'yolov5-cli', settings: { batch: [64, '64'], model: ['yolov5s.pt', 'yolov5s.pt'], device: ['0,1,2,3', '4'] } }],
  },
  {
    name: 'python -m pkg.train with YOLO flags',
    lang: 'shell',
    src: 'python -m mypkg.train --cfg yolov5m.yaml --batch-size 16\n',
    runs: [{ kind: 'yolov5-cli', settings: { model: ['yolov5m.yaml', 'yolov5m.yaml'], batch: [16, '16'] } }],
  },
  {
    name: 'accelerate launch with Ultralytics key=value arguments to a custom script',
    lang: 'shell',
    src: 'accelerate launch --multi_gpu --num_processes 2 tools/run.py model=yolov8n.pt batch=32\n',
    runs: [{ kind: 'yolov5-cli', settings: { model: ['yolov8n.pt', 'yolov8n.pt'], batch: [32, '32'], device: ['0,1', '2'] } }],
  },
  {
    name: 'deepspeed uses every GPU CUDA_VISIBLE_DEVICES shows',
    lang: 'shell',
    src: 'CUDA_VISIBLE_DEVICES=0,1,2 deepspeed main.py --weights yolov5l.pt --batch 48\n',
    runs: [{ kind: 'yolov5-cli', settings: { model: ['yolov5l.pt', 'yolov5l.pt'], batch: [48, '48'] } }],
  },
  {
    name: 'env, time and srun before yolo; --device 0,1 is two GPUs',
    lang: 'shell',
    src: 'srun --gres=gpu:2 time env OMP_NUM_THREADS=4 python train.py --device 0,1 --batch 32 --weights yolov5s.pt\n',
    runs: [{ kind: 'yolov5-cli', settings: { device: ['0,1', '0,1'], batch: [32, '32'] } }],
  },
  {
    name: 'YOLOv5 val.py / detect.py / export.py are not training',
    lang: 'shell',
    src: 'python detect.py --weights yolov5s.pt --img 640\npython val.py --weights yolov5s.pt --data coco.yaml --img 640 --batch 32\npython export.py --weights yolov5s.pt --include onnx\n',
    runs: [],
  },
  {
    name: 'a script with no YOLO argument is not a YOLO launch',
    lang: 'shell',
    src: 'python main.py --lr 0.1 --batch-size 128\npython -m pip install ultralytics\n',
    runs: [],
  },
  {
    name: '${SIZE} inside a word, AutoBatch fraction on the CLI',
    lang: 'shell',
    src: 'SIZE=s\nyolo train model=yolov8${SIZE}.pt data=d.yaml batch=0.7\npython train.py --batch -1 --weights yolov5${SIZE}.pt\n',
    runs: [
      { kind: 'cli', settings: { model: ['yolov8s.pt', 'yolov8${SIZE}.pt'], batch: [0.7, '0.7'] } },
      { kind: 'yolov5-cli', settings: { model: ['yolov5s.pt', 'yolov5${SIZE}.pt'], batch: [-1, '-1'] } },
    ],
  },
  {
    name: 'PowerShell: $BATCH = 16, $env: variables and backtick continuations',
    lang: 'shell',
    src: '$BATCH = 16\n$env:MODEL = "yolo11s.pt"\nyolo train model=$env:MODEL data=d.yaml batch=$BATCH `\n  imgsz=640\n',
    runs: [{ kind: 'cli', settings: { batch: [16, 'batch=«$BATCH»'], model: ['yolo11s.pt', 'model=«$env:MODEL»'], imgsz: [640, '640'] } }],
  },
  {
    name: 'cmd: set, set "A=b", %VAR% and ^ continuations',
    lang: 'shell',
    src: '@echo off\nset BATCH=16\nset "MODEL=yolov8s.pt"\nREM train it\npython train.py --batch %BATCH% --weights %MODEL% ^\n  --img 640\n',
    runs: [{ kind: 'yolov5-cli', settings: { batch: [16, '%BATCH%'], model: ['yolov8s.pt', '%MODEL%'], imgsz: [640, '640'] } }],
  },
  {
    name: 'Makefile variables and an @ recipe line',
    lang: 'makefile',
    src: 'MODEL ?= yolov8n.pt\nBATCH := 32\ntrain:\n\t@yolo train model=$(MODEL) batch=$(BATCH) imgsz=640\n',
    runs: [{ kind: 'cli', settings: { model: ['yolov8n.pt', '$(MODEL)'], batch: [32, '$(BATCH)'], imgsz: [640, '640'] } }],
  },
  {
    name: 'Dockerfile exec-form CMD and ENV',
    lang: 'dockerfile',
    src: 'FROM ultralytics/ultralytics\nENV BATCH=24\nRUN pip install x\nCMD ["yolo", "train", "model=yolov8s.pt", "batch=${BATCH}", "imgsz=640"]\n',
    runs: [{ kind: 'cli', settings: { model: ['yolov8s.pt', 'yolov8s.pt'], batch: [24, '${BATCH}'], imgsz: [640, '640'] } }],
  },
  {
    name: 'GitHub Actions run: block and one-line steps, workflow env',
    lang: 'workflow',
    src: 'name: train\non: push\nenv:\n  BATCH: 8\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          pip install ultralytics\n          yolo train model=yolov8n.yaml data=coco8.yaml batch=$BATCH imgsz=320 epochs=1\n      - run: python train.py --batch 4 --weights yolov5n.pt\n',
    runs: [
      { kind: 'cli', settings: { model: ['yolov8n.yaml', 'yolov8n.yaml'], batch: [8, '$BATCH'], imgsz: [320, '320'] } },
      { kind: 'yolov5-cli', settings: { batch: [4, '4'], model: ['yolov5n.pt', 'yolov5n.pt'] } },
    ],
  },
  {
    name: 'a YAML of optimizer settings is not a training-arguments file',
    lang: 'yaml',
    src: 'optimizer: SGD\nlr0: 0.01\nbatch_size: 32\nepochs: 10\n',
    runs: [],
  },
  {
    name: 'Ultralytics args.yaml still is',
    lang: 'yaml',
    src: 'task: detect\nmode: train\nmodel: yolo11n.pt\ndata: coco8.yaml\nepochs: 3\nbatch: 16\nimgsz: 640\n',
    runs: [{ kind: 'yaml-config', settings: { batch: [16, '16'], imgsz: [640, '640'], model: ['yolo11n.pt', 'yolo11n.pt'] } }],
  },
  {
    name: 'plain PyTorch DataLoader: no YOLO, no run',
    lang: 'python',
    src: 'import torch\nfrom torch.utils.data import DataLoader\nloader = DataLoader(ds, batch_size=64, shuffle=True)\n',
    runs: [],
  },
  {
    name: 'inference calls are not runs',
    lang: 'python',
    src: "import torch\nfrom ultralytics import YOLO\nm = torch.hub.load('ultralytics/yolov5', 'yolov5s')\nmodel = YOLO('yolov8n.pt')\nmodel.predict('a.jpg', imgsz=640)\nmodel.val(data='coco8.yaml', batch=16)\nmodel.export(format='onnx')\n",
    runs: [],
  },
];

for (const c of CASES) {
  test(`launches: ${c.name}`, () => {
    checkRuns(scanScript(c.src, c.lang), c.src, c.runs);
  });
}

test('a launcher prefix starts the run; the process count token is where the GPUs come from', () => {
  const src = 'CUDA_VISIBLE_DEVICES=0,1 torchrun --nproc_per_node=2 train.py --batch 64 --weights yolov5s.pt\n';
  const run = scanScript(src, 'shell').runs[0];
  assert.equal(run.range.start.character, 0);
  assert.equal(run.settings.device!.value, '0,1');
  assert.deepEqual(run.settings.device!.range, rangeIn(src, '«--nproc_per_node=2»'));
  assert.match(run.notes.join(), /DDP with 2 processes/);
});

test('console blocks: only prompted lines are commands, output is not', () => {
  const src = '```console\n$ python train.py --img 640 --batch 16 --weights yolov5s.pt\nyolo train model=yolov8n.pt batch=999\n(venv) $ yolo train model=yolov8n.pt batch=8\n```\n';
  checkRuns(scanScript(src, 'markdown'), src, [
    { kind: 'yolov5-cli', settings: { batch: [16, '16'] } },
    { kind: 'cli', settings: { batch: [8, 'batch=«8»'] } },
  ]);
});

test('notebook: a !cmd \\ continuation goes on in lines without !, and cells share variables', () => {
  const nb = JSON.stringify({
    cells: [
      { cell_type: 'code', source: ['!yolo train model=yolov8s.pt \\\n', '    data=coco8.yaml \\\n', '    batch=24 imgsz=512\n', 'x = 1'] },
      { cell_type: 'code', source: ['from ultralytics import YOLO\n', "model = YOLO('yolo11n.pt')"] },
      { cell_type: 'markdown', source: ['text'] },
      { cell_type: 'code', source: ['model.train(data="d.yaml", batch=12)'] },
    ],
    metadata: {},
  });
  const scan = scanScript(nb, 'notebook');
  assert.deepEqual(scan.runs.map((r) => [r.kind, r.settings.batch?.value, r.settings.imgsz?.value, r.settings.model?.value, r.cell]), [
    ['cli', 24, 512, 'yolov8s.pt', 0],
    ['ultralytics-api', 12, undefined, 'yolo11n.pt', 3],
  ]);
  assert.deepEqual(scan.runs[0].settings.batch!.cell, { index: 0, range: { start: { line: 2, character: 10 }, end: { line: 2, character: 12 } } });
});

test('document kinds: one registry, by language id and by file name', () => {
  assert.equal(detectScriptLanguage('x/.github/workflows/ci.yml', 'yaml'), 'workflow');
  assert.equal(detectScriptLanguage('x/train.ps1', 'powershell'), 'shell');
  assert.equal(detectScriptLanguage('run.bat'), 'shell');
  assert.equal(detectScriptLanguage('proj/Makefile'), 'makefile');
  assert.equal(detectScriptLanguage('docker/Dockerfile.gpu'), 'dockerfile');
  assert.equal(detectScriptLanguage('nb.ipynb'), 'notebook');
  assert.equal(detectScriptLanguage('README.md'), 'markdown');
  assert.equal(detectScriptLanguage('cfg/args.yaml'), 'yaml');
  assert.equal(detectScriptLanguage('notes.txt'), null);
  assert.equal(documentKind('a.PS1'.toLowerCase())?.name, 'powershell');
  for (const k of DOCUMENT_KINDS) assert.ok(k.languageIds.length && k.patterns.length, k.name);
});

test("a notebook cell's view: runs anchored in the cell, ranges in the cell, the model from an earlier cell kept", async () => {
  const { notebookCellView, OTHER_CELL_LINE } = await import('../../src/core/scripts/cells');
  const nb = JSON.stringify({
    cells: [
      { cell_type: 'code', source: ['from ultralytics import YOLO\n', "model = YOLO('yolo11n.pt')"] },
      { cell_type: 'markdown', source: ['Train:'] },
      { cell_type: 'code', source: ['x = 1\n', 'model.train(data="d.yaml", batch=12, imgsz=320)'] },
      { cell_type: 'code', source: ['!yolo train model=yolov8s.pt batch=24'] },
    ],
  });
  const scan = scanScript(nb, 'notebook');
  const v2 = notebookCellView(scan, 2);
  assert.deepEqual(v2.runIndices, [0]);
  const run = v2.scan.runs[0];
  assert.equal(run.settings.model!.value, 'yolo11n.pt');
  assert.equal(run.settings.model!.range.start.line, OTHER_CELL_LINE);
  assert.deepEqual(run.settings.batch!.range, { start: { line: 1, character: 33 }, end: { line: 1, character: 35 } });
  assert.deepEqual(run.settings.batch!.keyRange, { start: { line: 1, character: 27 }, end: { line: 1, character: 32 } });
  assert.deepEqual(run.range.start, { line: 1, character: 0 });
  const v3 = notebookCellView(scan, 3);
  assert.deepEqual(v3.runIndices, [1]);
  assert.deepEqual(v3.scan.runs[0].settings.batch!.range, { start: { line: 0, character: 35 }, end: { line: 0, character: 37 } });
  // the cell that builds the model shows the run that trains it, as a reference: hover, no markers
  const v0 = notebookCellView(scan, 0);
  assert.deepEqual(v0.runIndices, [0]);
  const ref = v0.scan.runs[0]!;
  assert.equal(ref.reference, true);
  assert.equal(ref.range.start.line, OTHER_CELL_LINE);
  assert.equal(ref.settings.batch!.range.start.line, OTHER_CELL_LINE);
  const m = ref.settings.model!;
  const inCell = [m.range, m.sourceRange].filter((r) => r && r.start.line !== OTHER_CELL_LINE);
  assert.equal(inCell.length, 1, JSON.stringify(m));
  assert.equal(inCell[0]!.start.line, 1, "YOLO('yolo11n.pt') is on the cell's second line");
  assert.equal(v2.scan.runs[0]!.reference, undefined);
});

test('a bare `python train.py` is a launch when the script beside it trains YOLO: its argparse defaults fill the gaps', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { scriptFileRuns } = await import('../../src/core/scripts/script-files');
  const dir = mkdtempSync(join(tmpdir(), 'yolo-mem-scripts-'));
  writeFileSync(join(dir, 'train.py'), 'import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("--weights", default="yolov5s.pt")\nparser.add_argument("--batch-size", type=int, default=32)\nopt = parser.parse_args()\n');
  writeFileSync(join(dir, 'main.py'), 'import torch\nprint(torch.cuda.is_available())\n');
  const src = 'python train.py\npython train.py --batch-size 8 --img 320\npython main.py\n';
  // Without the files: a bare train.py says nothing about YOLO.
  assert.equal(scanScript(src, 'shell').runs.length, 1);
  const scan = scanScript(src, 'shell', { scriptRuns: scriptFileRuns(dir) });
  assert.deepEqual(scan.runs.map((r) => [r.settings.model?.value, r.settings.batch?.value, r.settings.imgsz?.value]), [
    ['yolov5s.pt', 32, undefined],
    ['yolov5s.pt', 8, 320],
  ]);
  assert.deepEqual(scan.runs[0].settings.batch!.range, rangeIn(src, 'python «train.py»'));
  assert.equal(scan.runs[0].settings.batch!.resolvedFrom, 'train.py line 4: 32');
});
