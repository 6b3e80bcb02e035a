// The Ultralytics building blocks (ultralytics/nn/modules/conv.py and block.py, 8.3.x; YOLOv5 v7.0's
// models/common.py has the same Conv, Bottleneck, C3, SPP, SPPF and Focus) emitted as the ATen ops
// their *training* forward runs, in the same order and with the same views and copies, because what
// autograd saves for backward is decided op by op:
//   Conv      = Conv2d(bias=False) -> BatchNorm2d -> activation (nothing fused in training)
//   chunk / split / view of a contiguous tensor -> views; .reshape of a non-contiguous one -> copy
// Each function takes the constructor's arguments and checks that its input has the channels the
// constructor was built for (a mismatch is what makes PyTorch fail at the first forward).

import { autopad, type GraphBuilder } from '../graph/builder';
import type { ActKind } from './types';

/** A model that PyTorch could build but not run (channel mismatch, bad head count, ...). */
export class LayerError extends Error {}

export interface Emitter {
  b: GraphBuilder;
  /** Conv's default activation (Conv.default_act, set by the YAML's `activation:`). */
  act: ActKind;
  /** Pruned models may leave an attention block with fewer than 64 channels per head; use one head. */
  lenientHeads: boolean;
  /** YOLOv5 v7.0 model (its Proto upsamples with nn.Upsample). */
  v5: boolean;
  /** Blocks as in Ultralytics 8.4.x where they differ from 8.3.x (SPPF's cv1 has no activation). */
  v84?: boolean;
  notes: string[];
}

const ACT_SOURCE: Record<ActKind, string> = {
  silu: 'SiLU',
  relu: 'ReLU',
  leaky_relu: 'LeakyReLU',
  hardswish: 'Hardswish',
  gelu: 'GELU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
};

export function channels(e: Emitter, x: number): number {
  return e.b.shape(x)[1];
}

function expectChannels(e: Emitter, x: number, c1: number, what: string): void {
  const c = channels(e, x);
  if (c !== c1) throw new LayerError(`${what} was built for ${c1} input channels but receives ${c}`);
}

