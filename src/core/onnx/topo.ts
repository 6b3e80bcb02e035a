// Topological order of a graph's nodes (Kahn's algorithm), which also detects cycles and tensors
// produced twice. ONNX requires nodes to be sorted already, but hand-edited or buggy files are not,
// and the shape pass must never loop or read a tensor before it exists.
import { OnnxFormatError } from './errors';
import type { OnnxGraph } from './types';

export function topologicalOrder(file: string, g: OnnxGraph): number[] {
  const producer = new Map<string, number>();
  g.nodes.forEach((n, i) => {
    for (const o of n.outputs) {
      if (!o) continue;
      if (producer.has(o)) {
        const other = g.nodes[producer.get(o)!];
        throw new OnnxFormatError(file, 'malformed', `tensor '${o}' is produced by two nodes ('${other.name || other.opType}' and '${n.name || n.opType}')`);
      }
      producer.set(o, i);
    }
  });
  const pending = new Int32Array(g.nodes.length);
  const consumers: number[][] = g.nodes.map(() => []);
  g.nodes.forEach((n, i) => {
    const deps = new Set<number>();
    for (const inp of n.inputs) {
      const p = inp ? producer.get(inp) : undefined;
      if (p !== undefined) deps.add(p);
    }
    // A node that consumes its own output is a cycle of length one.
    pending[i] = deps.size;
    for (const p of deps) consumers[p].push(i);
  });
  // Ready nodes are taken in file order (smallest index first), so a sorted file keeps its order
  // exactly. A binary heap keeps that O(n log n) whatever the file order: a sorted insert into an
  // array was quadratic on a file listing many independent nodes before their consumers.
  const order: number[] = [];
  const ready = new MinHeap(g.nodes.length);
  for (let i = 0; i < g.nodes.length; i++) if (pending[i] === 0) ready.push(i);
  while (ready.size) {
    const i = ready.pop();
    order.push(i);
    for (const c of consumers[i]) if (--pending[c] === 0) ready.push(c);
  }
  if (order.length !== g.nodes.length) {
    const stuck = g.nodes.findIndex((_, i) => pending[i] > 0);
    const n = g.nodes[stuck];
    throw new OnnxFormatError(file, 'cycle', `graph has a cycle through node ${stuck} '${n.name || '(unnamed)'}' (${n.opType})`);
  }
  return order;
}

/**
 * Every node input must exist: produced by a node, an initializer or a graph input ('' is an
 * omitted optional input). onnxruntime refuses such a file at load; analysing it anyway gave an
 * estimate with the node's shapes silently missing. Checked when a model is opened for analysis
 * (model-source.ts), not by the parser, which also serves partial graphs. Only the main graph:
 * subgraph bodies (If/Loop) may read names of the enclosing scope. A graph with no inputs at all
 * is left to the "no image input" check, whose message says more.
 */
export function checkInputsProduced(file: string, g: OnnxGraph): void {
  if (g.inputs.length === 0) return;
  const known = new Set<string>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) known.add(o);
  for (const t of g.initializers) known.add(t.name);
  for (const v of g.inputs) known.add(v.name);
  g.nodes.forEach((n, i) => {
    for (const inp of n.inputs) {
      if (inp && !known.has(inp)) {
        throw new OnnxFormatError(file, 'malformed', `node ${i} '${n.name || '(unnamed)'}' (${n.opType}) reads '${inp}', which no node, initializer or graph input produces`);
      }
    }
  });
}

/** Min-heap of node indices (each index is pushed at most once, so `capacity` nodes suffice). */
class MinHeap {
  private readonly a: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.a = new Int32Array(Math.max(1, capacity));
  }
  push(v: number): void {
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a[--this.size];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const c = l + 1 < this.size && a[l + 1] < a[l] ? l + 1 : l;
      if (a[c] >= last) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = last;
    return top;
  }
}
