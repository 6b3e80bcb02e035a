// The per-layer report: plain JSON rows for the CLI, hover and panel.
//  - YAML / built-in models: one row per training-graph op (Conv2d, BatchNorm2d, SiLU, ...).
//  - ONNX models: one row per ONNX node, with the real shapes, parameters and FLOPs of the file
//    (shape inference) and the activation bytes of the training ops the node stands for.
// The loss's ops are returned separately: they are not layers of the model.

import { DTYPE_BYTES, type Group, type TrainGraph, type TrainOp } from '../graph/types';
import { numel } from '../graph/builder';
import type { SavedSummary } from '../memory/saved';
import type { GroupTotals, LayerRow } from '../result';
import type { ShapeResult } from '../shape/types';
import { ONNX_DTYPE_BYTES } from '../onnx/dtypes';

/** Ops that only rename memory (views) allocate nothing and would only lengthen the table;
 *  constants are loss inputs made outside autograd. */
const HIDDEN = new Set(['view', 'constant', 'input']);

function opRow(op: TrainOp, graph: TrainGraph, saved: SavedSummary): LayerRow {
  const out = op.outputs[0];
  const s = saved.perOp[op.index];
  const row: LayerRow = {
    index: op.index,
    name: op.name,
    type: op.kind,
    source: op.source,
    module: op.module.index,
    moduleType: op.module.type,
    modulePath: op.module.path,
    group: op.module.group,
    outputShape: out === undefined ? [] : [...graph.tensors[out].shape],
    params: op.params,
    flops: op.flops,
    outputBytes: op.outputs.reduce((a, o) => a + numel(graph.tensors[o].shape) * DTYPE_BYTES[saved.dtypes[o]], 0),
    activationBytes: s ? s.activationBytes : 0,
  };
  if (op.inferenceOnly) row.inferenceOnly = true;
  if (op.kind === 'unsupported') row.unsupported = op.note ?? op.source;
  return row;
}

export function buildLayerRows(graph: TrainGraph, saved: SavedSummary): { layers: LayerRow[]; lossLayers: LayerRow[] } {
  const layers: LayerRow[] = [];
  const lossLayers: LayerRow[] = [];
  for (const op of graph.ops) {
    if (HIDDEN.has(op.kind)) continue;
    (op.module.group === 'loss' ? lossLayers : layers).push(opRow(op, graph, saved));
  }
  return { layers, lossLayers };
}

/** ONNX rows: node by node from shape inference, activations summed over the training ops that the
 *  converter named after the node (`name`, `name#1`, ...). */
export function buildOnnxLayerRows(shapes: ShapeResult, graph: TrainGraph, saved: SavedSummary): { layers: LayerRow[]; lossLayers: LayerRow[] } {
  const byNode = new Map<string, { act: number; op: TrainOp }>();
  const lossLayers: LayerRow[] = [];
  for (const op of graph.ops) {
    if (op.module.group === 'loss') {
      if (!HIDDEN.has(op.kind)) lossLayers.push(opRow(op, graph, saved));
      continue;
    }
    const base = op.name.split('#')[0];
    const s = saved.perOp[op.index];
    const e = byNode.get(base) ?? { act: 0, op };
    e.act += s ? s.activationBytes : 0;
    byNode.set(base, e);
  }
  const layers = shapes.nodes.map((n, k): LayerRow => {
    const t = byNode.get(n.name || `${n.opType}_${n.index}`);
    const group: Group = t?.op.module.group ?? (n.module ? 'backbone' : 'other');
    const row: LayerRow = {
      index: k,
      name: n.name || `${n.opType}_${n.index}`,
      type: n.opType,
      source: n.opType,
      module: n.module?.index ?? null,
      moduleType: t?.op.module.type ?? '',
      modulePath: n.module?.path ?? '',
      group,
      outputShape: n.outputs[0]?.shape ? [...n.outputs[0].shape] : [],
      params: n.params,
      flops: n.flops,
      outputBytes: n.outputs.reduce((a, o) => a + (o.shape ? numel(o.shape) * (ONNX_DTYPE_BYTES[o.dtype] ?? 4) : 0), 0),
      activationBytes: t?.act ?? 0,
    };
    if (t?.op.inferenceOnly) row.inferenceOnly = true;
    if (n.unsupported) row.unsupported = n.note ?? n.opType;
    return row;
  });
  // node rows are numbered by position: continue the numbering for the loss rows
  lossLayers.forEach((r, k) => (r.index = layers.length + k));
  return { layers, lossLayers };
}

export function groupTotals(rows: LayerRow[]): GroupTotals[] {
  const order: Group[] = ['backbone', 'neck', 'head', 'loss', 'other'];
  const by = new Map<Group, GroupTotals>();
  for (const r of rows) {
    const g = by.get(r.group) ?? { group: r.group, params: 0, flops: 0, activationBytes: 0 };
    g.params += r.params;
    g.flops += r.inferenceOnly ? 0 : r.flops;
    g.activationBytes += r.activationBytes;
    by.set(r.group, g);
  }
  return order.filter((g) => by.has(g)).map((g) => by.get(g)!);
}
