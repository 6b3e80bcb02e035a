#!/usr/bin/env python3
"""Facts measured by the real Ultralytics for the model families of issue #19 part 2 (YOLOv9,
YOLOv3u/v6, YOLOv5-cls, RT-DETR, ...), written as JSON for test/yolo/families2*.test.ts.

How to run (needs `pip install ultralytics torch`; CPU only, no weights or data are downloaded,
every model is built from its YAML with random weights after torch.manual_seed(0)):

    YOLO_CONFIG_DIR=$(mktemp -d) python3 scripts/truth/families2_check.py            # every name
    YOLO_CONFIG_DIR=$(mktemp -d) python3 scripts/truth/families2_check.py yolov9t    # some names

It writes test/data/truth-families2/<name>.json, one file per model name, holding:
  - versions of ultralytics and torch;
  - params / trainable: training-time parameter count (every branch the training forward owns);
  - fused_params, fused_gflops_640: after model.fuse() (Conv+BN folded, RepConv re-parameterised),
    GFLOPs by Ultralytics' own get_flops (thop) at 640, as the official tables count them;
  - per top-level module (model.model[i]): its type, `from`, parameter count, output shapes in train
    mode at (batch, imgsz), and the bytes it saves for backward in fp32;
  - saved_input_bytes: the image batch when some op saves it.

Saved-for-backward bytes: torch.autograd.graph.saved_tensors_hooks sees every tensor autograd saves.
A saved view keeps its whole storage alive, so a storage is counted once (untyped_storage().nbytes()),
attributed to the top-level module running when it is first saved; parameters are not activations
and are skipped, as are buffers (the CPU batch-norm kernel saves running_mean/var, which exist
anyway). This is the same accounting src/core/memory/saved.ts uses.

Nothing from a model file is executed here beyond what Ultralytics itself does with its own YAMLs.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path

import torch

import ultralytics
from ultralytics import YOLO
from ultralytics.utils.torch_utils import get_flops

OUT = Path(__file__).resolve().parents[2] / "test" / "data" / "truth-families2"

# name -> (YAML Ultralytics resolves, batch, imgsz, model class). Small images keep it fast on CPU;
# saved bytes scale with pixels, and the tests rebuild the TypeScript graph at the same size.
MODELS: dict[str, tuple[str, int, int]] = {
    "yolov9t": ("yolov9t.yaml", 2, 128),
    "yolov9s": ("yolov9s.yaml", 2, 128),
    "yolov9m": ("yolov9m.yaml", 2, 128),
    "yolov9c": ("yolov9c.yaml", 2, 128),
    "yolov9e": ("yolov9e.yaml", 1, 128),
    "yolov9c-seg": ("yolov9c-seg.yaml", 2, 128),
    "yolov9e-seg": ("yolov9e-seg.yaml", 1, 128),
    "yolov3u": ("yolov3u.yaml", 1, 128),
    "yolov3-sppu": ("yolov3-sppu.yaml", 1, 128),
    "yolov3-tinyu": ("yolov3-tinyu.yaml", 2, 128),
    "yolov6n": ("yolov6n.yaml", 2, 128),
    "yolov6s": ("yolov6s.yaml", 2, 128),
    "yolov6m": ("yolov6m.yaml", 1, 128),
    "yolov6l": ("yolov6l.yaml", 1, 128),
    "yolov6x": ("yolov6x.yaml", 1, 128),
    # RT-DETR: trained through RTDETRDetectionModel.loss, so the decoder sees GT_PER_IMAGE boxes per
    # image (its denoising queries depend on them); the criterion's saved bytes are recorded as well
    "rtdetr-l": ("rtdetr-l.yaml", 2, 128),
    "rtdetr-x": ("rtdetr-x.yaml", 1, 128),
    "rtdetr-resnet50": ("rtdetr-resnet50.yaml", 1, 128),
    "rtdetr-resnet101": ("rtdetr-resnet101.yaml", 1, 128),
    # YOLO-World v2: forward with text embeddings of WORLD_TEXTS classes (no grad, as the trainer's
    # precomputed CLIP features in batch["txt_feats"])
    "yolov8n-worldv2": ("yolov8n-worldv2.yaml", 2, 128),
    "yolov8s-worldv2": ("yolov8s-worldv2.yaml", 2, 128),
    "yolov8m-worldv2": ("yolov8m-worldv2.yaml", 2, 128),
    "yolov8l-worldv2": ("yolov8l-worldv2.yaml", 1, 128),
    "yolov8x-worldv2": ("yolov8x-worldv2.yaml", 1, 128),
    # a YAML of this project's own with every new row type, to check the YAML path as well
    "gelan-mix": (str(OUT / "yaml" / "gelan-mix.yaml"), 2, 64),
    # yolov5 repository (v7.0) classifiers: see V5_CLS below
    "yolov5n-cls": ("v5cls:n", 4, 64),
    "yolov5s-cls": ("v5cls:s", 4, 64),
    "yolov5m-cls": ("v5cls:m", 2, 64),
    "yolov5l-cls": ("v5cls:l", 2, 64),
    "yolov5x-cls": ("v5cls:x", 2, 64),
}

# The yolov5 repository (v7.0, models/yolo.py ClassificationModel._from_detection_model) makes its
# -cls models from the detection model: model.model[:10] (backbone through SPPF), then the last of
# those (SPPF) is *replaced* by Classify(c1 = SPPF's input channels, nc). Its Conv, C3 and Classify
# (Conv 1x1 to 1280, AdaptiveAvgPool2d, Dropout(p=0), Linear) are the ones Ultralytics has, so the same
# architecture is built here through Ultralytics from a YAML of those rows.
V5_MULTIPLES = {"n": (0.33, 0.25), "s": (0.33, 0.50), "m": (0.67, 0.75), "l": (1.0, 1.0), "x": (1.33, 1.25)}
V5_CLS_ROWS = """backbone:
  - [-1, 1, Conv, [64, 6, 2, 2]]
  - [-1, 1, Conv, [128, 3, 2]]
  - [-1, 3, C3, [128]]
  - [-1, 1, Conv, [256, 3, 2]]
  - [-1, 6, C3, [256]]
  - [-1, 1, Conv, [512, 3, 2]]
  - [-1, 9, C3, [512]]
  - [-1, 1, Conv, [1024, 3, 2]]
  - [-1, 3, C3, [1024]]
