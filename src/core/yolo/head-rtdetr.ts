// RTDETRDecoder's training forward (ultralytics/nn/modules/head.py, transformer.py, utils.py and
// models/utils/ops.py get_cdn_group, 8.4.x), as the ATen ops it runs when RTDETRDetectionModel.loss
// calls it with the batch's targets:
//   encoder input   input_proj[i] = Conv2d 1x1 (no bias) + BatchNorm2d per level; flatten, permute, cat
//                   -> feats (B, Lv, hd), Lv = sum of h*w over the levels
//   denoising       get_cdn_group: 2 x num_group copies (num_group = nd // max GT per image) of the GT
//                   labels and noised boxes -> ndn = 2 * num_group * maxGT queries; the label embedding
//                   is an index of denoising_class_embed (saves its int64 index) put into a zero tensor
//                   (index_put saves its two int64 indices)
//   query select    enc_output (Linear + LayerNorm) of valid_mask * feats; enc_score_head; max over
//                   classes and topk(nq) (int64 indices saved); gather of features and scores;
//                   enc_bbox_head MLP(hd, hd, 4, 3) + anchors; sigmoid
//   decoder         ndl layers over Lq = ndn + nq queries: query_pos_head MLP(4, 2hd, hd) of the
//                   reference boxes; self-attention (nn.MultiheadAttention, math path, bool mask made
//                   float); norm1; MSDeformAttn cross-attention (value_proj, sampling_offsets,
//                   attention_weights + softmax, F.grid_sample per level, weighted sum, output_proj);
//                   norm2; FFN (Linear, ReLU, Linear); norm3; per layer a bbox MLP and a score Linear;
//                   refined boxes sigmoid(bbox + inverse_sigmoid(ref)), and from layer 1 on the boxes of
//                   the previous layer's *undetached* refinement (clamp, clamp, 1 - x, clamp, div, log).
// The number of denoising queries depends on the batch's largest GT count, which the estimate assumes
// (gtPerImage); the loss reads the outputs (see loss/detr.ts).

import type { HeadInfo } from '../graph/types';
import { LayerError, type Emitter } from './blocks';
import { multiheadAttention } from './blocks-rtdetr';

export interface RtdetrArgs {
  nc: number;
  ch: number[];
  hd: number;
  nq: number;
  ndp: number;
  nh: number;
  ndl: number;
  dFfn: number;
  nd: number;
}

/** GT boxes per image the estimate assumes for RT-DETR's denoising queries when the dataset gives none. */
export const DETR_DEFAULT_GT_PER_IMAGE = 4;

/** Denoising queries get_cdn_group adds for `maxGt` boxes in the batch's fullest image (0 when none). */
export function denoisingQueries(nd: number, maxGt: number): number {
  const maxNums = Math.min(maxGt, nd);
  if (nd <= 0 || maxNums <= 0) return 0;
  return maxNums * 2 * Math.floor(nd / maxNums);
}

/** Two-or-more-layer MLP (Linear, ReLU, ..., Linear) as in ultralytics MLP. */
function mlp(e: Emitter, x: number, path: string, hidden: number, out: number, layers: number): number {
  let y = x;
  for (let i = 0; i < layers; i++) {
    const last = i === layers - 1;
    y = e.b.inModule({ path: `${path}.layers.${i}` }, () => e.b.linear(y, last ? out : hidden, true, `${path}.layers.${i}`));
    if (!last) y = e.b.inModule({ path: `${path}.act` }, () => e.b.act('relu', y, 'ReLU', `${path}.act`));
  }
  return y;
}

/** inverse_sigmoid(x) of a tensor that requires grad: clamp(0, 1), clamp(min=eps), (1 - x).clamp(min=eps),
 *  div, log; each clamp and the log keep their input, the div both operands. */
function inverseSigmoid(e: Emitter, x: number, path: string): number {
  const b = e.b;
  const c = b.act('pow', x, 'clamp', `${path}.clamp`);
  const x1 = b.act('pow', c, 'clamp', `${path}.clamp_min`);
  const x2 = b.act('pow', b.scale(c, 'rsub', `${path}.one_minus`), 'clamp', `${path}.clamp_min2`);
  return b.act('pow', b.binary('div', x1, x2, 'div', `${path}.div`), 'log', `${path}.log`);
}

