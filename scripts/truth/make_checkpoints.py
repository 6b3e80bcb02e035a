#!/usr/bin/env python3
"""Writes the small real checkpoints the checkpoint-reader tests read (test/data/checkpoints/).

Run by hand (npm test never needs Python); needs `pip install ultralytics torch` (CPU is enough):

    YOLO_CONFIG_DIR=$(mktemp -d) python3 scripts/truth/make_checkpoints.py test/data/checkpoints

What it writes, every file by the real Ultralytics / torch.save (nothing downloaded: models are
built from their YAML, the dataset is synthetic and made here in a temp folder):
  yolo11n-seg-saved.pt   YOLO('yolo11n-seg.yaml').save(): a SegmentationModel, nc=80, no train_args
  det-nc3-best.pt        best.pt of a 1-epoch CPU training of yolov8n.yaml on a synthetic 3-class
                         dataset at imgsz 160, batch 4 (stripped by Ultralytics: model = EMA, train_args)
  cls-nc3-last-unstripped.pt  last.pt of a 1-epoch yolov8n-cls training (3 classes, imgsz 64, SGD),
                         copied in the on_model_save callback before Ultralytics strips it: `model`
                         is None, the network is under `ema`, the optimizer state is there
  yolov5n-v7-nc3.pt      a YOLOv5 (v7.0) format checkpoint: {'model': models.yolo.DetectionModel, 'opt',
                         'epoch', ...}. YOLOv5 itself is not installed: its layer classes (Conv, C3,
                         SPPF, Concat, Detect, DetectionModel) are defined below with YOLOv5's
                         parameter layout and registered under YOLOv5's module names (models.common,
                         models.yolo), so pickle records the same globals a real YOLOv5 checkpoint holds.
                         Built from yolov5n.yaml with nc=3 by YOLOv5's parse_model rules; the script
                         checks the nc=80 build has YOLOv5n's 1,872,157 parameters (YOLOv5's
                         unfused model summary; 1,867,405 after fuse()).
  yolov5-w0125-nc3-legacy.pt  the same checkpoint with a YOLOv5 at width_multiple 0.125, saved in
                         torch's legacy format (PyTorch < 1.6 files: _use_new_zipfile_serialization=False)
Each file's parameter count (torch's sum of numel over parameters()) goes to checkpoints.json;
the tests compare the reader's count with it.
"""
import math
import shutil
import sys
import tempfile
import types
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
from PIL import Image


def synthetic_detect_dataset(root: Path, n_train=8, n_val=4, size=128):
    rng = np.random.default_rng(0)
    for split, n in (('train', n_train), ('val', n_val)):
        (root / 'images' / split).mkdir(parents=True)
        (root / 'labels' / split).mkdir(parents=True)
        for i in range(n):
            img = (rng.random((size, size, 3)) * 255).astype(np.uint8)
            Image.fromarray(img).save(root / 'images' / split / f'{i}.jpg')
            lines = [f'{rng.integers(0, 3)} {rng.uniform(0.3, 0.7):.3f} {rng.uniform(0.3, 0.7):.3f} 0.2 0.2' for _ in range(2)]
            (root / 'labels' / split / f'{i}.txt').write_text('\n'.join(lines) + '\n')
    yaml = root / 'data.yaml'
    yaml.write_text(f'path: {root}\ntrain: images/train\nval: images/val\nnames:\n  0: a\n  1: b\n  2: c\n')
    return yaml


def synthetic_cls_dataset(root: Path, size=64):
    rng = np.random.default_rng(1)
    for split in ('train', 'val'):
        for c in ('a', 'b', 'c'):
            d = root / split / c
            d.mkdir(parents=True)
            for i in range(3):
                Image.fromarray((rng.random((size, size, 3)) * 255).astype(np.uint8)).save(d / f'{i}.jpg')
    return root


def params(m) -> int:
    return sum(p.numel() for p in m.parameters())