head:
  - [-1, 1, Classify, [nc]]
"""


def yaml_path(spec: str, tmp: Path) -> str:
    if not spec.startswith("v5cls:"):
        return spec
    letter = spec.split(":")[1]
    d, w = V5_MULTIPLES[letter]
    p = tmp / f"yolov5{letter}-cls-v7.yaml"
    p.write_text(f"nc: 1000\ndepth_multiple: {d}\nwidth_multiple: {w}\n{V5_CLS_ROWS}")
    return str(p)


GT_PER_IMAGE = 4
WORLD_TEXTS = 80


def void(_x) -> None:
    """A hook that returns None leaves the module's input/output alone."""


def rtdetr_batch(x: torch.Tensor) -> dict:
    """A training batch of GT_PER_IMAGE boxes per image, as the dataloader hands it to model.loss."""
    bs = x.shape[0]
    g = torch.Generator().manual_seed(0)
    n = bs * GT_PER_IMAGE
    xy = torch.rand(n, 2, generator=g) * 0.5 + 0.25
    wh = torch.rand(n, 2, generator=g) * 0.2 + 0.05
    return {
        "img": x,
        "batch_idx": torch.arange(bs).repeat_interleave(GT_PER_IMAGE).float(),
        "cls": torch.zeros(n, 1),
        "bboxes": torch.cat([xy, wh], 1),
    }


def build(yaml: str):
    torch.manual_seed(0)
    import tempfile

    if "rtdetr" in yaml:
        from ultralytics import RTDETR

        m = RTDETR(yaml).model
        m.nc = m.yaml["nc"]  # the trainer sets it (set_model_attributes) before the first loss
        return m
    with tempfile.TemporaryDirectory() as tmp:
        return YOLO(yaml_path(yaml, Path(tmp))).model


