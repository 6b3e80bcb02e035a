// The per-layer report: one row per training-graph op, plain JSON for the CLI, hover and panel.

import { DTYPE_BYTES, type Group, type TrainGraph } from '../graph/types';
import { numel } from '../graph/builder';
import type { SavedSummary } from '../memory/saved';
import type { GroupTotals, LayerRow } from '../result';

/** Ops that only rename memory (views) are folded into their neighbours: they allocate nothing and
 *  would only lengthen the table. Constants are loss inputs made outside autograd. */
const HIDDEN = new Set(['view', 'constant', 'input']);

export function buildLayerRows(graph: TrainGraph, saved: SavedSummary): LayerRow[] {
  const rows: LayerRow[] = [];
  for (const op of graph.ops) {
    if (HIDDEN.has(op.kind)) continue;
    const out = op.outputs[0];
    const outputBytes = op.outputs.reduce((a, o) => a + numel(graph.tensors[o].shape) * DTYPE_BYTES[saved.dtypes[o]], 0);
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
      outputBytes,
      activationBytes: s ? s.activationBytes + s.paramCastBytes : 0,
    };
    if (op.inferenceOnly) row.inferenceOnly = true;
    if (op.kind === 'unsupported') row.unsupported = op.note ?? op.source;
    rows.push(row);
  }
  return rows;
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
