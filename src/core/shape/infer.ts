// The shape pass: binds symbolic dims, walks the graph in topological order applying each op's
// registry rule, tracks small constant values so shape subgraphs fold, and attributes every
// initializer once. It never throws for a graph the reader accepted: an unknown op or a failing
// rule marks that node (and what depends on it) unknown and the pass goes on.
import type { OnnxModel, OnnxNode, OnnxValueInfo } from '../onnx/types';
import { MAX_RANK } from '../onnx/limits';
import { OnnxFormatError } from '../onnx/errors';
import { numel, ShapeError, ShapeLimitError, type Val } from './helpers';
import { ultralyticsModule } from './modules';
import { ruleFor } from './registry';
import type { NodeShapes, ShapeBindings, ShapeResult, TensorShape } from './types';

/** Identity-like ops whose output is the same tensor: initializers seen through them are attributed
 *  to the real consumer (torch shares identical Conv biases through Identity nodes). */
const ALIAS_OPS = new Set(['Identity']);

export function inferShapes(model: OnnxModel, bindings: ShapeBindings = {}): ShapeResult {
  const g = model.graph;
  const vals = new Map<string, Val>();
  const warnings: string[] = [];
  const initNames = new Set(g.initializers.map((t) => t.name));
  for (const t of g.initializers) vals.set(t.name, { shape: t.dims.slice(), dtype: t.dtype, ...(t.values ? { value: t.values.slice() } : {}) });

  // Bind the graph inputs (those that are not initializers: IR < 4 lists initializers as inputs too).
  const realInputs = g.inputs.filter((v) => !initNames.has(v.name));
  const meta = model.ultralytics;
  const bound: ShapeResult['bindings'] = {
    batch: bindings.batch ?? null,
    height: bindings.height ?? null,
    width: bindings.width ?? null,
    dims: { ...(bindings.dims ?? {}) },
  };
  const defaults = { batch: meta?.batch ?? 1, height: meta?.imgsz?.[0] ?? null, width: meta?.imgsz?.[1] ?? null };
  realInputs.forEach((v, k) => vals.set(v.name, bindInput(v, k === 0, bindings, defaults, bound, warnings)));
  const rebatch = bound.staticBatch === undefined ? null : new Rebatch(realInputs[0].name, bound.staticBatch, bound.batch!);

  const first = realInputs[0] ? vals.get(realInputs[0].name) : undefined;
  const inputElements = first?.shape ? numel(first.shape) : 0;
  const nodes: NodeShapes[] = [];
  const unsupported = new Set<string>();
  let flopsTotal = 0;
  for (const i of g.order) {
    const node = g.nodes[i];
    const entry: NodeShapes = { index: i, name: node.name, opType: node.opType, domain: node.domain, inputs: node.inputs.slice(), outputs: [], params: 0, flops: 0, module: ultralyticsModule(node.name) };
    const inputs = node.inputs.map((n) => (n ? vals.get(n) : undefined));
    rebatch?.visit(node, inputs);
    let outs: Val[] | null = null;
    const rule = ruleFor(node.domain, node.opType);
    const missing = node.inputs.findIndex((n, k) => n !== '' && (!inputs[k] || inputs[k]!.shape === null));
    if (!rule) {
      entry.unsupported = true;
      entry.note = `no shape rule for ${node.domain ? node.domain + '.' : ''}${node.opType}`;
      unsupported.add(node.domain ? `${node.domain}.${node.opType}` : node.opType);
    } else if (missing >= 0) {
      const name = node.inputs[missing];
      entry.note = vals.has(name) ? `input '${name}' has an unknown shape` : `input '${name}' is not produced by any node`;
    } else {
      try {
        outs = rule.infer({ node, inputs, opset: model.opset });
        checkShapes(outs, inputElements);
        entry.flops = rule.flops ? rule.flops({ node, inputs, opset: model.opset }, outs) : 0;
        if (!Number.isFinite(entry.flops)) entry.flops = 0;
      } catch (e) {
        if (e instanceof ShapeLimitError) throw new OnnxFormatError(model.file, 'limit', `${node.name || node.opType} (${node.opType}): ${e.message}`);
        outs = null;
        entry.note = e instanceof ShapeError ? e.message : `internal error in the ${node.opType} rule: ${(e as Error)?.message ?? e}`;
      }
    }
    node.outputs.forEach((name, k) => {
      const v: Val = outs?.[k] ?? { shape: null, dtype: outs ? 'undefined' : 'undefined' };
      if (name) vals.set(name, v);
      entry.outputs.push({ name, shape: v.shape, dtype: v.dtype });
    });
    flopsTotal += entry.flops;
    nodes.push(entry);
  }

  const paramsTotal = attributeParams(model, nodes);
  const outputs = g.outputs.map((o) => tensorShape(o.name, vals));
  for (const o of g.outputs) checkDeclared(o, vals.get(o.name), warnings);
  const tensors: ShapeResult['tensors'] = Object.fromEntries([...vals].map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype }]));
  return {
    nodes,
    tensors,
    inputs: realInputs.map((v) => tensorShape(v.name, vals)),
    outputs,
    paramsTotal,
    flopsTotal,
    bindings: bound,
    unsupported: [...unsupported].sort(),
    warnings,
  };
}

