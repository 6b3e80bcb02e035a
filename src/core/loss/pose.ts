// v8PoseLoss's keypoint terms (ultralytics/utils/loss.py, 8.3.x), appended to the detection loss.
//
//  before the assigner  pred_kpts.permute(0, 2, 1).contiguous() -> (B, A, nk), then kpts_decode:
//                       clone to (B, A, K, D) and in-place `*= 2.0`, `+= anchor - 0.5` on views of the
//                       clone. Copies and in-place arithmetic with a scalar or a no-grad tensor save
//                       nothing: both (B, A, ...) tensors are transient.
//  after the assigner   calculate_keypoints_loss: batched_keypoints (B, objects, K, D) fp32 gathered by
//                       target_gt_idx into selected_keypoints (B, A, K, D) fp32 (no grad, transient),
//                       then on the P positive anchors only:
//    KeypointLoss       d = (px - gx)^2 + (py - gy)^2: PowBackward keeps both (P, K) differences (fp32:
//                       an fp16 prediction minus the fp32 target promotes);
//                       e = d / ((2 sigma)^2 * (area + 1e-9) * 2): DivBackward keeps the divisor (P, K)
//                       (not d: the divisor needs no gradient); exp(-e) keeps its result (P, K). Both are
//                       float64 for the COCO shape [17, 3]: sigma is OKS_SIGMA, a float64 numpy array,
//                       which promotes the product, and autocast never casts float64. Other shapes
//                       use ones(nkpt) / nkpt, float32;
//                       (1 - exp(-e)) * kpt_mask keeps the mask (P, K): bool (gt visibility != 0), or
//                       float32 when the keypoints have no visibility (full_like(gt[..., 0], True));
//                       kpt_loss_factor.view(-1, 1) * (...) keeps the factor (P, 1) fp32.
//    visibility BCE     bce_pose(pred_kpt[..., 2], kpt_mask.float()) when D == 3: BCE-with-logits keeps
//                       its input and target. Under AMP the input is autocast's fp32 copy of the (P, K)
//                       view; in fp32 it is the view itself, which keeps the whole (P, K, 3) pred_kpt.
// P is the same upper bound as the box terms (emit.ts): objects x topk per image, at most B x A.

import type { GraphBuilder } from '../graph/builder';
import type { DType, HeadInfo } from '../graph/types';

/** RealNVP.log_prob per keypoint row (block.py 8.4.x): each of the 6 coupling layers runs the scale net
 *  (Linear 2->64, SiLU, Linear 64->64, SiLU, Linear 64->2, Tanh: saves 2 + 64 + 64 + 64 + 64 + 2) and the
 *  translation net (the same input, shared, then 64 x 4): 516 values in the autocast compute type. */
export const RLE_SAVED_AUTOCAST_PER_ROW = 6 * 516;
/** ... and per row in fp32 whatever the precision: exp(-s) and the (1 - mask)(z - t) operand (2 + 2
 *  per layer), plus the RLE terms: sigmoid(sigma), error = diff / sigma (both operands), log(sigma),
 *  log(2 sigma), |error|, z ** 2 (2 each). */
export const RLE_SAVED_FLOAT32_PER_ROW = 6 * 4 + 7 * 2;

/** Weights of RealNVP's 12 nets (Linear 2->64, 64->64, 64->2 each, biases excluded). */
export const REALNVP_WEIGHT_ELEMENTS = 12 * (2 * 64 + 64 * 64 + 64 * 2);

/** Element type of KeypointLoss's divisor and exp(-e): float64 for COCO's 17 keypoints with
 *  visibility (OKS_SIGMA is a float64 numpy array), float32 for other keypoint shapes. */
export function oksDtype(kptShape: readonly number[]): DType {
  return kptShape[0] === 17 && kptShape[1] === 3 ? 'float64' : 'float32';
}