/** Ultralytics Conv(c1, c2, k, s, p, g, d, act): conv (no bias) -> BN -> act. */
export function conv(
  e: Emitter,
  x: number,
  path: string,
  c1: number,
  c2: number,
  k: number | [number, number] = 1,
  s = 1,
  p: number | null = null,
  g = 1,
  d = 1,
  act = true,
): number {
  expectChannels(e, x, c1, `${path} (Conv)`);
  if (c1 % g !== 0 || c2 % g !== 0) throw new LayerError(`${path} (Conv): groups ${g} do not divide channels ${c1} -> ${c2}`);
  return e.b.inModule({ path }, () => {
    const y = e.b.conv2d(x, c2, { k, s, p: p ?? autopad(k, d), d, g, bias: false, name: `${path}.conv` });
    const z = e.b.batchnorm(y, `${path}.bn`);
    return act ? e.b.act(e.act, z, ACT_SOURCE[e.act], `${path}.act`) : z;
  });
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** DWConv(c1, c2, k, s, d, act) = Conv with groups gcd(c1, c2). */
export function dwconv(e: Emitter, x: number, path: string, c1: number, c2: number, k = 1, s = 1, d = 1, act = true): number {
  return conv(e, x, path, c1, c2, k, s, null, gcd(c1, c2), d, act);
}

/** Focus: space-to-depth (x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2]
 *  concatenated on channels), then a Conv. The four strided slices are views of the input and the
 *  cat makes one new tensor; the builder has no strided slice, so the same storage effect is emitted
 *  as view -> permute -> one contiguous copy -> view (nothing here is saved for backward either way). */
export function focus(e: Emitter, x: number, path: string, c1: number, c2: number, k = 1, s = 1, p: number | null = null, g = 1, act = true): number {
  expectChannels(e, x, c1, `${path} (Focus)`);
  const [n, c, h, w] = e.b.shape(x);
  if (h % 2 || w % 2) throw new LayerError(`${path} (Focus) needs an even image size, got ${h}x${w}`);
  const y = e.b.inModule({ path }, () => {
    const v = e.b.reshape(x, [n, c, h / 2, 2, w / 2, 2], `${path}.slice`);
    // slice order: (row 0, col 0), (row 1, col 0), (row 0, col 1), (row 1, col 1) -> index col*2 + row
    const t = e.b.permute(v, [0, 5, 3, 1, 2, 4], `${path}.slice`);
    return e.b.reshape(e.b.contiguousCopy(t, `${path}.cat`), [n, 4 * c, h / 2, w / 2], `${path}.cat`);
  });
  return conv(e, y, `${path}.conv`, c1 * 4, c2, k, s, p, g, 1, act);
}

/** Bottleneck(c1, c2, shortcut, g, k, e): cv1 -> cv2, plus x when shortcut and c1 == c2. */
export function bottleneck(e: Emitter, x: number, path: string, c1: number, c2: number, shortcut = true, g = 1, k: [number, number] = [3, 3], ex = 0.5): number {
  const c_ = Math.trunc(c2 * ex);
  const y = conv(e, conv(e, x, `${path}.cv1`, c1, c_, k[0], 1), `${path}.cv2`, c_, c2, k[1], 1, null, g);
  if (shortcut && c1 === c2) return e.b.inModule({ path }, () => e.b.binary('add', x, y, 'add', `${path}.add`));
  return y;
}

/** C2f(c1, c2, n, shortcut, g, e): y = cv1(x).chunk(2, 1); y += [m(y[-1]) for m]; cv2(cat(y)). */
export function c2f(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, shortcut = false, g = 1, ex = 0.5): number {
  const c = Math.trunc(c2 * ex);
  return c2fLike(e, x, path, c1, c2, c, n, (y, i) => bottleneck(e, y, `${path}.m.${i}`, c, c, shortcut, g, [3, 3], 1.0));
}

/** The C2f skeleton shared by C2f, C3k2, C2fPSA and C2fCIB, which differ only in their inner modules. */
export function c2fLikeBlock(e: Emitter, x: number, path: string, c1: number, c2: number, c: number, n: number, inner: (y: number, i: number) => number): number {
  return c2fLike(e, x, path, c1, c2, c, n, inner);
}

function c2fLike(e: Emitter, x: number, path: string, c1: number, c2: number, c: number, n: number, inner: (y: number, i: number) => number): number {
  const h = conv(e, x, `${path}.cv1`, c1, 2 * c, 1, 1);
  // a copy: the builder's array is the chunk op's own `outputs` list
  const ys = [...e.b.inModule({ path }, () => e.b.chunk(h, 2, 1, `${path}.chunk`))];
  for (let i = 0; i < n; i++) ys.push(inner(ys[ys.length - 1], i));
  const cat = e.b.inModule({ path }, () => e.b.cat(ys, 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv2`, (2 + n) * c, c2, 1);
}

/** C3(c1, c2, n, shortcut, g, e): cv3(cat(m(cv1(x)), cv2(x))) with 1x1-3x3 bottlenecks (e=1). */
export function c3(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, shortcut = true, g = 1, ex = 0.5, k: [number, number] = [1, 3]): number {
  const c_ = Math.trunc(c2 * ex);
  return c3Like(e, x, path, c1, c2, c_, n, (y, i) => bottleneck(e, y, `${path}.m.${i}`, c_, c_, shortcut, g, k, 1.0));
}

/** The C3 skeleton (C3, C3k, C3Ghost differ only in their inner modules). */
export function c3Like(e: Emitter, x: number, path: string, c1: number, c2: number, c_: number, n: number, inner: (y: number, i: number) => number): number {
  let m = conv(e, x, `${path}.cv1`, c1, c_, 1, 1);
  for (let i = 0; i < n; i++) m = inner(m, i);
  const b = conv(e, x, `${path}.cv2`, c1, c_, 1, 1);
  const cat = e.b.inModule({ path }, () => e.b.cat([m, b], 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv3`, 2 * c_, c2, 1);
}

/** C3k(c1, c2, n, shortcut, g, e, k): a C3 whose bottlenecks are k x k, k x k. */
export function c3k(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, shortcut = true, g = 1, ex = 0.5, k = 3): number {
  return c3(e, x, path, c1, c2, n, shortcut, g, ex, [k, k]);
}

/** C3k2(c1, c2, n, c3k, e, attn, g, shortcut): a C2f whose inner modules are C3k(c, c, 2) when c3k,
 *  Bottleneck(c, c) + PSABlock(c, 0.5, max(c // 64, 1)) when attn (YOLO26, 8.4.x; attn wins over
 *  c3k), else Bottleneck(c, c) with its default e = 0.5 (a narrower bottleneck than C2f's). */
export function c3k2(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, useC3k = false, ex = 0.5, g = 1, shortcut = true, attn = false): number {
  const c = Math.trunc(c2 * ex);
  return c2fLike(e, x, path, c1, c2, c, n, (y, i) => {
    if (attn) {
      const z = bottleneck(e, y, `${path}.m.${i}.0`, c, c, shortcut, g);
      return psaBlock(e, z, `${path}.m.${i}.1`, c, 0.5, Math.max(Math.floor(c / 64), 1));
    }
    return useC3k ? c3k(e, y, `${path}.m.${i}`, c, c, 2, shortcut, g) : bottleneck(e, y, `${path}.m.${i}`, c, c, shortcut, g);
  });
}

/** SPPF(c1, c2, k, n=3, shortcut=False): cv1, n chained MaxPool2d(k, 1, k // 2), cat of the n + 1,
 *  cv2, plus x when shortcut and c1 == c2 (YOLO26). In 8.4.x cv1 has no activation (act=False);
 *  8.3.x applied SiLU there, so its output (not its BN output) was what the first pool saved. */
export function sppf(e: Emitter, x: number, path: string, c1: number, c2: number, k = 5, n = 3, shortcut = false): number {
  const c_ = Math.trunc(c1 / 2);
  const ys = [conv(e, x, `${path}.cv1`, c1, c_, 1, 1, null, 1, 1, !e.v84)];
  e.b.inModule({ path: `${path}.m` }, () => {
    for (let i = 0; i < n; i++) ys.push(e.b.maxpool2d(ys[ys.length - 1], k, 1, Math.floor(k / 2), `${path}.m`));
  });
  const cat = e.b.inModule({ path }, () => e.b.cat(ys, 1, `${path}.cat`));
  const y = conv(e, cat, `${path}.cv2`, c_ * (n + 1), c2, 1, 1);
  if (shortcut && c1 === c2) return e.b.inModule({ path }, () => e.b.binary('add', y, x, 'add', `${path}.add`));
  return y;
}

/** SPP(c1, c2, k=(5, 9, 13)): cv1, parallel max pools of each size on cv1's output, cat, cv2. */
export function spp(e: Emitter, x: number, path: string, c1: number, c2: number, ks: number[] = [5, 9, 13]): number {
  const c_ = Math.trunc(c1 / 2);
  const y = conv(e, x, `${path}.cv1`, c1, c_, 1, 1);
  const pools = ks.map((k, i) => e.b.inModule({ path: `${path}.m.${i}` }, () => e.b.maxpool2d(y, k, 1, Math.floor(k / 2), `${path}.m.${i}`)));
  const cat = e.b.inModule({ path }, () => e.b.cat([y, ...pools], 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv2`, c_ * (ks.length + 1), c2, 1, 1);
}

/** Attention(dim, num_heads, attn_ratio) of YOLO11's PSA blocks:
 *    qkv = Conv(dim, h, 1, act=False)(x).view(B, heads, 2*key_dim + head_dim, N).split(...)
 *    attn = softmax((q^T @ k) * scale); x = (v @ attn^T).view(B, C, H, W) + pe(v.reshape(B, C, H, W))
 *    proj = Conv(dim, dim, 1, act=False)
 *  matmul on these 4-D views reshapes them to 3-D without copying (the batch and head axes merge), so
 *  both matmuls save views of the qkv and softmax storages; v.reshape is a real copy (v is a strided
 *  slice), and the depthwise `pe` conv saves that copy. */
export function attention(e: Emitter, x: number, path: string, dim: number, numHeads = 8, attnRatio = 0.5): number {
  expectChannels(e, x, dim, `${path} (Attention)`);
  if (numHeads < 1) throw new LayerError(`${path} (Attention) has ${dim} channels: fewer than one 64-channel head`);
  const headDim = Math.floor(dim / numHeads);
  const keyDim = Math.trunc(headDim * attnRatio);
  if (headDim * numHeads !== dim) throw new LayerError(`${path} (Attention): ${dim} channels do not split into ${numHeads} heads`);
  if (keyDim < 1) throw new LayerError(`${path} (Attention): key dimension is 0 (head_dim ${headDim} x attn_ratio ${attnRatio})`);
  const h = dim + 2 * keyDim * numHeads;
  const [B, , H, W] = e.b.shape(x);
  const N = H * W;
  const qkv = conv(e, x, `${path}.qkv`, dim, h, 1, 1, null, 1, 1, false);
  const { o, vr } = e.b.inModule({ path }, () => {
    const v4 = e.b.reshape(qkv, [B, numHeads, 2 * keyDim + headDim, N], `${path}.view`);
    const [q, k, v] = e.b.split(v4, [keyDim, keyDim, headDim], 2, `${path}.split`);
    const scores = e.b.matmul(e.b.permute(q, [0, 1, 3, 2], `${path}.transpose`), k, `${path}.qk`);
    const attn = e.b.softmax(e.b.scale(scores, 'mul', `${path}.scale`), 3, false, `${path}.softmax`);
    const out = e.b.matmul(v, e.b.permute(attn, [0, 1, 3, 2], `${path}.transpose`), `${path}.av`);
    // With one head, v is a channel slice of qkv that PyTorch's reshape can view (only the batch
    // stride is irregular); the builder would copy a non-contiguous slice, so take the view directly.
    const o = e.b.reshape(out, [B, dim, H, W], `${path}.view`);
    const vr = numHeads === 1 ? e.b.split(qkv, [2 * keyDim, headDim], 1, `${path}.reshape`)[1] : e.b.reshape(v, [B, dim, H, W], `${path}.reshape`);
    return { o, vr };
  });
  const pe = conv(e, vr, `${path}.pe`, dim, dim, 3, 1, null, dim, 1, false);
  const sum = e.b.inModule({ path }, () => e.b.binary('add', o, pe, 'add', `${path}.add`));
  return conv(e, sum, `${path}.proj`, dim, dim, 1, 1, null, 1, 1, false);
}

/** PSABlock(c, attn_ratio, num_heads, shortcut): x + attn(x), then x + ffn(x) (Conv c->2c, Conv 2c->c no act). */
export function psaBlock(e: Emitter, x: number, path: string, c: number, attnRatio = 0.5, numHeads = 4, shortcut = true): number {
  const a = attention(e, x, `${path}.attn`, c, numHeads, attnRatio);
  const x1 = shortcut ? e.b.inModule({ path }, () => e.b.binary('add', x, a, 'add', `${path}.attn_add`)) : a;
  const f = conv(e, conv(e, x1, `${path}.ffn.0`, c, 2 * c, 1), `${path}.ffn.1`, 2 * c, c, 1, 1, null, 1, 1, false);
  return shortcut ? e.b.inModule({ path }, () => e.b.binary('add', x1, f, 'add', `${path}.ffn_add`)) : f;
}

/** Heads per PSA block: c // 64, as C2PSA/C2fPSA set it (pruned models keep at least one). */
function psaHeads(e: Emitter, c: number, path: string): number {
  const heads = Math.floor(c / 64);
  if (heads >= 1) return heads;
  if (!e.lenientHeads) throw new LayerError(`${path} has ${c} channels per branch: attention needs at least 64 (one head)`);
  e.notes.push(`${path}: pruned to ${c} channels per branch, modelled with one attention head`);
  return 1;
}

/** C2PSA(c1, c2, n, e): a, b = cv1(x).split((c, c)); b = PSABlocks(b); cv2(cat(a, b)). */
export function c2psa(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, ex = 0.5): number {
  if (c1 !== c2) throw new LayerError(`${path} (C2PSA) needs equal input and output channels, got ${c1} and ${c2}`);
  const c = Math.trunc(c1 * ex);
  const heads = psaHeads(e, c, path);
  const h = conv(e, x, `${path}.cv1`, c1, 2 * c, 1, 1);
  const [a, b0] = e.b.inModule({ path }, () => e.b.split(h, [c, c], 1, `${path}.split`));
  let b = b0;
  for (let i = 0; i < n; i++) b = psaBlock(e, b, `${path}.m.${i}`, c, 0.5, heads);
  const cat = e.b.inModule({ path }, () => e.b.cat([a, b], 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv2`, 2 * c, c1, 1);
}

/** C2fPSA(c1, c2, n, e): a C2f whose inner modules are PSABlocks. */
export function c2fpsa(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, ex = 0.5): number {
  if (c1 !== c2) throw new LayerError(`${path} (C2fPSA) needs equal input and output channels, got ${c1} and ${c2}`);
  const c = Math.trunc(c2 * ex);
  const heads = psaHeads(e, c, path);
  return c2fLike(e, x, path, c1, c2, c, n, (y, i) => psaBlock(e, y, `${path}.m.${i}`, c, 0.5, heads));
}

/** Proto(c1, c_, c2): cv1 3x3 -> 2x upsample -> cv2 3x3 -> cv3 1x1. Ultralytics upsamples with a
 *  ConvTranspose2d(c_, c_, 2, 2, bias=True); YOLOv5 v7.0 with nn.Upsample(scale_factor=2, 'nearest'). */
export function proto(e: Emitter, x: number, path: string, c1: number, c_ = 256, c2 = 32, style: 'ultralytics' | 'v5' = 'ultralytics'): number {
  const y = conv(e, x, `${path}.cv1`, c1, c_, 3);
  const u = e.b.inModule({ path: `${path}.upsample` }, () =>
    style === 'v5' ? e.b.upsample(y, 2, 'nearest', `${path}.upsample`) : e.b.convTranspose2d(y, c_, { k: 2, s: 2, p: 0, bias: true, name: `${path}.upsample` }),
  );
  return conv(e, conv(e, u, `${path}.cv2`, c_, c_, 3), `${path}.cv3`, c_, c2, 1);
}
