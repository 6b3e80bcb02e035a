// RT-DETR's loss (ultralytics/models/utils/loss.py RTDETRDetectionLoss / DETRLoss and
// ultralytics/nn/tasks.py RTDETRDetectionModel.loss, 8.4.x) as ops appended to the training graph:
//   - the decoder's outputs are split into denoising and matching queries; the encoder's top-k boxes and
//     scores are concatenated in front of the decoder's (ndl + 1 prediction sets, a new tensor each for
//     boxes and scores)
//   - every set is matched to the ground truth by HungarianMatcher under no_grad (cost matrices of
//     B*nq x total GT on the device, then scipy's linear_sum_assignment on the CPU): nothing saved
//   - per set, VarifocalLoss over (B, nq, nc): sigmoid (keeps its output), alpha * p^gamma * (1 - label)
//     (the int64 one-hot's 1 - label is kept by the mul), BCE-with-logits in fp32 (keeps the logits'
//     storage and the IoU-weighted target), times the weight (keeps both)
//   - per set, L1 and GIoU on the matched pairs (gathers keep int64 indices; bbox_iou's intermediate
//     tensors are kept per pair)
//   - the denoising sets (one per decoder layer) are matched by construction (get_dn_match_indices):
//     the same terms over (B, ndn, nc) with num_group pairs per GT box.
// Under optimizer=auto RT-DETR follows the same rule as the YOLO trainers (RTDETRTrainer does not
// override build_optimizer), so nothing optimizer-specific is added here.

import type { GraphBuilder } from '../graph/builder';
import type { HeadInfo } from '../graph/types';

/** Floats kept per matched (prediction, GT) pair by L1 + GIoU (bbox_iou with GIoU=True, xywh): the
 *  xywh -> corner halves, the intersection and union operands, the enclosing box, the divisions.
 *  Counted from ultralytics/utils/metrics.py bbox_iou: about 30 (n, 1)-shaped tensors. */
export const GIOU_L1_SAVED_FLOATS_PER_PAIR = 30;

export function emitDetrLoss(b: GraphBuilder, head: HeadInfo, objectsPerImage: number): void {
  const d = head.detr!;
  const [decBoxes, decScores, encBoxes, encScores] = head.levels;
  const B = b.batch;
  const nc = head.nc;
  const nq = d.queries;
  const ndn = d.denoisingQueries;
  const L = d.decoderLayers;
  const gt = Math.max(0, Math.min(objectsPerImage, nq));
  const setsOf = (t: number, enc: number, last: number) => {
    const [dn, main] = ndn > 0 ? b.split(t, [ndn, nq], 2) : [null, t];
    const cat = b.cat([b.reshape(enc, [1, B, nq, last]), main], 0);
    return { dn, cat };
  };
  const scores = setsOf(decScores, encScores, nc);
  setsOf(decBoxes, encBoxes, 4);
  const classTerms = (set: number, pairs: number) => {
    const n = b.shape(set).reduce((x, y) => x * y, 1);
    b.act('sigmoid', set, 'sigmoid');
    const target = b.constant([...b.shape(set)], 'float32', 'gt_score * one_hot');
    b.bceWithLogits(set, target, 'binary_cross_entropy_with_logits');
    // bce output and weight kept by their product; the int64 (1 - label) kept by the weight's mul;
    // the matched pairs' box terms and gather indices
    b.lossTerms([set], 2 * n + GIOU_L1_SAVED_FLOATS_PER_PAIR * pairs, n + 3 * pairs, 'VarifocalLoss, L1, GIoU');
  };
  // (sets are views of the concatenated / stacked outputs, so BCE keeps those storages once)
  for (const set of b.split(scores.cat, Array.from({ length: L + 1 }, () => 1), 0)) classTerms(set, B * gt);
  if (scores.dn !== null) {
    // the denoising queries were built for d.gtPerImage boxes per image, num_group copies of each
    const perImage = Math.min(d.gtPerImage, 100);
    const groups = Math.floor(ndn / (2 * perImage));
    for (const set of b.split(scores.dn, Array.from({ length: L }, () => 1), 0)) classTerms(set, B * perImage * groups);
  }
}
