// YOLOv9's GELAN blocks (ultralytics/nn/modules/block.py and conv.py, 8.4.x) emitted as the ATen
// ops their *training* forward runs:
//   RepConv        act(conv1(x) + conv2(x) + 0): a 3x3 Conv+BN and a 1x1 Conv+BN, both without
//                  activation, summed; `+ id_out` with id_out = 0 (no identity BN) is one more add that
//                  allocates a tensor; RepConv.default_act is its own SiLU (the YAML's `activation:`
//                  changes only Conv's).
//   RepBottleneck  Bottleneck whose cv1 is RepConv(c1, c_, 3)
//   RepCSP         C3 whose bottlenecks are RepBottlenecks (e = 1.0)
//   RepNCSPELAN4   cv1 -> chunk(2) -> [RepCSP -> Conv 3x3] twice on the last piece -> cat(4) -> cv4
//   ELAN1          RepNCSPELAN4's forward with plain Conv 3x3 in place of RepCSP+Conv
//   AConv          avg_pool2d(2, 1, 0) -> Conv 3x3 stride 2
//   ADown          avg_pool2d(2, 1, 0) -> chunk(2): Conv 3x3/2 on one half, max_pool2d(3, 2, 1) ->
//                  Conv 1x1 on the other -> cat
//   SPPELAN        cv1 -> three chained MaxPool2d(k, 1, k // 2) -> cat(4) -> cv5
//   CBLinear       Conv2d(c1, sum(c2s), k, s, p, g, bias=True) -> split(c2s): a row with several outputs
//   CBFuse         nearest interpolation of the picked pieces to the last input's size, torch.stack of
//                  them and the last input, sum over the stack axis (stack makes one new tensor; none of
//                  interpolate, stack or sum saves a tensor for backward)
// The YOLOv3u/YOLOv6 rows that are plain torch modules (MaxPool2d, ZeroPad2d, ConvTranspose2d,
// Identity) are here too, since they are read the same way.

import { LayerError, channels, conv, type Emitter } from './blocks';
import type { ArgValue } from './types';

function expectChannels(e: Emitter, x: number, c1: number, what: string): void {
  const c = channels(e, x);
  if (c !== c1) throw new LayerError(`${what} was built for ${c1} input channels but receives ${c}`);
}

/** RepConv(c1, c2, k=3, s=1, p=1, g=1, d=1, act=True, bn=False) in training (not yet fused). */
export function repConv(e: Emitter, x: number, path: string, c1: number, c2: number, s = 1, g = 1): number {
  const a = conv(e, x, `${path}.conv1`, c1, c2, 3, s, 1, g, 1, false);
  const start = e.b.ops.length;
  const b = conv(e, x, `${path}.conv2`, c1, c2, 1, s, 0, g, 1, false);
  // model.fuse() folds this 1x1 branch (and its BN) into conv1's 3x3 kernel and bias: no deployed params
  for (let i = start; i < e.b.ops.length; i++) e.b.ops[i].attrs.reparamFolded = true;
  return e.b.inModule({ path }, () => {
    const sum = e.b.binary('add', a, b, 'add', `${path}.add`);
    // `+ id_out` where id_out is the int 0: a scalar add that allocates another tensor
    const plus0 = e.b.scale(sum, 'add', `${path}.add_id`);
    return e.b.act('silu', plus0, 'SiLU', `${path}.act`);
  });
}

/** RepBottleneck(c1, c2, shortcut, g, k=(3, 3), e): cv1 = RepConv(c1, c_, 3), cv2 = Conv(c_, c2, 3, g). */
export function repBottleneck(e: Emitter, x: number, path: string, c1: number, c2: number, shortcut = true, g = 1, ex = 0.5): number {
  const c_ = Math.trunc(c2 * ex);
  const y = conv(e, repConv(e, x, `${path}.cv1`, c1, c_), `${path}.cv2`, c_, c2, 3, 1, null, g);
  if (shortcut && c1 === c2) return e.b.inModule({ path }, () => e.b.binary('add', x, y, 'add', `${path}.add`));
  return y;
}