# --- YOLOv5 v7.0 layer classes, registered under YOLOv5's module names --------------------------
def yolov5_modules():
    models = types.ModuleType('models')
    common = types.ModuleType('models.common')
    yolo = types.ModuleType('models.yolo')
    models.common, models.yolo = common, yolo
    sys.modules.update({'models': models, 'models.common': common, 'models.yolo': yolo})

    def autopad(k, p=None):
        return k // 2 if p is None else p

    class Conv(nn.Module):
        def __init__(self, c1, c2, k=1, s=1, p=None, g=1):
            super().__init__()
            self.conv = nn.Conv2d(c1, c2, k, s, autopad(k, p), groups=g, bias=False)
            self.bn = nn.BatchNorm2d(c2)
            self.act = nn.SiLU()

    class Bottleneck(nn.Module):
        def __init__(self, c1, c2, shortcut=True, g=1, e=0.5):
            super().__init__()
            c_ = int(c2 * e)
            self.cv1 = Conv(c1, c_, 1, 1)
            self.cv2 = Conv(c_, c2, 3, 1, g=g)
            self.add = shortcut and c1 == c2

    class C3(nn.Module):
        def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
            super().__init__()
            c_ = int(c2 * e)
            self.cv1 = Conv(c1, c_, 1, 1)
            self.cv2 = Conv(c1, c_, 1, 1)
            self.cv3 = Conv(2 * c_, c2, 1)
            self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, g, e=1.0) for _ in range(n)))

    class SPPF(nn.Module):
        def __init__(self, c1, c2, k=5):
            super().__init__()
            c_ = c1 // 2
            self.cv1 = Conv(c1, c_, 1, 1)
            self.cv2 = Conv(c_ * 4, c2, 1, 1)
            self.m = nn.MaxPool2d(kernel_size=k, stride=1, padding=k // 2)

    class Concat(nn.Module):
        def __init__(self, dimension=1):
            super().__init__()
            self.d = dimension

    class Detect(nn.Module):
        stride = None

        def __init__(self, nc=80, anchors=(), ch=()):
            super().__init__()
            self.nc, self.no, self.nl, self.na = nc, nc + 5, len(anchors), len(anchors[0]) // 2
            self.register_buffer('anchors', torch.tensor(anchors).float().view(self.nl, -1, 2))
            self.m = nn.ModuleList(nn.Conv2d(x, self.no * self.na, 1) for x in ch)

    class DetectionModel(nn.Module):
        def __init__(self, cfg, nc):
            super().__init__()
            self.yaml = dict(cfg, nc=nc)
            self.model, self.save = parse_model(self.yaml)
            self.names = [str(i) for i in range(nc)]

    def make_divisible(x, divisor):
        return math.ceil(x / divisor) * divisor

    def parse_model(d):
        # YOLOv5 v7.0 models/yolo.py parse_model, for the modules yolov5n.yaml uses
        anchors, nc, gd, gw = d['anchors'], d['nc'], d['depth_multiple'], d['width_multiple']
        ch, layers, save = [3], [], []
        for i, (f, n, m, args) in enumerate(d['backbone'] + d['head']):
            n = max(round(n * gd), 1) if n > 1 else n
            args = list(args)
            if m in ('Conv', 'C3', 'SPPF'):
                c1, c2 = ch[f], args[0]
                c2 = make_divisible(c2 * gw, 8)
                args = [c1, c2, *args[1:]]
                if m == 'C3':
                    args.insert(2, n)
                    n = 1
                cls = {'Conv': Conv, 'C3': C3, 'SPPF': SPPF}[m]
            elif m == 'Concat':
                c2 = sum(ch[x] for x in f)
                cls = Concat
            elif m == 'Detect':
                args = [nc, anchors, [ch[x] for x in f]]
                cls = Detect
            else:  # nn.Upsample
                c2 = ch[f]
                cls = nn.Upsample
            m_ = nn.Sequential(*(cls(*args) for _ in range(n))) if n > 1 else cls(*args)
            m_.i, m_.f = i, f
            save.extend(x % i for x in ([f] if isinstance(f, int) else f) if x != -1)
            layers.append(m_)
            if i == 0:
                ch = []
            ch.append(c2)
        return nn.Sequential(*layers), sorted(save)

    for cls in (Conv, Bottleneck, C3, SPPF, Concat, Detect):
        cls.__module__, cls.__qualname__ = 'models.common' if cls is not Detect else 'models.yolo', cls.__name__
        setattr(common if cls is not Detect else yolo, cls.__name__, cls)
    DetectionModel.__module__, DetectionModel.__qualname__ = 'models.yolo', 'DetectionModel'
    yolo.DetectionModel = DetectionModel
    return DetectionModel


YOLOV5N = {
    'nc': 80, 'depth_multiple': 0.33, 'width_multiple': 0.25,
    'anchors': [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]],
    'backbone': [[-1, 1, 'Conv', [64, 6, 2, 2]], [-1, 1, 'Conv', [128, 3, 2]], [-1, 3, 'C3', [128]],
                 [-1, 1, 'Conv', [256, 3, 2]], [-1, 6, 'C3', [256]], [-1, 1, 'Conv', [512, 3, 2]],
                 [-1, 9, 'C3', [512]], [-1, 1, 'Conv', [1024, 3, 2]], [-1, 3, 'C3', [1024]],
                 [-1, 1, 'SPPF', [1024, 5]]],
    'head': [[-1, 1, 'Conv', [512, 1, 1]], [-1, 1, 'nn.Upsample', [None, 2, 'nearest']], [[-1, 6], 1, 'Concat', [1]],
             [-1, 3, 'C3', [512, False]], [-1, 1, 'Conv', [256, 1, 1]], [-1, 1, 'nn.Upsample', [None, 2, 'nearest']],
             [[-1, 4], 1, 'Concat', [1]], [-1, 3, 'C3', [256, False]], [-1, 1, 'Conv', [256, 3, 2]],
             [[-1, 14], 1, 'Concat', [1]], [-1, 3, 'C3', [512, False]], [-1, 1, 'Conv', [512, 3, 2]],
             [[-1, 10], 1, 'Concat', [1]], [-1, 3, 'C3', [1024, False]], [[17, 20, 23], 1, 'Detect', ['nc', 'anchors']]],
}


