"""YOLO Memory Insight probe: measures the memory of real Ultralytics training steps.

One batch size per process, so the CUDA context and the caching allocator start empty. The probe
drives Ultralytics' own trainer (model.train) and reads memory from its callbacks: the first
training step, the steady steps after it, then one validation pass at the trainer's validation
batch (2x batch for detection). It stops by raising an exception of its own from a callback, so no
epoch, checkpoint or plot is completed. Everything is written under a temporary folder that is
removed at the end; with the user's dataset, Ultralytics' labels *.cache is not written beside the labels.

Protocol: one JSON object per line on the original stdout (Ultralytics' own log goes to stderr):
  {"type": "hello", "versions": {...}, "device": {...}}
  {"type": "progress", "message": "...", "phase": "setup|first_step|steady|validation"}
  {"type": "phase", "phase": "first_step|steady|validation", "memory": {...}}
  {"type": "result", "batch": N, "outcome": "fits|oom", "oomPhase": null|"...", "message": "..."}
  {"type": "error", "message": "...", "missing": [...]}   (missing modules, bad input)

Only the standard library, torch and ultralytics. Nothing here executes a model file: built-in names
and .pt names of built-in models are built from Ultralytics' YAML; other .pt files are refused.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback

PROTOCOL_VERSION = 1
_out = None  # the original stdout, kept for protocol lines


def emit(obj):
    line = json.dumps(obj, separators=(",", ":"))
    _out.write(line + "\n")
    _out.flush()


def take_stdout():
    """Protocol lines need a clean stdout; Ultralytics logs to stdout, so point fd 1 at stderr."""
    global _out
    sys.stdout.flush()
    fd = os.dup(1)
    os.dup2(2, 1)
    _out = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
    sys.stdout = sys.stderr


def check_modules():
    missing = []
    versions = {"python": sys.version.split()[0]}
    try:
        import torch  # noqa: F401

        versions["torch"] = torch.__version__
        versions["cuda"] = torch.version.cuda
    except Exception:
        missing.append("torch")
    try:
        import ultralytics  # noqa: F401

        versions["ultralytics"] = ultralytics.__version__
    except Exception:
        missing.append("ultralytics")
    return missing, versions


class StopProbe(Exception):
    """Raised from a callback once the last phase is read: ends model.train() early."""


class StopValidation(Exception):
    """Raised from on_val_batch_end after the validation batches the probe needs."""


def is_oom(e):
    s = str(e).lower()
    return "out of memory" in s or type(e).__name__ == "OutOfMemoryError" or "cublas_status_alloc_failed" in s


class RssSampler(threading.Thread):
    """On CPU there is no allocator peak to read: sample the process's resident set every 5 ms and
    keep the largest per phase. The figure includes Python, torch and the dataloader, not only
    tensors; the baseline (RSS when training starts) is reported beside it."""

    def __init__(self):
        super().__init__(daemon=True)
        import psutil  # an Ultralytics dependency

        self.proc = psutil.Process()
        self.peak = 0
        self.running = True

    def rss(self):
        return self.proc.memory_info().rss

    def reset(self):
        self.peak = self.rss()

    def run(self):
        while self.running:
            try:
                self.peak = max(self.peak, self.rss())
            except Exception:
                pass
            time.sleep(0.005)


def nvidia_smi_process_bytes():
    """This process's memory as nvidia-smi shows it (CUDA context + allocator + libraries)."""
    import subprocess

    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=10,
        ).stdout
    except Exception:
        return None
    for line in out.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 2 and parts[0] == str(os.getpid()) and parts[1].isdigit():
            return int(parts[1]) * 2**20
    return None


def gpu_facts(torch, device):
    if device.type != "cuda":
        return {"type": "cpu", "name": "CPU"}
    import subprocess

    idx = device.index or 0
    props = torch.cuda.get_device_properties(idx)
    driver = None
    try:
        driver = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader", "-i", str(idx)],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip() or None
    except Exception:
        pass
    return {"type": "cuda", "index": idx, "name": props.name, "totalBytes": props.total_memory, "driver": driver}


BUILTIN = re.compile(r"^(yolo(v3|v5|v6|v8|v9|v10|11|12|26)[a-z0-9-]*|rtdetr-[a-z0-9-]+)$", re.I)


def model_source(name):
    """A YAML to build from: never load a checkpoint (pickle) in the probe."""
    base = os.path.basename(name)
    stem, ext = os.path.splitext(base)
    if ext.lower() in (".yaml", ".yml"):
        if os.path.sep in name or os.path.exists(name):
            if not os.path.isfile(name):
                raise ValueError(f"model YAML not found: {name}")
            return os.path.abspath(name)
        return base
    if ext.lower() == ".pt" or ext == "":
        if BUILTIN.match(stem):
            return stem + ".yaml"
        raise ValueError(f"measure builds the model from YAML; give a model .yaml or a built-in name, not {base}")
    raise ValueError(f"unsupported model {base}: give a model .yaml or a built-in name (e.g. yolov8n)")


