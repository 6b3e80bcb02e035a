// Ops that move or reshape data rather than compute on it: Shape, Gather, Unsqueeze, Squeeze,
// Concat, Split, Slice, Reshape, Transpose, Flatten, Expand, Tile, Range, ConstantOfShape, Constant,
// Pad, DepthToSpace/SpaceToDepth. They also carry values, so that shape subgraphs fold to
// constants (Shape → Gather → Unsqueeze → Concat → Reshape; Range for anchor grids).
import type { OnnxTensor } from '../../onnx/types';
import {
  attr,
  attrInt,
  attrInts,

  broadcast,
  broadcastValues,
  fail,
  MAX_VALUE_ELEMENTS,
  needShape,
  needValues,
  normAxis,
  numel,
  ShapeLimitError,
  type Val,
} from '../helpers';
import type { OpContext, RuleTable } from '../rule';

/** Row-major strides. */
function stridesOf(shape: number[]): number[] {
  const st = new Array(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i];
  }
  return st;
}

/** Builds the values of an output whose element at each index comes from `src(index)` in `value`. */
function gatherBy(value: number[] | undefined, outShape: number[], src: (idx: number[]) => number): number[] | undefined {
  if (!value) return undefined;
  const n = numel(outShape);
  if (n > MAX_VALUE_ELEMENTS) return undefined;
  const out = new Array<number>(n);
  const idx = new Array(outShape.length).fill(0);
  for (let k = 0; k < n; k++) {
    out[k] = value[src(idx)];
    for (let i = outShape.length - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

function withValue(v: Val, value: number[] | undefined): Val {
  if (value !== undefined && numel(v.shape!) <= MAX_VALUE_ELEMENTS) v.value = value;
  return v;
}

/** Axes given as an attribute (older opsets) or as the second input (Unsqueeze/Squeeze ≥ 13, ...). */
function axesOf(ctx: OpContext, inputIndex: number): number[] | undefined {
  const fromAttr = attrInts(ctx.node, 'axes');
  if (fromAttr) return fromAttr;
  const inp = ctx.inputs[inputIndex];
  return inp ? needValues(inp, 'axes') : undefined;
}

function tensorVal(t: OnnxTensor): Val {
  return { shape: t.dims.slice(), dtype: t.dtype, ...(t.values ? { value: t.values.slice() } : {}) };
}

function slice(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'data');
  let starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined;
  if (ctx.opset < 10) {
    starts = attrInts(ctx.node, 'starts') ?? fail('Slice needs starts');
    ends = attrInts(ctx.node, 'ends') ?? fail('Slice needs ends');
    axes = attrInts(ctx.node, 'axes');
  } else {
    starts = needValues(ctx.inputs[1], 'starts');
    ends = needValues(ctx.inputs[2], 'ends');
    axes = ctx.inputs[3] ? needValues(ctx.inputs[3], 'axes') : undefined;
    steps = ctx.inputs[4] ? needValues(ctx.inputs[4], 'steps') : undefined;
  }
  axes ??= starts.map((_, i) => i);
  if (ends.length !== starts.length || axes.length !== starts.length) fail('Slice starts, ends and axes differ in length');
  const begin = shape.map(() => 0);
  const step = shape.map(() => 1);
  const out = shape.slice();
  axes.forEach((a0, i) => {
    const a = normAxis(a0, shape.length);
    const dim = shape[a];
    const s = steps?.[i] ?? 1;
    if (s === 0) fail('Slice step 0');
    let st = starts[i] < 0 ? starts[i] + dim : starts[i];
    let en = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (s > 0) {
      st = Math.min(Math.max(st, 0), dim);
      en = Math.min(Math.max(en, 0), dim);
    } else {
      st = Math.min(Math.max(st, 0), dim - 1);
      en = Math.min(Math.max(en, -1), dim - 1);
    }
    out[a] = Math.max(0, Math.ceil((en - st) / s));
    begin[a] = st;
    step[a] = s;
  });
  const st = stridesOf(shape);
  const v: Val = { shape: out, dtype: x.dtype };
  return [withValue(v, gatherBy(x.value, out, (idx) => idx.reduce((o, k, i) => o + (begin[i] + k * step[i]) * st[i], 0)))];
}

function split(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'input');
  const axis = normAxis(attrInt(ctx.node, 'axis', 0), shape.length);
  const n = ctx.node.outputs.length;
  const dim = shape[axis];
  let sizes: number[] | undefined = attrInts(ctx.node, 'split');
  if (!sizes && ctx.inputs[1]) sizes = needValues(ctx.inputs[1], 'split');
  // an empty split list means none was given: equal parts (onnxruntime reads it so)
  if (sizes && sizes.length === 0) sizes = undefined;
  // The parts must match the node's outputs: a num_outputs or split list that disagrees is a
  // damaged file, and checking before building any list keeps a declared 2^31 parts from
  // allocating 2^31 shapes (that aborted the worker).
  if (sizes && sizes.length !== n) throw new ShapeLimitError(`split lists ${sizes.length} sizes for ${n} outputs`);
  const declared = attrInt(ctx.node, 'num_outputs', 0);
  if (declared && declared !== n) throw new ShapeLimitError(`num_outputs is ${declared} but the node has ${n} outputs`);
  if (!sizes) {
    const num = declared || n;
    // Opset 18 num_outputs: chunks of ceil(dim / n), the last one smaller.
    const chunk = Math.ceil(dim / num);
    if (!attr(ctx.node, 'num_outputs') && dim % num !== 0) fail(`Split of ${dim} into ${num} equal parts`);
    sizes = Array.from({ length: num }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== dim) fail(`Split sizes [${sizes}] do not add up to ${dim}`);
  const st = stridesOf(shape);
  let offset = 0;
  return sizes.map((sz) => {
    const out = shape.slice();
    out[axis] = sz;
    const from = offset;
    offset += sz;
    return withValue({ shape: out, dtype: x.dtype }, gatherBy(x.value, out, (idx) => idx.reduce((o, k, i) => o + (i === axis ? k + from : k) * st[i], 0)));
  });
}

function concat(ctx: OpContext): Val[] {
  const ins = ctx.inputs.filter((v): v is Val => v !== undefined);
  if (!ins.length) fail('Concat without inputs');
  const shapes = ins.map((v, i) => needShape(v, `input ${i}`));
  const rank = shapes[0].length;
  const axis = normAxis(attrInt(ctx.node, 'axis', 0), rank);
  const out = shapes[0].slice();
  out[axis] = 0;
  for (const s of shapes) {
    if (s.length !== rank || s.some((d, i) => i !== axis && d !== shapes[0][i])) fail(`Concat of [${shapes.map((x) => x.join(',')).join('] and [')}] on axis ${axis}`);
    out[axis] += s[axis];
  }
  const v: Val = { shape: out, dtype: ins[0].dtype };
  if (ins.every((i) => i.value) && numel(out) <= MAX_VALUE_ELEMENTS) {
    const outer = numel(out.slice(0, axis));
    const value: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < ins.length; j++) {
        const inner = numel(shapes[j].slice(axis));
        for (let k = 0; k < inner; k++) value.push(ins[j].value![o * inner + k]);
      }
    }
    v.value = value;
  }
  return [v];
}

