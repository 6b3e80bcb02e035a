#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, torch and ultralytics: measures yolov8n, yolo11s and yolo26n at
# three batches each with the real probe (`yolo-mem measure`, each batch a fresh process) and writes
# measured vs estimated to docs/gpu-measurements.md (a section replaced on every run).
#   scripts/gpu-check.sh [--python PATH] [--imgsz N] [--device N]
# A model the estimator cannot estimate yet is reported as such in its rows; the script goes on.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=python3; IMGSZ=640; DEVICE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --python) PY="$2"; shift 2 ;;
    --imgsz) IMGSZ="$2"; shift 2 ;;
    --device) DEVICE="$2"; shift 2 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v nvidia-smi >/dev/null || { echo "gpu-check: no nvidia-smi here: this script needs a GPU machine" >&2; exit 1; }
"$PY" -c 'import torch, ultralytics; assert torch.cuda.is_available(), "torch sees no CUDA device"' || { echo "gpu-check: $PY needs torch (with CUDA) and ultralytics" >&2; exit 1; }
[ -f dist/cli.js ] || npm run build >/dev/null || exit 1
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for spec in "yolov8n 16,64,256" "yolo11s 16,64,128" "yolo26n 16,64,256"; do
  set -- $spec
  echo "gpu-check: $1 batches $2" >&2
  node dist/cli.js measure "$1" --batch "$2" --imgsz "$IMGSZ" --device "$DEVICE" --python "$PY" --json > "$OUT/$1.json" 2> "$OUT/$1.err" || echo "gpu-check: $1: $(tail -1 "$OUT/$1.err")" >&2
done
node scripts/gpu-check-report.mjs "$OUT" "$IMGSZ" docs/gpu-measurements.md