export function emitRtdetrHead(e: Emitter, xs: number[], path: string, a: RtdetrArgs, gtPerImage: number): HeadInfo {
  const b = e.b;
  const B = b.batch;
  const { hd, nh, ndl, ndp, nc } = a;
  const nl = a.ch.length;
  if (xs.length !== nl) throw new LayerError(`${path}: ${xs.length} inputs for ${nl} channel counts`);
  if (hd % nh) throw new LayerError(`${path}: hidden dim ${hd} does not split into ${nh} heads`);
  const hdh = hd / nh;
  // encoder input
  const shapes: [number, number][] = [];
  const flat = xs.map((x, i) => {
    if (b.shape(x)[1] !== a.ch[i]) throw new LayerError(`${path} level ${i} was built for ${a.ch[i]} channels but receives ${b.shape(x)[1]}`);
    const p = `${path}.input_proj.${i}`;
    const y = b.inModule({ path: p }, () => b.batchnorm(b.conv2d(x, hd, { k: 1, bias: false, name: `${p}.0` }), `${p}.1`));
    const [, , h, w] = b.shape(y);
    shapes.push([h, w]);
    return b.inModule({ path }, () => b.permute(b.reshape(y, [B, hd, h * w], `${path}.flatten`), [0, 2, 1], `${path}.permute`));
  });
  const Lv = shapes.reduce((s, [h, w]) => s + h * w, 0);
  const k = Math.min(a.nq, Lv);
  const ndn = denoisingQueries(a.nd, gtPerImage);
  const Lq = ndn + k;

  return b.inModule({ path }, () => {
    const feats = b.cat(flat, 1, `${path}.feats`);
    // denoising group: label embeddings of the noised GT copies (index of the embedding weight, then
    // index_put into a zero tensor): int64 indices saved; the embedding table is a parameter
    let dnEmbed: number | null = null;
    if (ndn > 0) {
      const nGt = B * Math.min(gtPerImage, a.nd);
      const copies = 2 * Math.floor(a.nd / Math.min(gtPerImage, a.nd));
      // denoising_class_embed: an nn.Embedding(nc, hd) whose rows are looked up (index saves its int64
      // indices) and put into a zero tensor (index_put saves two more int64 index tensors)
      const table = b.inModule({ path: `${path}.denoising_class_embed` }, () => b.constant([nc, hd], 'float32', `${path}.denoising_class_embed.weight`));
      const tableOp = b.ops[b.ops.length - 1];
      b.tensors[table].requiresGrad = true; // a parameter
      tableOp.params = nc * hd;
      tableOp.trainableParams = nc * hd;
      b.lossTerms([table], 0, 3 * copies * nGt, 'index, index_put_ (denoising labels)', `${path}.dn_index`);
      dnEmbed = b.gather(table, [B, ndn, hd], `${path}.dn_embed`);
    }
    // query selection
    const mask = b.constant([1, Lv, 1], 'bool', `${path}.valid_mask`);
    const masked = b.binary('mul', feats, mask, 'mul', `${path}.valid_mask_mul`);
    const features = b.inModule({ path: `${path}.enc_output` }, () => b.layerNorm(b.linear(masked, hd, true, `${path}.enc_output.0`), `${path}.enc_output.1`));
    const scores = b.inModule({ path: `${path}.enc_score_head` }, () => b.linear(features, nc, true, `${path}.enc_score_head`));
    // max over classes (int64 indices saved), topk (int64 indices saved), gather with two int64 index
    // tensors (saved once; the scores' gather reuses them)
    // (the gather's topk_ind is a view of topk's saved indices; batch_ind is new)
    b.lossTerms([scores], 0, B * Lv + 2 * B * k, 'max, topk, index (query selection)', `${path}.topk`);
    const topFeatures = b.gather(features, [B, k, hd], `${path}.top_k_features`);
    const encScores = b.gather(scores, [B, k, nc], `${path}.enc_scores`);
    const refer = b.inModule({ path: `${path}.enc_bbox_head` }, () => mlp(e, topFeatures, `${path}.enc_bbox_head`, hd, 4, 3));
    const encBboxes = b.act('sigmoid', b.scale(refer, 'add', `${path}.add_anchors`), 'sigmoid', `${path}.enc_bboxes`);
    // decoder inputs: detached reference boxes and query embeddings
    let embed = b.constant([B, k, hd], 'float32', `${path}.embeddings_detached`);
    if (dnEmbed !== null) embed = b.cat([dnEmbed, embed], 1, `${path}.embeddings`);
    let ref = b.constant([B, Lq, 4], 'float32', `${path}.refer_bbox_sigmoid`);

    const decBoxes: number[] = [];
    const decScores: number[] = [];
    let lastRefined: number | null = null;
    for (let i = 0; i < ndl; i++) {
      const lp = `${path}.decoder.layers.${i}`;
      const start = b.ops.length;
      const pos = b.inModule({ path: `${path}.query_pos_head` }, () => mlp(e, ref, `${path}.query_pos_head`, 2 * hd, hd, 2));
      // one query_pos_head serves every layer: its parameters are counted at the first call only
      if (i > 0) for (let j = start; j < b.ops.length; j++) b.ops[j].params = b.ops[j].trainableParams = 0;
      embed = b.inModule({ path: lp }, () => {
        const q = b.binary('add', embed, pos, 'add', `${lp}.with_pos`);
        const t = (y: number, n: string) => b.permute(y, [1, 0, 2], `${lp}.${n}`);
        const sa = b.inModule({ path: `${lp}.self_attn` }, () => multiheadAttention(e, t(q, 'q_t'), t(q, 'k_t'), t(embed, 'v_t'), `${lp}.self_attn`, nh));
        const e1 = b.inModule({ path: `${lp}.norm1` }, () => b.layerNorm(b.binary('add', embed, t(sa, 'sa_t'), 'add', `${lp}.add1`), `${lp}.norm1`));
        const ca = b.inModule({ path: `${lp}.cross_attn` }, () => msDeformAttn(e, b.binary('add', e1, pos, 'add', `${lp}.with_pos2`), ref, feats, shapes, `${lp}.cross_attn`, hd, nh, hdh, nl, ndp));
        const e2 = b.inModule({ path: `${lp}.norm2` }, () => b.layerNorm(b.binary('add', e1, ca, 'add', `${lp}.add2`), `${lp}.norm2`));
        const h = b.inModule({ path: `${lp}.linear1` }, () => b.linear(e2, a.dFfn, true, `${lp}.linear1`));
        const r = b.inModule({ path: `${lp}.act` }, () => b.act('relu', h, 'ReLU', `${lp}.act`));
        const f = b.inModule({ path: `${lp}.linear2` }, () => b.linear(r, hd, true, `${lp}.linear2`));
        return b.inModule({ path: `${lp}.norm3` }, () => b.layerNorm(b.binary('add', e2, f, 'add', `${lp}.add3`), `${lp}.norm3`));
      });
      const bbox = b.inModule({ path: `${path}.dec_bbox_head.${i}` }, () => mlp(e, embed, `${path}.dec_bbox_head.${i}`, hd, 4, 3));
      // refined = sigmoid(bbox + inverse_sigmoid(ref)); ref is detached, so its inverse saves nothing
      const refined = b.act('sigmoid', b.scale(bbox, 'add', `${path}.decoder.add_ref${i}`), 'sigmoid', `${path}.decoder.refined${i}`);
      decScores.push(b.inModule({ path: `${path}.dec_score_head.${i}` }, () => b.linear(embed, nc, true, `${path}.dec_score_head.${i}`)));
      if (lastRefined === null) decBoxes.push(refined);
      else {
        const inv = inverseSigmoid(e, lastRefined, `${path}.decoder.inverse_sigmoid${i}`);
        decBoxes.push(b.act('sigmoid', b.binary('add', bbox, inv, 'add', `${path}.decoder.add_last${i}`), 'sigmoid', `${path}.decoder.boxes${i}`));
      }
      lastRefined = refined;
      ref = b.detach(refined, `${path}.decoder.refer_bbox_detached${i}`);
    }
    const stack = (ts: number[], n: string) => b.cat(ts.map((t) => b.reshape(t, [1, ...b.shape(t)], `${path}.${n}_unsqueeze`)), 0, `${path}.${n}`);
    const boxes = stack(decBoxes, 'dec_bboxes');
    const clsOut = stack(decScores, 'dec_scores');
    return {
      style: 'detr',
      task: 'detect',
      nc,
      regMax: 0,
      strides: xs.map((x) => b.imgsz[0] / b.shape(x)[2]),
      levels: [boxes, clsOut, encBboxes, encScores],
      anchorsPerCell: 0,
      extraChannels: 0,
      detr: { queries: k, denoisingQueries: ndn, decoderLayers: ndl, gtPerImage },
    };
  });
}

