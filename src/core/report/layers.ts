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
  const leaving = moduleOutputOps(graph);
  for (const op of graph.ops) {
    if (HIDDEN.has(op.kind)) continue;
    const row = opRow(op, graph, saved);
    if (op.module.group !== 'loss' && leaving.has(op.index)) row.moduleOutput = true;
    (op.module.group === 'loss' ? lossLayers : layers).push(row);
  }
  return { layers, lossLayers };
}

/** Ops whose output leaves their module: read by an op of another module (the next block, the
 *  loss), or a head level. A view's reader counts for the op the view reads from (views have no row). */
function moduleOutputOps(graph: TrainGraph): Set<number> {
  const producer = new Map<number, TrainOp>();
  for (const op of graph.ops) for (const o of op.outputs) producer.set(o, op);
  // follow views back to the op that made the memory
  const source = (t: number): TrainOp | undefined => {
    let op = producer.get(t);
    for (let guard = 0; op && op.kind === 'view' && op.inputs.length && guard < 64; guard++) op = producer.get(op.inputs[0]);
    return op;
  };
  const out = new Set<number>();
  for (const op of graph.ops) {
    for (const t of op.inputs) {
      const p = source(t);
      if (p && p.module.index !== op.module.index && !HIDDEN.has(p.kind)) out.add(p.index);
    }
  }
  for (const t of graph.head?.levels ?? []) {
    const p = source(t);
    if (p) out.add(p.index);
  }
  return out;
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
  // a node with no training op of its own (shape and anchor arithmetic, Identity, Constant) belongs
  // to its module's group, as the module's other nodes say: not to "backbone" by default
  const moduleOf = new Map<number, { group: Group; type: string }>();
  for (const op of graph.ops) {
    if (op.module.group !== 'loss' && op.module.index !== null && op.module.index !== undefined && !moduleOf.has(op.module.index)) {
      moduleOf.set(op.module.index, { group: op.module.group, type: op.module.type });
    }
  }
  // outputs read by a node of another module, or model outputs: the module's outputs
  const readers = new Map<string, Set<number | null>>();
  for (const n of shapes.nodes) for (const i of n.inputs) (readers.get(i) ?? readers.set(i, new Set()).get(i)!).add(n.module?.index ?? null);
  const modelOutputs = new Set(shapes.outputs.map((o) => o.name));
  // the nodes behind the head's training outputs (one per level): the Detect module's outputs in
  // training, though in the export they only feed its inference-only decode
  const levelNodes = new Set<string>();
  for (const t of graph.head?.levels ?? []) {
    const op = graph.ops.find((o) => o.outputs.includes(t));
    if (op) levelNodes.add(op.name.split('#')[0]);
  }
  const layers = shapes.nodes.map((n, k): LayerRow => {
    const t = byNode.get(n.name || `${n.opType}_${n.index}`);
    const mod = n.module ? moduleOf.get(n.module.index) : undefined;
    const group: Group = t?.op.module.group ?? mod?.group ?? (n.module ? 'backbone' : 'other');
    const row: LayerRow = {
      index: k,
      name: n.name || `${n.opType}_${n.index}`,
      type: n.opType,
      source: n.opType,
      module: n.module?.index ?? null,
      moduleType: t?.op.module.type ?? mod?.type ?? '',
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
    if (n.outputs.length > 1) row.outputShapes = n.outputs.map((o) => (o.shape ? [...o.shape] : []));
    const own = n.module?.index ?? null;
    if (levelNodes.has(row.name) || n.outputs.some((o) => modelOutputs.has(o.name) || [...(readers.get(o.name) ?? [])].some((m) => m !== own))) row.moduleOutput = true;
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
