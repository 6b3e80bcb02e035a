# A batch far too large for a 12 GiB card: the extension should flag it and offer a quick fix.
from ultralytics import YOLO

model = YOLO("yolov8n.yaml")
model.train(data="coco128.yaml", epochs=3, imgsz=640, batch=128)
