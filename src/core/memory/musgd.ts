// MuSGD (ultralytics/optim/muon.py, 8.4.x), the optimizer Ultralytics' build_optimizer picks under
// optimizer=auto for long runs (more than 10,000 iterations). Its state after the first step:
//   every trainable tensor: momentum_buffer (zeros_like(p), fp32)
//   tensors in the muon group (ndim 2 or 4: conv and linear weights): also momentum_buffer_SGD
// (build_optimizer puts every 2-D/4-D parameter in the muon group; biases and BatchNorm weights get
// plain SGD with one buffer). Measured by scripts/truth/truth.py after one real step.

import type { TrainGraph } from '../graph/types';

/** Elements of the trainable matrix/filter weights (conv, transposed conv, linear). */
export function muonWeightElements(graph: TrainGraph): number[] {
  const out: number[] = [];
  for (const op of graph.ops) {
    if (op.trainableParams <= 0 || op.module.group === 'loss') continue;
    if (op.kind === 'conv2d' || op.kind === 'conv_transpose2d' || op.kind === 'linear') out.push(Number(op.attrs.weight ?? 0));
  }
  return out.filter((n) => n > 0);
}
