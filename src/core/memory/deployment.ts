// What deploying the trained model costs: fused weights at fp32 / fp16 / int8 and the activations
// of one batch-1 forward pass under no_grad, where each tensor is freed after its last use.

import type { TrainGraph } from '../graph/types';
import type { Deployment } from '../result';
import { replay, traceStep } from './step';

/** Parameters after Conv+BN fusion: BatchNorm's scale is folded into the conv weight and its shift
 *  becomes the conv's bias (added only where the conv had none). */
export function fusedParams(graph: TrainGraph): number {
  let n = 0;
  for (const op of graph.ops) {
    if (op.module.group === 'loss') continue;
    // a re-parameterised branch (RepConv's 1x1 conv + BN) is folded into its sibling 3x3 kernel
    if (op.attrs.reparamFolded === true) continue;
    if (op.kind === 'batchnorm') {
      const producer = graph.ops.find((o) => o.outputs.includes(op.inputs[0]));
      const hadBias = producer?.kind === 'conv2d' && producer.attrs.bias === true;
      if (!(producer?.kind === 'conv2d')) n += op.params; // a BatchNorm that cannot be folded stays
      else if (!hadBias) n += Number(op.attrs.channels);
      continue;
    }
    n += op.params;
  }
  return n;
}

export function deploymentWhatIf(graphBatch1: TrainGraph, precision: Deployment['precision']): Deployment {
  const fused = fusedParams(graphBatch1);
  const t = traceStep(graphBatch1, { precision: precision === 'fp32' ? 'fp32' : 'amp', gradsPersist: false, assignerBytes: 0, optimizerTempBytes: 0, convWorkspace: () => 0, training: false });
  const peak = replay(t.events, 0).peak;
  // int8 engines keep activations in int8 (1 byte) where fp16 keeps 2
  const inferenceActivationBytes = precision === 'int8' ? Math.ceil(peak / 2) : peak;
  return { precision, fusedParams: fused, weightBytes: { fp32: fused * 4, fp16: fused * 2, int8: fused }, inferenceActivationBytes };
}
