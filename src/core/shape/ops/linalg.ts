// Matrix products. FLOPs = 2 × MACs: M·N·K per matrix, times the broadcast batch (thop counts
// nn.Linear as in_features × output elements, which is the same for Gemm).
import { attrInt, attrString, broadcast, fail, needShape, numel, type Val } from '../helpers';
import type { OpContext, RuleTable } from '../rule';

interface MatMulDims {
  batch: number[];
  m: number;
  k: number;
  n: number;
  out: number[];
}

function matmulDims(a: number[], b: number[]): MatMulDims {
  if (a.length === 0 || b.length === 0) fail('MatMul of a scalar');
  // Numpy rules: a 1-D left operand is a row vector, a 1-D right operand a column; the added axis
  // is removed from the result.
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const [m, k] = a2.slice(-2);
  const [k2, n] = b2.slice(-2);
  if (k !== k2) fail(`MatMul of [${a}] and [${b}]: inner dims ${k} and ${k2} differ`);
  const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  return { batch, m, k, n, out };
}

function einsumParse(eq: string, shapes: number[][]): { out: number[]; sizes: Map<string, number> } {
  const [lhs, rhs] = eq.replace(/\s/g, '').split('->');
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) fail(`Einsum '${eq}' has ${terms.length} terms for ${shapes.length} inputs`);
  const sizes = new Map<string, number>();
  let ellipsis: number[] = [];
  terms.forEach((t, i) => {
    const s = shapes[i];
    const parts = t.split('...');
    if (parts.length > 2) fail(`Einsum term '${t}'`);
    const named = parts.join('').length;
    const ellRank = parts.length === 2 ? s.length - named : 0;
    if (ellRank < 0 || (parts.length === 1 && named !== s.length)) fail(`Einsum term '${t}' for rank ${s.length}`);
    const letters = [...parts[0], ...Array(ellRank).fill('.'), ...(parts[1] ?? '')];
    if (parts.length === 2) ellipsis = broadcast(ellipsis, s.slice(parts[0].length, parts[0].length + ellRank));
    letters.forEach((c, j) => {
      if (c === '.') return;
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== s[j] && prev !== 1 && s[j] !== 1) fail(`Einsum '${eq}': '${c}' is ${prev} and ${s[j]}`);
      sizes.set(c, Math.max(prev ?? 1, s[j]));
    });
  });
  let outTerm = rhs;
  if (outTerm === undefined) {
    // Implicit output: letters that appear once, in alphabetical order, after the ellipsis dims.
    const counts = new Map<string, number>();
    for (const c of lhs.replace(/[.,]/g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    outTerm = (lhs.includes('...') ? '...' : '') + [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join('');
  }
  const out: number[] = [];
  const parts = outTerm.split('...');
  for (const c of parts[0]) out.push(sizes.get(c) ?? fail(`Einsum output letter '${c}' is not in the inputs`));
  if (parts.length === 2) {
    out.push(...ellipsis);
    for (const c of parts[1]) out.push(sizes.get(c) ?? fail(`Einsum output letter '${c}' is not in the inputs`));
  }
  if (ellipsis.length) sizes.set('...', numel(ellipsis));
  return { out, sizes };
}

const first = (ctx: OpContext) => ctx.inputs[0]!.dtype;

export const linalgRules: RuleTable = {
  MatMul: {
    infer: (ctx) => [{ shape: matmulDims(needShape(ctx.inputs[0], 'A'), needShape(ctx.inputs[1], 'B')).out, dtype: first(ctx) }],
    flops(ctx) {
      const d = matmulDims(ctx.inputs[0]!.shape!, ctx.inputs[1]!.shape!);
      return 2 * numel(d.batch) * d.m * d.n * d.k;
    },
  },
  Gemm: {
    infer(ctx) {
      const a = needShape(ctx.inputs[0], 'A');
      const b = needShape(ctx.inputs[1], 'B');
      if (a.length !== 2 || b.length !== 2) fail(`Gemm needs 2-D A and B, got [${a}] and [${b}]`);
      const [m, k] = attrInt(ctx.node, 'transA', 0) ? [a[1], a[0]] : a;
      const [k2, n] = attrInt(ctx.node, 'transB', 0) ? [b[1], b[0]] : b;
      if (k !== k2) fail(`Gemm inner dims ${k} and ${k2} differ`);
      return [{ shape: [m, n], dtype: first(ctx) }];
    },
    flops(ctx, [y]: Val[]) {
      const a = ctx.inputs[0]!.shape!;
      const k = attrInt(ctx.node, 'transA', 0) ? a[0] : a[1];
      return 2 * numel(y.shape!) * k;
    },
  },
  Einsum: {
    infer(ctx) {
      const shapes = ctx.inputs.map((v, i) => needShape(v, `input ${i}`));
      return [{ shape: einsumParse(attrString(ctx.node, 'equation', ''), shapes).out, dtype: first(ctx) }];
    },
    flops(ctx) {
      // A contraction of two or more operands costs one MAC per point of the full index space.
      if (ctx.inputs.length < 2) return 0;
      const { sizes } = einsumParse(attrString(ctx.node, 'equation', ''), ctx.inputs.map((v) => v!.shape!));
      return 2 * [...sizes.values()].reduce((a, b) => a * b, 1);
    },
  },
};