def measure(name: str, yaml: str, batch: int, imgsz: int) -> dict:
    model = build(yaml)
    model.train()
    params = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    # parameters and buffers (BatchNorm's running stats, which the CPU kernel saves) exist anyway
    param_ptrs = {p.untyped_storage().data_ptr() for p in list(model.parameters()) + list(model.buffers())}

    layers = model.model
    stack: list[int] = []
    shapes: dict[int, list] = {}
    saved: dict[int, int] = {i: 0 for i in range(len(layers))}
    loss_saved = [0]
    sub: dict[str, int] = {}  # DEBUG_SUB=1: the head's saved bytes by submodule
    substack: list[str] = []
    debug = os.environ.get("DEBUG_SUB") == "1"
    seen: set[int] = set()
    input_ptr = [0]
    input_saved = [0]

    def shapes_of(o):
        if isinstance(o, torch.Tensor):
            return [list(o.shape)]
        if isinstance(o, dict):
            return [s for v in o.values() for s in shapes_of(v)]
        if isinstance(o, (list, tuple)):
            return [s for v in o for s in shapes_of(v)]
        return []

    def pre(i):
        def f(_m, _x, *_a):
            stack.append(i)

        return f

    def post(i):
        def f(_m, _x, y, *_a):
            stack.pop()
            shapes[i] = shapes_of(y)

        return f

    hooks = []
    for i, m in enumerate(layers):
        hooks.append(m.register_forward_pre_hook(pre(i)))
        hooks.append(m.register_forward_hook(post(i)))
    if debug:
        for sub_name, m in layers[-1].named_modules():
            if sub_name and sub_name.count(".") <= 3:
                hooks.append(m.register_forward_pre_hook(lambda _m, _x, sn=sub_name: void(substack.append(sn))))
                hooks.append(m.register_forward_hook(lambda _m, _x, _y: void(substack.pop())))

    def pack(t: torch.Tensor):
        st = t.untyped_storage()
        ptr = st.data_ptr()
        if ptr in param_ptrs or ptr in seen or st.nbytes() == 0:
            return t
        seen.add(ptr)
        if ptr == input_ptr[0]:
            input_saved[0] += st.nbytes()
        elif stack:
            saved[stack[-1]] += st.nbytes()
            if debug and stack[-1] == len(layers) - 1:
                k = substack[-1] if substack else "(head itself)"
                sub[k] = sub.get(k, 0) + st.nbytes()
        else:
            loss_saved[0] += st.nbytes()
        return t

    x = torch.randn(batch, 3, imgsz, imgsz)
    input_ptr[0] = x.untyped_storage().data_ptr()
    is_detr = name.startswith("rtdetr")
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        if is_detr:
            y = model.loss(rtdetr_batch(x))
        elif "world" in name:
            y = model.predict(x, txt_feats=torch.randn(x.shape[0], WORLD_TEXTS, 512))
        else:
            y = model(x)
    del y
    if debug:
        for k, v in sorted(sub.items(), key=lambda kv: -kv[1]):
            print(f"  {k}: {v}")
    for h in hooks:
        h.remove()

    fused = copy.deepcopy(model).eval().fuse(verbose=False)
    fused_params = sum(p.numel() for p in fused.parameters())
    gflops = get_flops(fused, 640)

    return {
        "name": name,
        "yaml": os.path.relpath(yaml, OUT.parents[2]) if os.path.isabs(yaml) else yaml,
        "ultralytics": ultralytics.__version__,
        "torch": torch.__version__,
        "task": model.task if hasattr(model, "task") else None,
        "batch": batch,
        "imgsz": imgsz,
        "precision": "fp32",
        "params": params,
        "trainable": trainable,
        "fused_params": fused_params,
        "fused_gflops_640": round(gflops, 4),
        "saved_input_bytes": input_saved[0],
        "saved_bytes": sum(saved.values()),
        **({"gt_per_image": GT_PER_IMAGE, "loss_saved_bytes": loss_saved[0]} if is_detr else {}),
        **({"texts": WORLD_TEXTS} if "world" in name else {}),
        "layers": [
            {
                "index": i,
                "type": m.type,
                "from": m.f,
                "params": sum(p.numel() for p in m.parameters()),
                "output_shapes": shapes.get(i, []),
                "saved_bytes": saved[i],
            }
            for i, m in enumerate(layers)
        ],
    }


def main(argv: list[str]) -> int:
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    names = argv or list(MODELS)
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        print(f"unknown name(s): {', '.join(unknown)} (known: {', '.join(MODELS)})", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for n in names:
        yaml, batch, imgsz = MODELS[n]
        r = measure(n, yaml, batch, imgsz)
        (OUT / f"{n}.json").write_text(json.dumps(r, indent=1) + "\n")
        print(f"{n}: params {r['params']:,} fused {r['fused_params']:,} GFLOPs {r['fused_gflops_640']} saved {r['saved_bytes']:,} B @ {batch}x{imgsz}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