function reshape(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'data');
  const target = needValues(ctx.inputs[1], 'shape');
  const allowZero = attrInt(ctx.node, 'allowzero', 0) === 1;
  const out = target.map((d, i) => (d === 0 && !allowZero ? (i < shape.length ? shape[i] : fail('Reshape 0 past the input rank')) : d));
  const total = numel(shape);
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    if (out.lastIndexOf(-1) !== minus) fail('Reshape with two -1 dims');
    const rest = numel(out.filter((_, i) => i !== minus));
    if (rest === 0 || total % rest !== 0) fail(`Reshape of [${shape}] to [${target}]`);
    out[minus] = total / rest;
  }
  if (out.some((d) => d < 0) || numel(out) !== total) fail(`Reshape of [${shape}] (${total} elements) to [${target}]`);
  return [withValue({ shape: out, dtype: x.dtype }, x.value)];
}

function transpose(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'data');
  const perm = attrInts(ctx.node, 'perm') ?? shape.map((_, i) => shape.length - 1 - i);
  if (perm.length !== shape.length || new Set(perm.map((p) => normAxis(p, shape.length))).size !== shape.length) fail(`Transpose perm [${perm}] for rank ${shape.length}`);
  const out = perm.map((p) => shape[normAxis(p, shape.length)]);
  const st = stridesOf(shape);
  return [withValue({ shape: out, dtype: x.dtype }, gatherBy(x.value, out, (idx) => idx.reduce((o, k, i) => o + k * st[normAxis(perm[i], shape.length)], 0)))];
}

