# Ultralytics training script used by the end-to-end tests (hover over the batch value).
from ultralytics import YOLO

model = YOLO("yolov8n.yaml")
results = model.train(data="coco128.yaml", epochs=3, imgsz=640, batch=16)
