// Pooling and resizing. thop counts MaxPool and nearest Upsample as zero ops, so these carry no
// FLOPs (average pools are counted by thop but do not appear in YOLO detectors' convs-only totals).
import { attr, attrFloats, attrInt, attrInts, attrString, fail, needShape, resolvePads, windowOut, type Val } from '../helpers';
import type { OpContext, RuleTable } from '../rule';

function pool(ctx: OpContext, withIndices: boolean): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'X');
  const n = shape.length - 2;
  if (n < 1) fail(`pooling needs rank ≥ 3, got [${shape}]`);
  const kernel = attrInts(ctx.node, 'kernel_shape') ?? fail('pooling needs kernel_shape');
  const strides = attrInts(ctx.node, 'strides') ?? new Array(n).fill(1);
  const dil = attrInts(ctx.node, 'dilations') ?? new Array(n).fill(1);
  const ceil = attrInt(ctx.node, 'ceil_mode', 0) === 1;
  const pads = resolvePads(ctx.node, shape.slice(2), kernel, strides, dil);
  const out = shape.slice(0, 2);
  for (let i = 0; i < n; i++) out.push(windowOut(shape[i + 2], kernel[i], strides[i], pads[i], pads[i + n], dil[i], ceil));
  const outs: Val[] = [{ shape: out, dtype: x.dtype }];
  if (withIndices && ctx.node.outputs.length > 1) outs.push({ shape: out, dtype: 'int64' });
  return outs;
}

function globalPool(ctx: OpContext): Val[] {
  const shape = needShape(ctx.inputs[0], 'X');
  return [{ shape: shape.map((d, i) => (i < 2 ? d : 1)), dtype: ctx.inputs[0]!.dtype }];
}

/** Output size from scales: floor(in × scale), as ORT computes it (scales are float32). */
function scaled(shape: number[], scales: number[]): number[] {
  if (scales.length !== shape.length) fail(`Resize has ${scales.length} scales for rank ${shape.length}`);
  return shape.map((d, i) => Math.floor(d * Math.fround(scales[i])));
}

function resize(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'X');
  // Opset 10: (X, scales). Opset 11+: (X, roi, scales, sizes), exactly one of scales/sizes non-empty.
  const scalesIn = ctx.opset < 11 ? ctx.inputs[1] : ctx.inputs[2];
  const sizesIn = ctx.opset < 11 ? undefined : ctx.inputs[3];
  const axesAttr = attrInts(ctx.node, 'axes');
  const axes = axesAttr ? axesAttr.map((a) => (a < 0 ? a + shape.length : a)) : shape.map((_, i) => i);
  const has = (v: Val | undefined) => v !== undefined && (v.shape === null || v.shape.some((d) => d > 0) || v.shape.length === 0);
  if (has(sizesIn)) {
    const sizes = sizesIn!.value ?? fail('Resize sizes are not a constant');
    if (sizes.length !== axes.length) fail(`Resize has ${sizes.length} sizes for ${axes.length} axes`);
    const out = shape.slice();
    const policy = attrString(ctx.node, 'keep_aspect_ratio_policy', 'stretch');
    if (policy === 'stretch') axes.forEach((a, i) => (out[a] = sizes[i]));
    else {
      // not_larger / not_smaller: one scale for all axes, then round (opset 18).
      const ratios = axes.map((a, i) => sizes[i] / shape[a]);
      const s = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      axes.forEach((a) => (out[a] = Math.round(shape[a] * s)));
    }
    return [{ shape: out, dtype: x.dtype }];
  }
  if (!has(scalesIn)) fail('Resize without scales or sizes');
  const scales = scalesIn!.value ?? fail('Resize scales are not a constant');
  const full = shape.map(() => 1);
  if (scales.length === axes.length && axesAttr) axes.forEach((a, i) => (full[a] = scales[i]));
  else full.splice(0, full.length, ...scales);
  return [{ shape: scaled(shape, full), dtype: x.dtype }];
}

function upsample(ctx: OpContext): Val[] {
  const x = ctx.inputs[0]!;
  const shape = needShape(x, 'X');
  // Opset 7/8: scales attribute; opset 9: scales input (Upsample is deprecated from opset 10).
  const scales = attrFloats(ctx.node, 'scales') ?? ctx.inputs[1]?.value ?? fail('Upsample scales are not a constant');
  if (attr(ctx.node, 'height_scale')) {
    // Opset 1 Upsample: height_scale / width_scale on NCHW.
    const hs = (ctx.node.attributes.height_scale as { value: number }).value;
    const ws = (ctx.node.attributes.width_scale as { value: number }).value;
    return [{ shape: scaled(shape, [1, 1, hs, ws]), dtype: x.dtype }];
  }
  return [{ shape: scaled(shape, scales), dtype: x.dtype }];
}

export const poolRules: RuleTable = {
  MaxPool: { infer: (ctx) => pool(ctx, true) },
  AveragePool: { infer: (ctx) => pool(ctx, false) },
  LpPool: { infer: (ctx) => pool(ctx, false) },
  GlobalAveragePool: { infer: globalPool },
  GlobalMaxPool: { infer: globalPool },
  GlobalLpPool: { infer: globalPool },
  Resize: { infer: resize },
  Upsample: { infer: upsample },
};
