// What a checkpoint says about the model: the object under `model` (or `ema`, in a checkpoint
// saved mid-training), its class (-> task), its `yaml` dict (the architecture, with the nc and
// scale it was built with), the parameter count of its tensors, and how it was trained
// (Ultralytics `train_args`, YOLOv5 `opt`). Nothing here runs code: it reads the decoded tree.
import { CheckpointError } from './errors';
import { countParameters, toPlain, type Plain } from './plain';
import { describe } from './pickle';
import type { RawCheckpoint } from './read';
import { dictGet, objectState, type PyObject, type PyValue } from './values';

export type CheckpointTask = 'detect' | 'segment' | 'pose' | 'obb' | 'classify';

/** Model classes the builder can take a yaml from, by the task they train. Ultralytics keeps them
 *  in ultralytics.nn.tasks; YOLOv5 in models.yolo (`Model` is YOLOv5's name before v7.0). */
const ULTRALYTICS_CLASSES: Record<string, CheckpointTask> = {
  DetectionModel: 'detect',
  SegmentationModel: 'segment',
  PoseModel: 'pose',
  OBBModel: 'obb',
  ClassificationModel: 'classify',
  RTDETRDetectionModel: 'detect',
  WorldModel: 'detect',
  YOLOEModel: 'detect',
  YOLOESegModel: 'segment',
};
const YOLOV5_CLASSES: Record<string, CheckpointTask> = {
  DetectionModel: 'detect',
  Model: 'detect',
  SegmentationModel: 'segment',
  ClassificationModel: 'classify',
};

/** The training settings a checkpoint records, in the estimator's terms. */
export interface CheckpointTrainArgs {
  imgsz?: number;
  /** Images per batch; AutoBatch (-1) and fractions (0.7) are left out. */
  batch?: number;
  /** As recorded: 'SGD', 'AdamW', 'auto', ... */
  optimizer?: string;
  amp?: boolean;
  data?: string;
  epochs?: number;
}

export interface CheckpointInfo {
  file: string;
  /** Who wrote it: Ultralytics (YOLOv8/11/...) or YOLOv5's own train.py. */
  flavour: 'ultralytics' | 'yolov5';
  /** `model`, or `ema` when `model` is None (a checkpoint saved during training). */
  key: 'model' | 'ema';
  /** Fully qualified class of the model object, e.g. ultralytics.nn.tasks.DetectionModel. */
  modelClass: string;
  task: CheckpointTask;
  /** The model's yaml dict as plain data. */
  yaml: { [k: string]: Plain };
  /** sum(numel) over the model's nn.Parameters, from the tensor shapes. */
  params: number;
  paramTensors: number;
  trainArgs: CheckpointTrainArgs | null;
  /** Where trainArgs came from: 'train_args' (Ultralytics) or 'opt' (YOLOv5). */
  trainArgsKey: 'train_args' | 'opt' | null;
  /** Ultralytics version and save date, when recorded. */
  version: string | null;
  date: string | null;
}

