# training/scripts/train_win_v8.ps1
$ErrorActionPreference = "Stop"
$PLATFORM="windows"; $MODEL="yolov8s.pt"
$BATCH = 12
$REPO_ROOT = Resolve-Path (Join-Path $PSScriptRoot "..")
$NAME      = "v8_$PLATFORM"
yolo detect train `
    model=$MODEL `
    data=training/configs/data.yaml `
    imgsz=640 `
    batch=$BATCH `
    project=runs name=$NAME
