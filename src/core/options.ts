// What the caller asks the estimator: one plain object shared by the CLI, the worker and the views.

export type OptimizerChoice = 'auto' | 'sgd' | 'adam' | 'adamw';
export type DeployPrecision = 'fp32' | 'fp16' | 'int8';

export interface AnalyzeOptions {
  /** Path to a .onnx / model .yaml, or a built-in name (yolov8n, yolov8n.pt, yolo11s-seg, ...). */
  model: string;
  /** Square training image size (Ultralytics `imgsz`). Default 640. */
  imgsz?: number;
  /** Batch sizes to estimate; the first is "the" batch. Default [16]. */
  batch?: number[];
  /** Automatic mixed precision (Ultralytics default: on). */
  amp?: boolean;
  optimizer?: OptimizerChoice;
  /** GPU to check against; null/undefined = unknown (no verdict). */
  gpu?: import('./result').GpuInfo | null;
  /** DDP world size: each GPU gets batch / gpus. Default 1. */
  gpus?: number;
  /** Safety margin as a fraction of VRAM kept free. Default 0.1. */
  margin?: number;
  /** Ground-truth boxes per image the label assigner sees (max over a batch). */
  objectsPerImage?: number;
  /** The dataset known only by its density (mean boxes per image; the densest image and the image
   *  count when known): the assigner's padded count is simulated from it (dataset/density.ts). */
  datasetDensity?: { mean: number; max?: number | null; images?: number | null; name?: string };
  /** Training images and epochs, for optimizer=auto (Ultralytics' rule). */
  datasetImages?: number;
  epochs?: number;
  /** Channel pruning ratio in [0, 0.9]: widths scale by (1 - ratio). */
  pruneRatio?: number;
  /** Weight precision for the deployment-size what-if. */
  deployPrecision?: DeployPrecision;
  /** Dataset YAML (Ultralytics `data=` / YOLOv5 `--data`): objects per image and host RAM come from it. */
  data?: string;
  /** Folder relative paths in `data` resolve against (the training script's folder). */
  cwd?: string;
  /** Dataloader workers (Ultralytics default 8) and `cache` (false, 'ram', 'disk'). */
  workers?: number;
  cache?: false | 'ram' | 'disk';
  /** Free host RAM to check the data pipeline against (default: this machine's). */
  freeRamBytes?: number;
  /** Ultralytics AutoBatch (`batch=-1` → 0.6, `batch=0.7` → 0.7): the batch estimated is the one AutoBatch
   *  is predicted to pick on `gpu` (src/core/autobatch.ts); without a GPU, `batch` is used. */
  autoBatchFraction?: number;
  /** Compute the memory-vs-batch curve up to this batch (default: 2 x max batch, at least 64). */
  curveMax?: number;
  /** The verdict at the asked batches only: no max-batch search, the curve holds just those batches, and
   *  the result says `partial: true`. The panel shows it first and then the full analysis (issue #15). */
  quick?: boolean;
}
