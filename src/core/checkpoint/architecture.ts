// A checkpoint's model yaml -> the ArchSpec the YAML builder takes, so a .pt goes through exactly
// the same parse/resolve/build path as a model .yaml. The dict is what Ultralytics' yaml_model_load
// produced when the model was built (plus `nc` set to the dataset's classes, `scale`, `yaml_file`,
// `channels`); YOLOv5 keeps its yaml as loaded with `nc` overridden the same way.
import { guessModelScale, parseArchYaml } from '../yolo';
import type { ArchSpec } from '../yolo/types';
import type { CheckpointInfo } from './interpret';

export function checkpointArch(info: CheckpointInfo, name: string): ArchSpec {
  const y = info.yaml;
  // the scale letter the model was built at: recorded since Ultralytics 8.1 (`scale`), else the
  // one in the yaml file's name, else parseArchYaml's own rule (the first in scales:, with a note)
  const scale = typeof y.scale === 'string' && y.scale ? y.scale : typeof y.yaml_file === 'string' ? guessModelScale(y.yaml_file) : '';
  // JSON is YAML 1.2: the dict goes through the YAML reader's checks unchanged
  return parseArchYaml(JSON.stringify(y), info.file, { name, ...(scale ? { scale } : {}) });
}
