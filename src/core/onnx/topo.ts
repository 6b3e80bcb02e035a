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
  // Ready nodes are taken in file order, so a sorted file keeps its order exactly.
  const order: number[] = [];
  const ready: number[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) if (pending[i] === 0) ready.push(i);
  while (ready.length) {
    const i = ready.pop()!;
    order.push(i);
    const next: number[] = [];
    for (const c of consumers[i]) if (--pending[c] === 0) next.push(c);
    next.sort((a, b) => b - a);
    // Keep `ready` popping the smallest index: merge the new ones in descending order.
    for (const c of next) insertDescending(ready, c);
  }
  if (order.length !== g.nodes.length) {
    const stuck = g.nodes.findIndex((_, i) => pending[i] > 0);
    const n = g.nodes[stuck];
    throw new OnnxFormatError(file, 'cycle', `graph has a cycle through node ${stuck} '${n.name || '(unnamed)'}' (${n.opType})`);
  }
  return order;
}

function insertDescending(a: number[], v: number): void {
  // Usually v is smaller than everything already waiting (file order), so this is O(1).
  let i = a.length;
  while (i > 0 && a[i - 1] < v) i--;
  a.splice(i, 0, v);
}
