$script = {
    function detect()
    {
        python3 detect.py `
            --image_folder ..\data\images `
            --weights_path runs/train/exp12/weights/last.weights `
            --model_def .\config\yolov3-custom.cfg
    }
    function train()
    {
        python3 ./train.py `
            --n_cpu 12 `
            --model_def config/yolov3-custom.cfg `
            --data_config config/custom.data `
            --epochs 300 `
            --batch_size 8
    }
    train
}
Invoke-Command $script
