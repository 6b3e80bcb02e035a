#!/usr/bin/env bash
set -euo pipefail
export CUDA_VISIBLE_DEVICES=1
DATA=datasets/data.yaml
nohup yolo detect train data=$DATA model=yolo11n.pt epochs=10 lr0=0.01 imgsz=640 batch=32 pretrained=False > train.log 2>&1 &
echo "started"
