// A model, opened once and rebuilt as a training graph at any (batch, image size, prune ratio).
// Three kinds: a built-in name (yolov8n, yolov8n.pt, yolo11s-seg), a model YAML, an ONNX file.
// The worker caches opened sources; building a graph is cheap next to reading the file.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { TrainGraph } from './graph/types';
import { readOnnxFile } from './onnx';
import type { OnnxModel } from './onnx/types';
import { convertOnnx } from './onnx-train/convert';
import { inferShapes } from './shape';
import { buildGraph, parseArchYaml, resolveArch, resolveBuiltin } from './yolo';
import type { ArchSpec, ResolvedModel } from './yolo/types';

export class ModelOpenError extends Error {}

export interface ModelSource {
  name: string;
  /** File path, or `builtin:<name>`. */
  source: string;
  format: 'onnx' | 'yaml' | 'builtin';
  /** The image size the file was made for (ONNX metadata or static input), when it says. */
  defaultImgsz: number | null;
  build(batch: number, imgsz: number, pruneRatio: number): TrainGraph;
  /** Parameter count to report: the file's initializers for ONNX, the model's parameters otherwise. */
  paramCount(graph: TrainGraph): number;
  /** The ONNX model itself, for the per-node report. */
  onnx?: OnnxModel;
}

/** Opens a model spec: `.onnx` path, `.yaml`/`.yml` path, or a built-in name. */
export async function openModel(spec: string): Promise<ModelSource> {
  const lower = spec.toLowerCase();
  if (lower.endsWith('.onnx')) return openOnnx(spec);
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    let text: string;
    try {
      text = readFileSync(spec, 'utf8');
    } catch (e) {
      throw new ModelOpenError(`${basename(spec)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return yamlSource(parseArchYaml(text, basename(spec)), spec, 'yaml');
  }
  const builtin = resolveBuiltin(spec);
  if (builtin) return yamlSource(builtin, `builtin:${builtin.name}`, 'builtin');
  throw new ModelOpenError(`${spec}: not a .onnx or model .yaml file, and not a built-in model name (e.g. yolov8n, yolo11s-seg, yolov5su)`);
}

function yamlSource(spec: ArchSpec, source: string, format: 'yaml' | 'builtin'): ModelSource {
  const resolved = new Map<number, ResolvedModel>();
  const resolve = (r: number) => {
    let m = resolved.get(r);
    if (!m) {
      m = resolveArch(spec, r);
      resolved.set(r, m);
    }
    return m;
  };
  return {
    name: spec.name,
    source,
    format,
    defaultImgsz: null,
    build: (batch, imgsz, pruneRatio) => buildGraph(resolve(pruneRatio), { batch, imgsz, pruneRatio }),
    paramCount: (g) => g.ops.reduce((a, o) => a + o.params, 0),
  };
}

function openOnnx(path: string): ModelSource {
  const model = readOnnxFile(path);
  const input = model.graph.inputs[0];
  const staticH = typeof input?.shape?.[2] === 'number' ? (input.shape[2] as number) : null;
  const metaImgsz = model.ultralytics?.imgsz?.[0] ?? null;
  const initializerElements = model.graph.initializers.reduce((a, t) => a + t.elements, 0);
  return {
    name: basename(path).replace(/\.onnx$/i, ''),
    source: path,
    format: 'onnx',
    defaultImgsz: metaImgsz ?? staticH,
    onnx: model,
    build: (batch, imgsz, pruneRatio) => {
      const inferred = inferShapes(model, { batch, height: imgsz, width: imgsz });
      return convertOnnx(model, {
        batch,
        imgsz: [imgsz, imgsz],
        pruneRatio,
        facts: {
          shape: (n) => inferred.tensors[n]?.shape ?? null,
          value: (n) => inferred.tensors[n]?.value ?? null,
        },
      });
    },
    paramCount: () => initializerElements,
  };
}
