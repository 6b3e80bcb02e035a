@echo off
setlocal

:: log file
set LOG_FILE=train_log.txt

:: GPU
set CUDA_VISIBLE_DEVICES=0
set BATCH=24
set "MODEL=yolo11s.pt"

python train.py --weights %MODEL% --batch %BATCH% --img 512 --data data/voice.yaml > %LOG_FILE% 2>&1

echo started, log: %LOG_FILE%
endlocal
