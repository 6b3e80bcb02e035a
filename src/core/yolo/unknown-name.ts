// Why a model name is not a built-in: a model family Ultralytics has but this estimator does not
// model yet, or a typo of a name it has (with the nearest names). Built on listBuiltins(), so a
// family added there stops being "unsupported" without touching this file.
import { nearest } from '../edit-distance';
import { listBuiltins } from './builtin';

/** Ultralytics' own model families (ultralytics/cfg/models/), as their names start. Longest first,
 *  so "yolov10" is not read as "yolov1". */
const ULTRALYTICS_FAMILIES: readonly { prefix: RegExp; family: string }[] = [
  { prefix: /^yolov8[nsmlx]?-worldv2/, family: 'yolov8-worldv2' },
  { prefix: /^yolov8[nsmlx]?-world/, family: 'yolov8-world' },
  { prefix: /^yoloe/, family: 'yoloe' },
  { prefix: /^yolo26/, family: 'yolo26' },
  { prefix: /^yolo12/, family: 'yolo12' },
  { prefix: /^yolo11/, family: 'yolo11' },
  { prefix: /^yolov10/, family: 'yolov10' },
  { prefix: /^yolov9/, family: 'yolov9' },
  { prefix: /^yolov8/, family: 'yolov8' },
  { prefix: /^yolov6/, family: 'yolov6' },
  { prefix: /^yolov5/, family: 'yolov5' },
  { prefix: /^yolov3/, family: 'yolov3' },
  { prefix: /^rtdetr/, family: 'rtdetr' },
  { prefix: /^(mobile_)?sam/, family: 'sam' },
  { prefix: /^fastsam/, family: 'fastsam' },
];

/** The built-in names closest to `name` (at most `n`, within a distance that still reads as a typo). */
export function nearestBuiltins(name: string, n = 3): string[] {
  const q = name.toLowerCase();
  return nearest(q, listBuiltins().map((b) => b.name), Math.max(2, Math.floor(q.length / 3)), n);
}

/** One line saying why `spec` (not a file, not a built-in) was not understood. */
export function unknownModelMessage(spec: string): string {
  const base = (spec.split(/[\\/]/).pop() ?? spec).trim().toLowerCase().replace(/\.(pt|ya?ml)$/, '');
  const builtinFamilies = [...new Set(listBuiltins().map((b) => b.family))];
  const near = nearestBuiltins(base);
  const family = ULTRALYTICS_FAMILIES.find((f) => f.prefix.test(base))?.family;
  const known = family !== undefined && builtinFamilies.some((f) => f === family || f.startsWith(family));
  if (family !== undefined && !known) {
    return `${spec}: ${family} is an Ultralytics model family this version does not model yet (built in: ${builtinFamilies.join(', ')}; \`yolo-mem models\` lists every name); its model .yaml or .onnx export may still be read`;
  }
  const hint = near.length ? `a typo? the nearest names: ${near.join(', ')}` : 'e.g. yolov8n, yolo11s-seg, yolov5su';
  return `${spec}: not a .onnx or model .yaml file, and not a built-in model name (${hint}; \`yolo-mem models\` lists every name)`;
}