export function interpretCheckpoint(raw: RawCheckpoint): CheckpointInfo {
  const { file, root } = raw;
  const fail = (msg: string): never => {
    throw new CheckpointError(file, msg);
  };
  // torch.save(model) of the module itself: the model is the root, with nothing else recorded
  const bare = !!root && typeof root === 'object' && root.kind === 'object';
  if (!bare && (!root || typeof root !== 'object' || root.kind !== 'dict')) {
    return fail(`holds ${describe(root)}, not a checkpoint dict or a model`);
  }
  let key: 'model' | 'ema' = 'model';
  let model = bare ? root : dictGet(root, 'model');
  if (model === null || model === undefined) {
    key = 'ema';
    model = dictGet(root, 'ema');
  }
  if (model === undefined) {
    const keys = root.kind === 'dict' ? root.entries.map(([k]) => (typeof k === 'string' ? k : '?')).slice(0, 8).join(', ') : '';
    const weightsOnly = root.kind === 'dict' && root.entries.length > 0 && root.entries.every(([, v]) => !!v && typeof v === 'object' && v.kind === 'tensor');
    if (weightsOnly) return fail(`a state_dict (${root.entries.length} tensors, no architecture): estimate the model's YAML instead`);
    return fail(`no 'model' or 'ema' entry (keys: ${keys || 'none'}): not an Ultralytics or YOLOv5 checkpoint`);
  }
  if (model && typeof model === 'object' && model.kind === 'dict') return fail(`'${key}' holds a state_dict (weights without the architecture): estimate the model's YAML instead`);
  if (!model || typeof model !== 'object' || model.kind !== 'object') return fail(`'${key}' holds ${describe(model)}, not a model object`);
  const obj = model as PyObject;
  const modelClass = `${obj.module}.${obj.name}`;
  const flavour = obj.module.startsWith('ultralytics.') ? 'ultralytics' : obj.module.startsWith('models.') ? 'yolov5' : null;
  const task = flavour === 'ultralytics' ? ULTRALYTICS_CLASSES[obj.name] : flavour === 'yolov5' ? YOLOV5_CLASSES[obj.name] : undefined;
  if (!flavour || !task) return fail(`the model is a ${modelClass}, which is not a model class this tool reads (Ultralytics: ${Object.keys(ULTRALYTICS_CLASSES).join(', ')}; YOLOv5: models.yolo.DetectionModel)`);
  const state = objectState(obj) ?? null;
  const yamlValue = dictGet(state, 'yaml');
  if (yamlValue === undefined || yamlValue === null) return fail(`the ${obj.name} has no yaml attribute: its architecture is not recorded`);
  const yaml = toPlain(yamlValue, file, 'the model yaml');
  if (!yaml || typeof yaml !== 'object' || Array.isArray(yaml)) return fail(`the ${obj.name}'s yaml is ${describe(yamlValue)}, not a dict`);
  const { params, tensors } = countParameters(obj, file);
  const argsKey = flavour === 'ultralytics' ? 'train_args' : 'opt';
  const argsValue = bare ? undefined : dictGet(root, argsKey);
  const args = argsValue && typeof argsValue === 'object' ? toPlain(argsValue.kind === 'object' ? (objectState(argsValue) ?? null) : argsValue, file, argsKey) : null;
  const trainArgs = args && typeof args === 'object' && !Array.isArray(args) ? readTrainArgs(args, flavour) : null;
  const str = (v: PyValue | undefined) => (typeof v === 'string' ? v.slice(0, 200) : null);
  return {
    file,
    flavour,
    key,
    modelClass,
    task,
    yaml,
    params,
    paramTensors: tensors,
    trainArgs,
    trainArgsKey: trainArgs ? argsKey : null,
    version: bare ? null : str(dictGet(root, 'version')),
    date: bare ? null : str(dictGet(root, 'date')),
  };
}

function readTrainArgs(a: { [k: string]: Plain }, flavour: 'ultralytics' | 'yolov5'): CheckpointTrainArgs {
  const out: CheckpointTrainArgs = {};
  const int = (v: Plain | undefined) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined);
  // imgsz: an int, or YOLOv5's [train, val] list / Ultralytics' [h, w]: the largest side
  const size = Array.isArray(a.imgsz) ? a.imgsz.filter((x): x is number => typeof x === 'number') : a.imgsz;
  const imgsz = Array.isArray(size) ? (size.length ? Math.max(...size) : undefined) : int(size);
  if (int(imgsz)) out.imgsz = imgsz;
  const batch = int(flavour === 'yolov5' ? a.batch_size : a.batch);
  if (batch) out.batch = batch;
  if (typeof a.optimizer === 'string') out.optimizer = a.optimizer;
  if (typeof a.amp === 'boolean') out.amp = a.amp;
  if (typeof a.data === 'string') out.data = a.data;
  const epochs = int(a.epochs);
  if (epochs) out.epochs = epochs;
  return out;
}
