"""Measure the GPU memory of a few real training steps, for comparison with yolo-mem's estimate.

Run on a machine with an NVIDIA GPU and PyTorch (no Ultralytics needed):

    python3 scripts/device/train_memory.py OUT_DIR [--deterministic] [--no-export] [--snapshot] [--validate]

It builds YOLOv8n-cls in plain PyTorch (same modules, widths, names and forward as
ultralytics/cfg/models/v8/yolov8-cls.yaml at scale n, nc=1000), exports it to ONNX with
Ultralytics-style metadata and dynamic batch/height/width, then trains it for a few steps the
way Ultralytics' trainer does (uint8 batch -> float/255 on the GPU, autocast + GradScaler when
AMP, nbs=64 gradient accumulation, unscale -> clip_grad_norm_(10) -> step -> update -> zero_grad,
SGD momentum 0.937 nesterov, a ModelEMA copy updated after each optimizer step). Each
configuration runs in a fresh process so that the CUDA context, the caching allocator and
nvidia-smi start from nothing. It records, per configuration:

  - nvidia-smi's used memory before the process, after CUDA init, and after the steps
    (whole GPU and, where the driver tells, this process);
  - torch.cuda.max_memory_allocated per step (peak of live tensors), memory_allocated and
    memory_reserved / max_memory_reserved (what the caching allocator holds);
  - the bytes saved for backward in one forward (saved_tensors_hooks, unique storages, with
    the fp32 parameters themselves separated out);
  - the exact CSV that yolo-mem's nvidia-smi query prints on this machine.

Nothing here is tuned: the figures are read from the device and written to OUT_DIR as JSON.
The comparison with the estimate is scripts/device/compare.mjs, run where Node is.
"""

import json
import math
import os
import subprocess
import sys
import time
from copy import deepcopy

import torch
import torch.nn as nn
import torch.nn.functional as F

MIB = 2**20
SMI_FIELDS = "index,name,memory.total,memory.used,memory.free,driver_version"


# ---- the model: YOLOv8n-cls, written out -------------------------------------------------------


class Conv(nn.Module):
    default_act = nn.SiLU()  # one shared module, as in Ultralytics

    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
        self.act = self.default_act

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True):
        super().__init__()
        self.cv1 = Conv(c1, c2, 3, 1)
        self.cv2 = Conv(c2, c2, 3, 1)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        return x + self.cv2(self.cv1(x)) if self.add else self.cv2(self.cv1(x))


