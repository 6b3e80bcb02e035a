// RT-DETR's backbone and encoder blocks (ultralytics/nn/modules/block.py, conv.py, transformer.py,
// 8.4.x) as the ATen ops their training forward runs:
//   HGStem      stem1 3x3/2 -> pad(0,1,0,1) -> [stem2a 2x2 -> pad -> stem2b 2x2] | MaxPool2d(2, 1, ceil)
//               -> cat -> stem3 3x3/2 -> stem4 1x1; every Conv with ReLU
//   HGBlock     n chained Conv (or LightConv = Conv 1x1 no act -> DWConv k) of cm channels, cat with
//               the input, sc 1x1 (c2 / 2), ec 1x1 (c2), + x when shortcut and c1 == c2; ReLU
//   RepC3       cv3(m(cv1(x)) + cv2(x)) with n RepConvs; cv3 is Identity when c_ == c2 (e = 1)
//   ResNetLayer first: Conv 7x7/2 + MaxPool(3, 2, 1); else ResNetBlocks: relu(cv3(cv2(cv1(x))) + shortcut(x))
//   AIFI        a post-norm TransformerEncoderLayer over the flattened map with a 2-D sin-cos position
//               embedding (no grad); its nn.MultiheadAttention is the math path (need_weights=True):
//               see multiheadAttention below.

import { LayerError, channels, conv, dwconv, type Emitter } from './blocks';
import { repConv } from './blocks-gelan';
import type { ArgValue } from './types';

/** A copy of the emitter whose Conv default activation is ReLU (HGStem/HGBlock pass nn.ReLU()). */
const relu = (e: Emitter): Emitter => ({ ...e, act: 'relu' });

/** HGStem(c1, cm, c2). */
export function hgStem(e: Emitter, x: number, path: string, c1: number, cm: number, c2: number): number {
  const r = relu(e);
  const s1 = conv(r, x, `${path}.stem1`, c1, cm, 3, 2);
  const p1 = e.b.inModule({ path }, () => e.b.pad(s1, [0, 1, 0, 1], `${path}.pad`));
  const a = conv(r, p1, `${path}.stem2a`, cm, Math.floor(cm / 2), 2, 1, 0);
  const pa = e.b.inModule({ path }, () => e.b.pad(a, [0, 1, 0, 1], `${path}.pad2`));
  const x2 = conv(r, pa, `${path}.stem2b`, Math.floor(cm / 2), cm, 2, 1, 0);
  const x1 = e.b.inModule({ path: `${path}.pool` }, () => e.b.maxpool2d(p1, 2, 1, 0, `${path}.pool`, true));
  const cat = e.b.inModule({ path }, () => e.b.cat([x1, x2], 1, `${path}.cat`));
  return conv(r, conv(r, cat, `${path}.stem3`, 2 * cm, cm, 3, 2), `${path}.stem4`, cm, c2, 1, 1);
}

/** HGBlock(c1, cm, c2, k, n, lightconv, shortcut). */
export function hgBlock(e: Emitter, x: number, path: string, c1: number, cm: number, c2: number, k = 3, n = 6, light = false, shortcut = false): number {
  const r = relu(e);
  const ys = [x];
  for (let i = 0; i < n; i++) {
    const p = `${path}.m.${i}`;
    const cin = i === 0 ? c1 : cm;
    const y = ys[ys.length - 1];
    ys.push(light ? dwconv(r, conv(r, y, `${p}.conv1`, cin, cm, 1, 1, null, 1, 1, false), `${p}.conv2`, cm, cm, k) : conv(r, y, p, cin, cm, k));
  }
  const cat = e.b.inModule({ path }, () => e.b.cat(ys, 1, `${path}.cat`));
  const y = conv(r, conv(r, cat, `${path}.sc`, c1 + n * cm, Math.floor(c2 / 2), 1, 1), `${path}.ec`, Math.floor(c2 / 2), c2, 1, 1);
  return shortcut && c1 === c2 ? e.b.inModule({ path }, () => e.b.binary('add', y, x, 'add', `${path}.add`)) : y;
}

