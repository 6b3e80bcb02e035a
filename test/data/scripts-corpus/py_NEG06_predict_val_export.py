from ultralytics import YOLO

model = YOLO('runs/detect/train/weights/best.pt')
metrics = model.val(data='paddy.yaml', imgsz=640, batch=16)
results = model.predict('test.jpg', imgsz=640, conf=0.25)
model.export(format='onnx', imgsz=640)
