from ultralytics import YOLO

data = "./datasets-config/site_a.yaml"
model = YOLO('yolov8n.pt')

args = {"data": data, "epochs": 300, "project": "yolov8_site_a",
        "imgsz": 1280, "name": "yolov8n-1280", 'batch': 2 * 4, "device": "0,1,2,3"}
results = model.train(**args)
