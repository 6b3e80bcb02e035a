// Elementwise ops: unary, broadcasting binary/variadic, comparisons, Where, Cast. Values are
// computed when the inputs' values are known, because shape subgraphs run through them
// (Div of a Shape by 2, Cast of a Range, Equal/Where in Expand targets). thop counts none of them.
import { dtypeFromCode, type OnnxDType } from '../../onnx/dtypes';
import { attrFloat, attrInt, broadcast, broadcastValues, castValue, fail, isIntegral, needShape, type Val } from '../helpers';
import type { OpContext, OpRule, RuleTable } from '../rule';

type Fn1 = (x: number) => number;

function unary(f?: Fn1, dtype?: OnnxDType): OpRule {
  return {
    infer(ctx) {
      const x = ctx.inputs[0];
      const shape = needShape(x, 'input');
      const to = dtype ?? x!.dtype;
      const out: Val = { shape, dtype: to };
      if (f && x!.value) out.value = x!.value.map((v) => castValue(f(v), to));
      return [out];
    },
  };
}

function binary(f: (a: number, b: number) => number, outDtype?: OnnxDType): OpRule {
  return variadic(f, outDtype, 2);
}

/** Broadcasting op over all inputs (Add ... and Sum/Max/Min/Mean which take any count). */
function variadic(f: (a: number, b: number) => number, outDtype?: OnnxDType, arity?: number): OpRule {
  return {
    infer(ctx) {
      const ins = ctx.inputs.filter((v): v is Val => v !== undefined);
      if (ins.length === 0 || (arity && ins.length !== arity)) fail(`${ctx.node.opType} needs ${arity ?? 'at least one'} inputs, got ${ins.length}`);
      const shape = broadcast(...ins.map((v, i) => needShape(v, `input ${i}`)));
      const dtype = outDtype ?? ins[0].dtype;
      const out: Val = { shape, dtype };
      const value = broadcastValues(ins, shape, (...xs) => xs.reduce((a, b) => f(a, b)));
      if (value) out.value = value.map((v) => castValue(v, dtype));
      return [out];
    },
  };
}

/** Integer division truncates toward zero (ORT, C++); float division is IEEE. */
function div(ctx: OpContext): Val[] {
  const integral = isIntegral(ctx.inputs[0]?.dtype ?? 'float32');
  return binary((a, b) => (integral ? (b === 0 ? 0 : Math.trunc(a / b)) : a / b)).infer(ctx);
}

const sigmoid: Fn1 = (x) => 1 / (1 + Math.exp(-x));
const cmp = (f: (a: number, b: number) => boolean) => binary((a, b) => (f(a, b) ? 1 : 0), 'bool');

