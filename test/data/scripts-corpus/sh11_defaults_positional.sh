#!/bin/bash

MODEL=yolov5s
EPOCHS=${2:-2000}
WORKERS=${4:-4}
IMG=800

NAME=${MODEL}_${IMG}_

python ../yolov5/train.py \
    --img ${IMG} \
    --cfg ${MODEL}.yaml \
    --weights ${MODEL}.pt \
    --workers ${WORKERS} \
    --epochs ${EPOCHS} \
    --name ${NAME} \
    --data data/yolo/config.yaml \
    --batch -1 \
    --cache ram