/** MSDeformAttn(d_model, n_levels, n_heads, n_points) with 4-value reference boxes. */
function msDeformAttn(e: Emitter, query: number, ref: number, feats: number, shapes: [number, number][], path: string, hd: number, nh: number, hdh: number, nl: number, np: number): number {
  const b = e.b;
  const [B, Lq] = b.shape(query);
  const Lv = b.shape(feats)[1];
  const P = nl * np;
  const value = b.linear(feats, hd, true, `${path}.value_proj`);
  const offsets = b.linear(query, nh * P * 2, true, `${path}.sampling_offsets`);
  const weights = b.softmax(b.reshape(b.linear(query, nh * P, true, `${path}.attention_weights`), [B, Lq, nh, P], `${path}.aw_view`), 3, false, `${path}.softmax`);
  // sampling_locations = ref[..., :2] + offsets / n_points * ref[..., 2:] * 0.5: the mul keeps the
  // (detached) reference boxes
  const off = b.reshape(offsets, [B, Lq, nh, P, 2], `${path}.offsets_view`);
  const refWh = b.reshape(ref, [B, Lq, 1, 1, 4], `${path}.ref_view`);
  const scaled = b.binary('mul', b.scale(off, 'div', `${path}.div_points`), b.split(refWh, [2, 2], 4, `${path}.ref_wh`)[1], 'mul', `${path}.mul_wh`);
  const loc = b.scale(b.scale(scaled, 'mul', `${path}.half`), 'add', `${path}.add_xy`);
  // multi_scale_deformable_attn_pytorch
  const v4 = b.reshape(value, [B, Lv, nh, hdh], `${path}.value_view`);
  const vFlat = b.contiguousCopy(b.permute(v4, [0, 2, 3, 1], `${path}.value_permute`), `${path}.value_flatten`);
  const vLevels = b.split(b.reshape(vFlat, [B * nh, hdh, Lv], `${path}.value_flat`), shapes.map(([h, w]) => h * w), 2, `${path}.value_split`);
  const grid = b.contiguousCopy(b.permute(b.scale(b.scale(loc, 'mul', `${path}.grid_2x`), 'sub', `${path}.grid_minus1`), [0, 2, 1, 3, 4], `${path}.grid_permute`), `${path}.grid_flatten`);
  const gridFlat = b.reshape(grid, [B * nh, Lq, P, 2], `${path}.grid_view`);
  const gLevels = b.split(gridFlat, Array(nl).fill(np), 2, `${path}.grid_split`);
  const sampled = shapes.map(([h, w], l) => b.gridSample(b.reshape(vLevels[l], [B * nh, hdh, h, w], `${path}.value_l`), gLevels[l], `${path}.grid_sample${l}`));
  // permute(0, 2, 1, 3).reshape(B * nh, 1, Lq, P): a copy, except at batch 1 where merging the size-1
  // batch axis with the heads is a view (the product then keeps softmax's own output)
  const awr =
    B === 1
      ? b.permute(weights, [2, 0, 1, 3], `${path}.aw_permute`)
      : b.reshape(b.contiguousCopy(b.permute(weights, [0, 2, 1, 3], `${path}.aw_permute`), `${path}.aw_reshape`), [B * nh, 1, Lq, P], `${path}.aw_view2`);
  const prod = b.binary('mul', b.cat(sampled, 3, `${path}.cat`), awr, 'mul', `${path}.weighted`);
  const summed = b.reduce(prod, [B * nh, hdh, Lq], `${path}.sum`);
  const out = b.contiguousCopy(b.permute(b.reshape(summed, [B, hd, Lq], `${path}.out_view`), [0, 2, 1], `${path}.out_t`), `${path}.out_contiguous`);
  return b.linear(out, hd, true, `${path}.output_proj`);
}
