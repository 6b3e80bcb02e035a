#!/usr/bin/env python3
"""Ground truth for every built-in model name, measured with Ultralytics itself (CPU, random weights).

Run with `npm run truth` (all names the TypeScript side lists) or
`python3 scripts/truth/truth.py yolo26n yolo26n-seg ...`. Needs `pip install ultralytics torch`.
Each name is measured in a fresh Python process and written to test/data/truth/<name>.json.
No weights are downloaded: every model is built from its YAML with torch.manual_seed(0).

What is recorded (see test/data/truth/README.md for every field):
  - ultralytics / torch versions, the batch and image size used;
  - params (training time: every branch, one-to-one and one-to-many heads both), gradients;
  - deploy_params / deploy_gflops_640: after model.fuse() in eval mode (end-to-end heads keep only the
    one-to-one branch), GFLOPs from Ultralytics' own get_flops at 640: what the official tables list;
  - per module (model.model[i]): type, output shape(s) of its training forward;
  - saved-for-backward bytes (saved_tensors_hooks, each storage once), by module and in total, for fp32
    and for AMP (CPU autocast to bfloat16: the CPU stand-in for CUDA's fp16 autocast; both are 2-byte
    dtypes, and the op lists differ only in ops YOLO models do not save through);
  - the loss + label assigner's peak: CPU allocator events (torch.profiler profile_memory) during the
    criterion call alone, relative to its start, fp32;
  - optimizer state bytes after one step for SGD, AdamW and MuSGD, built by Ultralytics' own
    BaseTrainer.build_optimizer (the parameter groups it makes, including MuSGD's muon group).
The TypeScript architecture hash of the name is stored as given by the lister, so a unit test can see
when the committed truth is older than the architecture it covers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "data" / "truth"
BATCH = 2
IMGSZ = 128  # a multiple of 64, so P6 models run too; saved bytes scale with pixels, the mechanisms do not
OBJECTS = 8


def list_builtins() -> list[dict]:
    """Every canonical built-in name with its TypeScript architecture hash (npx tsx list-builtins.ts)."""
    out = subprocess.run(
        [str(ROOT / "node_modules" / ".bin" / "tsx"), str(ROOT / "scripts" / "truth" / "list-builtins.ts")],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="built-in names (default: every name listBuiltins() returns)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--hash", default="", help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--skip-existing", action="store_true", help="keep files whose arch hash is current")
    args = ap.parse_args()
    if args.one:
        measure_one(args.one, args.hash, Path(args.out))
        return
    entries = list_builtins()
    known = {e["name"]: e for e in entries}
    names = args.names or [e["name"] for e in entries]
    Path(args.out).mkdir(parents=True, exist_ok=True)
    failed = []
    for name in names:
        base = name.lower().removesuffix(".pt").removesuffix(".yaml")
        entry = known.get(base)
        if entry is None:
            print(f"{name}: not a built-in name of this project", file=sys.stderr)
            failed.append(name)
            continue
        target = Path(args.out) / f"{base}.json"
        if args.skip_existing and target.exists():
            try:
                if json.loads(target.read_text()).get("arch_hash") == entry["archHash"]:
                    continue
            except ValueError:
                pass
        t0 = time.time()
        env = {**os.environ, "YOLO_CONFIG_DIR": tempfile.mkdtemp(), "YOLO_OFFLINE": "true", "OMP_NUM_THREADS": "2"}
        r = subprocess.run(
            [sys.executable, __file__, "--one", base, "--hash", entry["archHash"], "--out", args.out], env=env
        )
        print(f"{base}: {'ok' if r.returncode == 0 else 'FAILED'} ({time.time() - t0:.0f} s)", flush=True)
        if r.returncode != 0:
            failed.append(base)
    if failed:
        print("failed: " + " ".join(failed), file=sys.stderr)
        sys.exit(1)


# ---------------------------------------------------------------------------------------------------


def yaml_for(name: str) -> str:
    """The model YAML Ultralytics resolves for a built-in name (yolov8n-p2 -> yolov8-p2.yaml at scale n)."""
    return f"{name}.yaml"


T0 = time.time()


def step(what: str) -> None:
    print(f"  {time.time() - T0:6.1f} s  {what}", file=sys.stderr, flush=True)


def measure_one(name: str, arch_hash: str, out: Path) -> None:
    import torch
    import ultralytics
    from ultralytics.cfg import get_cfg
    from ultralytics.nn.tasks import yaml_model_load, guess_model_task
    from ultralytics.utils import DEFAULT_CFG

    torch.set_num_threads(2)
    torch.manual_seed(0)
    cfg_yaml = yaml_model_load(yaml_for(name))
    task = guess_model_task(cfg_yaml)
    model = build_model(cfg_yaml, task)
    hyp = get_cfg(DEFAULT_CFG)
    model.args = hyp

    rec: dict = {
        "name": name,
        "arch_hash": arch_hash,
        "task": task,
        "ultralytics": ultralytics.__version__,
        "torch": torch.__version__,
        "batch": BATCH,
        "imgsz": IMGSZ,
        "objects_per_image": OBJECTS,
        "nc": int(cfg_yaml.get("nc", 0)),
    }
    rec["params"] = sum(p.numel() for p in model.parameters())
    rec["gradients"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    rec["buffers_bytes"] = sum(b.numel() * b.element_size() for b in model.buffers())
    step("deploy stats")
    rec.update(deploy_stats(model))

    model.train()
    batch = synthetic_batch(task, model, cfg_yaml)
    step("warm-up step")
    warm_up(model, batch)
    step("module shapes")
    rec["modules"] = module_shapes(model, batch)
    rec["assigned"] = count_assigned(model, batch)
    for precision in ("fp32", "amp"):
        step(f"saved bytes {precision}")
        rec[precision] = saved_bytes(model, batch, precision)
    step("loss peak")
    rec["loss_peak"] = loss_peak(model, batch)
    step("optimizer states")
    rec["optimizer_state_bytes"] = optimizer_states(model, batch, hyp)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(rec, indent=1) + "\n")


def build_model(cfg: dict, task: str):
    from ultralytics.nn import tasks as T

    cls = {
        "detect": T.DetectionModel,
        "segment": T.SegmentationModel,
        "pose": T.PoseModel,
        "obb": T.OBBModel,
        "classify": T.ClassificationModel,
    }.get(task)
    if cls is None:
        cls = getattr(T, {"semantic": "SemanticSegmentationModel", "depth": "DepthModel"}.get(task, ""), None)
    if cls is None:
        raise SystemExit(f"task {task} has no model class here")
    return cls(cfg, verbose=False)


def deploy_stats(model) -> dict:
    import copy

    from ultralytics.utils.torch_utils import get_flops

    m = copy.deepcopy(model).eval()
    m = m.fuse(verbose=False) if hasattr(m, "fuse") else m
    return {
        "deploy_params": sum(p.numel() for p in m.parameters()),
        "deploy_gflops_640": round(get_flops(m, 640), 4),
        "train_gflops_640": round(get_flops(copy.deepcopy(model).eval(), 640), 4),
    }


def synthetic_batch(task: str, model, cfg: dict) -> dict:
    """8 objects per image, fixed by a seed: the batch dict Ultralytics' collate_fn makes."""
    import torch

    g = torch.Generator().manual_seed(0)
    n = BATCH * OBJECTS
    nc = int(getattr(model, "nc", cfg.get("nc", 80)) or 80)
    img = torch.rand(BATCH, 3, IMGSZ, IMGSZ, generator=g)
    if task == "classify":
        return {"img": img, "cls": torch.randint(0, nc, (BATCH,), generator=g)}
    xy = torch.rand(n, 2, generator=g) * 0.8 + 0.1
    wh = torch.rand(n, 2, generator=g) * 0.35 + 0.05
    batch = {
        "img": img,
        "batch_idx": torch.arange(BATCH).repeat_interleave(OBJECTS).float(),
        "cls": torch.randint(0, nc, (n, 1), generator=g).float(),
        "bboxes": torch.cat([xy, wh], 1),
    }
    if task == "segment":
        # overlap_mask=True format: (B, H/4, W/4), pixel value k marks the image's k-th object
        m = torch.zeros(BATCH, IMGSZ // 4, IMGSZ // 4)
        for i in range(n):
            b, k = divmod(i, OBJECTS)
            cx, cy, w, h = (batch["bboxes"][i] * (IMGSZ // 4)).tolist()
            m[b, int(max(cy - h / 2, 0)) : int(cy + h / 2) + 1, int(max(cx - w / 2, 0)) : int(cx + w / 2) + 1] = k + 1
        batch["masks"] = m
        batch["sem_masks"] = torch.randint(0, nc, (BATCH, IMGSZ // 4, IMGSZ // 4), generator=g)
    if task == "pose":
        kpt = cfg.get("kpt_shape", [17, 3])
        k = torch.rand(n, kpt[0], kpt[1], generator=g)
        if kpt[1] == 3:
            k[..., 2] = (k[..., 2] > 0.3).float()
        batch["keypoints"] = k
    if task == "obb":
        batch["bboxes"] = torch.cat([xy, wh, (torch.rand(n, 1, generator=g) - 0.5) * 3.14159], 1)
    if task == "semantic":
        return {"img": img, "sem_masks": torch.randint(0, nc, (BATCH, IMGSZ, IMGSZ), generator=g)}
    return batch


def run_loss(model, batch):
    """BaseModel.loss(batch) -> (loss * batch_size vector, items); the trainer sums it."""
    loss, _ = model.loss(batch)
    return loss.sum()


def warm_up(model, batch) -> None:
    """One unmeasured step: builds the criterion, strides and anchors lazily made on first use."""
    loss = run_loss(model, batch)
    loss.backward()
    model.zero_grad(set_to_none=True)


def count_assigned(model, batch) -> list[dict]:
    """Positive anchors the label assigner picked per branch (one-to-many first, then one-to-one), and
    for pose the keypoint rows the RLE flow ran on: data-dependent counts a test feeds to the estimator
    so that it checks the mechanisms, not the upper bound it assumes for them."""
    import torch

    crit = model.criterion
    branches = [crit.one2many, crit.one2one] if hasattr(crit, "one2many") else [crit]
    out = []
    hooks = []
    for br in branches:
        rec = {"positives": 0}
        out.append(rec)
        assigner = getattr(br, "assigner", None)
        if assigner is None:
            continue
        h = assigner.register_forward_hook(lambda m, i, o, rec=rec: rec.__setitem__("positives", int(o[3].sum())))
        hooks.append(h)
        if hasattr(br, "calculate_rle_loss"):
            orig = br.calculate_rle_loss

            def wrapped(pred, gt, mask, orig=orig, rec=rec):
                rec["keypoint_rows"] = int(mask.sum())
                return orig(pred, gt, mask)

            br.calculate_rle_loss = wrapped
    with torch.no_grad():
        model.loss(batch)
    for h in hooks:
        h.remove()
    for br in branches:
        br.__dict__.pop("calculate_rle_loss", None)
    return out if hooks else []


def flat_shapes(o):
    import torch

    if isinstance(o, torch.Tensor):
        return [list(o.shape)]
    if isinstance(o, dict):
        return {k: flat_shapes(v) for k, v in o.items() if k != "feats"}
    if isinstance(o, (list, tuple)):
        return [flat_shapes(v) for v in o]
    return None


def module_shapes(model, batch) -> list[dict]:
    import torch

    rows = []
    hooks = []
    for i, m in enumerate(model.model):
        def hook(mod, inp, out, i=i):
            rows.append({"index": i, "type": type(mod).__name__, "from": mod.f, "params": sum(p.numel() for p in mod.parameters()), "out": flat_shapes(out)})
        hooks.append(m.register_forward_hook(hook))
    with torch.no_grad():
        model(batch["img"])
    for h in hooks:
        h.remove()
    return rows


def saved_bytes(model, batch, precision: str) -> dict:
    """Distinct storages saved for backward during forward + loss, by category and by module."""
    import torch

    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    buffers = {b.untyped_storage().data_ptr() for b in model.buffers()}
    img = batch["img"]
    seen: dict[int, tuple[str, int, str]] = {}
    current = ["input"]
    hooks = []
    for i, m in enumerate(model.model):
        hooks.append(m.register_forward_pre_hook(lambda mod, inp, i=i: current.__setitem__(0, str(i))))

    def pack(t):
        s = t.untyped_storage()
        ptr = s.data_ptr()
        if ptr not in seen and s.nbytes() > 0:
            if ptr in params:
                cat = "param"
            elif ptr in buffers:
                cat = "buffer"
            elif ptr == img.untyped_storage().data_ptr():
                cat = "input"
            elif _param_cast(t):
                cat = "param_cast"
            else:
                cat = "activation"
            seen[ptr] = (cat, s.nbytes(), current[0], str(t.dtype).removeprefix("torch."))
        return t

    model.zero_grad(set_to_none=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        ctx = torch.autocast("cpu", dtype=torch.bfloat16) if precision == "amp" else _null()
        with ctx:
            preds = model(img)
            current[0] = "loss"
            loss, _ = model.loss(batch, preds)
            loss = loss.sum()
    for h in hooks:
        h.remove()
    loss.backward()
    model.zero_grad(set_to_none=True)
    total: dict[str, int] = {}
    by_module: dict[str, int] = {}
    by_dtype: dict[str, int] = {}
    for cat, n, mod, dt in seen.values():
        total[cat] = total.get(cat, 0) + n
        if cat == "activation":
            by_module[mod] = by_module.get(mod, 0) + n
            by_dtype[dt] = by_dtype.get(dt, 0) + n
    return {
        "saved_activation_bytes": total.get("activation", 0),
        "saved_param_cast_bytes": total.get("param_cast", 0),
        "saved_input_bytes": total.get("input", 0),
        "saved_param_bytes": total.get("param", 0),
        "saved_buffer_bytes": total.get("buffer", 0),
        "saved_activation_bytes_by_module": dict(sorted(by_module.items(), key=lambda kv: (kv[0] == "loss", kv[0] == "input", int(kv[0]) if kv[0].isdigit() else 0))),
        "saved_activation_bytes_by_dtype": by_dtype,
    }


def _from_param(fn) -> bool:
    return any(type(f).__name__ == "AccumulateGrad" for f, _ in fn.next_functions if f is not None)


VIEW_FNS = {"TBackward0", "ViewBackward0", "PermuteBackward0", "TransposeBackward0", "ExpandBackward0", "UnsqueezeBackward0"}


def _param_cast(t) -> bool:
    """An autocast copy of a parameter, possibly seen through a view (Linear saves weight.t())."""
    fn = t.grad_fn
    while fn is not None and type(fn).__name__ in VIEW_FNS:
        nxt = [f for f, _ in fn.next_functions if f is not None]
        fn = nxt[0] if len(nxt) == 1 else None
    return fn is not None and type(fn).__name__ == "ToCopyBackward0" and _from_param(fn)


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def loss_peak(model, batch) -> dict:
    """Peak of CPU allocator events while the criterion (loss + label assigner) runs, fp32."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    model.zero_grad(set_to_none=True)
    preds = model(batch["img"])
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        loss, _ = model.loss(batch, preds)
    # allocations are reported on the op that made them (its *self* memory), frees as '[memory]'
    # events; summed in time order they give the allocator's running total
    events = sorted(
        (e for e in prof.events() if e.self_cpu_memory_usage != 0), key=lambda e: e.time_range.start
    )
    cur = peak = 0
    for e in events:
        cur += e.self_cpu_memory_usage
        peak = max(peak, cur)
    loss.sum().backward()
    model.zero_grad(set_to_none=True)
    return {"fp32_alloc_peak_bytes": peak, "fp32_alloc_end_bytes": cur}


def optimizer_states(model, batch, hyp) -> dict:
    """State bytes after one step, for the optimizers Ultralytics' build_optimizer makes."""
    import copy
    import types

    from ultralytics.engine.trainer import BaseTrainer

    out = {}
    for name in ("SGD", "AdamW", "MuSGD"):
        m = copy.deepcopy(model)
        m.args = hyp
        fake = types.SimpleNamespace(args=copy.deepcopy(hyp), data={"nc": 80})
        opt = BaseTrainer.build_optimizer(fake, m, name=name, lr=0.01, momentum=0.9, decay=5e-4, iterations=1e5)
        loss = run_loss(m, batch)
        loss.backward()
        opt.step()
        out[name] = sum(
            v.numel() * v.element_size() for st in opt.state.values() for v in st.values() if hasattr(v, "numel")
        )
    return out


if __name__ == "__main__":
    main()
