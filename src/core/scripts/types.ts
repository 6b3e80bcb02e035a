// What the training-script reader returns: plain JSON (no classes, Maps or bigint), so the same
// object feeds hovers, code lenses, the CLI's --json and golden tests. Positions are 0-based
// line / UTF-16 character, as VS Code counts them.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * One training setting found in the source. `value` is null when it cannot be known from the text
 * alone (an environment variable, a loop variable, a value assigned in an `if`): never guessed.
 */
export interface Setting<T> {
  value: T | null;
  /** The exact source text at `range`. */
  raw: string;
  /** The value's token (`16`, `'yolov8n.pt'` with its quotes, `BATCH`, `[0, 1]`). */
  range: Range;
  /** The key / flag token (`batch`, `--batch-size`, `'batch'` in a dict), when there is one. */
  keyRange?: Range;
  /** How a value not written at `range` was found, e.g. `BATCH = 16 (line 3)`. */
  resolvedFrom?: string;
  /** Where the literal that gave the value is written, when it is not at `range` (for quick fixes). */
  sourceRange?: Range;
  /** Why the value is null, or what an unusual value means (AutoBatch, imgsz list, ...). */
  note?: string;
  /** Notebooks: the cell (index in the notebook's `cells`) and the value's range inside the cell's text. */
  cell?: { index: number; range: Range };
  /** Notebooks: the cell of `sourceRange` and that range inside the cell's text (a `BATCH = 16` or a
   *  `model = YOLO('yolov8n.pt')` written in an earlier cell). */
  sourceCell?: { index: number; range: Range };
}

export interface TrainingSettings {
  batch?: Setting<number>;
  imgsz?: Setting<number>;
  /** Weights or architecture: `yolov8n.pt`, `yolov8n.yaml`, `yolov5s`. */
  model?: Setting<string>;
  epochs?: Setting<number>;
  /** Dataset YAML. */
  data?: Setting<string>;
  optimizer?: Setting<string>;
  amp?: Setting<boolean>;
  workers?: Setting<number>;
  /** true / false / 'ram' / 'disk'. */
  cache?: Setting<boolean | string>;
  /** Normalised device string: '' (auto), '0', '0,1', 'cpu', 'mps', '-1' (idle GPU). See deviceGpuCount(). */
  device?: Setting<string>;
}

export type SettingKey = keyof TrainingSettings;

export const SETTING_KEYS: readonly SettingKey[] = ['batch', 'imgsz', 'model', 'epochs', 'data', 'optimizer', 'amp', 'workers', 'cache', 'device'];

/**
 * Where a run was found:
 * - ultralytics-api: `YOLO(...).train(...)` / `model.train(...)`
 * - ultralytics-trainer: `DetectionTrainer(overrides={...})`
 * - yolov5-api: YOLOv5's `train.run(...)`
 * - yolov5-argparse: `parser.add_argument('--batch-size', default=16)` (YOLOv5 train.py and look-alikes)
 * - cli: the `yolo train ...` command line
 * - yolov5-cli: `python train.py --batch-size 16 ...` (also torchrun / torch.distributed.run)
 * - yaml-config: a YAML of training arguments (Ultralytics args.yaml, YOLOv5 opt.yaml, a cfg=)
 * - dataloader: `DataLoader(dataset, batch_size=16)`
 * - torch-hub: `torch.hub.load('ultralytics/yolov5', 'yolov5s')`
 */
export type RunKind =
  | 'ultralytics-api'
  | 'ultralytics-trainer'
  | 'yolov5-api'
  | 'yolov5-argparse'
  | 'cli'
  | 'yolov5-cli'
  | 'yaml-config'
  | 'dataloader'
  | 'torch-hub';

export interface CallSite {
  /** `YOLO`, `train`, `add_argument`, `yolo`, `train.py`, ... */
  name: string;
  range: Range;
}

export interface TrainingRun {
  kind: RunKind;
  /** The whole call / command / document the run was read from. */
  range: Range;
  settings: TrainingSettings;
  calls: CallSite[];
  /** Facts about this run (a `**kwargs` that could not be read, a cfg= file not loaded, ...). */
  notes: string[];
  /** Notebooks: index of the cell the run is in. */
  cell?: number;
  /** Notebooks: `range` inside that cell's text (where the launch starts, for reports). */
  cellRange?: Range;
  /** Notebook cell views (cells.ts): a run anchored in another cell, shown in this one only because
   *  one of its settings (the model built here) is written here. Hover shows it; markers, quick
   *  fixes and code lenses belong to the cell the run is anchored in. */
  reference?: boolean;
}

/** The reader a file is read with (see kinds.ts for which files get which). */
export type ScriptLanguage = 'python' | 'yaml' | 'shell' | 'markdown' | 'notebook' | 'makefile' | 'dockerfile' | 'workflow';

export interface ScriptScan {
  language: ScriptLanguage;
  runs: TrainingRun[];
  /** Facts about the file as a whole (skipped as too large, syntax errors, ...). */
  notes: string[];
}
