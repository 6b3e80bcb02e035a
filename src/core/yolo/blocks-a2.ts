// YOLO12's area-attention blocks (ultralytics/nn/modules/block.py, 8.4.x: AAttn, ABlock, A2C2f),
// emitted as the ops their training forward runs. Like YOLO11's Attention, AAttn does not call
// scaled-dot-product attention: it computes (q * scale)^T @ k, softmax and v @ attn^T explicitly, so
// autograd keeps the math path's tensors: the scaled q (a new tensor), views of k and v, and the
// softmax output (B * area * heads * (N / area)^2 floats), never a flash kernel's logsumexp.
//   area 1: qkv.flatten(2).transpose(1, 2).view(B, N, h, 3d).permute(0, 2, 3, 1) is a view of the
//           conv output reshaped (B, h, 3d, N); x ends contiguous without a copy; v needs two copies
//           (reshape of a strided slice, then .contiguous() after the permute), the second one saved
//           by the depthwise 7x7 `pe` conv.
//   area > 1: the transposed qkv is reshaped to (B * area, N / area, 3C): a copy, not itself saved;
//           the two matmuls copy k and v again (their batch and head strides do not merge for bmm)
//           and save those copies; x and v are each copied back (reshape) and made contiguous again.
// Checked per module against Ultralytics 8.4.190 (test/data/truth/yolo12n.json: rows 6 and 8 exact).

import { LayerError, c3k, channels, conv, type Emitter } from './blocks';

/** AAttn(dim, num_heads, area). */
export function aattn(e: Emitter, x: number, path: string, dim: number, numHeads: number, area = 1): number {
  if (channels(e, x) !== dim) throw new LayerError(`${path} (AAttn) was built for ${dim} input channels but receives ${channels(e, x)}`);
  const hd = Math.floor(dim / numHeads);
  const C = hd * numHeads;
  const [B, , H, W] = e.b.shape(x);
  const N = H * W;
  const a = Math.max(area, 1);
  if (a > 1 && N % a !== 0) throw new LayerError(`${path} (AAttn): ${H}x${W} = ${N} positions do not split into ${a} areas`);
  const qkv = conv(e, x, `${path}.qkv`, dim, 3 * C, 1, 1, null, 1, 1, false);
  const { xo, vo } = e.b.inModule({ path }, () => {
    const b = e.b;
    let q4: number;
    const Bp = B * a;
    const Np = N / a;
    if (a === 1) q4 = b.reshape(qkv, [B, numHeads, 3 * hd, N], `${path}.view`);
    else {
      const t = b.permute(b.reshape(qkv, [B, 3 * C, N], `${path}.flatten`), [0, 2, 1], `${path}.transpose`);
      const r = b.reshape(t, [Bp, Np, 3 * C], `${path}.reshape`); // a copy (non-contiguous input)
      q4 = b.permute(b.reshape(r, [Bp, Np, numHeads, 3 * hd], `${path}.view`), [0, 2, 3, 1], `${path}.permute`);
    }
    const [q, k, v] = b.split(q4, [hd, hd, hd], 2, `${path}.split`);
    // 4-D matmul runs as a bmm over (B' * h): with area > 1, k and v are views of the reshaped copy
    // whose (B', h) strides do not merge, so matmul copies each (what it saves: measured, yolo12n
    // row 6), and the reshaped qkv itself is not kept; with area 1 they merge and stay views
    const asBmm = (t: number, what: string) =>
      a === 1 ? t : b.reshape(b.reshape(t, [Bp * numHeads, hd, Np], `${path}.${what}.bmm`), [Bp, numHeads, hd, Np], `${path}.${what}.view`);
    const qs = b.scale(q, 'mul', `${path}.scale`);
    const scores = b.matmul(b.permute(qs, [0, 1, 3, 2], `${path}.transpose`), asBmm(k, 'k'), `${path}.qk`);
    const attn = b.softmax(scores, 3, false, `${path}.softmax`);
    const out = b.matmul(asBmm(v, 'v'), b.permute(attn, [0, 1, 3, 2], `${path}.transpose`), `${path}.av`); // (B', h, d, N')
    let xo: number;
    let vo: number;
    if (a === 1) {
      // (B, h, d, N) contiguous is already (B, C, H, W) in memory: view, and .contiguous() is a no-op
      xo = b.reshape(out, [B, C, H, W], `${path}.view`);
      const vr = b.contiguousCopy(b.permute(v, [0, 3, 1, 2], `${path}.permute`), `${path}.reshape`); // (B, N, h, d) copy
      vo = b.contiguousCopy(b.permute(b.reshape(vr, [B, H, W, C], `${path}.view`), [0, 3, 1, 2], `${path}.permute`), `${path}.contiguous`);
    } else {
      const back = (t: number, what: string) => {
        const r = b.contiguousCopy(b.permute(t, [0, 3, 1, 2], `${path}.permute`), `${path}.reshape.${what}`); // (B', N', h, d)
        const r4 = b.reshape(r, [B, H, W, C], `${path}.view`);
        return b.contiguousCopy(b.permute(r4, [0, 3, 1, 2], `${path}.permute`), `${path}.contiguous.${what}`);
      };
      xo = back(out, 'x');
      vo = back(v, 'v');
    }
    return { xo, vo };
  });
  const pe = conv(e, vo, `${path}.pe`, C, C, 7, 1, 3, C, 1, false);
  const sum = e.b.inModule({ path }, () => e.b.binary('add', xo, pe, 'add', `${path}.add`));
  return conv(e, sum, `${path}.proj`, C, dim, 1, 1, null, 1, 1, false);
}