function unsqueeze(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'data');
  const axes = axesOf(ctx, 1) ?? fail('Unsqueeze needs axes');
  const rank = shape.length + axes.length;
  const at = new Set(axes.map((a) => normAxis(a, rank)));
  if (at.size !== axes.length) fail('Unsqueeze with repeated axes');
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : shape[j++]);
  return [withValue({ shape: out, dtype: x.dtype }, x.value)];
}

function squeeze(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'data');
  const axes = axesOf(ctx, 1);
  const drop = axes ? new Set(axes.map((a) => normAxis(a, shape.length))) : new Set(shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  for (const a of drop) if (shape[a] !== 1) fail(`Squeeze of axis ${a} with size ${shape[a]}`);
  return [withValue({ shape: shape.filter((_, i) => !drop.has(i)), dtype: x.dtype }, x.value)];
}

function gather(ctx: OpContext): Val[] {
  const [data, indices] = ctx.inputs;
  const shape = needShape(data, 'data');
  const ishape = needShape(indices, 'indices');
  const axis = normAxis(attrInt(ctx.node, 'axis', 0), shape.length);
  const out = [...shape.slice(0, axis), ...ishape, ...shape.slice(axis + 1)];
  const v: Val = { shape: out, dtype: data!.dtype };
  if (data!.value && indices!.value) {
    const idxs = indices!.value.map((i) => (i < 0 ? i + shape[axis] : i));
    if (idxs.some((i) => i < 0 || i >= shape[axis])) fail(`Gather index out of range for axis size ${shape[axis]}`);
    const st = stridesOf(shape);
    const ir = ishape.length;
    const ist = stridesOf(ishape);
    withValue(
      v,
      gatherBy(data!.value, out, (idx) => {
        let o = 0;
        for (let i = 0; i < axis; i++) o += idx[i] * st[i];
        let flat = 0;
        for (let i = 0; i < ir; i++) flat += idx[axis + i] * ist[i];
        o += idxs[flat] * st[axis];
        for (let i = axis + 1; i < shape.length; i++) o += idx[i - 1 + ir] * st[i];
        return o;
      }),
    );
  }
  return [v];
}

function expand(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const target = needValues(ctx.inputs[1], 'shape');
  const out = broadcast(needShape(x, 'input'), target);
  const v: Val = { shape: out, dtype: x.dtype };
  return [withValue(v, broadcastValues([x], out, (a) => a))];
}

function tile(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'input');
  const reps = needValues(ctx.inputs[1], 'repeats');
  if (reps.length !== shape.length) fail(`Tile repeats [${reps}] for rank ${shape.length}`);
  const out = shape.map((d, i) => d * reps[i]);
  const st = stridesOf(shape);
  return [withValue({ shape: out, dtype: x.dtype }, gatherBy(x.value, out, (idx) => idx.reduce((o, k, i) => o + (k % shape[i]) * st[i], 0)))];
}

function range(ctx: OpContext): Val[] {
  const [start, limit, delta] = [0, 1, 2].map((i) => needValues(ctx.inputs[i], ['start', 'limit', 'delta'][i])[0]);
  if (delta === 0) fail('Range with delta 0');
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  const v: Val = { shape: [n], dtype: ctx.inputs[0]!.dtype };
  if (n <= MAX_VALUE_ELEMENTS) v.value = Array.from({ length: n }, (_, i) => start + i * delta);
  return [v];
}

function constantOfShape(ctx: OpContext): Val[] {
  const shape = ctx.inputs[0]!.shape?.[0] === 0 ? [] : needValues(ctx.inputs[0], 'shape');
  const a = attr(ctx.node, 'value');
  const t = a?.type === 'tensor' ? a.value : undefined;
  const dtype = t?.dtype ?? 'float32';
  const fill = t?.values?.[0] ?? 0;
  const v: Val = { shape, dtype };
  if (numel(shape) <= MAX_VALUE_ELEMENTS) v.value = new Array(numel(shape)).fill(fill);
  return [v];
}