def synthetic_dataset(root, imgsz, n_train, n_val, boxes):
    """Random-noise images with `boxes` random boxes each: what the loss and the label assigner
    see depends on the number of boxes, not their content."""
    import numpy as np
    import cv2

    rng = np.random.default_rng(0)
    for split, n in (("train", n_train), ("val", n_val)):
        os.makedirs(os.path.join(root, "images", split))
        os.makedirs(os.path.join(root, "labels", split))
        for i in range(n):
            img = rng.integers(0, 255, (imgsz, imgsz, 3), dtype=np.uint8)
            cv2.imwrite(os.path.join(root, "images", split, f"{i}.jpg"), img)
            rows = []
            for _ in range(boxes):
                w, h = rng.uniform(0.05, 0.3, 2)
                x, y = rng.uniform(w / 2, 1 - w / 2), rng.uniform(h / 2, 1 - h / 2)
                rows.append(f"{int(rng.integers(0, 80))} {x:.5f} {y:.5f} {w:.5f} {h:.5f}")
            with open(os.path.join(root, "labels", split, f"{i}.txt"), "w") as f:
                f.write("\n".join(rows) + ("\n" if rows else ""))
    yaml_path = os.path.join(root, "data.yaml")
    with open(yaml_path, "w") as f:
        f.write(f"path: {root}\ntrain: images/train\nval: images/val\nnames:\n")
        for c in range(80):  # COCO's 80 classes: the head the model would have for COCO
            f.write(f"  {c}: c{c}\n")
    return yaml_path


def measure(args, tmp):
    import torch
    from ultralytics import YOLO
    from ultralytics.utils.torch_utils import select_device

    device = select_device(args.device, verbose=False)
    cuda = device.type == "cuda"
    emit({"type": "hello", "protocol": PROTOCOL_VERSION, "versions": check_modules()[1], "device": gpu_facts(torch, device)})

    src = model_source(args.model)
    data = args.data
    if data is None:
        if re.search(r"-(seg|pose|obb|cls)", os.path.basename(src)):
            raise ValueError("a synthetic dataset is made for detection models only; give --data for this task")
        emit({"type": "progress", "phase": "setup", "message": "making a synthetic dataset"})
        n_train = args.batch * args.steps
        n_val = 2 * args.batch * args.val_batches
        data = synthetic_dataset(os.path.join(tmp, "data"), args.imgsz, n_train, n_val, args.objects_per_image)
    elif not os.path.isfile(data):
        raise ValueError(f"dataset YAML not found: {data}")
    else:
        # Nothing written into the user's dataset: Ultralytics would save labels *.cache beside the
        # labels. Existing caches are still read; only the write is skipped.
        try:
            import ultralytics.data.dataset as ul_dataset

            def keep_in_memory(prefix, path, x, version):
                x["version"] = version  # what the real function adds in place before writing

            ul_dataset.save_dataset_cache_file = keep_in_memory
        except Exception:  # noqa: BLE001 - a layout change only means the cache gets written
            pass

    sampler = None if cuda else RssSampler()
    state = {"phase": "setup", "step": 0, "baseline": None}
    phases = []

    def read(phase):
        mem = {}
        if cuda:
            torch.cuda.synchronize(device)
            mem["maxAllocatedBytes"] = torch.cuda.max_memory_allocated(device)
            mem["reservedBytes"] = torch.cuda.memory_reserved(device)
            mem["maxReservedBytes"] = torch.cuda.max_memory_reserved(device)
            mem["nvidiaSmiBytes"] = nvidia_smi_process_bytes()
        else:
            mem["cpuPeakRssBytes"] = sampler.peak
            mem["cpuRssBaselineBytes"] = state["baseline"]
        phases.append(phase)
        emit({"type": "phase", "phase": phase, "memory": mem})

    def reset(phase):
        state["phase"] = phase
        if cuda:
            torch.cuda.synchronize(device)
            torch.cuda.reset_peak_memory_stats(device)
        else:
            sampler.reset()
        emit({"type": "progress", "phase": phase, "message": f"batch {args.batch}: {phase.replace('_', ' ')}"})

    def on_train_start(trainer):
        # Ultralytics halves the batch after an out-of-memory error in epoch 1; the probe wants the
        # error itself, so it tells the trainer its retries are used up.
        if hasattr(trainer, "_oom_retries"):
            trainer._oom_retries = 3
        if sampler:
            state["baseline"] = sampler.rss()
            sampler.start()
        reset("first_step")

    def on_train_batch_end(trainer):
        state["step"] += 1
        if trainer.batch_size != args.batch:
            raise RuntimeError(f"trainer changed batch to {trainer.batch_size}: out of memory")
        if state["step"] == 1:
            read("first_step")
            reset("steady")
            return
        if state["step"] < args.steps:
            return
        read("steady")
        reset("validation")
        try:
            trainer.validate()
        except StopValidation:
            pass
        if "validation" not in phases:
            read("validation")
        raise StopProbe()

    def on_val_batch_end(validator):
        state["val_batches"] = state.get("val_batches", 0) + 1
        if state["phase"] == "validation" and state["val_batches"] >= args.val_batches:
            read("validation")
            raise StopValidation()

    model = YOLO(src)
    model.add_callback("on_train_start", on_train_start)
    model.add_callback("on_train_batch_end", on_train_batch_end)
    model.add_callback("on_val_batch_end", on_val_batch_end)
    emit({"type": "progress", "phase": "setup", "message": f"batch {args.batch}: building the trainer"})
    train_args = dict(
        data=data, epochs=1, imgsz=args.imgsz, batch=args.batch, device=args.device, workers=0,
        amp=args.amp, optimizer=args.optimizer, plots=False, save=False, val=True, verbose=False,
        project=os.path.join(tmp, "runs"), name="measure", exist_ok=True,
    )
    try:
        model.train(**train_args)
    except StopProbe:
        emit({"type": "result", "batch": args.batch, "outcome": "fits", "oomPhase": None,
              "message": f"fits at batch {args.batch}", "steps": state["step"]})
        return 0
    except Exception as e:  # noqa: BLE001 - out of memory is a result, anything else an error
        if is_oom(e):
            if cuda:
                torch.cuda.empty_cache()
            emit({"type": "result", "batch": args.batch, "outcome": "oom", "oomPhase": state["phase"],
                  "message": f"did not fit at batch {args.batch}, in phase {state['phase'].replace('_', ' ')}",
                  "steps": state["step"]})
            return 0
        raise
    finally:
        if sampler:
            sampler.running = False
    # train() returned: fewer batches than steps (a small dataset); report what was read
    raise RuntimeError(f"training ended after {state['step']} steps, before the probe's {args.steps}; give a larger dataset")


