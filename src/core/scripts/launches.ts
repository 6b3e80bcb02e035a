// Which of the Python reader's findings are training launches. The reader reports every place a
// batch size is written (argparse defaults, `DataLoader(batch_size=...)`, `torch.hub.load(...)`);
// a card belongs only on what starts YOLO training, once per launch:
// - `torch.hub.load('ultralytics/yolov5', ...)` loads a model for inference: never a run;
// - a script's argparse defaults and its own `model.train(batch=args.batch)` are one launch: when
//   the file calls a trainer, the argparse run is dropped (the call's values already follow them);
// - argparse defaults and DataLoaders count only in files connected to YOLO (an Ultralytics /
//   YOLOv5 import or name, or a YOLO model among the defaults): a plain PyTorch script gets no card.

import type { TrainingRun } from './types';

const TRAINER_KINDS = new Set<TrainingRun['kind']>(['ultralytics-api', 'ultralytics-trainer', 'yolov5-api']);

/** Whether Python source names YOLO (an import of ultralytics / yolov5, or a YOLO model name). */
export function mentionsYolo(text: string): boolean {
  return /\b(?:ultralytics|yolov?\d*[a-z]?\w*|YOLO|rtdetr)\b/i.test(text);
}

export function launchesOnly(runs: TrainingRun[], text: string): TrainingRun[] {
  const trainers = runs.some((r) => TRAINER_KINDS.has(r.kind));
  let yolo: boolean | undefined;
  const connected = () => (yolo ??= mentionsYolo(text));
  return runs.filter((r) => {
    if (r.kind === 'torch-hub') return false;
    if (r.kind === 'yolov5-argparse') {
      if (trainers) return false;
      return /yolo|rtdetr|\.pt$/i.test(r.settings.model?.value ?? '') || connected();
    }
    if (r.kind === 'dataloader') return !trainers && !runs.some((o) => o.kind === 'yolov5-argparse') && connected();
    return true;
  });
}