function tensorShape(name: string, vals: Map<string, Val>): TensorShape {
  const v = vals.get(name);
  return { name, shape: v?.shape ?? null, dtype: v?.dtype ?? 'undefined' };
}

/** Symbolic dims of the first input's axes 0/2/3 are batch/height/width whatever they are called;
 *  any other dim_param is looked up by name (then as batch/height/width by name). Static dims stay
 *  as the file says: a static export cannot run at another size, so a differing binding is a warning. */
function bindInput(
  v: OnnxValueInfo,
  first: boolean,
  b: ShapeBindings,
  defaults: { batch: number; height: number | null; width: number | null },
  bound: ShapeResult['bindings'],
  warnings: string[],
): Val {
  if (!v.shape) {
    warnings.push(`input '${v.name}' has no declared shape`);
    return { shape: null, dtype: v.dtype };
  }
  const roles = ['batch', null, 'height', 'width'] as const;
  const shape: number[] = [];
  for (let axis = 0; axis < v.shape.length; axis++) {
    const d = v.shape[axis];
    const role = first && v.shape.length === 4 ? roles[axis] : first && axis === 0 ? 'batch' : null;
    if (typeof d === 'number') {
      if (role === 'batch' && b.rebindStaticBatch && b.batch !== undefined && b.batch !== d) {
        bound.batch = b.batch;
        bound.staticBatch = d;
        shape.push(b.batch);
        continue;
      }
      if (role && b[role] !== undefined && b[role] !== d) warnings.push(`input '${v.name}' has a static ${role} of ${d}; the requested ${role} ${b[role]} cannot apply to this export`);
      if (role) bound[role] = d;
      shape.push(d);
      continue;
    }
    const named = typeof d === 'string' ? (b.dims?.[d] ?? (d === 'batch' || d === 'height' || d === 'width' ? b[d] : undefined)) : undefined;
    const value = (role ? b[role] : undefined) ?? named ?? (role ? (defaults[role] ?? undefined) : undefined);
    if (value === undefined || !Number.isInteger(value) || value < 0) {
      warnings.push(`input '${v.name}' axis ${axis}${typeof d === 'string' ? ` ('${d}')` : ''} has no value: pass it in the bindings`);
      return { shape: null, dtype: v.dtype };
    }
    if (role) bound[role] = value;
    if (typeof d === 'string') bound.dims[d] = value;
    shape.push(value);
  }
  return { shape, dtype: v.dtype };
}

/** Ops whose input at this index is a whole target shape, batch first when the data is an image
 *  batch (Resize: the `sizes` input of opset 11+, when no `axes` attribute narrows it). */
const TARGET_INPUT: Record<string, number> = { Reshape: 1, Expand: 1, Resize: 3 };

/** Rebinding a static batch: a static export bakes its batch into the targets of Reshape (the
 *  head's [1, 144, -1], the DFL's [1, 4, 16, 8400]) and kin. Axis 0 of such a target is rebound
 *  when it equals the file's batch and the data is computed from the image input (a constant, an
 *  anchor grid say, keeps its own leading 1) with the analysed batch on axis 0. */
