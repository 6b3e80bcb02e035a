// Helpers shared by all shape rules: attribute access, axis normalisation, broadcasting, the
// conv/pool output-size formula, and elementwise evaluation of small constant tensors.
import type { OnnxDType } from '../onnx/dtypes';
import type { OnnxAttribute, OnnxNode } from '../onnx/types';

/** A tensor during inference. `value` holds the elements (row-major) of small tensors whose values
 *  are known: shape subgraphs (Shape → Gather → Concat → Reshape, Range ...) are evaluated with it. */
export interface Val {
  shape: number[] | null;
  dtype: OnnxDType;
  value?: number[];
}

/** Values are tracked for tensors up to this many elements (the anchor grids of a 640 model are
 *  larger and only their shapes are needed). */
export const MAX_VALUE_ELEMENTS = 4096;

/** Thrown by rules for inputs they cannot handle; the node's outputs become unknown. */
export class ShapeError extends Error {}

/** A node whose attributes are impossible or absurd (a tensor past MAX_GROWTH, a Split whose
 *  num_outputs contradicts its outputs): an error for the whole model, not a note on one node,
 *  because the file is damaged or hostile rather than using an op this tool does not know. */
export class ShapeLimitError extends Error {
  override readonly name = 'ShapeLimitError';
}

export function fail(msg: string): never {
  throw new ShapeError(msg);
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function attr(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return Object.prototype.hasOwnProperty.call(node.attributes, name) ? node.attributes[name] : undefined;
}

export function attrInt(node: OnnxNode, name: string, def: number): number {
  const a = attr(node, name);
  if (!a) return def;
  if (a.type === 'int') return a.value;
  if (a.type === 'float') return Math.trunc(a.value);
  return fail(`attribute ${name} should be an int, is ${a.type}`);
}

export function attrFloat(node: OnnxNode, name: string, def: number): number {
  const a = attr(node, name);
  if (!a) return def;
  if (a.type === 'float' || a.type === 'int') return a.value;
  return fail(`attribute ${name} should be a float, is ${a.type}`);
}

export function attrInts(node: OnnxNode, name: string): number[] | undefined {
  const a = attr(node, name);
  if (!a) return undefined;
  if (a.type === 'ints') return a.value;
  if (a.type === 'int') return [a.value];
  return fail(`attribute ${name} should be ints, is ${a.type}`);
}

export function attrFloats(node: OnnxNode, name: string): number[] | undefined {
  const a = attr(node, name);
  if (!a) return undefined;
  if (a.type === 'floats') return a.value;
  if (a.type === 'float') return [a.value];
  return fail(`attribute ${name} should be floats, is ${a.type}`);
}

export function attrString(node: OnnxNode, name: string, def: string): string {
  const a = attr(node, name);
  if (!a) return def;
  if (a.type === 'string') return a.value;
  return fail(`attribute ${name} should be a string, is ${a.type}`);
}

export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** Numpy-style multidirectional broadcasting. */
export function broadcast(...shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - rank + i;
      const v = k >= 0 ? s[k] : 1;
      if (v === 1) continue;
      if (d !== 1 && d !== v) fail(`cannot broadcast [${shapes.map((x) => x.join(',')).join('] and [')}]`);
      d = v;
    }
    // A zero-sized dim broadcasts with 1 to 0.
    if (shapes.some((s) => s.length - rank + i >= 0 && s[s.length - rank + i] === 0)) d = 0;
    out.push(d);
  }
  return out;
}

/** Elementwise map over broadcast inputs whose values are known. */
export function broadcastValues(inputs: Val[], outShape: number[], f: (...x: number[]) => number): number[] | undefined {
  if (inputs.some((v) => !v.value || !v.shape)) return undefined;
  const n = numel(outShape);
  if (n > MAX_VALUE_ELEMENTS) return undefined;
  const rank = outShape.length;
  const strides = inputs.map((v) => {
    const s = v.shape!;
    const st = new Array(rank).fill(0);
    let acc = 1;
    for (let i = s.length - 1; i >= 0; i--) {
      const oi = rank - s.length + i;
      st[oi] = s[i] === 1 ? 0 : acc;
      acc *= s[i];
    }
    return st;
  });
  const out = new Array<number>(n);
  const idx = new Array(rank).fill(0);
  const args = new Array<number>(inputs.length);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < inputs.length; j++) {
      let off = 0;
      for (let i = 0; i < rank; i++) off += idx[i] * strides[j][i];
      args[j] = inputs[j].value![off];
    }
    out[k] = f(...args);
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** Output length of a convolution or pooling window along one axis (ONNX Conv/MaxPool formula;
 *  with ceil_mode the last window must start inside the padded input, as in PyTorch and ORT). */
export function windowOut(inp: number, k: number, stride: number, padBegin: number, padEnd: number, dilation: number, ceil: boolean): number {
  const eff = dilation * (k - 1) + 1;
  const span = inp + padBegin + padEnd - eff;
  if (span < 0) fail(`window of ${eff} is larger than the padded input ${inp + padBegin + padEnd}`);
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= inp + padBegin) out--;
  return out;
}

/** Resolves auto_pad / pads for `spatial` axes. Returns [begin..., end...] pads. */
export function resolvePads(node: OnnxNode, inSpatial: number[], kernel: number[], strides: number[], dilations: number[]): number[] {
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const n = inSpatial.length;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const pads = new Array(2 * n).fill(0);
    for (let i = 0; i < n; i++) {
      const out = Math.ceil(inSpatial[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - inSpatial[i]);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[i + n] = total - pads[i];
    }
    return pads;
  }
  if (autoPad === 'VALID') return new Array(2 * n).fill(0);
  const pads = attrInts(node, 'pads') ?? new Array(2 * n).fill(0);
  if (pads.length !== 2 * n) fail(`pads has ${pads.length} values for ${n} spatial axes`);
  return pads;
}

export function isIntegral(d: OnnxDType): boolean {
  return /^u?int/.test(d) || d === 'bool';
}

/** Converts a computed number to what the dtype can hold (integer division truncates, as ORT does). */
export function castValue(v: number, to: OnnxDType): number {
  if (to === 'bool') return v !== 0 ? 1 : 0;
  if (isIntegral(to)) return Number.isFinite(v) ? Math.trunc(v) : v;
  if (to === 'float32') return Math.fround(v);
  return v;
}

/** The values of a 1-D (or scalar) int input that a rule needs, e.g. a Reshape target. */
export function needValues(v: Val | undefined, what: string): number[] {
  if (!v) fail(`${what} is missing`);
  if (!v.value) fail(`${what} is not a constant (its value depends on data)`);
  return v.value;
}

/** Convenience: a known shape or a ShapeError naming the input. */
export function needShape(v: Val | undefined, what: string): number[] {
  if (!v) fail(`${what} is missing`);
  if (!v.shape) fail(`${what} has an unknown shape`);
  return v.shape;
}
