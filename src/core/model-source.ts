// A model, opened once and rebuilt as a training graph at any (batch, image size, prune ratio).
// Four kinds: a built-in name (yolov8n, yolov8n.pt, yolo11s-seg), a model YAML, an ONNX file, a
// PyTorch checkpoint (.pt: read without running it, its yaml built like a model YAML). A `.pt` that
// exists as a file is always read: a fine-tuned yolov8s.pt is not the built-in yolov8s.
// The worker caches opened sources; building a graph is cheap next to reading the file.

import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { checkpointArch, interpretCheckpoint, readCheckpointFile, trainDefaultsFrom, type TrainDefaults } from './checkpoint';
import type { TrainGraph } from './graph/types';
import type { SavedSummary } from './memory/saved';
import { buildLayerRows, buildOnnxLayerRows } from './report/layers';
import type { LayerRow } from './result';
import type { ShapeResult } from './shape/types';
import { readOnnxFile } from './onnx';
import { checkInputsProduced } from './onnx/topo';
import type { OnnxModel } from './onnx/types';
import { convertOnnx } from './onnx-train/convert';
import { inferShapes } from './shape';
import { OPTION_LIMITS } from './validate';
import { buildGraph, parseArchYaml, resolveArch, resolveBuiltin } from './yolo';
import { readYamlFile } from './yolo/build';
import { unknownModelMessage } from './yolo/unknown-name';
import type { ArchSpec, ResolvedModel } from './yolo/types';

export class ModelOpenError extends Error {}

export interface ModelSource {
  name: string;
  /** File path, or `builtin:<name>`. */
  source: string;
  format: 'onnx' | 'yaml' | 'builtin' | 'checkpoint';
  /** The image size the file was made for (ONNX metadata or static input), when it says. */
  defaultImgsz: number | null;
  /** The only image size the model can be analysed at (an ONNX export with a static height and
   *  width), else null. */
  fixedImgsz: number | null;
  build(batch: number, imgsz: number, pruneRatio: number): TrainGraph;
  /** Parameter count to report: the file's initializers for ONNX, the model's parameters otherwise. */
  paramCount(graph: TrainGraph): number;
  /** Forward GFLOPs per image as the file describes the model (fused for ONNX). */
  gflops(graph: TrainGraph): number;
  /** The per-layer report for a graph this source built. */
  rows(graph: TrainGraph, saved: SavedSummary): { layers: LayerRow[]; lossLayers: LayerRow[] };
  /** The ONNX model itself, for the per-node report. */
  onnx?: OnnxModel;
  /** Facts about the file for the model's notes (a checkpoint: its class, version, parameter check). */
  notes?: string[];
  /** How the checkpoint was trained: fills in the options a caller leaves unset. */
  trainDefaults?: TrainDefaults | null;
}

/** Opens a model spec: `.onnx` path, `.yaml`/`.yml` path, or a built-in name. */
export async function openModel(spec: string): Promise<ModelSource> {
  const lower = spec.toLowerCase();
  if (lower.endsWith('.onnx')) return openOnnx(spec);
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
    const text = readYamlFile(spec);
    return yamlSource(parseArchYaml(text, basename(spec)), spec, 'yaml');
  }
  if ((lower.endsWith('.pt') || lower.endsWith('.pth')) && isFile(spec)) return openCheckpoint(spec);
  const builtin = resolveBuiltin(spec);
  if (builtin) return yamlSource(builtin, `builtin:${builtin.name}`, 'builtin');
  if (lower.endsWith('.pt') || lower.endsWith('.pth')) throw new ModelOpenError(`${spec}: file not found, and not a built-in model name (e.g. yolov8n.pt, yolo11s-seg.pt)`);
  throw new ModelOpenError(unknownModelMessage(spec));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A .pt checkpoint: its model yaml through the YAML builder; its tensors' parameter count checked
 *  against the built architecture (a mismatch is a note, not an error: the yaml is what trains). */