/** ABlock(dim, num_heads, mlp_ratio, area): x + attn(x), then x + mlp(x) (Conv dim -> int(dim *
 *  mlp_ratio), Conv back without activation). */
export function ablock(e: Emitter, x: number, path: string, dim: number, numHeads: number, mlpRatio = 1.2, area = 1): number {
  const a = aattn(e, x, `${path}.attn`, dim, numHeads, area);
  const x1 = e.b.inModule({ path }, () => e.b.binary('add', x, a, 'add', `${path}.attn_add`));
  const hidden = Math.trunc(dim * mlpRatio);
  const m = conv(e, conv(e, x1, `${path}.mlp.0`, dim, hidden, 1), `${path}.mlp.1`, hidden, dim, 1, 1, null, 1, 1, false);
  return e.b.inModule({ path }, () => e.b.binary('add', x1, m, 'add', `${path}.mlp_add`));
}

/** A2C2f(c1, c2, n, a2, area, residual, mlp_ratio, e, g, shortcut): cv1, n inner modules (two ABlocks
 *  with c_ // 32 heads when a2, else C3k(c_, c_, 2)), cat of all, cv2; with a2 and residual (scales l,
 *  x) x + gamma * y, whose mul saves y. */
export function a2c2f(
  e: Emitter,
  x: number,
  path: string,
  c1: number,
  c2: number,
  n = 1,
  a2 = true,
  area = 1,
  residual = false,
  mlpRatio = 2.0,
  ex = 0.5,
  g = 1,
  shortcut = true,
): number {
  const c_ = Math.trunc(c2 * ex);
  if (a2 && c_ % 32 !== 0) throw new LayerError(`${path} (A2C2f): hidden width ${c_} is not a multiple of 32 (ABlock needs 32 per head)`);
  const ys = [conv(e, x, `${path}.cv1`, c1, c_, 1, 1)];
  for (let i = 0; i < n; i++) {
    const p = `${path}.m.${i}`;
    const y = ys[ys.length - 1];
    ys.push(a2 ? ablock(e, ablock(e, y, `${p}.0`, c_, c_ / 32, mlpRatio, area), `${p}.1`, c_, c_ / 32, mlpRatio, area) : c3k(e, y, p, c_, c_, 2, shortcut, g));
  }
  const cat = e.b.inModule({ path }, () => e.b.cat(ys, 1, `${path}.cat`));
  const y = conv(e, cat, `${path}.cv2`, (1 + n) * c_, c2, 1);
  if (!(a2 && residual)) return y;
  return e.b.inModule({ path }, () => {
    if (c1 !== c2) throw new LayerError(`${path} (A2C2f) residual needs equal input and output channels, got ${c1} and ${c2}`);
    const gamma = e.b.parameter([1, c2, 1, 1], `${path}.gamma`);
    return e.b.binary('add', x, e.b.binary('mul', gamma, y, 'mul', `${path}.gamma_mul`), 'add', `${path}.add`);
  });
}
