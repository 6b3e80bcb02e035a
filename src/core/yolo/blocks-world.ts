// YOLO-World v2's text-guided blocks (ultralytics/nn/modules/block.py C2fAttn, MaxSigmoidAttnBlock;
// head.py WorldDetect, BNContrastiveHead; nn/tasks.py WorldModel.predict, 8.4.x) as the ATen ops of
// their training forward. The text embeddings (B, T, 512) come precomputed in the batch
// (`batch["txt_feats"]`, CLIP features computed once by the trainer and detached), so they are an
// input that needs no gradient: every C2fAttn's guide Linear keeps the same storage, and the
// contrastive heads' F.normalize of them keeps nothing.
//   MaxSigmoidAttnBlock  guide = Linear(512, ec)(text) viewed (B, T, nh, hc); aw = max over T of
//                        x.view(B, nh, hc, hw)^T @ guide.permute(0, 2, 3, 1) (the guide's permute is
//                        folded by a copy when T > 1; max keeps int64 indices); sigmoid(aw / sqrt(hc)
//                        + bias); proj_conv 3x3 (no act) viewed per head x aw (both kept)
//   C2fAttn              C2f (Bottlenecks e=1, no shortcut) + the attention block on the last piece
//   WorldDetect          Detect's box branch; class branch Conv, Conv, Conv2d(c3, embed) then
//                        BNContrastiveHead: BatchNorm2d, normalize(text) @ x.flatten(2) (keeps the
//                        normalized text per level), * exp(logit_scale) (keeps both) + bias

import type { GraphBuilder } from '../graph/builder';
import type { HeadInfo } from '../graph/types';
import { LayerError, bottleneck, channels, conv, type Emitter } from './blocks';
import { REG_MAX } from './heads';
import type { ArgValue } from './types';

/** Width of the CLIP ViT-B/32 text embeddings YOLO-World is trained with. */
const TEXT_DIM = 512;

const texts = new WeakMap<GraphBuilder, number>();
const textCounts = new WeakMap<GraphBuilder, number>();

/** Sets how many text prompts (classes) a graph's batch carries: the model's nc. */
export function setWorldTextCount(b: GraphBuilder, count: number): void {
  textCounts.set(b, count);
}

/** The batch's text embeddings (B, T, 512), created once per graph (an input of the step). */
export function worldText(e: Emitter): number {
  let t = texts.get(e.b);
  if (t === undefined) {
    t = e.b.constant([e.b.batch, textCounts.get(e.b) ?? 80, TEXT_DIM], 'float32', 'txt_feats');
    texts.set(e.b, t);
  }
  return t;
}

function maxSigmoidAttn(e: Emitter, x: number, text: number, path: string, c: number, nh: number, ec: number): number {
  const b = e.b;
  const [B, , h, w] = b.shape(x);
  const T = b.shape(text)[1];
  if (c !== ec) throw new LayerError(`${path}: an embedding conv (c ${c} != ec ${ec}) is not modelled`);
  const hc = Math.floor(c / nh);
  const guide = b.inModule({ path: `${path}.gl` }, () => b.linear(text, ec, true, `${path}.gl`));
  const aw = b.inModule({ path }, () => {
    const g4 = b.reshape(guide, [B, T, nh, hc], `${path}.guide_view`);
    const gp = b.permute(g4, [0, 2, 3, 1], `${path}.guide_permute`);
    // matmul folds (B, nh) of the permuted guide with reshape: a copy unless T == 1
    const gm = b.contiguousCopy(gp, `${path}.guide_fold`);
    const xe = b.permute(b.reshape(x, [B, nh, hc, h * w], `${path}.embed_view`), [0, 1, 3, 2], `${path}.embed_t`);
    const m = b.matmul(xe, gm, `${path}.matmul`);
    // max over the texts: values (B, nh, hw); MaxBackward keeps the int64 indices
    const mx = b.reduce(m, [B, nh, h * w], `${path}.max`);
    b.lossTerms([m], 0, B * nh * h * w, 'max indices', `${path}.max_indices`);
    const s = b.scale(b.scale(b.reshape(mx, [B, nh, h, w], `${path}.aw_view`), 'div', `${path}.div`), 'add', `${path}.bias`);
    // `* self.scale` with scale = 1.0 (a float, scale=False): a new tensor, which the product keeps
    return b.scale(b.act('sigmoid', s, 'sigmoid', `${path}.sigmoid`), 'mul', `${path}.scale`);
  });
  const bias = b.ops.find((o) => o.name === `${path}.bias`)!;
  bias.params = bias.trainableParams = nh; // the per-head bias parameter
  const p = conv(e, x, `${path}.proj_conv`, c, c, 3, 1, null, 1, 1, false);
  return b.inModule({ path }, () => {
    const pv = b.reshape(p, [B, nh, Math.floor(c / nh), h, w], `${path}.x_view`);
    const prod = b.binary('mul', pv, b.reshape(aw, [B, nh, 1, h, w], `${path}.aw_unsqueeze`), 'mul', `${path}.mul`);
    return b.reshape(prod, [B, c, h, w], `${path}.out_view`);
  });
}