class Rebatch {
  /** Tensors computed from the image input by data ops (Shape/Size read dims, not data). */
  private readonly fromImage: Set<string>;

  constructor(
    image: string,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.fromImage = new Set([image]);
  }

  /** Called before a node's rule: rewrites its target input in place (inputs is the rule's copy). */
  visit(node: OnnxNode, inputs: (Val | undefined)[]): void {
    if (node.opType === 'Shape' || node.opType === 'Size' || !node.inputs.some((n) => this.fromImage.has(n))) return;
    for (const o of node.outputs) if (o) this.fromImage.add(o);
    const k = node.domain === '' || node.domain === 'ai.onnx' ? TARGET_INPUT[node.opType] : undefined;
    if (k === undefined || (node.opType === 'Resize' && node.attributes.axes)) return;
    const data = inputs[0];
    const target = inputs[k];
    if (!this.fromImage.has(node.inputs[0]) || data?.shape?.[0] !== this.to || !target?.value || target.value[0] !== this.from) return;
    if (target.value.length !== data.shape.length && node.opType !== 'Reshape') return;
    inputs[k] = { ...target, value: [this.to, ...target.value.slice(1)] };
  }
}

/** No tensor of a detection model is this many times larger than its input batch: the largest
 *  YOLO tensors are ~20x the input (the first C2f's concat at half resolution), attention maps a
 *  few hundred times at most. A Resize to 1e9 pixels or an Upsample x1000 exceeds it: a damaged or
 *  hostile file, refused instead of estimated at thousands of TiB. */
export const MAX_GROWTH = 65_536;


function checkShapes(outs: Val[], inputElements: number): void {
  for (const o of outs) {
    if (!o.shape) continue;
    if (inputElements > 0 && numel(o.shape) > MAX_GROWTH * inputElements) {
      throw new ShapeLimitError(`output [${o.shape.join(', ')}] is more than ${MAX_GROWTH} times the input's size; no detection model grows a tensor that far`);
    }
    if (o.shape.length > MAX_RANK) throw new ShapeError(`output rank ${o.shape.length} exceeds ${MAX_RANK}`);
    for (const d of o.shape) if (!Number.isInteger(d) || d < 0) throw new ShapeError(`computed an invalid dim ${d} in [${o.shape}]`);
    if (numel(o.shape) > Number.MAX_SAFE_INTEGER) throw new ShapeError(`output [${o.shape}] has more than 2^53 elements`);
  }
}

/** Declared output dims that are numbers must match; symbolic ones (Concatoutput0_dim_1) are free. */
function checkDeclared(o: OnnxValueInfo, v: Val | undefined, warnings: string[]): void {
  if (!o.shape || !v?.shape) return;
  const bad = o.shape.length !== v.shape.length || o.shape.some((d, i) => typeof d === 'number' && d !== v.shape![i]);
  if (bad) warnings.push(`output '${o.name}' is declared [${o.shape.map((d) => d ?? '?').join(', ')}] but infers to [${v.shape.join(', ')}]`);
}

/** Each initializer counts once, on the first non-alias node that consumes it (directly or through
 *  Identity). Returns the sum of all initializer elements, used or not. */
function attributeParams(model: OnnxModel, nodes: NodeShapes[]): number {
  const g = model.graph;
  const init = new Map(g.initializers.map((t) => [t.name, t.elements]));
  const alias = new Map<string, string>();
  for (const n of nodes) {
    if (ALIAS_OPS.has(n.opType) && n.inputs[0]) {
      const src = alias.get(n.inputs[0]) ?? n.inputs[0];
      if (init.has(src)) for (const o of n.outputs) alias.set(o.name, src);
    }
  }
  const counted = new Set<string>();
  for (const n of nodes) {
    if (ALIAS_OPS.has(n.opType)) continue;
    for (const inp of n.inputs) {
      const src = alias.get(inp) ?? inp;
      if (!init.has(src) || counted.has(src)) continue;
      counted.add(src);
      n.params += init.get(src)!;
    }
  }
  let total = 0;
  for (const t of g.initializers) total += t.elements;
  return total;
}
