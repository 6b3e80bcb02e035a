import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPythonParser } from '../../src/core/scripts/python-parser';
import { scanScript } from '../../src/core/scripts/scan';
import { checkRuns, rangeOf, type RunExpect } from './helpers';

before(async () => {
  await initPythonParser();
});

const py = (src: string) => scanScript(src, 'python');

interface Case {
  name: string;
  src: string;
  runs: RunExpect[];
}

// Real-world shapes: Ultralytics docs and issues, YOLOv5 train.py, Colab notebooks, custom loops.
const CASES: Case[] = [
  {
    name: 'Ultralytics quickstart: chained YOLO().train()',
    src: `from ultralytics import YOLO\n\nresults = YOLO("yolov8n.pt").train(data="coco8.yaml", epochs=100, imgsz=640)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { model: ['yolov8n.pt', '"yolov8n.pt"'], data: ['coco8.yaml', '"coco8.yaml"'], epochs: [100, '100'], imgsz: [640, '640'] }, absent: ['batch'] }],
  },
  {
    name: 'model variable then model.train(...) with every key',
    src: `from ultralytics import YOLO\nmodel = YOLO('yolo11n.pt')\nmodel.train(data='coco.yaml', epochs=3, imgsz=1280, batch=8, optimizer='AdamW', amp=True, workers=2, cache='disk', device=0)\n`,
    runs: [{
      kind: 'ultralytics-api',
      settings: { model: ['yolo11n.pt', "'yolo11n.pt'"], data: ['coco.yaml', "'coco.yaml'"], epochs: [3, '3'], imgsz: [1280, '1280'], batch: [8, 'batch=«8»'], optimizer: ['AdamW', "'AdamW'"], amp: [true, 'True'], workers: [2, 'workers=«2»'], cache: ['disk', "'disk'"], device: ['0', 'device=«0»'] },
    }],
  },
  {
    name: 'constants assigned earlier, with arithmetic',
    src: `BATCH = 16\nIMG = 320 * 2\nEPOCHS = 10 + 5\nmodel = YOLO('yolov8s.yaml')\nmodel.train(data='data.yaml', batch=BATCH, imgsz=IMG, epochs=EPOCHS)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [16, 'BATCH', 1], imgsz: [640, 'IMG', 1], epochs: [15, 'EPOCHS', 1], model: ['yolov8s.yaml', "'yolov8s.yaml'"] } }],
  },
  {
    name: 'results = model.train(**args) with a dict literal',
    src: `args = {'data': 'coco8.yaml', 'epochs': 50, 'batch': 32, 'imgsz': 512}\nmodel = YOLO('yolov8m.pt')\nresults = model.train(**args)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [32, '32'], imgsz: [512, '512'], epochs: [50, '50'], data: ['coco8.yaml', "'coco8.yaml'"] } }],
  },
  {
    name: 'dict(...) call splatted, with a later item override',
    src: `cfg = dict(data='x.yaml', batch=16, imgsz=640)\ncfg['batch'] = 4\nYOLO('yolov8l.pt').train(**cfg)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [4, "= «4»"], imgsz: [640, '640'], data: ['x.yaml', "'x.yaml'"] } }],
  },
  {
    name: 'device list and batch=-1 AutoBatch',
    src: `model = YOLO("yolov8x.pt")\nmodel.train(data="coco.yaml", batch=-1, device=[0, 1, 2, 3])\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [-1, '-1'], device: ['0,1,2,3', '[0, 1, 2, 3]'] } }],
  },
  {
    name: 'device string "0,1" and cpu',
    src: `YOLO('a.pt').train(data='d.yaml', device='0,1')\nYOLO('b.pt').train(data='d.yaml', device='cpu')\n`,
    runs: [
      { kind: 'ultralytics-api', settings: { device: ['0,1', "'0,1'"], model: ['a.pt', "'a.pt'"] } },
      { kind: 'ultralytics-api', settings: { device: ['cpu', "'cpu'"], model: ['b.pt', "'b.pt'"] } },
    ],
  },
  {
    name: 'YOLO(model=...) keyword and yaml().load() chain',
    src: `m = YOLO(model='yolov8n-seg.yaml', task='segment').load('yolov8n-seg.pt')\nm.train(data='coco8-seg.yaml', imgsz=320)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { model: ['yolov8n-seg.yaml', "'yolov8n-seg.yaml'"], imgsz: [320, '320'] } }],
  },
  {
    name: 'inside if __name__ == "__main__" with a main() function',
    src: `from ultralytics import YOLO\n\n\ndef main():\n    epochs = 300\n    model = YOLO("yolo11s.yaml")\n    model.train(data="VOC.yaml", epochs=epochs, batch=64, imgsz=640, workers=8)\n\n\nif __name__ == "__main__":\n    main()\n`,
    runs: [{ kind: 'ultralytics-api', settings: { epochs: [300, 'epochs=«epochs»'], batch: [64, '64'], workers: [8, 'workers=«8»'], model: ['yolo11s.yaml', '"yolo11s.yaml"'] } }],
  },
  {
    name: 'module-level constants used inside a function',
    src: `BATCH_SIZE = 24\nIMAGE_SIZE = 800\n\ndef run():\n    YOLO('rtdetr-l.pt').train(data='d.yaml', batch=BATCH_SIZE, imgsz=IMAGE_SIZE)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [24, 'BATCH_SIZE', 1], imgsz: [800, 'IMAGE_SIZE', 1] } }],
  },
  {
    name: 'RTDETR class is an Ultralytics model too',
    src: `from ultralytics import RTDETR\nmodel = RTDETR("rtdetr-l.pt")\nmodel.train(data="coco8.yaml", epochs=100, imgsz=640, batch=4)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { model: ['rtdetr-l.pt', '"rtdetr-l.pt"'], batch: [4, 'batch=«4»'] } }],
  },
  {
    name: 'unknown values stay null with a reason: env var, loop variable, function parameter',
    src: `import os\ndef go(bs=16):\n    YOLO('n.pt').train(data='d.yaml', batch=bs)\nfor size in [320, 640]:\n    YOLO('n.pt').train(data='d.yaml', imgsz=size, workers=int(os.getenv('WORKERS', 4)))\n`,
    runs: [
      { kind: 'ultralytics-api', settings: { batch: [null, 'bs', 1] } },
      { kind: 'ultralytics-api', settings: { imgsz: [null, 'size', 1], workers: [null, "int(os.getenv('WORKERS', 4))"] } },
    ],
  },
  {
    name: 'a conditional assignment is not guessed',
    src: `BATCH = 16\nif big_gpu:\n    BATCH = 64\nYOLO('n.pt').train(data='d.yaml', batch=BATCH)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [null, 'BATCH', 2] } }],
  },
  {
    name: 'augmented assignment and string concatenation',
    src: `B = 8\nB *= 4\nNAME = 'yolov8' + 'n' + '.pt'\nYOLO(NAME).train(data='d.yaml', batch=B)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [32, 'B', 2], model: ['yolov8n.pt', 'NAME', 1] } }],
  },
  {
    name: 'tuple assignment and imgsz list (square training uses the max)',
    src: `bs, size = 12, [640, 480]\nYOLO('s.pt').train(data='d.yaml', batch=bs, imgsz=size)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [12, 'bs', 1], imgsz: [640, 'size', 1] } }],
  },
  {
    name: 'plain PyTorch model.train() is not a training run',
    src: `import torch\nnet = Net()\nnet.train()\nnet.train(False)\nnet.train(mode=True)\n`,
    runs: [],
  },
  {
    name: 'train(cfg=...) with keyword overrides',
    src: `model = YOLO('yolov8n.pt')\nmodel.train(cfg='custom.yaml', batch=8)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [8, 'batch=«8»'] } }],
  },
  {
    name: 'DetectionTrainer(overrides=...) from the Ultralytics docs',
    src: `from ultralytics.models.yolo.detect import DetectionTrainer\nargs = dict(model="yolo11n.pt", data="coco8.yaml", epochs=3)\ntrainer = DetectionTrainer(overrides=args)\ntrainer.train()\n`,
    runs: [{ kind: 'ultralytics-trainer', settings: { model: ['yolo11n.pt', '"yolo11n.pt"'], data: ['coco8.yaml', '"coco8.yaml"'], epochs: [3, '3'] } }],
  },
  {
    name: 'YOLOv5 train.py argparse options',
    src: [
      `def parse_opt(known=False):`,
      `    parser = argparse.ArgumentParser()`,
      `    parser.add_argument('--weights', type=str, default=ROOT / 'yolov5s.pt', help='initial weights path')`,
      `    parser.add_argument('--cfg', type=str, default='', help='model.yaml path')`,
      `    parser.add_argument('--data', type=str, default=ROOT / 'data/coco128.yaml', help='dataset.yaml path')`,
      `    parser.add_argument('--epochs', type=int, default=100, help='total training epochs')`,
      `    parser.add_argument('--batch-size', type=int, default=16, help='total batch size for all GPUs, -1 for autobatch')`,
      `    parser.add_argument('--imgsz', '--img', '--img-size', type=int, default=640, help='train, val image size (pixels)')`,
      `    parser.add_argument('--cache', type=str, nargs='?', const='ram', help='image --cache ram/disk')`,
      `    parser.add_argument('--device', default='', help='cuda device, i.e. 0 or 0,1,2,3 or cpu')`,
      `    parser.add_argument('--optimizer', type=str, choices=['SGD', 'Adam', 'AdamW'], default='SGD', help='optimizer')`,
      `    parser.add_argument('--workers', type=int, default=8, help='max dataloader workers (per RANK in DDP mode)')`,
      `    return parser.parse_known_args()[0] if known else parser.parse_args()`,
      ``,
    ].join('\n'),
    runs: [{
      kind: 'yolov5-argparse',
      settings: {
        model: ['yolov5s.pt', "ROOT / 'yolov5s.pt'"], data: ['data/coco128.yaml', "ROOT / 'data/coco128.yaml'"], epochs: [100, '100'], batch: [16, '16'],
        imgsz: [640, '640'], cache: [false, "'--cache'"], device: ['', "default=«''»", 1], optimizer: ['SGD', "default=«'SGD'»"], workers: [8, 'default=«8»'],
      },
    }],
  },
  {
    name: 'argparse with a cfg default: the architecture YAML is the model',
    src: `parser.add_argument('--weights', type=str, default='')\nparser.add_argument('--cfg', type=str, default='models/yolov5m.yaml')\n`,
    runs: [{ kind: 'yolov5-argparse', settings: { model: ['models/yolov5m.yaml', "'models/yolov5m.yaml'"] } }],
  },
  {
    name: 'argparse string default converted by type=int, -b short flag',
    src: `import yolov5\np.add_argument('-b', '--batch-size', type=int, default='32')\n`,
    runs: [{ kind: 'yolov5-argparse', settings: { batch: [32, "'32'"] } }],
  },
  {
    name: 'args.batch from parse_args() follows the argparse default; the parser and the call are one launch',
    src: `parser = argparse.ArgumentParser()\nparser.add_argument('--model', default='yolov8n.pt')\nparser.add_argument('--bs', type=int, default=48)\nargs = parser.parse_args()\nmodel = YOLO(args.model)\nmodel.train(data='d.yaml', batch=args.bs)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { model: ['yolov8n.pt', 'args.model'], batch: [48, 'args.bs'] } }],
  },
  {
    name: "YOLOv5 train.run(...) from the repo's README",
    src: `import train\ntrain.run(data='coco128.yaml', imgsz=320, weights='yolov5m.pt', batch_size=8)\n`,
    runs: [{ kind: 'yolov5-api', settings: { data: ['coco128.yaml', "'coco128.yaml'"], imgsz: [320, '320'], model: ['yolov5m.pt', "'yolov5m.pt'"], batch: [8, 'batch_size=«8»'] } }],
  },
  {
    name: 'DataLoader batch_size keyword and num_workers',
    src: `from torch.utils.data import DataLoader\nfrom yolov5.utils.general import check_img_size\nBS = 64\ntrain_loader = DataLoader(train_set, batch_size=BS, shuffle=True, num_workers=4)\n`,
    runs: [{ kind: 'dataloader', settings: { batch: [64, 'BS', 1], workers: [4, 'num_workers=«4»'] } }],
  },
  {
    name: 'torch.utils.data.DataLoader with a positional batch size',
    src: `# YOLO custom loop\nloader = torch.utils.data.DataLoader(ds, 128)\n`,
    runs: [{ kind: 'dataloader', settings: { batch: [128, '128'] } }],
  },
  {
    name: 'torch.hub.load YOLOv5 is inference, not a training launch',
    src: `import torch\nmodel = torch.hub.load('ultralytics/yolov5', 'yolov5s', pretrained=True)\n`,
    runs: [],
  },
  {
    name: 'torch.hub.load of another repo is ignored',
    src: `model = torch.hub.load('pytorch/vision', 'resnet50')\n`,
    runs: [],
  },
  {
    name: 'several runs in one file, in source order',
    src: `for_speed = YOLO('yolov8n.pt')\nfor_speed.train(data='a.yaml', imgsz=320)\nbig = YOLO('yolov8x.pt')\nbig.train(data='a.yaml', imgsz=1280, batch=2)\n`,
    runs: [
      { kind: 'ultralytics-api', settings: { model: ['yolov8n.pt', "'yolov8n.pt'"], imgsz: [320, '320'] } },
      { kind: 'ultralytics-api', settings: { model: ['yolov8x.pt', "'yolov8x.pt'"], imgsz: [1280, '1280'], batch: [2, 'batch=«2»'] } },
    ],
  },
  {
    name: 'non-ASCII text before a value keeps UTF-16 columns',
    src: `note = "训练 😀"; model = YOLO('n.pt'); model.train(data='d.yaml', batch=16)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [16, '16'] } }],
  },
  {
    name: 'wrong types are kept as raw text, not coerced',
    src: `YOLO('n.pt').train(data='d.yaml', batch='16', amp='yes')\n`,
    runs: [{ kind: 'ultralytics-api', settings: { batch: [null, "'16'"], amp: [null, "'yes'"] } }],
  },
  {
    name: 'f-strings and unknown **kwargs do not invent values',
    src: `size = 'n'\nmodel = YOLO(f'yolov8{size}.pt')\nmodel.train(**get_args(), epochs=5)\n`,
    runs: [{ kind: 'ultralytics-api', settings: { model: [null, "f'yolov8{size}.pt'"], epochs: [5, '5'] } }],
  },
];

for (const c of CASES) {
  test(`python corpus: ${c.name}`, () => {
    checkRuns(py(c.src), c.src, c.runs);
  });
}

test('key ranges point at the keyword, dict key or flag', () => {
  const src = `args = {'batch': 8}\nYOLO('n.pt').train(**args, imgsz=320)\n`;
  const api = py(src).runs.find((r) => r.kind === 'ultralytics-api')!;
  const src2 = `# yolov5\np.add_argument('--epochs', type=int, default=7)\n`;
  const argparse = py(src2).runs.find((r) => r.kind === 'yolov5-argparse')!;
  assert.deepEqual(api.settings.batch!.keyRange, rangeOf(src, "'batch'"));
  assert.deepEqual(api.settings.imgsz!.keyRange, rangeOf(src, 'imgsz'));
  assert.deepEqual(argparse.settings.epochs!.keyRange, rangeOf(src2, "'--epochs'"));
});

