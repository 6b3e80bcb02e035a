// Softmax-like ops, reductions, ArgMax/ArgMin and TopK; data-dependent ops are listed so that they
// give a clear note instead of "unsupported".
import { attrInt, fail, needShape, needValues, normAxis, type Val } from '../helpers';
import type { OpContext, OpRule, RuleTable } from '../rule';

const same: OpRule = { infer: (ctx) => [{ shape: needShape(ctx.inputs[0], 'input'), dtype: ctx.inputs[0]!.dtype }] };

/** Reductions take axes as an attribute, or as input 1 (ReduceSum from opset 13, the others from 18). */
function reduce(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'data');
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  let axes = ctx.node.attributes.axes?.type === 'ints' ? (ctx.node.attributes.axes.value as number[]) : undefined;
  if (!axes && ctx.inputs[1]) axes = needValues(ctx.inputs[1], 'axes');
  if (!axes || axes.length === 0) {
    if (attrInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return [{ shape, dtype: x.dtype, value: x.value }];
    axes = shape.map((_, i) => i);
  }
  const set = new Set(axes.map((a) => normAxis(a, shape.length)));
  const out = keep ? shape.map((d, i) => (set.has(i) ? 1 : d)) : shape.filter((_, i) => !set.has(i));
  const v: Val = { shape: out, dtype: x.dtype };
  // Reductions to a scalar over small known values appear in shape code (ReduceMax of a Shape).
  if (x.value && set.size === shape.length) {
    const op = ctx.node.opType;
    const r = op === 'ReduceMax' ? Math.max(...x.value) : op === 'ReduceMin' ? Math.min(...x.value) : op === 'ReduceSum' ? x.value.reduce((a, b) => a + b, 0) : op === 'ReduceProd' ? x.value.reduce((a, b) => a * b, 1) : undefined;
    if (r !== undefined) v.value = [r];
  }
  return [v];
}

function argReduce(ctx: OpContext): Val[] {
  const shape = needShape(ctx.inputs[0], 'data');
  const axis = normAxis(attrInt(ctx.node, 'axis', 0), shape.length);
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  return [{ shape: keep ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis), dtype: 'int64' }];
}

function topk(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'X');
  const k = ctx.opset < 10 ? attrInt(ctx.node, 'k', -1) : needValues(ctx.inputs[1], 'K')[0];
  const axis = normAxis(attrInt(ctx.node, 'axis', -1), shape.length);
  if (!(k >= 0) || k > shape[axis]) fail(`TopK k=${k} on an axis of ${shape[axis]}`);
  const out = shape.map((d, i) => (i === axis ? k : d));
  return [
    { shape: out, dtype: x.dtype },
    { shape: out, dtype: 'int64' },
  ];
}

const dataDependent = (what: string): OpRule => ({ infer: () => fail(`output size depends on the data (${what})`) });

const reduceRule: OpRule = { infer: reduce };

export const reduceRules: RuleTable = {
  Softmax: same,
  LogSoftmax: same,
  Hardmax: same,
  ReduceMax: reduceRule,
  ReduceMin: reduceRule,
  ReduceMean: reduceRule,
  ReduceSum: reduceRule,
  ReduceProd: reduceRule,
  ReduceL1: reduceRule,
  ReduceL2: reduceRule,
  ReduceLogSumExp: reduceRule,
  ReduceSumSquare: reduceRule,
  ArgMax: { infer: argReduce },
  ArgMin: { infer: argReduce },
  TopK: { infer: topk },
  NonZero: dataDependent('NonZero'),
  NonMaxSuppression: dataDependent('NonMaxSuppression'),
  Unique: dataDependent('Unique'),
  Compress: dataDependent('Compress'),
};
