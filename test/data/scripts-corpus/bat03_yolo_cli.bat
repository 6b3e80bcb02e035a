set ROOT=D:
set ROOT=C:/Users/me
set DATA=%ROOT%/prj/birds/data.yaml

yolo train model=yolov8n.pt data=%DATA% epochs=100 imgsz=960 batch=16 device=0
pause