function openCheckpoint(path: string): ModelSource {
  const info = interpretCheckpoint(readCheckpointFile(path));
  const name = basename(path).replace(/\.pth?$/i, '');
  const source = yamlSource(checkpointArch(info, name), path, 'checkpoint');
  const built = source.paramCount(source.build(1, 64, 0));
  const cls = info.modelClass.split('.').pop();
  const by = info.flavour === 'yolov5' ? 'YOLOv5' : `Ultralytics${info.version ? ` ${info.version}` : ''}`;
  const notes = [`${basename(path)}: a ${cls} (${info.task}, nc=${info.yaml.nc}) saved by ${by}${info.key === 'ema' ? ', read from its EMA (the checkpoint was saved during training)' : ''}`];
  const fmt = (n: number) => n.toLocaleString('en-US');
  notes.push(
    built === info.params
      ? `${basename(path)}: its ${fmt(info.params)} parameters match the architecture built from its yaml`
      : `${basename(path)}: its tensors hold ${fmt(info.params)} parameters but the architecture built from its yaml has ${fmt(built)}: the estimate follows the yaml`,
  );
  return { ...source, notes, trainDefaults: trainDefaultsFrom(info) };
}

function yamlSource(spec: ArchSpec, source: string, format: 'yaml' | 'builtin' | 'checkpoint'): ModelSource {
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
    fixedImgsz: null,
    build: (batch, imgsz, pruneRatio) => buildGraph(resolve(pruneRatio), { batch, imgsz, pruneRatio }),
    paramCount: (g) => g.ops.reduce((a, o) => a + o.params, 0),
    gflops: (g) => roundGflops(g.ops.reduce((a, o) => a + (o.module.group === 'loss' || o.inferenceOnly ? 0 : o.flops), 0) / g.batch),
    rows: buildLayerRows,
  };
}

function openOnnx(path: string): ModelSource {
  const model = readOnnxFile(path);
  checkInputsProduced(model.file, model.graph);
  const input = model.graph.inputs[0];
  const staticH = typeof input?.shape?.[2] === 'number' ? (input.shape[2] as number) : null;
  const staticW = typeof input?.shape?.[3] === 'number' ? (input.shape[3] as number) : null;
  // A static height and width are kept whatever size is asked: the export bakes them into Reshape
  // targets (attention's H*W, the DFL's anchor count) and anchor grids, so the file describes the
  // network at that size only. A static batch is rebound instead (shape inference's
  // rebindStaticBatch): batch-1 exports are the norm, and batch sits on axis 0 of every target.
  // Dims no image size could have (0, 2^63: a damaged file) are not taken as fixed: the requested
  // or metadata size is used then, as before.
  const [lo, hi] = OPTION_LIMITS.imgsz;
  const usable = (d: number | null): d is number => d !== null && Number.isInteger(d) && d >= lo && d <= hi;
  const fixed: [number, number] | null = usable(staticH) && usable(staticW) ? [staticH, staticW] : null;
  const sizeOf = (imgsz: number): [number, number] => fixed ?? [imgsz, imgsz];
  const metaImgsz = model.ultralytics?.imgsz?.[0] ?? null;
  const initializerElements = model.graph.initializers.reduce((a, t) => a + t.elements, 0);
  // shape inference is cheap but runs for every batch the estimator tries: keep the recent ones
  const inferred = new Map<string, ShapeResult>();
  const shapesAt = (batch: number, imgsz: number): ShapeResult => {
    const [height, width] = sizeOf(imgsz);
    const key = `${batch}x${height}x${width}`;
    let r = inferred.get(key);
    if (!r) {
      r = inferShapes(model, { batch, height, width, rebindStaticBatch: true });
      if (inferred.size > 32) inferred.delete(inferred.keys().next().value!);
      inferred.set(key, r);
    }
    return r;
  };
  return {
    name: basename(path).replace(/\.onnx$/i, ''),
    source: path,
    format: 'onnx',
    defaultImgsz: metaImgsz ?? staticH,
    fixedImgsz: fixed === null ? null : Math.max(...fixed),
    onnx: model,
    build: (batch, imgsz, pruneRatio) => {
      const inferred = shapesAt(batch, imgsz);
      return convertOnnx(model, {
        batch,
        imgsz: sizeOf(imgsz),
        pruneRatio,
        facts: {
          shape: (n) => inferred.tensors[n]?.shape ?? null,
          value: () => null,
        },
      });
    },
    paramCount: () => initializerElements,
    // divide by the batch the shapes have (the rebound one; the file's own without a batch dim)
    gflops: (g) => {
      const r = shapesAt(g.batch, g.imgsz[0]);
      return roundGflops(r.flopsTotal / Math.max(1, r.inputs[0]?.shape?.[0] ?? g.batch));
    },
    rows: (g, saved) => buildOnnxLayerRows(shapesAt(g.batch, g.imgsz[0]), g, saved),
  };
}

function roundGflops(flops: number): number {
  return Math.round((flops / 1e9) * 1000) / 1000;
}
