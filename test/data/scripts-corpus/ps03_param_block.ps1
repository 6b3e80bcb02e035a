<# ===================================================================
  train.ps1 - YOLOv8m training on Windows
=================================================================== #>

param(
  [int]$epochs = 60,
  [int]$batch  = 8,
  [int]$imgsz  = 1280,
  [string]$model = "yolov8m.pt"
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

Write-Host "Training $model at $imgsz" -ForegroundColor Cyan
yolo detect train model=$model data=dataset/dataset.yaml epochs=$epochs imgsz=$imgsz batch=$batch rect=True