/** kpts_decode on the head's (B, nk, A) keypoints: the decoded (B, A, K, D) tensor. */
export function decodeKeypoints(b: GraphBuilder, head: HeadInfo, anchors: number): number {
  const [K, D] = head.kptShape!;
  const flat = b.contiguousCopy(b.permute(head.keypoints!, [0, 2, 1]));
  if (head.keypointSigma !== undefined) {
    // PoseLoss26 (8.4.x): the sigmas, made contiguous the same way, are concatenated per keypoint:
    // (B, A, K, D + 2); then clone + in-place adds (nothing saved)
    const sigma = b.reshape(b.contiguousCopy(b.permute(head.keypointSigma, [0, 2, 1])), [b.batch, anchors, K, 2]);
    const both = b.cat([b.reshape(flat, [b.batch, anchors, K, D]), sigma], 3);
    return b.scale(both, 'kpts_decode');
  }
  // clone + in-place `*= 2.0` and `+= anchor_points - 0.5`: a new tensor, nothing saved
  return b.scale(b.reshape(flat, [b.batch, anchors, K, D]), 'kpts_decode');
}

/** calculate_keypoints_loss on the positive anchors. `gtIdx` is the assigner's target_gt_idx (B, A). */
export function emitKeypointLoss(b: GraphBuilder, head: HeadInfo, decoded: number, fgMask: number, gtIdx: number, positives: number, objectsPerImage: number, keypointRows?: number): void {
  const B = b.batch;
  const [K, D] = head.kptShape!;
  const A = b.shape(decoded)[1];
  const sigmas = b.shape(decoded)[3] - D; // 2 for Pose26 (RLE), else 0
  // batched_keypoints.gather(1, target_gt_idx): the same rows as indexing the flattened (B * objects)
  // keypoints with target_gt_idx + image * objects (no grad: nothing saved)
  const batched = b.constant([B * objectsPerImage, K, D], 'float32', 'batched_keypoints');
  const selected = b.reshape(b.index(batched, gtIdx, B * A, 'selected_keypoints'), [B, A, K, D]);
  const gtKpt = b.index(selected, fgMask, positives, 'gt_kpt');
  const predKpt = b.index(decoded, fgMask, positives, 'pred_kpt');

  // KeypointLoss
  const parts = b.split(predKpt, [2, ...(D === 3 ? [1] : []), ...(sigmas ? [sigmas] : [])], 2);
  const predXY = parts[0];
  const predVis = D === 3 ? parts[1] : null;
  const predSigma = sigmas ? parts[parts.length - 1] : null;
  const [gtXY] = D === 3 ? b.split(gtKpt, [2, 1], 2) : [gtKpt];
  const squares = b.act('pow', b.binary('sub', predXY, gtXY), 'pow', 'kpt_dxdy_pow');
  const d = b.reduce(squares, [positives, K], 'kpt_d');
  const oksBytes = positives * K * 2 * (oksDtype(head.kptShape!) === 'float64' ? 8 : 4);
  // the divisor and exp(-e), counted in fp32 elements (a float64 value is two)
  const oks = b.lossTerms([d], oksBytes / 4, 0, 'KeypointLoss: d / OKS scale, exp(-e)');
  const kptMask = b.constant([positives, K], D === 3 ? 'bool' : 'float32', 'kpt_mask');
  const masked = b.binary('mul', oks, kptMask);
  const factor = b.constant([positives, 1], 'float32', 'kpt_loss_factor');
  b.reduce(b.binary('mul', factor, masked));

  if (predSigma !== null) {
    // RLE loss (PoseLoss26.calculate_rle_loss): on every visible keypoint of the positives (bounded
    // by all of them) the RealNVP flow's log_prob runs 6 coupling layers of two small MLPs
    const rows = keypointRows ?? positives * K;
    const op = b.lossTerms([predXY, predSigma], rows * RLE_SAVED_FLOAT32_PER_ROW, rows, 'RLE loss (RealNVP log_prob)', undefined, rows * RLE_SAVED_AUTOCAST_PER_ROW);
    // under AMP its Linear weights are cast like the model's (measured: 104,448 bytes on yolo26n-pose)
    b.ops[b.ops.length - 1].attrs.weightCast = REALNVP_WEIGHT_ELEMENTS;
    void op;
  }
  if (predVis !== null) {
    const visTarget = b.constant([positives, K, 1], 'float32', 'kpt_mask.float()');
    b.reduce(b.bceWithLogits(predVis, visTarget));
  }
}
