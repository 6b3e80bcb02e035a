import torch

# Model
#model = torch.hub.load('ultralytics/yolov5', 'best', pretrained=True)
model = torch.hub.load('ultralytics/yolov5', 'custom', path='./best.pt')  # default

imgs = ['./d2.jpg']  # batch of images
results = model(imgs)
results.print()
results.save()