/** RepC3(c1, c2, n, e). */
export function repC3(e: Emitter, x: number, path: string, c1: number, c2: number, n = 3, ex = 1.0): number {
  const c_ = Math.trunc(c2 * ex);
  let m = conv(e, x, `${path}.cv1`, c1, c_, 1, 1);
  for (let i = 0; i < n; i++) m = repConv(e, m, `${path}.m.${i}`, c_, c_);
  const b = conv(e, x, `${path}.cv2`, c1, c_, 1, 1);
  const sum = e.b.inModule({ path }, () => e.b.binary('add', m, b, 'add', `${path}.add`));
  return c_ === c2 ? sum : conv(e, sum, `${path}.cv3`, c_, c2, 1, 1);
}

/** ResNetBlock(c1, c2, s, e): relu(cv3(cv2(cv1(x))) + shortcut(x)); cv1/cv2 with the default act. */
function resNetBlock(e: Emitter, x: number, path: string, c1: number, c2: number, s: number, ex: number): number {
  const c3 = ex * c2;
  const y = conv(e, conv(e, conv(e, x, `${path}.cv1`, c1, c2, 1, 1), `${path}.cv2`, c2, c2, 3, s, 1), `${path}.cv3`, c2, c3, 1, 1, null, 1, 1, false);
  const sc = s !== 1 || c1 !== c3 ? conv(e, x, `${path}.shortcut.0`, c1, c3, 1, s, null, 1, 1, false) : x;
  return e.b.inModule({ path }, () => e.b.act('relu', e.b.binary('add', y, sc, 'add', `${path}.add`), 'relu', `${path}.relu`));
}

/** ResNetLayer(c1, c2, s, is_first, n, e). */
export function resNetLayer(e: Emitter, x: number, path: string, c1: number, c2: number, s = 1, isFirst = false, n = 1, ex = 4): number {
  if (channels(e, x) !== c1) throw new LayerError(`${path} (ResNetLayer) was built for ${c1} input channels but receives ${channels(e, x)}`);
  if (isFirst) {
    const y = conv(e, x, `${path}.layer.0`, c1, c2, 7, 2, 3);
    return e.b.inModule({ path: `${path}.layer.1` }, () => e.b.maxpool2d(y, 3, 2, 1, `${path}.layer.1`));
  }
  let y = resNetBlock(e, x, `${path}.layer.0`, c1, c2, s, ex);
  for (let i = 1; i < n; i++) y = resNetBlock(e, y, `${path}.layer.${i}`, ex * c2, c2, 1, ex);
  return y;
}

/** A Linear applied to a (L, N, E) transposed view, as nn.MultiheadAttention does: ATen's linear takes
 *  the matmul path for a non-contiguous 3-D input, which folds it with reshape, i.e. a contiguous copy
 *  (what mm then saves). */
function linearOnView(e: Emitter, x: number, out: number, name: string): number {
  const s = e.b.shape(x);
  const copy = e.b.contiguousCopy(x, `${name}.fold`);
  return e.b.reshape(e.b.linear(e.b.reshape(copy, [-1, s[s.length - 1]], `${name}.view`), out, true, name), [...s.slice(0, -1), out], `${name}.unfold`);
}

/**
 * nn.MultiheadAttention(E, heads) in training, torch's math path (need_weights=True, as Ultralytics
 * calls it): q, k, v are three Linears (the packed in_proj chunked in three, since key is not value)
 * on (L, N, E) views; q * head_dim^-0.5; weights = softmax(q @ k^T [+ float mask]); out = weights @ v;
 * out.transpose.contiguous -> out_proj. `q`, `k`, `v` are (L, N, E) tensors (sequence first).
 * Returns (L, N, E).
 */
