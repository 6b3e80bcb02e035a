mkdir -p logs/copy_paste
python -um torch.distributed.run --nproc_per_node 4 train.py \
    --device 0,1,2,3 \
    --data data/eoir-ir.yaml \
    --weights yolov5l.pt \
    --hyp data/hyps/hyp.eoir.yaml \
    --batch-size 64 \
    --exist-ok \
    --epochs 1 \
    --name IR_test2 \
    > logs/copy_paste/IR_test2.log 2>&1 &