function constant(ctx: OpContext): Val[] {
  const n = ctx.node;
  const a = attr(n, 'value') ?? attr(n, 'value_float') ?? attr(n, 'value_floats') ?? attr(n, 'value_int') ?? attr(n, 'value_ints') ?? attr(n, 'value_string') ?? attr(n, 'value_strings');
  if (!a) fail(attr(n, 'sparse_value') ? 'sparse Constant is not supported' : 'Constant without a value');
  switch (a.type) {
    case 'tensor':
      return [tensorVal(a.value)];
    case 'float':
      return [{ shape: [], dtype: 'float32', value: [a.value] }];
    case 'int':
      return [{ shape: [], dtype: 'int64', value: [a.value] }];
    case 'floats':
      return [withValue({ shape: [a.value.length], dtype: 'float32' }, a.value)];
    case 'ints':
      return [withValue({ shape: [a.value.length], dtype: 'int64' }, a.value)];
    case 'string':
      return [{ shape: [], dtype: 'string' }];
    case 'strings':
      return [{ shape: [a.value.length], dtype: 'string' }];
    default:
      return fail(`Constant value of type ${a.type}`);
  }
}

function pad(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'data');
  const pads = ctx.opset < 11 ? (attrInts(ctx.node, 'pads') ?? fail('Pad needs pads')) : needValues(ctx.inputs[1], 'pads');
  // Opset 18 adds an axes input naming which axes the pads apply to.
  const axes = ctx.inputs[3] ? needValues(ctx.inputs[3], 'axes').map((a) => normAxis(a, shape.length)) : shape.map((_, i) => i);
  if (pads.length !== 2 * axes.length) fail(`Pad has ${pads.length} pads for ${axes.length} axes`);
  const out = shape.slice();
  axes.forEach((a, i) => (out[a] += pads[i] + pads[i + axes.length]));
  return [{ shape: out, dtype: x.dtype }];
}

export const tensorRules: RuleTable = {
  Shape: {
    infer(ctx) {
      const shape = needShape(ctx.inputs[0], 'data');
      // Opset 15 start/end select a sub-range of the dims (negative counts from the back, clamped).
      const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + shape.length : i, 0), shape.length);
      const start = clamp(attrInt(ctx.node, 'start', 0));
      const end = clamp(attrInt(ctx.node, 'end', shape.length));
      const dims = shape.slice(start, Math.max(start, end));
      return [{ shape: [dims.length], dtype: 'int64', value: dims }];
    },
  },
  Size: { infer: (ctx) => [{ shape: [], dtype: 'int64', value: [numel(needShape(ctx.inputs[0], 'data'))] }] },
  Gather: { infer: gather },
  Unsqueeze: { infer: unsqueeze },
  Squeeze: { infer: squeeze },
  Concat: { infer: concat },
  Split: { infer: split },
  Slice: { infer: slice },
  Reshape: { infer: reshape },
  Transpose: { infer: transpose },
  Flatten: {
    infer(ctx) {
      const x = ctx.inputs[0]!;
      const shape = needShape(x, 'input');
      const axis = attrInt(ctx.node, 'axis', 1);
      const a = axis < 0 ? axis + shape.length : axis;
      if (a < 0 || a > shape.length) fail(`Flatten axis ${axis} for rank ${shape.length}`);
      return [withValue({ shape: [numel(shape.slice(0, a)), numel(shape.slice(a))], dtype: x.dtype }, x.value)];
    },
  },
  Expand: { infer: expand },
  Tile: { infer: tile },
  Range: { infer: range },
  ConstantOfShape: { infer: constantOfShape },
  Constant: { infer: constant },
  Pad: { infer: pad },
  DepthToSpace: {
    infer(ctx) {
      const [n, c, h, w] = needShape(ctx.inputs[0], 'input');
      const b = attrInt(ctx.node, 'blocksize', 0) || fail('DepthToSpace needs blocksize');
      if (c % (b * b)) fail(`DepthToSpace of ${c} channels with blocksize ${b}`);
      return [{ shape: [n, c / (b * b), h * b, w * b], dtype: ctx.inputs[0]!.dtype }];
    },
  },
  SpaceToDepth: {
    infer(ctx) {
      const [n, c, h, w] = needShape(ctx.inputs[0], 'input');
      const b = attrInt(ctx.node, 'blocksize', 0) || fail('SpaceToDepth needs blocksize');
      if (h % b || w % b) fail(`SpaceToDepth of ${h}×${w} with blocksize ${b}`);
      return [{ shape: [n, c * b * b, h / b, w / b], dtype: ctx.inputs[0]!.dtype }];
    },
  },
};