export function multiheadAttention(e: Emitter, q: number, k: number, v: number, path: string, heads: number): number {
  const [L, N, E] = e.b.shape(q);
  const S = e.b.shape(k)[0];
  if (E % heads) throw new LayerError(`${path}: ${E} channels do not split into ${heads} heads`);
  const hd = E / heads;
  const b = e.b;
  const qp = linearOnView(e, q, E, `${path}.q_proj`);
  const kp = linearOnView(e, k, E, `${path}.k_proj`);
  const vp = linearOnView(e, v, E, `${path}.v_proj`);
  const qh = b.permute(b.reshape(qp, [L, N * heads, hd], `${path}.q_view`), [1, 0, 2], `${path}.q_t`);
  const kh = b.permute(b.reshape(kp, [S, N * heads, hd], `${path}.k_view`), [1, 2, 0], `${path}.k_t`);
  const vh = b.permute(b.reshape(vp, [S, N * heads, hd], `${path}.v_view`), [1, 0, 2], `${path}.v_t`);
  const qs = b.scale(qh, 'mul', `${path}.scale`);
  const w = b.softmax(b.matmul(qs, kh, `${path}.qk`), 2, false, `${path}.softmax`);
  const o = b.matmul(w, vh, `${path}.av`);
  const oc = b.contiguousCopy(b.permute(o, [1, 0, 2], `${path}.o_t`), `${path}.o_contiguous`);
  const out = b.linear(b.reshape(oc, [L * N, E], `${path}.o_view`), E, true, `${path}.out_proj`);
  return b.reshape(out, [L, N, E], `${path}.out_view`);
}

/** AIFI(c1, cm=2048, num_heads=8): post-norm TransformerEncoderLayer on x.flatten(2).permute(0, 2, 1). */
export function aifi(e: Emitter, x: number, path: string, c1: number, cm = 2048, heads = 8): number {
  if (channels(e, x) !== c1) throw new LayerError(`${path} (AIFI) was built for ${c1} input channels but receives ${channels(e, x)}`);
  if (c1 % 4) throw new LayerError(`${path} (AIFI): the 2-D sin-cos embedding needs channels divisible by 4, got ${c1}`);
  const [B, C, H, W] = e.b.shape(x);
  const b = e.b;
  return b.inModule({ path }, () => {
    const src = b.permute(b.reshape(x, [B, C, H * W], `${path}.flatten`), [0, 2, 1], `${path}.permute`);
    const pos = b.constant([1, H * W, C], 'float32', `${path}.pos_embed`);
    const qk = b.binary('add', src, pos, 'add', `${path}.with_pos`);
    // batch_first: key is not value, so query, key and value are transposed separately
    const t = (y: number, n: string) => b.permute(y, [1, 0, 2], `${path}.${n}`);
    const attn = b.inModule({ path: `${path}.ma` }, () => multiheadAttention(e, t(qk, 'q_t'), t(qk, 'k_t'), t(src, 'v_t'), `${path}.ma`, heads));
    const s1 = b.layerNorm(b.binary('add', src, t(attn, 'attn_t'), 'add', `${path}.add1`), `${path}.norm1`);
    const f = b.linear(b.act('gelu', b.linear(s1, cm, true, `${path}.fc1`), 'GELU', `${path}.act`), C, true, `${path}.fc2`);
    const s2 = b.layerNorm(b.binary('add', s1, f, 'add', `${path}.add2`), `${path}.norm2`);
    const v = b.reshape(b.permute(s2, [0, 2, 1], `${path}.out_permute`), [B, C, H, W], `${path}.out_view`);
    return b.contiguousCopy(v, `${path}.contiguous`);
  });
}

/** The single-input rows of this file; null when `type` is not one of them. */
export function emitRtdetrModule(e: Emitter, type: string, a: ArgValue[], x: number, p: string): number | null {
  const num = (i: number) => a[i] as number;
  switch (type) {
    case 'HGStem':
      return hgStem(e, x, p, num(0), num(1), num(2));
    case 'HGBlock':
      return hgBlock(e, x, p, num(0), num(1), num(2), num(3), num(4), a[5] as boolean, a[6] as boolean);
    case 'RepC3':
      return repC3(e, x, p, num(0), num(1), num(2), num(3));
    case 'ResNetLayer':
      return resNetLayer(e, x, p, num(0), num(1), num(2), a[3] as boolean, num(4), num(5));
    case 'AIFI':
      return aifi(e, x, p, num(0), num(1), num(2));
    default:
      return null;
  }
}