def watch_parent():
    """End the probe when the process that started it is gone (the editor closed, the CLI killed):
    the probe runs in its own process group, so nothing else would stop it."""
    parent = os.getppid()

    def run():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(70)

    threading.Thread(target=run, daemon=True).start()


def main(argv):
    take_stdout()
    watch_parent()
    p = argparse.ArgumentParser(prog="measure.py")
    p.add_argument("--check", action="store_true", help="only report versions and missing modules")
    p.add_argument("--model")
    p.add_argument("--batch", type=int)
    p.add_argument("--imgsz", type=int, default=640)
    p.add_argument("--data")
    p.add_argument("--device", default="0")
    p.add_argument("--amp", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--optimizer", default="auto")
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--val-batches", type=int, default=2)
    p.add_argument("--objects-per-image", type=int, default=8)
    try:
        args = p.parse_args(argv)
    except SystemExit:
        emit({"type": "error", "message": "bad arguments to the probe (see the log)"})
        return 2
    missing, versions = check_modules()
    if args.check or missing:
        if missing:
            emit({"type": "error", "message": f"missing Python modules: {', '.join(missing)} (pip install {' '.join(missing)})",
                  "missing": missing, "versions": versions})
            return 3
        emit({"type": "hello", "protocol": PROTOCOL_VERSION, "versions": versions, "device": None})
        return 0
    if not args.model or not args.batch or args.batch < 1 or args.steps < 2:
        emit({"type": "error", "message": "--model and a positive --batch are needed (and --steps >= 2)"})
        return 2
    # No downloads (weights, fonts, assets): the run measures what is on the machine. Ultralytics'
    # AMP check needs yolo26n.pt; offline it is skipped with a warning and AMP stays on.
    os.environ.setdefault("YOLO_OFFLINE", "1")
    # Paths the user gave are relative to where they are, not to the temp folder the probe runs in.
    if args.data:
        args.data = os.path.abspath(args.data)
    if os.path.splitext(args.model)[1].lower() in (".yaml", ".yml") and os.path.exists(args.model):
        args.model = os.path.abspath(args.model)
    tmp = tempfile.mkdtemp(prefix="yolo-mem-measure-")
    cwd = os.getcwd()
    os.chdir(tmp)  # anything Ultralytics writes relative to the cwd lands in the temp folder
    try:
        return measure(args, tmp)
    except Exception as e:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        emit({"type": "error", "message": str(e).splitlines()[0] if str(e) else type(e).__name__})
        return 1
    finally:
        os.chdir(cwd)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
