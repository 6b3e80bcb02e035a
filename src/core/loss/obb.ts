// v8OBBLoss's rotated-box terms (ultralytics/utils/loss.py, utils/tal.py, utils/metrics.py; 8.3.x).
//
//  bbox_decode   DFL decode as for detection, then dist2rbox on every anchor (B, A):
//                cos(angle), sin(angle) keep the angle (B, A, 1); xf, yf = ((rb - lt) / 2).split(1),
//                and xf*cos - yf*sin, xf*sin + yf*cos keep (rb - lt) / 2 (B, A, 2) and cos, sin
//                (B, A, 1) each; adds and cats keep nothing. All in the head's type (fp16 under AMP:
//                cos and sin are on none of autocast's lists). pred_bboxes = cat(xy, lt + rb, angle).
//  assigner      RotatedTaskAlignedAssigner: its dense (B, boxes, A) work is no larger than
//                TaskAlignedAssigner's (docs/memory-model.md §3 counts both), so the detection
//                assigner's temporaries (memory/estimate.ts assignerTensors) bound it unchanged.
//  RotatedBboxLoss  probiou(pred_bboxes[fg], target_bboxes[fg]) replaces CIoU on the positive
//                anchors; the DFL term is the detection one (bbox2dist of the xyxy of the target).

import type { GraphBuilder } from '../graph/builder';
import type { HeadInfo } from '../graph/types';

/** Small (n, 1) float tensors saved per positive anchor by probiou(pred, target) with only the
 *  prediction needing a gradient, plus the loss's `* weight` (utils/metrics.py, 8.3.x), counted op by
 *  op with PyTorch's rules (a mul/div operand is kept only when the other operand needs a gradient):
 *  _get_covariance_matrix(pred) 14 (pow keeps the (n, 5) prediction, cos keeps gbbs (n, 3), cos**2,
 *  sin**2, a*cos2, b*sin2, (a-b)*cos, *sin), t1 11, t2 9, t3 12 (incl. the in-place clamp_'s copy of its
 *  input), clamp + exp + sqrt 3, weight 1. fp32: the covariance terms are cat'ed with the pow's fp32
 *  result, which promotes the rest; under AMP the first pow keeps an fp32 copy of (n, 2) instead of
 *  the (n, 5) prediction, so 50 is an upper bound there. */
export const PROBIOU_SAVED_FLOATS_PER_POSITIVE = 50;

/** dist2rbox + the angle: decoded rotated boxes (B, A, 5) from the DFL distances (B, A, 4). */
export function decodeRotatedBoxes(b: GraphBuilder, head: HeadInfo, dist: number, anchorPoints: number): number {
  const B = b.batch;
  const A = b.shape(dist)[1];
  const ne = b.shape(head.angle!)[1];
  // (B, ne, A).permute(0, 2, 1).contiguous(): with ne == 1 the permuted tensor is already contiguous
  // (a size-1 axis has no stride to honour), so torch returns it as is
  const angle = ne === 1 ? b.reshape(head.angle!, [B, A, 1]) : b.contiguousCopy(b.permute(head.angle!, [0, 2, 1]));
  const [lt, rb] = b.chunk(dist, 2, -1);
  // cos/sin save their input. The builder's elementwise op that saves its input and exists in the
  // loss vocabulary is 'pow' (also what an ONNX Sqrt becomes); it runs in fp32 under autocast, so under
  // AMP cos and sin are counted at 4 bytes where PyTorch keeps 2: +4 bytes per anchor, an upper bound.
  const cos = b.act('pow', angle, 'cos', 'cos');
  const sin = b.act('pow', angle, 'sin', 'sin');
  const [xf, yf] = b.split(b.scale(b.binary('sub', rb, lt), 'div'), [1, 1], 2);
  const x = b.binary('sub', b.binary('mul', xf, cos), b.binary('mul', yf, sin));
  const y = b.binary('add', b.binary('mul', xf, sin), b.binary('mul', yf, cos));
  const xy = b.binary('add', b.cat([x, y], -1), anchorPoints);
  const rbox = b.cat([xy, b.binary('add', lt, rb)], -1);
  return b.cat([rbox, angle], -1);
}
