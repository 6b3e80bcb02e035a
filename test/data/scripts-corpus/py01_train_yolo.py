from ultralytics import YOLO

# pretrained small detector, fine-tuned on the waste dataset
model = YOLO('yolov8s.pt')
model.train(data='dataset/data.yaml', epochs=50, imgsz=640)
