import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanScript } from '../../src/core/scripts/scan';
import { tokenizeShell } from '../../src/core/scripts/shell';
import { checkRuns, rangeIn, type RunExpect } from './helpers';

const sh = (src: string) => scanScript(src, 'shell');

const CASES: Array<{ name: string; src: string; runs: RunExpect[] }> = [
  {
    name: 'yolo train with key=value pairs',
    src: 'yolo train data=coco8.yaml model=yolov8n.pt epochs=100 imgsz=640 batch=16\n',
    runs: [{ kind: 'cli', settings: { data: ['coco8.yaml', 'coco8.yaml'], model: ['yolov8n.pt', 'yolov8n.pt'], epochs: [100, '100'], imgsz: [640, '640'], batch: [16, '16'] } }],
  },
  {
    name: 'yolo detect train with device list, amp, cache, workers, optimizer',
    src: 'yolo detect train data=VOC.yaml model=yolo11s.yaml device=0,1 amp=False cache=ram workers=4 optimizer=SGD\n',
    runs: [{ kind: 'cli', settings: { device: ['0,1', '0,1'], amp: [false, 'False'], cache: ['ram', 'ram'], workers: [4, '4'], optimizer: ['SGD', 'SGD'], model: ['yolo11s.yaml', 'yolo11s.yaml'] } }],
  },
  {
    name: 'old task=/mode= form, quoted value and device list in brackets',
    src: 'yolo task=segment mode=train model="yolov8n-seg.pt" imgsz=[640,480] device=[0,1]\n',
    runs: [{ kind: 'cli', settings: { model: ['yolov8n-seg.pt', '"yolov8n-seg.pt"'], imgsz: [640, '[640,480]'], device: ['0,1', '[0,1]'] } }],
  },
  {
    name: 'yolo predict / val are not training',
    src: 'yolo predict model=yolov8n.pt source=img.jpg\nyolo val model=yolov8n.pt data=coco8.yaml batch=1\n',
    runs: [],
  },
  {
    name: 'line continuations with backslash',
    src: 'yolo train \\\n  model=yolov8m.pt \\\n  data=coco.yaml \\\n  batch=32 \\\n  imgsz=1024\n',
    runs: [{ kind: 'cli', settings: { model: ['yolov8m.pt', 'yolov8m.pt'], batch: [32, '32'], imgsz: [1024, '1024'] } }],
  },
  {
    name: 'YOLOv5 python train.py with --batch-size, --img, --weights',
    src: 'python train.py --img 640 --batch-size 16 --epochs 3 --data coco128.yaml --weights yolov5s.pt --cache\n',
    runs: [{ kind: 'yolov5-cli', settings: { imgsz: [640, '640'], batch: [16, '16'], epochs: [3, '3'], data: ['coco128.yaml', 'coco128.yaml'], model: ['yolov5s.pt', 'yolov5s.pt'], cache: ['ram', '--cache'] } }],
  },
  {
    name: 'the Colab line: --batch prefix, --cache ram, python3',
    src: 'python3 train.py --img 640 --batch 16 --epochs 3 --data coco128.yaml --weights yolov5s.pt --cache ram\n',
    runs: [{ kind: 'yolov5-cli', settings: { batch: [16, '16'], cache: ['ram', 'ram'] } }],
  },
  {
    name: '-b short flag, --flag=value form, --cfg beats --weights',
    src: 'python segment/train.py -b 8 --imgsz=320 --cfg models/yolov5m.yaml --weights \'\' --device 0,1\n',
    runs: [{ kind: 'yolov5-cli', settings: { batch: [8, '8'], imgsz: [320, '320'], model: ['models/yolov5m.yaml', 'models/yolov5m.yaml'], device: ['0,1', '0,1'] } }],
  },
  {
    name: 'DDP with torch.distributed.run',
    src: 'python -m torch.distributed.run --nproc_per_node 2 train.py --batch 64 --data coco.yaml --weights yolov5s.pt --device 0,1\n',
    runs: [{ kind: 'yolov5-cli', settings: { batch: [64, '64'], device: ['0,1', '0,1'] } }],
  },
  {
    name: 'torchrun',
    src: 'torchrun --standalone --nproc_per_node=4 classify/train.py --model yolov5s-cls.pt --batch-size 128 --img 224\n',
    runs: [{ kind: 'yolov5-cli', settings: { model: ['yolov5s-cls.pt', 'yolov5s-cls.pt'], batch: [128, '128'], imgsz: [224, '224'] } }],
  },
  {
    name: 'shell variables set earlier are followed; unknown ones are not guessed',
    src: 'BATCH=24\nexport IMG=512\nyolo train model=yolov8s.pt data=d.yaml batch=$BATCH imgsz=${IMG} epochs=$EPOCHS\n',
    runs: [{ kind: 'cli', settings: { batch: [24, '$BATCH'], imgsz: [512, '${IMG}'], epochs: [null, '$EPOCHS'] } }],
  },
  {
    name: 'environment prefix, prompts, comments and && chains',
    src: '# train\n$ CUDA_VISIBLE_DEVICES=1 yolo train model=yolov8n.pt data=d.yaml batch=8 && echo done\n',
    runs: [{ kind: 'cli', settings: { batch: [8, 'batch=«8»'] } }],
  },
  {
    name: 'invalid integer for --batch-size stays null',
    src: 'python train.py --batch-size sixteen --data d.yaml\n',
    runs: [{ kind: 'yolov5-cli', settings: { batch: [null, 'sixteen'] } }],
  },
  {
    name: 'batch=-1 (AutoBatch) on both CLIs',
    src: 'yolo train model=n.pt data=d.yaml batch=-1\npython train.py --batch-size -1\n',
    runs: [{ kind: 'cli', settings: { batch: [-1, '-1'] } }, { kind: 'yolov5-cli', settings: { batch: [-1, '-1', 1] } }],
  },
];