/** C2fAttn(c1, c2, n, ec, nh, gc=512, shortcut=False, g=1, e=0.5). */
export function c2fAttn(e: Emitter, x: number, path: string, c1: number, c2: number, n: number, ec: number, nh: number, gc: number, shortcut: boolean, g: number, ex: number): number {
  if (gc !== TEXT_DIM) throw new LayerError(`${path} (C2fAttn): guide channels ${gc} (the text embeddings are ${TEXT_DIM})`);
  if (channels(e, x) !== c1) throw new LayerError(`${path} (C2fAttn) was built for ${c1} input channels but receives ${channels(e, x)}`);
  const c = Math.trunc(c2 * ex);
  const text = worldText(e);
  const h = conv(e, x, `${path}.cv1`, c1, 2 * c, 1, 1);
  const ys = [...e.b.inModule({ path }, () => e.b.chunk(h, 2, 1, `${path}.chunk`))];
  for (let i = 0; i < n; i++) ys.push(bottleneck(e, ys[ys.length - 1], `${path}.m.${i}`, c, c, shortcut, g, [3, 3], 1.0));
  ys.push(maxSigmoidAttn(e, ys[ys.length - 1], text, `${path}.attn`, c, nh, ec));
  const cat = e.b.inModule({ path }, () => e.b.cat(ys, 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv2`, (3 + n) * c, c2, 1);
}

export function emitWorldModule(e: Emitter, type: string, a: ArgValue[], x: number, p: string): number | null {
  if (type !== 'C2fAttn') return null;
  const num = (i: number) => a[i] as number;
  return c2fAttn(e, x, p, num(0), num(1), num(2), num(3), num(4), num(5), a[6] as boolean, num(7), num(8));
}

/** WorldDetect(nc, embed, with_bn, ch) training forward; nc text prompts. */
export function worldDetect(e: Emitter, xs: number[], path: string, nc: number, embed: number, withBn: boolean, ch: number[]): HeadInfo {
  if (!withBn) throw new LayerError(`${path} (WorldDetect): the plain ContrastiveHead (with_bn False, YOLO-World v1) is not modelled`);
  const b = e.b;
  const B = b.batch;
  const text = worldText(e);
  const c2 = Math.max(16, Math.floor(ch[0] / 4), REG_MAX * 4);
  const c3 = Math.max(ch[0], Math.min(nc, 100));
  const levels = xs.map((x, i) => {
    if (channels(e, x) !== ch[i]) throw new LayerError(`${path} level ${i} was built for ${ch[i]} channels but receives ${channels(e, x)}`);
    const bp = `${path}.cv2.${i}`;
    const by = conv(e, conv(e, x, `${bp}.0`, ch[i], c2, 3), `${bp}.1`, c2, c2, 3);
    const box = b.inModule({ path: `${bp}.2` }, () => b.conv2d(by, 4 * REG_MAX, { k: 1, bias: true, name: `${bp}.2` }));
    const cp = `${path}.cv3.${i}`;
    const cy = conv(e, conv(e, x, `${cp}.0`, ch[i], c3, 3), `${cp}.1`, c3, c3, 3);
    const emb = b.inModule({ path: `${cp}.2` }, () => b.conv2d(cy, embed, { k: 1, bias: true, name: `${cp}.2` }));
    const hp = `${path}.cv4.${i}`;
    const cls = b.inModule({ path: hp }, () => {
      const [, , h, w] = b.shape(emb);
      const nx = b.batchnorm(emb, `${hp}.norm`);
      // F.normalize of the (gradient-free) text: a new tensor per level, kept by the matmul
      const wn = b.constant([B, nc, embed], 'float32', `${hp}.normalize`);
      const m = b.matmul(wn, b.reshape(nx, [B, embed, h * w], `${hp}.flatten`), `${hp}.matmul`);
      const scale = b.constant([], 'float32', `${hp}.logit_scale_exp`);
      b.tensors[scale].requiresGrad = true;
      const lp = b.ops[b.ops.length - 1];
      lp.params = lp.trainableParams = 2; // logit_scale and bias
      const s = b.binary('mul', b.reshape(m, [B, nc, h, w], `${hp}.view`), scale, 'mul', `${hp}.mul`);
      return b.scale(s, 'add', `${hp}.bias`);
    });
    return b.inModule({ path }, () => b.cat([box, cls], 1, `${path}.cat`));
  });
  void text;
  // the frozen DFL conv: counted in the size, inference-only (as heads.ts does for Detect)
  b.inModule({ path: `${path}.dfl` }, () =>
    b.inferenceOnly(() => {
      const anchors = levels.reduce((s, l) => s + b.shape(l)[2] * b.shape(l)[3], 0);
      b.conv2d(b.constant([B, REG_MAX, 4, anchors], 'float32', `${path}.dfl.input`), 1, { k: 1, bias: false, trainable: false, name: `${path}.dfl.conv` });
    }),
  );
  const h = b.imgsz[0];
  return { style: 'v8', task: 'detect', nc, regMax: REG_MAX, strides: levels.map((l) => h / b.shape(l)[2]), levels, anchorsPerCell: 1, extraChannels: 0 };
}
