@echo off

echo train yolov8

yolo settings reset
python -m spine.detection.train_yolo ^
     --data "./data/detection/yolo/train.yaml" ^
     --model yolov8m.pt ^
     --epochs 239 ^
     --batch-size 32 ^
     --imgsz 640 ^
     --device 0