def legacy_copy(out: Path, counts: dict):
    """The YOLOv5 checkpoint re-saved in torch's legacy (PyTorch < 1.6) format: a raw pickle stream
    whose nn.Module classes are recorded as ('module', class, file, source) persistent ids.
    Runs alone too (after the zip file exists): python3 -c "import sys; sys.path.insert(0,
    'scripts/truth'); import make_checkpoints as m; m.legacy_copy_only('test/data/checkpoints')"""
    DetectionModel = sys.modules['models.yolo'].DetectionModel if 'models.yolo' in sys.modules else yolov5_modules()
    ck = torch.load(out / 'yolov5n-v7-nc3.pt', weights_only=False)
    # at width_multiple 0.125 (a quarter of YOLOv5n's parameters) to keep the folder under 25 MB
    ck['model'] = DetectionModel(dict(YOLOV5N, width_multiple=0.125), 3).half()
    torch.save(ck, out / 'yolov5-w0125-nc3-legacy.pt', _use_new_zipfile_serialization=False)
    counts['yolov5-w0125-nc3-legacy.pt'] = params(ck['model'])


def legacy_copy_only(out: str):
    import json
    out = Path(out)
    facts = json.loads((out / 'checkpoints.json').read_text())
    legacy_copy(out, facts['parameters'])
    (out / 'checkpoints.json').write_text(json.dumps(facts, indent=2) + '\n')


def main(out: Path):
    from ultralytics import YOLO

    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    work = Path(tempfile.mkdtemp(prefix='ckpt-'))

    # (a pose model.save() would add 6.8 MB: the folder is kept under 25 MB; cls comes from the training below)
    for yaml, name in (('yolo11n-seg.yaml', 'yolo11n-seg-saved.pt'),):
        m = YOLO(yaml)
        m.save(out / name)
        counts[name] = params(m.model)

    data = synthetic_detect_dataset(work / 'det')
    m = YOLO('yolov8n.yaml')
    m.train(data=str(data), epochs=1, imgsz=160, batch=4, device='cpu', workers=0, project=str(work / 'runs'), name='det', plots=False, val=True, amp=True)
    shutil.copy(work / 'runs' / 'det' / 'weights' / 'best.pt', out / 'det-nc3-best.pt')
    counts['det-nc3-best.pt'] = params(YOLO(out / 'det-nc3-best.pt').model)

    cls_root = synthetic_cls_dataset(work / 'cls')
    m = YOLO('yolov8n-cls.yaml')
    grabbed = {}

    def grab(trainer):
        # last.pt as written at the end of the epoch, before the final strip_optimizer
        shutil.copy(trainer.last, out / 'cls-nc3-last-unstripped.pt')
        grabbed['ok'] = True

    m.add_callback('on_model_save', grab)
    m.train(data=str(cls_root), epochs=1, imgsz=64, batch=4, device='cpu', workers=0, optimizer='SGD', project=str(work / 'runs'), name='cls', plots=False)
    assert grabbed, 'on_model_save never ran'
    ck = torch.load(out / 'cls-nc3-last-unstripped.pt', weights_only=False)
    assert ck['model'] is None and ck['ema'] is not None, 'the copy was stripped'
    counts['cls-nc3-last-unstripped.pt'] = params(ck['ema'])

    DetectionModel = yolov5_modules()
    ref = DetectionModel(YOLOV5N, 80)
    # YOLOv5's training-time summary of yolov5n.yaml: 1,872,157 parameters (1,867,405 once fuse() folds BN)
    assert params(ref) == 1872157, f'YOLOv5n (nc=80) should have 1,872,157 parameters, built {params(ref)}'
    v5 = DetectionModel(YOLOV5N, 3).half()
    opt = {'weights': 'yolov5n.pt', 'cfg': '', 'data': 'data/coco128.yaml', 'hyp': {'lr0': 0.01}, 'epochs': 1, 'batch_size': 8,
           'imgsz': 320, 'optimizer': 'AdamW', 'noautoanchor': False, 'device': 'cpu', 'workers': 0}
    torch.save({'epoch': -1, 'best_fitness': None, 'model': v5, 'ema': None, 'updates': None, 'optimizer': None, 'opt': opt,
                'git': None, 'date': '2026-12-02T00:00:00'}, out / 'yolov5n-v7-nc3.pt')
    counts['yolov5n-v7-nc3.pt'] = params(v5)

    legacy_copy(out, counts)
    for k, v in counts.items():
        print(f'{k}: {v} parameters, {(out / k).stat().st_size} bytes')
    # the facts the tests compare with: parameters as torch counts them (sum of numel over parameters())
    import json
    facts = {'ultralytics': __import__('ultralytics').__version__, 'torch': torch.__version__, 'parameters': counts}
    (out / 'checkpoints.json').write_text(json.dumps(facts, indent=2) + '\n')
    shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main(Path(sys.argv[1] if len(sys.argv) > 1 else 'test/data/checkpoints'))
