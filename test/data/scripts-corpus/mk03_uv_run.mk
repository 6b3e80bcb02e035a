IMG := 640

train:
	uv run src/train.py --data data/dataset.yaml --epochs 50 --img $(IMG) --weights yolov8s.pt

test:
	pytest tests/
