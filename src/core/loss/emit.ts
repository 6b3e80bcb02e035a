// The training loss as ops appended to the training graph, so the same saved-for-backward rules
// (and the same autocast policy) apply to it as to the model's layers.
//
// Followed op by op from the frameworks' code:
//  - Ultralytics v8DetectionLoss (utils/loss.py, 8.3.x): level outputs viewed and concatenated to
//    (B, 4*reg_max + nc, A), split, permuted and made contiguous; DFL decode = softmax over reg_max
//    bins then a matmul with the bin indices; TaskAlignedAssigner under no_grad; BCE-with-logits on
//    the class scores against the assigner's target_scores; CIoU and DFL on the positive anchors.
//  - v8SegmentationLoss adds, per positive anchor, a mask logit map (coefficients @ prototypes) and
//    BCE against the ground-truth mask at the prototype resolution (imgsz/4), then a crop.
//  - v8PoseLoss adds the decoded keypoints and, on the positive anchors, the OKS keypoint loss and
//    the keypoint-visibility BCE (pose.ts).
//  - v8OBBLoss decodes rotated boxes on every anchor (dist2rbox) and replaces CIoU by probiou on the
//    positive anchors (obb.ts).
//  - YOLOv5 v7.0 ComputeLoss: BCE on every objectness logit (a view of the level output, so the
//    whole level output is kept) plus small per-target box and class terms.
//  - Classify: cross-entropy (log_softmax + nll) over (B, nc).
//  - RT-DETR: Hungarian-matched VarifocalLoss, L1 and GIoU per decoder layer and denoising group (detr.ts).
// The number of positive anchors is bounded by objects x topk (10) per image: the assigner picks the
// top 10 anchors per box and drops duplicates, so this is an upper bound that holds with equality
// when boxes do not compete for anchors.

import type { GraphBuilder } from '../graph/builder';
import type { HeadInfo } from '../graph/types';
import { emitDetrLoss } from './detr';
import { PROBIOU_SAVED_FLOATS_PER_POSITIVE, decodeRotatedBoxes } from './obb';
import { decodeKeypoints, emitKeypointLoss } from './pose';

/** TaskAlignedAssigner's topk in Ultralytics' v8DetectionLoss. */
export const ASSIGNER_TOPK = 10;
/** Small float tensors saved per positive anchor by bbox_iou(CIoU=True) and the IoU loss weighting:
 *  ~40 (n, 1) tensors (minimum/maximum/clamp/mul/div/pow/atan operands) counted from utils/metrics.py. */
export const CIOU_SAVED_FLOATS_PER_POSITIVE = 40;
/** Distribution Focal Loss per positive anchor: two log_softmax outputs over (4, reg_max) bins plus the
 *  interpolation weights (2 x 4) and the IoU weight; int64 targets (2 x 4). */
export function dflSavedPerPositive(regMax: number): { floats: number; int64s: number } {
  return { floats: 2 * 4 * regMax + 2 * 4 + 1, int64s: 2 * 4 };
}

/** The reg_max = 1 box loss (BboxLoss without DFL, 8.4.x): F.l1_loss saves its two (n, 4) inputs. */
export const L1_SAVED_FLOATS_PER_POSITIVE = 8;

/** What the label assigner picked in one branch, when known (a measured step): replaces the
 *  upper bounds the loss otherwise assumes. */
export interface AssignedCounts {
  /** Positive anchors over the batch (fg_mask.sum()). */
  positives: number;
  /** Pose26: keypoint rows the RLE flow ran on (visible keypoints of the positives). */
  keypoint_rows?: number;
}

export interface LossOptions {
  /** Ground-truth boxes per image (max over the batch sets the assigner's tensor sizes). */
  objectsPerImage: number;
  /** Measured assignment per branch (one-to-many first, then one-to-one); by default the upper
   *  bound min(B x A, B x objects x topk) and every keypoint visible. */
  assigned?: AssignedCounts[];
  /** Real boxes per image averaged over the batch (default objectsPerImage): the positive anchors
   *  are topk per real box, not per padded slot, so the loss terms on them follow this count. */
  positivesPerImage?: number;
}

/** E2ELoss (utils/loss.py, 8.4.x): the one-to-one branch's assigner keeps topk 7 candidates, then
 *  topk2 = 1 anchor per object, so it has at most one positive per object. */
export const ONE2ONE_TOPK = 1;

