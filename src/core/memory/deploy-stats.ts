// What the official tables list for a model: parameters and GFLOPs at 640 of the *deployed* model,
// i.e. Ultralytics' model.fuse() in eval mode: Conv+BN folded (see fusedParams), and for end-to-end
// heads (YOLO26, YOLOv10) only the one-to-one branch kept (Detect.fuse sets the one-to-many cv2/cv3/
// cv4 to None), YOLO26's training-only parts removed (Proto26.semseg, Pose26's flow model and its
// kept branch's sigma convs). Ops the head marks `attrs.trainOnly` are those fuse() removes.

import type { TrainGraph } from '../graph/types';

/** Parameters after fuse(): BN folded into the preceding conv, train-only ops dropped. */
export function deployParams(graph: TrainGraph): number {
  const producer = new Map<number, (typeof graph.ops)[number]>();
  for (const op of graph.ops) for (const t of op.outputs) producer.set(t, op);
  let n = 0;
  for (const op of graph.ops) {
    if (op.module.group === 'loss' || op.attrs.trainOnly === true) continue;
    if (op.kind === 'batchnorm') {
      const p = producer.get(op.inputs[0]);
      if (p?.kind !== 'conv2d') n += op.params; // a BatchNorm that cannot be folded stays
      else if (p.attrs.bias !== true) n += Number(op.attrs.channels); // the folded shift becomes the bias
      continue;
    }
    n += op.params;
  }
  return n;
}

/** GFLOPs of one image through the deployed model: loss, train-only and BatchNorm ops (folded away)
 *  are not counted; the inference-only decode (DFL) is.
 *  - Default: as the official tables count (thop's per-module hooks): the explicit matmuls of the
 *    attention blocks (`q^T @ k`, `v @ attn^T` are tensor ops, not modules) are not counted. This
 *    reproduces YOLO12's table exactly (yolo12n 6.49 -> 6.5, matmuls would add 0.98).
 *  - `functional: true`: as Ultralytics 8.4.190's get_flops with ultralytics-thop 2.x, which also
 *    counts those products (what scripts/truth/truth.py records).
 *  With `imgsz`, the count is scaled from the graph's size by the pixel ratio, which is how older
 *  get_flops versions counted (on a max-stride input, so a classifier's Linear layer was counted
 *  (imgsz / 32)^2 times); the classification tables carry that. */
export function deployGflops(graphAtStride: TrainGraph, imgsz?: number | [number, number], opts: { functional?: boolean } = {}): number {
  let flops = 0;
  for (const op of graphAtStride.ops) {
    if (op.module.group === 'loss' || op.attrs.trainOnly === true || op.kind === 'batchnorm') continue;
    if (op.kind === 'matmul' && !opts.functional) continue;
    flops += op.flops;
  }
  const [h, w] = graphAtStride.imgsz;
  const [th, tw] = imgsz === undefined ? [h, w] : typeof imgsz === 'number' ? [imgsz, imgsz] : imgsz;
  return Math.round(((flops / graphAtStride.batch) * ((th * tw) / (h * w)) / 1e9) * 1000) / 1000;
}

/** Parameters of the training-time model: every branch (both heads of an end-to-end model). */
export function trainParams(graph: TrainGraph): number {
  return graph.ops.reduce((a, o) => a + (o.module.group === 'loss' ? 0 : o.params), 0);
}