/** RepCSP(c1, c2, n, shortcut, g, e): C3's cv3(cat(m(cv1(x)), cv2(x))) with RepBottlenecks (e = 1). */
export function repCSP(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, shortcut = true, g = 1, ex = 0.5): number {
  const c_ = Math.trunc(c2 * ex);
  let m = conv(e, x, `${path}.cv1`, c1, c_, 1, 1);
  for (let i = 0; i < n; i++) m = repBottleneck(e, m, `${path}.m.${i}`, c_, c_, shortcut, g, 1.0);
  const b = conv(e, x, `${path}.cv2`, c1, c_, 1, 1);
  const cat = e.b.inModule({ path }, () => e.b.cat([m, b], 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv3`, 2 * c_, c2, 1);
}

/** The ELAN skeleton of RepNCSPELAN4 and ELAN1: y = cv1(x).chunk(2); y += [cv2(y[-1]), cv3(...)]; cv4(cat(y)). */
function elanLike(e: Emitter, x: number, path: string, c1: number, c2: number, c3: number, c4: number, inner: (y: number, which: 2 | 3, cin: number) => number): number {
  expectChannels(e, x, c1, `${path} (ELAN)`);
  const h = conv(e, x, `${path}.cv1`, c1, c3, 1, 1);
  const ys = [...e.b.inModule({ path }, () => e.b.chunk(h, 2, 1, `${path}.chunk`))];
  const half = channels(e, ys[ys.length - 1]);
  ys.push(inner(ys[ys.length - 1], 2, half));
  ys.push(inner(ys[ys.length - 1], 3, c4));
  const cat = e.b.inModule({ path }, () => e.b.cat(ys, 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv4`, channels(e, cat), c2, 1, 1);
}

/** RepNCSPELAN4(c1, c2, c3, c4, n): cv2 = Sequential(RepCSP(c3 // 2, c4, n), Conv(c4, c4, 3)), cv3 likewise from c4. */
export function repNCSPELAN4(e: Emitter, x: number, path: string, c1: number, c2: number, c3: number, c4: number, n = 1): number {
  return elanLike(e, x, path, c1, c2, c3, c4, (y, which, cin) => {
    const p = `${path}.cv${which}`;
    const want = which === 2 ? Math.floor(c3 / 2) : c4;
    if (cin !== want) throw new LayerError(`${p} (RepCSP) was built for ${want} input channels but receives ${cin}`);
    return conv(e, repCSP(e, y, `${p}.0`, want, c4, n), `${p}.1`, c4, c4, 3, 1);
  });
}

/** ELAN1(c1, c2, c3, c4): cv2 = Conv(c3 // 2, c4, 3), cv3 = Conv(c4, c4, 3). */
export function elan1(e: Emitter, x: number, path: string, c1: number, c2: number, c3: number, c4: number): number {
  return elanLike(e, x, path, c1, c2, c3, c4, (y, which) => {
    const cin = which === 2 ? Math.floor(c3 / 2) : c4;
    return conv(e, y, `${path}.cv${which}`, cin, c4, 3, 1);
  });
}

/** avg_pool2d(x, 2, 1, 0, ceil_mode=False, count_include_pad=True): (H - 1) x (W - 1). */
function avgPool2x1(e: Emitter, x: number, path: string): number {
  return e.b.inModule({ path }, () => e.b.avgpool2d(x, 2, 1, 0, `${path}.avg_pool2d`));
}

/** AConv(c1, c2): avg_pool2d(2, 1) -> Conv(c1, c2, 3, 2, 1). */
export function aconv(e: Emitter, x: number, path: string, c1: number, c2: number): number {
  expectChannels(e, x, c1, `${path} (AConv)`);
  return conv(e, avgPool2x1(e, x, path), `${path}.cv1`, c1, c2, 3, 2, 1);
}

/** ADown(c1, c2): avg_pool2d(2, 1) -> chunk(2); Conv(c1//2, c2//2, 3, 2, 1) | max_pool2d(3, 2, 1) -> Conv 1x1; cat. */
export function adown(e: Emitter, x: number, path: string, c1: number, c2: number): number {
  expectChannels(e, x, c1, `${path} (ADown)`);
  const c = Math.floor(c2 / 2);
  const pooled = avgPool2x1(e, x, path);
  const [x1, x2] = e.b.inModule({ path }, () => e.b.chunk(pooled, 2, 1, `${path}.chunk`));
  if (channels(e, x1) !== Math.floor(c1 / 2)) throw new LayerError(`${path} (ADown) needs an even input channel count, got ${c1}`);
  const y1 = conv(e, x1, `${path}.cv1`, Math.floor(c1 / 2), c, 3, 2, 1);
  const m = e.b.inModule({ path }, () => e.b.maxpool2d(x2, 3, 2, 1, `${path}.max_pool2d`));
  const y2 = conv(e, m, `${path}.cv2`, Math.floor(c1 / 2), c, 1, 1, 0);
  return e.b.inModule({ path }, () => e.b.cat([y1, y2], 1, `${path}.cat`));
}

/** SPPELAN(c1, c2, c3, k=5): cv1 -> cv2, cv3, cv4 = chained MaxPool2d(k, 1, k // 2) -> cat -> cv5. */
export function sppelan(e: Emitter, x: number, path: string, c1: number, c2: number, c3: number, k = 5): number {
  const ys = [conv(e, x, `${path}.cv1`, c1, c3, 1, 1)];
  for (const name of ['cv2', 'cv3', 'cv4']) {
    ys.push(e.b.inModule({ path: `${path}.${name}` }, () => e.b.maxpool2d(ys[ys.length - 1], k, 1, Math.floor(k / 2), `${path}.${name}`)));
  }
  const cat = e.b.inModule({ path }, () => e.b.cat(ys, 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv5`, 4 * c3, c2, 1, 1);
}

/** CBLinear(c1, c2s, k, s, p, g): one biased conv, split into the pieces later CBFuse rows pick. */
export function cbLinear(e: Emitter, x: number, path: string, c1: number, c2s: number[], k = 1, s = 1, p: number | null = null, g = 1): number[] {
  expectChannels(e, x, c1, `${path} (CBLinear)`);
  const total = c2s.reduce((a, b) => a + b, 0);
  return e.b.inModule({ path }, () => {
    const y = e.b.conv2d(x, total, { k, s, p: p ?? Math.floor(k / 2), g, bias: true, name: `${path}.conv` });
    return e.b.split(y, c2s, 1, `${path}.split`);
  });
}

/** CBFuse(idx): sum(stack([interpolate(xs[i][idx[i]], size of xs[-1], 'nearest') ..., xs[-1]])). */
export function cbFuse(e: Emitter, xs: number[][], path: string, idx: number[]): number {
  if (xs.length < 2) throw new LayerError(`${path} (CBFuse) needs at least two inputs`);
  if (idx.length !== xs.length - 1) throw new LayerError(`${path} (CBFuse) has ${idx.length} indices for ${xs.length - 1} CBLinear inputs`);
  const last = xs[xs.length - 1];
  if (last.length !== 1) throw new LayerError(`${path} (CBFuse): its last input must be a single tensor`);
  const target = e.b.shape(last[0]);
  return e.b.inModule({ path }, () => {
    const res = xs.slice(0, -1).map((pieces, i) => {
      const piece = pieces[idx[i]];
      if (piece === undefined) throw new LayerError(`${path} (CBFuse): input ${i} has no piece ${idx[i]} (it has ${pieces.length})`);
      const s = e.b.shape(piece);
      if (s[1] !== target[1]) throw new LayerError(`${path} (CBFuse): piece ${idx[i]} of input ${i} has ${s[1]} channels, the last input ${target[1]}`);
      const fh = target[2] / s[2];
      const fw = target[3] / s[3];
      if (!Number.isInteger(fh) || !Number.isInteger(fw) || fh < 1 || fw < 1) {
        throw new LayerError(`${path} (CBFuse): cannot upsample ${s[2]}x${s[3]} to ${target[2]}x${target[3]} by an integer factor`);
      }
      return e.b.upsample(piece, [fh, fw], 'nearest', `${path}.interpolate`);
    });
    // torch.stack = unsqueeze(0) of each (views) + one cat along the new axis
    const stacked = e.b.cat([...res, last[0]].map((t) => e.b.reshape(t, [1, ...e.b.shape(t)], `${path}.unsqueeze`)), 0, `${path}.stack`);
    return e.b.reduce(stacked, [...target], `${path}.sum`);
  });
}

/** nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0). */
export function maxPool(e: Emitter, x: number, path: string, k: number, s: number | null, p: number): number {
  return e.b.inModule({ path }, () => e.b.maxpool2d(x, k, s ?? k, p, path));
}

/** nn.ZeroPad2d(padding): constant_pad_nd, a new tensor that saves nothing for backward. */
export function zeroPad(e: Emitter, x: number, path: string, pad: number | number[]): number {
  const [l, r, t, bt] = typeof pad === 'number' ? [pad, pad, pad, pad] : pad;
  return e.b.inModule({ path }, () => e.b.pad(x, [l, r, t, bt], path));
}

/** The single-input, single-output rows of this file; null when `type` is not one of them. */
export function emitGelanModule(e: Emitter, type: string, a: ArgValue[], x: number, p: string): number | null {
  const num = (i: number) => a[i] as number;
  switch (type) {
    case 'RepNCSPELAN4':
      return repNCSPELAN4(e, x, p, num(0), num(1), num(2), num(3), num(4));
    case 'ELAN1':
      return elan1(e, x, p, num(0), num(1), num(2), num(3));
    case 'AConv':
      return aconv(e, x, p, num(0), num(1));
    case 'ADown':
      return adown(e, x, p, num(0), num(1));
    case 'SPPELAN':
      return sppelan(e, x, p, num(0), num(1), num(2), num(3));
    case 'RepCSP':
      return repCSP(e, x, p, num(0), num(1), num(2), a[3] as boolean, num(4), num(5));
    case 'Identity':
      return x;
    case 'MaxPool2d':
      return maxPool(e, x, p, num(0), a[1] as number | null, num(2));
    case 'ZeroPad2d':
      return zeroPad(e, x, p, a[0] as number | number[]);
    case 'ConvTranspose2d': {
      expectChannels(e, x, num(0), `${p} (ConvTranspose2d)`);
      return e.b.inModule({ path: p }, () => e.b.convTranspose2d(x, num(1), { k: num(2), s: num(3), p: num(4), bias: true, name: p }));
    }
    default:
      return null;
  }
}

/** Rows with several inputs or outputs (CBLinear's pieces, CBFuse's inputs). */
export const MULTI_IO_TYPES: ReadonlySet<string> = new Set(['CBLinear', 'CBFuse']);

/** Emits a CBLinear or CBFuse row; `xs` holds each input row's outputs. */
export function emitMultiRow(e: Emitter, type: string, a: ArgValue[], xs: number[][], p: string): number[] {
  if (type === 'CBLinear') {
    if (xs.length !== 1 || xs[0].length !== 1) throw new LayerError(`${p} (CBLinear) takes one tensor input`);
    return cbLinear(e, xs[0][0], p, a[0] as number, a[1] as number[], a[2] as number, a[3] as number, a[4] as number | null, a[5] as number);
  }
  return [cbFuse(e, xs, p, a[0] as number[])];
}