export const elementwiseRules: RuleTable = {
  Identity: unary((x) => x),
  Relu: unary((x) => Math.max(0, x)),
  LeakyRelu: unary(),
  Sigmoid: unary(sigmoid),
  HardSigmoid: unary(),
  HardSwish: unary(),
  Tanh: unary(Math.tanh),
  Elu: unary(),
  Selu: unary(),
  Celu: unary(),
  Gelu: unary(),
  Mish: unary(),
  Softplus: unary(),
  Softsign: unary(),
  Erf: unary(),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Sqrt: unary(Math.sqrt),
  Reciprocal: unary((x) => 1 / x),
  Neg: unary((x) => -x),
  Abs: unary(Math.abs),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  // Round half to even, as ONNX specifies.
  Round: unary((x) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x))),
  Sign: unary(Math.sign),
  Sin: unary(Math.sin),
  Cos: unary(Math.cos),
  Not: unary((x) => (x ? 0 : 1), 'bool'),
  IsNaN: unary((x) => (Number.isNaN(x) ? 1 : 0), 'bool'),
  IsInf: unary((x) => (Number.isFinite(x) || Number.isNaN(x) ? 0 : 1), 'bool'),
  Dropout: {
    // Inference-mode Dropout is an identity; the optional mask output has the same shape (bool).
    infer(ctx) {
      const x = ctx.inputs[0]!;
      const shape = needShape(x, 'data');
      const outs: Val[] = [{ shape, dtype: x.dtype, value: x.value }];
      if (ctx.node.outputs.length > 1) outs.push({ shape, dtype: 'bool' });
      return outs;
    },
  },
  Clip: {
    infer(ctx) {
      const x = ctx.inputs[0]!;
      const shape = needShape(x, 'input');
      // Opset ≥ 11 takes min/max as inputs; earlier as attributes.
      const lo = ctx.inputs[1]?.value?.[0] ?? attrFloat(ctx.node, 'min', -Infinity);
      const hi = ctx.inputs[2]?.value?.[0] ?? attrFloat(ctx.node, 'max', Infinity);
      const out: Val = { shape, dtype: x.dtype };
      if (x.value) out.value = x.value.map((v) => Math.min(hi, Math.max(lo, v)));
      return [out];
    },
  },
  Cast: {
    infer(ctx) {
      const x = ctx.inputs[0]!;
      const shape = needShape(x, 'input');
      const to = dtypeFromCode(attrInt(ctx.node, 'to', 0));
      if (to === 'undefined') fail(`Cast has no valid 'to' type`);
      const out: Val = { shape, dtype: to };
      if (x.value && to !== 'string') out.value = x.value.map((v) => castValue(v, to));
      return [out];
    },
  },
  CastLike: {
    infer(ctx) {
      const x = ctx.inputs[0]!;
      const to = ctx.inputs[1]?.dtype ?? fail('CastLike needs a target');
      const out: Val = { shape: needShape(x, 'input'), dtype: to };
      if (x.value) out.value = x.value.map((v) => castValue(v, to));
      return [out];
    },
  },
  PRelu: binary((a, b) => (a < 0 ? a * b : a)),
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: { infer: div },
  Pow: binary((a, b) => a ** b),
  Mod: {
    infer(ctx) {
      // fmod=0 (integers): the sign follows the divisor, as Python's %; fmod=1: C fmod.
      const fmod = attrInt(ctx.node, 'fmod', 0) === 1;
      return binary((a, b) => (fmod ? a % b : ((a % b) + b) % b)).infer(ctx);
    },
  },
  BitShift: {
    infer(ctx) {
      const [out] = binary((a) => a).infer(ctx);
      delete out.value; // shapes only: shift direction is an attribute nobody folds
      return [out];
    },
  },
  Equal: cmp((a, b) => a === b),
  Less: cmp((a, b) => a < b),
  LessOrEqual: cmp((a, b) => a <= b),
  Greater: cmp((a, b) => a > b),
  GreaterOrEqual: cmp((a, b) => a >= b),
  And: binary((a, b) => (a && b ? 1 : 0), 'bool'),
  Or: binary((a, b) => (a || b ? 1 : 0), 'bool'),
  Xor: binary((a, b) => (!a !== !b ? 1 : 0), 'bool'),
  Sum: variadic((a, b) => a + b),
  Max: variadic(Math.max),
  Min: variadic(Math.min),
  Mean: {
    infer(ctx) {
      const n = ctx.inputs.filter(Boolean).length;
      const [out] = variadic((a, b) => a + b).infer(ctx);
      if (out.value) out.value = out.value.map((v) => v / n);
      return [out];
    },
  },
  Where: {
    infer(ctx) {
      const [c, x, y] = ctx.inputs;
      if (!c || !x || !y) fail('Where needs condition, X and Y');
      const shape = broadcast(needShape(c, 'condition'), needShape(x, 'X'), needShape(y, 'Y'));
      const out: Val = { shape, dtype: x.dtype };
      const value = broadcastValues([c, x, y], shape, (cv, xv, yv) => (cv ? xv : yv));
      if (value) out.value = value;
      return [out];
    },
  },
};

