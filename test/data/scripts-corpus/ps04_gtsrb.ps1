# train.ps1
# training script for YOLOv8 on the traffic sign dataset
# GPU: RTX 3070 8GB

Write-Host "Start YOLOv8 training" -ForegroundColor Green

yolo detect train `
    model=yolov8m.pt `
    data=data/traffic.yaml `
    imgsz=416 `
    epochs=50 `
    batch=8 `
    device=0 `
    workers=8 `
    optimizer=Adam