test('literal ranges, written out', () => {
  const src = 'model = YOLO("yolov8n.pt")\nmodel.train(\n    data="coco8.yaml",\n    batch=16,\n)\n';
  const run = py(src).runs[0];
  assert.deepEqual(run.settings.batch, {
    value: 16,
    raw: '16',
    range: { start: { line: 3, character: 10 }, end: { line: 3, character: 12 } },
    keyRange: { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } },
  });
  assert.deepEqual(run.range, { start: { line: 1, character: 0 }, end: { line: 4, character: 1 } });
  assert.deepEqual(run.calls.map((c) => c.name), ['YOLO', 'train']);
  assert.deepEqual(run.calls[0].range, { start: { line: 0, character: 8 }, end: { line: 0, character: 26 } });
});

test('resolvedFrom and sourceRange say where a variable got its value', () => {
  const src = `BATCH = 16\nYOLO('n.pt').train(data='d.yaml', batch=BATCH)\n`;
  const b = py(src).runs[0].settings.batch!;
  assert.equal(b.resolvedFrom, 'BATCH = 16 (line 1)');
  assert.deepEqual(b.sourceRange, rangeOf(src, '16'));
});

test('notes explain unknown values', () => {
  const src = `BATCH = 16\nif x:\n    BATCH = 64\nYOLO('n.pt').train(data='d.yaml', batch=BATCH, workers=w, **kw)\n`;
  const run = py(src).runs[0];
  assert.equal(run.settings.batch!.note, 'BATCH is assigned conditionally (line 3)');
  assert.equal(run.settings.workers!.note, 'w is not assigned in this file');
  assert.match(run.notes.join('\n'), /\*\*kw: kw is not assigned in this file; the settings it holds are unknown/);
});

