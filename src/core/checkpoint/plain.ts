// Decoded pickle values -> plain JSON data (for a model's yaml dict and train_args), and the walk
// that counts a module tree's parameters. Both are bounded in depth and in nodes visited: the memo
// lets a file share one value many times, which a naive walk would multiply.
import { CheckpointError } from './errors';
import { MAX_WALK_DEPTH, MAX_WALK_NODES } from './limits';
import { dictGet, objectState, type PyValue } from './values';

export type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

/** Dicts with string keys, lists, tuples and scalars; anything else (objects, tensors, bytes)
 *  becomes null. */
export function toPlain(v: PyValue, file: string, what: string): Plain {
  let nodes = 0;
  const walk = (x: PyValue, depth: number): Plain => {
    if (++nodes > MAX_WALK_NODES) throw new CheckpointError(file, `${what} is too large to read (more than ${MAX_WALK_NODES} values)`);
    if (depth > MAX_WALK_DEPTH) throw new CheckpointError(file, `${what} is nested more than ${MAX_WALK_DEPTH} deep`);
    if (x === null || typeof x !== 'object') return x;
    switch (x.kind) {
      case 'list':
      case 'tuple':
        return x.items.map((i) => walk(i, depth + 1));
      case 'dict': {
        const out: { [k: string]: Plain } = {};
        // later entries overwrite earlier ones, as dictGet reads them
        for (const [k, val] of x.entries) if (typeof k === 'string' && k !== '__proto__') out[k] = walk(val, depth + 1);
        return out;
      }
      default:
        return null;
    }
  };
  return walk(v, 0);
}

export interface ParamCount {
  /** Elements of every nn.Parameter in the module tree (shared modules counted once). */
  params: number;
  /** Parameter tensors found. */
  tensors: number;
}

/** Sums the shapes of `_parameters` over an nn.Module object and its `_modules`, as
 *  sum(p.numel() for p in model.parameters()) does. */
export function countParameters(module: PyValue, file: string): ParamCount {
  const seen = new Set<object>();
  const seenTensors = new Set<object>();
  let params = 0;
  let tensors = 0;
  let nodes = 0;
  const walk = (m: PyValue, depth: number) => {
    if (!m || typeof m !== 'object' || m.kind !== 'object' || seen.has(m)) return;
    if (++nodes > MAX_WALK_NODES) throw new CheckpointError(file, `the model has more than ${MAX_WALK_NODES} modules`);
    if (depth > MAX_WALK_DEPTH) throw new CheckpointError(file, `the model's modules nest more than ${MAX_WALK_DEPTH} deep`);
    seen.add(m);
    const state = objectState(m);
    const ps = dictGet(state ?? null, '_parameters');
    if (ps && typeof ps === 'object' && ps.kind === 'dict') {
      for (const [, t] of ps.entries) {
        if (t && typeof t === 'object' && t.kind === 'tensor' && !seenTensors.has(t)) {
          seenTensors.add(t);
          params += t.shape.reduce((a, d) => a * d, 1);
          tensors++;
        }
      }
    }
    const children = dictGet(state ?? null, '_modules');
    if (children && typeof children === 'object' && children.kind === 'dict') for (const [, c] of children.entries) walk(c, depth + 1);
  };
  walk(module, 0);
  return { params, tensors };
}