class C2f(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False):
        super().__init__()
        self.c = int(c2 * 0.5)
        self.cv1 = Conv(c1, 2 * self.c, 1, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


class Classify(nn.Module):
    export = False

    def __init__(self, c1, c2):
        super().__init__()
        c_ = 1280
        self.conv = Conv(c1, c_, 1, 1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.drop = nn.Dropout(p=0.0, inplace=True)
        self.linear = nn.Linear(c_, c2)

    def forward(self, x):
        x = self.linear(self.drop(self.pool(self.conv(x)).flatten(1)))
        if self.training:
            return x
        return x.softmax(1)


class YoloV8nCls(nn.Module):
    def __init__(self, nc=1000):
        super().__init__()
        self.model = nn.Sequential(
            Conv(3, 16, 3, 2),
            Conv(16, 32, 3, 2),
            C2f(32, 32, 1, True),
            Conv(32, 64, 3, 2),
            C2f(64, 64, 2, True),
            Conv(64, 128, 3, 2),
            C2f(128, 128, 2, True),
            Conv(128, 256, 3, 2),
            C2f(256, 256, 1, True),
            Classify(256, nc),
        )

    def forward(self, x):
        return self.model(x)


# ---- helpers ---------------------------------------------------------------------------------


def smi(args):
    try:
        r = subprocess.run(["nvidia-smi", *args], capture_output=True, text=True, timeout=20)
        return {"rc": r.returncode, "stdout": r.stdout, "stderr": r.stderr[-2000:]}
    except Exception as e:  # noqa: BLE001 - recorded, not fatal
        return {"rc": None, "stdout": "", "stderr": repr(e)}


def smi_used_mib():
    r = smi(["--query-gpu=memory.used,memory.total", "--format=csv,noheader,nounits"])
    try:
        used, total = r["stdout"].strip().splitlines()[0].split(",")
        return float(used), float(total)
    except Exception:  # noqa: BLE001
        return None, None


def smi_process_mib(pid):
    r = smi(["--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"])
    rows = {}
    for line in r["stdout"].strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 2 and parts[0].isdigit():
            try:
                rows[int(parts[0])] = float(parts[1])
            except ValueError:
                rows[int(parts[0])] = None
    return rows.get(pid), rows


class ModelEMA:
    """Ultralytics' ModelEMA: a deep copy, updated in place after every optimizer step."""

    def __init__(self, model, decay=0.9999, tau=2000):
        self.ema = deepcopy(model).eval()
        self.updates = 0
        self.decay = lambda x: decay * (1 - math.exp(-x / tau))
        for p in self.ema.parameters():
            p.requires_grad_(False)

    def update(self, model):
        self.updates += 1
        d = self.decay(self.updates)
        msd = model.state_dict()
        for k, v in self.ema.state_dict().items():
            if v.dtype.is_floating_point:
                v *= d
                v += (1 - d) * msd[k].detach()


def sgd_groups(model, lr=0.01, momentum=0.937, decay=5e-4):
    """Ultralytics' build_optimizer parameter groups (weights with decay, BN weights, biases)."""
    g = [], [], []
    bn = tuple(v for k, v in nn.__dict__.items() if "Norm" in k)
    for module_name, module in model.named_modules():
        for param_name, param in module.named_parameters(recurse=False):
            if "bias" in param_name:
                g[2].append(param)
            elif isinstance(module, bn):
                g[1].append(param)
            else:
                g[0].append(param)
    opt = torch.optim.SGD(g[2], lr=lr, momentum=momentum, nesterov=True)
    opt.add_param_group({"params": g[0], "weight_decay": decay})
    opt.add_param_group({"params": g[1], "weight_decay": 0.0})
    return opt


def saved_bytes(model, img, amp):
    """Bytes saved for backward by one forward: unique storages seen by the pack hook."""
    param_ptrs = {p.untyped_storage().data_ptr() for p in model.parameters()}
    seen = {}

    def pack(t):
        try:
            s = t.untyped_storage()
            seen[s.data_ptr()] = (s.nbytes(), s.data_ptr() in param_ptrs)
        except Exception:  # noqa: BLE001 - e.g. a tensor without storage
            pass
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        with torch.autocast("cuda", enabled=amp):
            preds = model(img)
            loss = F.cross_entropy(preds, torch.zeros(img.shape[0], dtype=torch.long, device=img.device))
    total = sum(n for n, _ in seen.values())
    params = sum(n for n, is_param in seen.values() if is_param)
    loss.backward()
    model.zero_grad(set_to_none=True)
    return {"savedBytes": total, "savedParamBytes": params, "savedStorages": len(seen)}


# ---- one configuration, in its own process ---------------------------------------------------


def validation_pass(ema, imgs, labels, batch, amp, dev, iters=2):
    """Ultralytics' validation during training: the EMA model, in half precision when AMP is on
    (converted in place, back to fp32 afterwards), a loader of twice the training batch, no_grad, and
    the loss computed on the predictions. The trainer empties the cache first when memory is tight
    (_clear_memory); done here always, so what is measured is what validation needs."""
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    res = {"allocatedBefore": torch.cuda.memory_allocated(), "reservedBefore": torch.cuda.memory_reserved()}
    model = ema.ema.half() if amp else ema.ema.float()
    big = torch.cat([imgs, imgs])  # 2x the training batch
    cls = torch.cat([labels, labels]).to(dev)
    with torch.no_grad():
        for _ in range(iters):
            img = big.to(dev, non_blocking=True)
            img = (img.half() if amp else img.float()) / 255
            preds = model(img)
            loss = F.cross_entropy(preds.float() if not amp else preds, cls)
            del img, preds, loss
    torch.cuda.synchronize()
    res["peakAllocated"] = torch.cuda.max_memory_allocated()
    res["peakReserved"] = torch.cuda.max_memory_reserved()
    model.float()
    return res


def run_config(imgsz, batch, amp, deterministic=False, snapshot=None, validate=False):
    pid = os.getpid()
    out = {"imgsz": imgsz, "batch": batch, "amp": amp, "deterministic": deterministic, "pid": pid}
    if deterministic:
        # Ultralytics' init_seeds(deterministic=True), its training default: deterministic cuDNN
        # algorithms (other workspaces) and a fixed cuBLAS workspace, set before any handle exists
        os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.deterministic = True
    out["smiBeforeMiB"], out["smiTotalMiB"] = smi_used_mib()
    torch.backends.cudnn.benchmark = False  # Ultralytics leaves it off
    dev = torch.device("cuda")
    torch.empty(1, device=dev)
    torch.cuda.synchronize()
    out["smiAfterInitMiB"], _ = smi_used_mib()
    out["smiProcessAfterInitMiB"], _ = smi_process_mib(pid)
    out["allocatedAfterInit"] = torch.cuda.memory_allocated()

    torch.manual_seed(0)
    model = YoloV8nCls().to(dev).train()
    ema = ModelEMA(model)
    opt = sgd_groups(model)
    scaler = torch.amp.GradScaler("cuda", enabled=amp)
    out["params"] = sum(p.numel() for p in model.parameters())
    out["buffersBytes"] = sum(b.numel() * b.element_size() for b in model.buffers())
    out["allocatedAfterSetup"] = torch.cuda.memory_allocated()

    nbs = 64
    accumulate = max(round(nbs / batch), 1)
    out["accumulate"] = accumulate
    steps = max(4, 3 * accumulate)
    imgs = torch.randint(0, 255, (batch, 3, imgsz, imgsz), dtype=torch.uint8).pin_memory()
    labels = torch.randint(0, 1000, (batch,))
    rows = []
    t0 = time.time()
    if snapshot:
        # every alloc/free of the first steps, to replay through yolo-mem's allocator model
        torch.cuda.memory._record_memory_history(enabled="all", context=None, stacks="python", max_entries=1_000_000)
    for it in range(steps):
        torch.cuda.reset_peak_memory_stats()
        img = imgs.to(dev, non_blocking=True).float() / 255
        cls = labels.to(dev)
        with torch.autocast("cuda", enabled=amp):
            preds = model(img)
            loss = F.cross_entropy(preds, cls, reduction="mean")
        scaler.scale(loss).backward()
        stepped = (it + 1) % accumulate == 0
        if stepped:
            scaler.unscale_(opt)
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0)
            scaler.step(opt)
            scaler.update()
            opt.zero_grad()
            ema.update(model)
        torch.cuda.synchronize()
        rows.append(
            {
                "iter": it,
                "optimizerStep": stepped,
                "peakAllocated": torch.cuda.max_memory_allocated(),
                "allocatedAfter": torch.cuda.memory_allocated(),
                "reserved": torch.cuda.memory_reserved(),
                "peakReserved": torch.cuda.max_memory_reserved(),
            }
        )
        del img, cls, preds
    out["stepSeconds"] = (time.time() - t0) / steps
    if snapshot:
        snap = torch.cuda.memory._snapshot()
        torch.cuda.memory._record_memory_history(enabled=None)
        codes = {"alloc": "a", "free_requested": "r", "free_completed": "f", "segment_alloc": "S", "segment_free": "s", "segment_map": "M", "segment_unmap": "U", "oom": "O", "snapshot": "n"}
        trace = [[codes.get(e["action"], e["action"]), e.get("addr", 0), e.get("size", 0)] for e in snap["device_traces"][0]]
        segs = [{"size": sg["total_size"], "allocated": sg["allocated_size"], "pool": sg.get("segment_type")} for sg in snap["segments"]]
        with open(snapshot, "w") as f:
            json.dump({"imgsz": imgsz, "batch": batch, "amp": amp, "deterministic": deterministic, "steps": steps, "events": trace, "segments": segs}, f)
    out["steps"] = rows
    out["smiAfterStepsMiB"], _ = smi_used_mib()
    out["smiProcessAfterStepsMiB"], out["smiProcesses"] = smi_process_mib(pid)
    stats = torch.cuda.memory_stats()
    out["allocRetries"] = stats.get("num_alloc_retries")
    out["ooms"] = stats.get("num_ooms")
    out["reservedAfterSteps"] = torch.cuda.memory_reserved()
    if validate:
        out["validation"] = validation_pass(ema, imgs, labels, batch, amp, dev)
    # the saved-for-backward census, on a fresh batch
    img = imgs.to(dev).float() / 255
    out.update(saved_bytes(model, img, amp))
    return out


# ---- the driver ------------------------------------------------------------------------------


def export_onnx(path):
    model = YoloV8nCls().eval()
    for m in model.modules():
        if isinstance(m, Classify):
            m.export = True
    x = torch.zeros(1, 3, 224, 224)
    kw = dict(
        opset_version=17,
        do_constant_folding=True,
        input_names=["images"],
        output_names=["output0"],
        dynamic_axes={"images": {0: "batch", 2: "height", 3: "width"}, "output0": {0: "batch"}},
    )
    try:
        torch.onnx.export(model, x, path, dynamo=False, **kw)
        exporter = "torchscript"
    except Exception as first:  # noqa: BLE001 - newer torch may have dropped the TorchScript exporter
        print("TorchScript exporter failed, trying the default one:", repr(first)[:300], flush=True)
        torch.onnx.export(model, x, path, **kw)
        exporter = "default"
    import onnx

    m = onnx.load(path)
    names = {i: f"class{i}" for i in range(1000)}
    meta = {
        "description": "YOLOv8n-cls written out in plain PyTorch (scripts/device/train_memory.py)",
        "stride": "32",
        "task": "classify",
        "batch": "1",
        "imgsz": "[224, 224]",
        "names": str(names),
        "channels": "3",
    }
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.save(m, path)
    return {"exporter": exporter, "bytes": os.path.getsize(path), "nodes": len(m.graph.node)}


CONFIGS = [(224, b) for b in (32, 128, 512)] + [(640, b) for b in (16, 64, 256)]
SNAPSHOT = (224, 128)  # the configuration whose allocation trace is recorded (--snapshot)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--one":
        imgsz, batch, amp = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
        deterministic = len(sys.argv) > 5 and sys.argv[5] == "1"
        snapshot = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else None
        validate = len(sys.argv) > 7 and sys.argv[7] == "1"
        try:
            print(json.dumps(run_config(imgsz, batch, amp, deterministic, snapshot, validate)))
        except torch.cuda.OutOfMemoryError as e:
            print(json.dumps({"imgsz": imgsz, "batch": batch, "amp": amp, "error": "OOM: " + str(e)[:300]}))
        return
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    out_dir = positional[0] if positional else "."
    deterministic = "--deterministic" in flags  # Ultralytics' default (deterministic=True)
    os.makedirs(out_dir, exist_ok=True)
    report = {"torch": torch.__version__, "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version()}
    report["smiQueryCsv"] = smi([f"--query-gpu={SMI_FIELDS}", "--format=csv,noheader,nounits"])
    report["smiQueryCsvUuid"] = smi([f"--query-gpu={SMI_FIELDS},uuid", "--format=csv,noheader,nounits"])
    report["smiPlain"] = smi([])
    report["deterministic"] = deterministic
    if "--no-export" not in flags:
        try:
            report["onnx"] = export_onnx(os.path.join(out_dir, "yolov8n-cls-dynamic.onnx"))
        except Exception as e:  # noqa: BLE001 - the measurements are still worth having
            report["onnx"] = {"error": repr(e)[:2000]}
    else:
        report["onnx"] = None
    print("export:", report["onnx"], flush=True)
    runs = []
    for imgsz, batch in CONFIGS:
        for amp in (True, False):
            t = time.time()
            try:
                snap = os.path.join(out_dir, f"trace-{imgsz}-{batch}-{'amp' if amp else 'fp32'}.json") if "--snapshot" in flags and (imgsz, batch) == SNAPSHOT else ""
                r = subprocess.run(
                    [sys.executable, __file__, "--one", str(imgsz), str(batch), "1" if amp else "0", "1" if deterministic else "0", snap, "1" if "--validate" in flags else "0"],
                    capture_output=True, text=True, timeout=120,
                )
                line = [l for l in r.stdout.splitlines() if l.startswith("{")]
                row = json.loads(line[-1]) if line else {"imgsz": imgsz, "batch": batch, "amp": amp, "error": r.stderr[-1500:]}
            except subprocess.TimeoutExpired:
                row = {"imgsz": imgsz, "batch": batch, "amp": amp, "error": "timeout"}
            row["wallSeconds"] = round(time.time() - t, 1)
            runs.append(row)
            peak = max((s["peakAllocated"] for s in row.get("steps", [])), default=None)
            peak_mib = f"{peak / MIB:.0f}" if peak is not None else "-"
            print(f"imgsz {imgsz} batch {batch} amp {amp}: peak {peak_mib} MiB, "
                  f"reserved {row.get('reservedAfterSteps', 0) / MIB:.0f} MiB, smi {row.get('smiAfterStepsMiB')} MiB, "
                  f"{row['wallSeconds']} s {str(row.get('error', ''))[:200]}", flush=True)
            name = ("train-memory-deterministic" if deterministic else "train-memory") + ("-validate" if "--validate" in flags else "") + ".json"
            with open(os.path.join(out_dir, name), "w") as f:
                json.dump({**report, "runs": runs}, f, indent=1)


if __name__ == "__main__":
    main()