export function emitLoss(b: GraphBuilder, head: HeadInfo, opts: LossOptions): void {
  b.inModule({ index: null, path: 'loss', type: 'loss', group: 'loss' }, () => {
    if (head.style === 'classify') return emitClassifyLoss(b, head);
    if (head.style === 'v5') return emitV5Loss(b, head, opts);
    if (head.style === 'detr') return emitDetrLoss(b, head, opts.objectsPerImage);
    emitV8Loss(b, head, opts, ASSIGNER_TOPK, opts.assigned?.[0]);
    // end-to-end heads: E2ELoss runs the same criterion on the one-to-one branch with its own
    // assignment; both losses are summed (weighted) before one backward
    if (head.one2one) emitV8Loss(b, head.one2one, opts, ONE2ONE_TOPK, opts.assigned?.[1]);
  });
}

/** Anchor points of an anchor-free head: one per grid cell of every level. */
export function anchorCount(b: GraphBuilder, head: HeadInfo): number {
  let a = 0;
  for (const l of head.levels) {
    const s = b.shape(l);
    a += s.length === 5 ? s[1] * s[2] * s[3] : s[2] * s[3];
  }
  return a;
}

function emitV8Loss(b: GraphBuilder, head: HeadInfo, opts: LossOptions, topk: number, assigned?: AssignedCounts): void {
  const B = b.batch;
  const regMax = head.regMax;
  const nc = head.nc;
  const no = 4 * regMax + nc;
  const A = anchorCount(b, head);
  const views = head.levels.map((x) => b.reshape(x, [B, no, -1]));
  const feats = b.cat(views, 2);
  const [pd, ps] = b.split(feats, [4 * regMax, nc], 1);
  const scores = b.contiguousCopy(b.permute(ps, [0, 2, 1]));
  const distri = b.contiguousCopy(b.permute(pd, [0, 2, 1]));
  // pose and OBB read the head's extra output; a head without it (an ONNX export) keeps the detection terms
  const pose = head.task === 'pose' && head.keypoints !== undefined && head.kptShape?.length === 2;
  const obb = head.task === 'obb' && head.angle !== undefined;
  if ((head.task === 'pose' && !pose) || (head.task === 'obb' && !obb)) {
    b.notes.push(`the ${head.task} loss's extra terms are not modelled (the head's ${head.task === 'pose' ? 'keypoints' : 'angles'} are unknown): its detection terms only`);
  }

  // bbox_decode: softmax over the reg_max bins, then matmul with the bin indices (proj); with
  // reg_max 1 (YOLO26, no DFL) the 4 channels are the distances themselves
  let dist = distri;
  if (regMax > 1) {
    const bins = b.reshape(distri, [B, A, 4, regMax]);
    const probs = b.softmax(bins, 3);
    const proj = b.constant([regMax, 1], 'float32', 'proj');
    dist = b.reshape(b.matmul(probs, proj), [B, A, 4]);
  }
  const anchors = b.constant([A, 2], 'float32', 'anchor_points');
  const boxes = obb ? decodeRotatedBoxes(b, head, dist, anchors) : xyxyBoxes(b, dist, anchors);
  const keypoints = pose ? decodeKeypoints(b, head, A) : null;

  // assigner outputs (no grad): target_scores (B, A, nc), fg_mask (B, A)
  const targetScores = b.constant([B, A, nc], 'float32', 'target_scores');
  // the TaskAlignedAssigner runs here (no_grad): memory/step.ts allocates its transient peak at this op
  b.ops[b.ops.length - 1].attrs.assigner = true;
  const fgMask = b.constant([B, A], 'bool', 'fg_mask');
  const gtIdx = pose ? b.constant([B, A], 'int64', 'target_gt_idx') : null;
  b.reduce(b.bceWithLogits(scores, targetScores));

  const positives = assigned ? assigned.positives : Math.min(B * A, B * Math.min(opts.positivesPerImage ?? opts.objectsPerImage, opts.objectsPerImage) * topk);
  if (positives > 0) {
    const posBoxes = b.index(boxes, fgMask, positives);
    if (obb) b.lossTerms([posBoxes], positives * PROBIOU_SAVED_FLOATS_PER_POSITIVE, 0, 'probiou');
    else b.lossTerms([posBoxes], positives * CIOU_SAVED_FLOATS_PER_POSITIVE, 0, 'bbox_iou(CIoU)');
    if (regMax > 1) {
      const posDist = b.index(distri, fgMask, positives);
      const dfl = dflSavedPerPositive(regMax);
      b.lossTerms([posDist], positives * dfl.floats, positives * dfl.int64s, 'DFL');
    } else {
      // BboxLoss without DFL: pred_dist * stride (a full (B, A, 4) copy; the stride is saved, not
      // the prediction), in-place divisions by the image size, then L1 on the positives, which
      // saves both (n, 4) operands
      const scaled = b.binary('mul', distri, b.constant([A, 1], 'float32', 'stride_tensor'));
      const posDist = b.index(scaled, fgMask, positives);
      b.lossTerms([posDist], positives * L1_SAVED_FLOATS_PER_POSITIVE, 0, 'L1 (reg_max 1)');
    }
  }
  if (keypoints !== null && gtIdx !== null && positives > 0) {
    emitKeypointLoss(b, head, keypoints, fgMask, gtIdx, positives, opts.objectsPerImage, assigned?.keypoint_rows);
  }

  if (head.task === 'segment' && head.proto !== undefined && head.maskCoefficients !== undefined && positives > 0) {
    emitMaskLoss(b, head, fgMask, positives);
  }
}

