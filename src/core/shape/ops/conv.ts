// Convolutions and normalisation. FLOPs follow ultralytics-thop's calculate_conv2d_flops (bias not
// counted): MACs = output elements × (C_in / groups) × kernel area. thop's count_normalization
// counts 2 × numel ops, doubled for affine norms (BatchNorm2d, LayerNorm): 4 per element, and
// Ultralytics reports FLOPs as 2 × thop ops, so 8 per element.
import { attrInt, attrInts, fail, needShape, numel, resolvePads, windowOut, type Val } from '../helpers';
import type { OpContext, RuleTable } from '../rule';

function conv(ctx: OpContext): Val[] {
  const x = needShape(ctx.inputs[0], 'X');
  const w = needShape(ctx.inputs[1], 'W');
  if (x.length < 3 || w.length !== x.length) fail(`Conv needs X and W of equal rank ≥ 3, got [${x}] and [${w}]`);
  const n = x.length - 2;
  const group = attrInt(ctx.node, 'group', 1);
  if (x[1] !== w[1] * group) fail(`Conv input has ${x[1]} channels, weights expect ${w[1]} × group ${group}`);
  const kernel = attrInts(ctx.node, 'kernel_shape') ?? w.slice(2);
  const strides = attrInts(ctx.node, 'strides') ?? new Array(n).fill(1);
  const dil = attrInts(ctx.node, 'dilations') ?? new Array(n).fill(1);
  const pads = resolvePads(ctx.node, x.slice(2), kernel, strides, dil);
  const out = [x[0], w[0]];
  for (let i = 0; i < n; i++) out.push(windowOut(x[i + 2], kernel[i], strides[i], pads[i], pads[i + n], dil[i], false));
  return [{ shape: out, dtype: ctx.inputs[0]!.dtype }];
}

function convTranspose(ctx: OpContext): Val[] {
  const x = needShape(ctx.inputs[0], 'X');
  const w = needShape(ctx.inputs[1], 'W');
  if (x.length < 3 || w.length !== x.length) fail(`ConvTranspose needs X and W of equal rank ≥ 3, got [${x}] and [${w}]`);
  const n = x.length - 2;
  const group = attrInt(ctx.node, 'group', 1);
  if (x[1] !== w[0]) fail(`ConvTranspose input has ${x[1]} channels, weights expect ${w[0]}`);
  const kernel = attrInts(ctx.node, 'kernel_shape') ?? w.slice(2);
  const strides = attrInts(ctx.node, 'strides') ?? new Array(n).fill(1);
  const dil = attrInts(ctx.node, 'dilations') ?? new Array(n).fill(1);
  const outPad = attrInts(ctx.node, 'output_padding') ?? new Array(n).fill(0);
  const outShape = attrInts(ctx.node, 'output_shape');
  const out = [x[0], w[1] * group];
  if (outShape) {
    out.push(...outShape.slice(-n));
    return [{ shape: out, dtype: ctx.inputs[0]!.dtype }];
  }
  const autoPad = ctx.node.attributes.auto_pad;
  const same = autoPad?.type === 'string' && autoPad.value.startsWith('SAME');
  const pads = attrInts(ctx.node, 'pads') ?? new Array(2 * n).fill(0);
  for (let i = 0; i < n; i++) {
    out.push(same ? x[i + 2] * strides[i] : strides[i] * (x[i + 2] - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1 - pads[i] - pads[i + n]);
  }
  return [{ shape: out, dtype: ctx.inputs[0]!.dtype }];
}

function batchNorm(ctx: OpContext): Val[] {
  const x = needShape(ctx.inputs[0], 'X');
  const dtype = ctx.inputs[0]!.dtype;
  // Training-mode exports also output the running mean and variance, one value per channel.
  const outs: Val[] = [{ shape: x, dtype }];
  for (let i = 1; i < ctx.node.outputs.length; i++) outs.push({ shape: [x[1]], dtype });
  return outs;
}

/** 2 (thop's norm) × 2 (affine) × 2 (Ultralytics FLOPs = 2 × thop ops). */
const NORM_FLOPS_PER_ELEMENT = 8;

const sameAsInput = (ctx: OpContext): Val[] => [{ shape: needShape(ctx.inputs[0], 'X'), dtype: ctx.inputs[0]!.dtype }];

export const convRules: RuleTable = {
  Conv: {
    infer: conv,
    flops: (ctx, [y]) => {
      const w = ctx.inputs[1]!.shape!;
      return 2 * numel(y.shape!) * w[1] * numel(w.slice(2));
    },
  },
  ConvTranspose: {
    infer: convTranspose,
    flops: (ctx) => {
      // thop swaps input and output for transposed convs: input elements × (C_out / groups) × kernel,
      // and W is [C_in, C_out / groups, k...].
      const w = ctx.inputs[1]!.shape!;
      return 2 * numel(ctx.inputs[0]!.shape!) * w[1] * numel(w.slice(2));
    },
  },
  BatchNormalization: { infer: batchNorm, flops: (_ctx, [y]) => NORM_FLOPS_PER_ELEMENT * numel(y.shape!) },
  InstanceNormalization: { infer: sameAsInput, flops: (_ctx, [y]) => NORM_FLOPS_PER_ELEMENT * numel(y.shape!) },
  LayerNormalization: {
    infer: (ctx) => {
      const x = needShape(ctx.inputs[0], 'X');
      const outs: Val[] = [{ shape: x, dtype: ctx.inputs[0]!.dtype }];
      // Optional Mean and InvStdDev outputs keep the leading axes and reduce the rest to 1.
      const axis = attrInt(ctx.node, 'axis', -1);
      const a = axis < 0 ? axis + x.length : axis;
      for (let i = 1; i < ctx.node.outputs.length; i++) outs.push({ shape: x.map((d, k) => (k < a ? d : 1)), dtype: 'float32' });
      return outs;
    },
    flops: (_ctx, [y]) => NORM_FLOPS_PER_ELEMENT * numel(y.shape!),
  },
  GroupNormalization: { infer: sameAsInput, flops: (_ctx, [y]) => NORM_FLOPS_PER_ELEMENT * numel(y.shape!) },
};