for (const c of CASES) {
  test(`shell corpus: ${c.name}`, () => {
    checkRuns(sh(c.src), c.src, c.runs);
  });
}

test('key ranges cover the key / flag token', () => {
  const src = 'yolo train model=n.pt batch=16\npython train.py --batch-size=8 --img 320\n';
  const [a, b] = sh(src).runs;
  assert.deepEqual(a.settings.batch!.keyRange, rangeIn(src, '«batch»=16'));
  assert.deepEqual(b.settings.batch!.keyRange, rangeIn(src, '«--batch-size»=8'));
  assert.deepEqual(b.settings.imgsz!.keyRange, rangeIn(src, '«--img» 320'));
  assert.deepEqual(a.calls[0].range, rangeIn(src, '«yolo» train'));
  assert.deepEqual(b.calls[0].name, 'train.py');
});

test('continuation ranges span lines exactly', () => {
  const src = 'yolo train \\\n  batch=32 \\\n  model=m.pt\n';
  const run = sh(src).runs[0];
  assert.deepEqual(run.settings.batch!.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 10 } });
  assert.deepEqual(run.range, { start: { line: 0, character: 0 }, end: { line: 2, character: 12 } });
});

test('the tokenizer keeps offsets through quotes and escapes', () => {
  const [cmd] = tokenizeShell(`yolo "da ta=x" a\\ b`);
  assert.deepEqual(cmd.map((t) => t.value), ['yolo', 'da ta=x', 'a b']);
  assert.deepEqual([cmd[1].start, cmd[1].end], [5, 14]);
  assert.equal(cmd[1].offsets[0], 6);
  assert.equal(cmd[2].offsets[1], 17);
});

test('DDP launcher notes the process count', () => {
  const run = sh('torchrun --nproc_per_node 8 train.py --batch 256\n').runs[0];
  assert.match(run.notes.join(), /DDP with 8 processes per node/);
});