test('AutoBatch fraction and -1 carry a note', () => {
  const r = py(`YOLO('n.pt').train(data='d', batch=0.7)\n`).runs[0];
  assert.equal(r.settings.batch!.value, 0.7);
  assert.match(r.settings.batch!.note!, /70% of GPU memory/);
});

test('syntax errors give partial results and a note', () => {
  const src = `model = YOLO('yolov8n.pt')\nmodel.train(data='d.yaml', batch=16)\ndef broken(:\n    pass\n`;
  const scan = py(src);
  assert.equal(scan.runs.length, 1);
  assert.equal(scan.runs[0].settings.batch!.value, 16);
  assert.match(scan.notes[0], /syntax errors/);
});

test('deeply nested expressions do not overflow the stack', () => {
  const depth = 3000;
  const src = `B = ${'('.repeat(depth)}16${')'.repeat(depth)}\nYOLO('n.pt').train(data='d', batch=B)\n`;
  const scan = py(src);
  assert.equal(scan.runs.length, 1);
  assert.equal(scan.runs[0].settings.batch!.value, null);
});

test('self-referencing names do not loop', () => {
  const scan = py(`A = B\nB = A\nC = C + 1\nYOLO('n.pt').train(data='d', batch=A, epochs=C)\n`);
  assert.equal(scan.runs[0].settings.batch!.value, null);
  assert.equal(scan.runs[0].settings.epochs!.value, null);
});

test('a parse that runs past its time limit stops with a note', async () => {
  const { scanPython } = await import('../../src/core/scripts/python');
  const { wholeFile, makeLocator } = await import('../../src/core/scripts/text');
  const parser = await initPythonParser();
  const src = 'x = [1, 2, 3]\n'.repeat(50000);
  const r = scanPython(parser, wholeFile(src), makeLocator(src, wholeFile(src)), 0);
  assert.deepEqual(r.runs, []);
  assert.match(r.notes[0], /took longer than 0 s and was stopped/);
  // The parser is usable again afterwards.
  assert.equal(py(`YOLO('n.pt').train(data='d', batch=2)\n`).runs[0].settings.batch!.value, 2);
});

test('generated files with thousands of training calls are capped', () => {
  const src = "m = YOLO('n.pt')\n" + "m.train(data='d', batch=1)\n".repeat(1005);
  const scan = py(src);
  assert.equal(scan.runs.length, 1000);
  assert.match(scan.notes.join(), /only the first 1000 training calls were read/);
});
