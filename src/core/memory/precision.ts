// Element types of every tensor under plain fp32 training or CUDA automatic mixed precision.
//
// Under `torch.autocast('cuda', torch.float16)` (what Ultralytics' trainer wraps forward + loss in),
// each op either runs in fp16 (its fp32 floating inputs are cast to new fp16 copies), runs in fp32
// (fp16 inputs cast up), or runs in the widest floating type of its inputs. The op lists below are
// PyTorch's CUDA autocast lists (aten/src/ATen/autocast_mode.cpp, "lower_precision_fp" and "fp32"
// policies); ops not listed keep their input type, e.g. BatchNorm via cuDNN keeps fp16 activations
// with fp32 statistics, SiLU/add/cat/max_pool/upsample run in their input's type.

import type { DType, OpKind, TrainGraph } from '../graph/types';

export type Precision = 'fp32' | 'amp';

/** Ops autocast runs in fp16: their fp32 inputs (activations and weights) are cast to fp16 copies. */
export const AUTOCAST_FP16_OPS: ReadonlySet<OpKind> = new Set<OpKind>(['conv2d', 'conv_transpose2d', 'linear', 'matmul']);

/** Ops autocast runs in fp32 (softmax, log_softmax, BCE-with-logits, sums): fp16 inputs are cast up. */
export const AUTOCAST_FP32_OPS: ReadonlySet<OpKind> = new Set<OpKind>(['softmax', 'log_softmax', 'bce_with_logits', 'reduce', 'pow', 'layer_norm']);

const FLOATS: ReadonlySet<DType> = new Set<DType>(['float32', 'float16', 'bfloat16', 'float64']);

export function isFloat(d: DType): boolean {
  return FLOATS.has(d);
}

/**
 * The dtype of every tensor under the given precision (index = tensor id). In fp32 it is the
 * graph's own dtype. Under AMP it follows the autocast policy op by op, in graph order; tensors
 * created outside autocast (the image batch, loss targets) keep their type.
 */
export function tensorDtypes(graph: TrainGraph, precision: Precision): DType[] {
  const dtypes = graph.tensors.map((t) => t.dtype);
  if (precision === 'fp32') return dtypes;
  for (const op of graph.ops) {
    if (op.inferenceOnly || op.kind === 'input') continue;
    let out: DType | null;
    if (AUTOCAST_FP16_OPS.has(op.kind)) out = 'float16';
    else if (AUTOCAST_FP32_OPS.has(op.kind)) out = 'float32';
    else out = widestFloat(op.inputs.map((i) => dtypes[i]));
    for (const o of op.outputs) {
      if (out && isFloat(graph.tensors[o].dtype)) dtypes[o] = out;
    }
  }
  // A view has its base's element type.
  for (const t of graph.tensors) if (t.storage !== t.id) dtypes[t.id] = dtypes[t.storage];
  return dtypes;
}

function widestFloat(ds: DType[]): DType | null {
  let best: DType | null = null;
  for (const d of ds) {
    if (!isFloat(d)) continue;
    if (best === null || bytesOf(d) > bytesOf(best)) best = d;
  }
  return best;
}

function bytesOf(d: DType): number {
  return d === 'float64' ? 8 : d === 'float32' ? 4 : 2;
}