/** dist2bbox(xywh=False): anchor -/+ the left-top and right-bottom distances, nothing saved. */
function xyxyBoxes(b: GraphBuilder, dist: number, anchors: number): number {
  const [lt, rb] = b.chunk(dist, 2, -1);
  return b.cat([b.binary('sub', anchors, lt), b.binary('add', anchors, rb)], -1);
}

/** v8SegmentationLoss.single_mask_loss: per image, coefficients of its positive anchors @ that image's
 *  prototypes, BCE against the ground-truth masks at prototype resolution, then a crop to the box. */
function emitMaskLoss(b: GraphBuilder, head: HeadInfo, fgMask: number, positives: number): void {
  const B = b.batch;
  const [, nm, mh, mw] = b.shape(head.proto!);
  const mc = b.contiguousCopy(b.permute(head.maskCoefficients!, [0, 2, 1]));
  const coeff = b.index(mc, fgMask, positives);
  const protoFlat = b.reshape(head.proto!, [B, nm, mh * mw]);
  // proto[i] is a view: autograd keeps the whole prototype tensor once, whatever the image count
  const proto0 = b.reshape(b.split(protoFlat, B > 1 ? [1, B - 1] : [1], 0)[0], [nm, mh * mw]);
  const logits = b.matmul(coeff, proto0);
  const gt = b.constant([positives, mh * mw], 'float32', 'gt_mask');
  const loss = b.bceWithLogits(logits, gt);
  const crop = b.constant([positives, mh * mw], 'bool', 'crop_mask');
  b.reduce(b.binary('mul', loss, crop));
}

function emitV5Loss(b: GraphBuilder, head: HeadInfo, opts: LossOptions): void {
  const B = b.batch;
  // build_targets: each target is matched to up to 3 anchors x 3 cells (itself and 2 neighbours)
  // targets are the batch's real boxes, one flat (n, 6) list: no padding to the densest image
  const targetsPerLevel = B * (opts.positivesPerImage ?? opts.objectsPerImage) * head.anchorsPerCell * 3;
  for (const level of head.levels) {
    const s = b.shape(level); // (B, na, ny, nx, no)
    const no = s[4];
    const [, obj] = b.split(level, [4, 1, no - 5], 4).slice(0, 2);
    const tobj = b.constant(s.slice(0, 4), 'float32', 'tobj');
    b.reduce(b.bceWithLogits(obj, tobj));
    if (targetsPerLevel > 0) {
      // pi[b, a, gj, gi]: four index tensors pick (n, no) rows of the level output
      const idx = b.constant([targetsPerLevel], 'int64', 'indices');
      const rows = b.reshape(level, [-1, no]);
      const picked = b.index(rows, idx, targetsPerLevel);
      // sigmoid/pow on xy, wh; CIoU; class BCE on (n, nc) logits against (n, nc) targets
      b.lossTerms([picked], targetsPerLevel * (CIOU_SAVED_FLOATS_PER_POSITIVE + 8 + 2 * (no - 5)), 3 * targetsPerLevel, 'box/cls terms');
    }
  }
}

function emitClassifyLoss(b: GraphBuilder, head: HeadInfo): void {
  const logits = head.levels[0];
  b.softmax(logits, 1, true);
  b.constant([b.batch], 'int64', 'labels');
}
