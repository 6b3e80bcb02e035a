// Activation memory: the tensors autograd saves for backward during forward + loss.
//
// Each op kind has one rule, taken from PyTorch's derivatives (tools/autograd/derivatives.yaml):
//   conv2d / linear       input (and weight, a parameter: no new memory in fp32)
//   batchnorm (training)  input, plus save_mean and save_invstd (2 x C fp32)
//   silu, leaky_relu,     input
//   hardswish, gelu, ...
//   sigmoid, relu, tanh   output
//   softmax, log_softmax  output
//   matmul                both operands
//   mul, div (tensor)     both operands
//   max_pool2d            input, plus int64 indices of the output's size
//   avg/adaptive pool     input (nothing for a 1x1 adaptive pool: ATen runs it as a mean)
//   dropout (p > 0)       a bool mask of the input's size
//   layer_norm            input, plus per-row mean and rstd (fp32)
//   grid_sample           input and grid
//   bce_with_logits       input and target
//   add, sub, cat, views, copies, nearest/bilinear upsample, scalar scaling: nothing
// A saved view keeps its whole base storage alive, so memory is counted per storage, once, and
// attributed to the first op that saves it (the same attribution the ground truth uses).
// Under AMP an fp16 op saves the fp16 *copy* of an fp32 input (a new storage per consumer, since
// autocast caches casts only for leaf tensors), and the fp16 copy of each weight once per step.

import { DTYPE_BYTES, type DType, type TrainGraph, type TrainOp } from '../graph/types';
import { numel } from '../graph/builder';
import { AUTOCAST_FP16_OPS, AUTOCAST_FP32_OPS, isFloat, tensorDtypes, type Precision } from './precision';

export type SavedCategory = 'activation' | 'input' | 'param_cast';

export interface SavedItem {
  /** Storage id when an existing tensor is saved; null for memory the op creates to save
   *  (BatchNorm statistics, max-pool indices, autocast copies). */
  storage: number | null;
  bytes: number;
  dtype: DType;
  category: SavedCategory;
  what: string;
}

export interface OpSaved {
  op: number;
  /** Bytes first saved by this op that the step creates (activations, loss tensors, indices). */
  activationBytes: number;
  /** fp16 weight copies made by autocast and saved (AMP only). */
  paramCastBytes: number;
  /** The image batch, when this op is the first to save it. */
  inputBytes: number;
  items: SavedItem[];
}

export interface SavedSummary {
  perOp: OpSaved[];
  activationBytes: number;
  paramCastBytes: number;
  inputBytes: number;
  /** Storage ids saved for backward (to know what stays alive until backward). */
  savedStorages: number[];
  dtypes: DType[];
}

/** What one op saves, before de-duplication across ops. */
function rule(op: TrainOp, graph: TrainGraph, dtypes: DType[], precision: Precision): SavedItem[] {
  const t = (id: number) => graph.tensors[id];
  const storageBytes = (id: number) => {
    const base = t(t(id).storage);
    return numel(base.shape) * DTYPE_BYTES[dtypes[base.id]];
  };
  const existing = (id: number, what: string): SavedItem => ({
    storage: t(id).storage,
    bytes: storageBytes(id),
    dtype: dtypes[t(id).storage],
    category: t(id).storage === graph.input ? 'input' : 'activation',
    what,
  });
  const fresh = (elements: number, dtype: DType, what: string, category: SavedCategory = 'activation'): SavedItem => ({
    storage: null,
    bytes: elements * DTYPE_BYTES[dtype],
    dtype,
    category,
    what,
  });
  // An input as the op sees it: under autocast, a cast copy when its type differs from the op's.
  const operand = (id: number, what: string): SavedItem => {
    if (precision === 'amp' && isFloat(dtypes[id])) {
      const want = AUTOCAST_FP16_OPS.has(op.kind) ? 'float16' : AUTOCAST_FP32_OPS.has(op.kind) ? 'float32' : null;
      if (want && dtypes[id] !== want) return fresh(numel(t(id).shape), want, `${what} (autocast copy)`);
    }
    return existing(id, what);
  };
  const weightCast = (): SavedItem[] => {
    const w = Number(op.attrs.weight ?? 0);
    return precision === 'amp' && w > 0 && AUTOCAST_FP16_OPS.has(op.kind) ? [fresh(w, 'float16', 'weight (autocast copy)', 'param_cast')] : [];
  };
  const needsGrad = op.params > 0 || op.inputs.some((i) => t(i).requiresGrad);
  if (!needsGrad || op.inferenceOnly) return [];
  const [x, y] = op.inputs;
  const out = op.outputs[0];

  switch (op.kind) {
    case 'conv2d':
    case 'conv_transpose2d':
    case 'linear':
      return [operand(x, 'input'), ...weightCast()];
    case 'batchnorm':
      return [existing(x, 'input'), fresh(2 * Number(op.attrs.channels), 'float32', 'save_mean, save_invstd')];
    case 'silu':
    case 'leaky_relu':
    case 'hardswish':
    case 'hardsigmoid':
    case 'gelu':
    case 'pow':
      return [existing(x, 'input')];
    case 'sigmoid':
    case 'relu':
    case 'tanh':
    case 'softmax':
    case 'log_softmax':
      return [existing(out, 'output')];
    case 'matmul':
    case 'mul':
    case 'div': {
      const items: SavedItem[] = [];
      // Each operand is saved only when the *other* one needs a gradient (autograd saves lazily).
      if (t(y).requiresGrad || op.kind === 'div') items.push(operand(x, 'lhs'));
      if (t(x).requiresGrad || op.kind === 'div') items.push(operand(y, 'rhs'));
      return items;
    }
    case 'maxpool2d':
      return [existing(x, 'input'), fresh(numel(t(out).shape), 'int64', 'indices')];
    case 'avgpool2d':
      return [existing(x, 'input')];
    case 'adaptive_avgpool2d': {
      // ATen's adaptive_avg_pool2d to 1x1 is input.mean((-1, -2), keepdim=True): MeanBackward keeps
      // only sizes (measured: Classify's pool adds nothing, test/data/truth/yolo26n-cls.json)
      const [, , oh, ow] = t(out).shape;
      return oh === 1 && ow === 1 ? [] : [existing(x, 'input')];
    }
    case 'dropout':
      return [fresh(numel(t(x).shape), 'bool', 'mask')];
    case 'layer_norm':
      return [operand(x, 'input'), fresh(2 * Number(op.attrs.rows), 'float32', 'mean, rstd')];
    case 'grid_sample':
      return [existing(x, 'input'), existing(y, 'grid')];
    case 'index':
      // IndexBackward keeps the index tensors (a bool mask is kept as the mask itself)
      return [existing(y, 'index')];
    case 'loss_terms':
      return [
        fresh(Number(op.attrs.savedFloat32 ?? 0), 'float32', 'small loss tensors'),
        fresh(Number(op.attrs.savedInt64 ?? 0), 'int64', 'small loss index tensors'),
        // tensors saved in the autocast compute type (e.g. Linear layers run inside the loss)
        fresh(Number(op.attrs.savedAutocast ?? 0), precision === 'amp' ? 'float16' : 'float32', 'loss tensors in the compute type'),
        // autocast copies of weights of layers run inside the loss (Pose26's flow): once, under AMP
        ...(precision === 'amp' && Number(op.attrs.weightCast ?? 0) > 0 ? [fresh(Number(op.attrs.weightCast), 'float16', 'loss layer weights (autocast copy)', 'param_cast')] : []),
      ];
    case 'bce_with_logits':
      return [operand(x, 'logits'), operand(y, 'target')];
    case 'unsupported':
      // Unknown op: assume it keeps its inputs, the common case (and never an underestimate of it).
      return op.inputs.map((i) => existing(i, 'input (assumed)'));
    default:
      return [];
  }
}

export function savedForBackward(graph: TrainGraph, precision: Precision): SavedSummary {
  const dtypes = tensorDtypes(graph, precision);
  const seen = new Set<number>();
  const castWeights = new Set<number | string>();
  const perOp: OpSaved[] = [];
  let activationBytes = 0;
  let paramCastBytes = 0;
  let inputBytes = 0;
  // parameters used directly as tensors (builder.parameter) are saved by reference: no new memory
  const paramStorages = new Set(graph.ops.filter((o) => o.attrs.parameter === true).flatMap((o) => o.outputs));
  for (const op of graph.ops) {
    const entry: OpSaved = { op: op.index, activationBytes: 0, paramCastBytes: 0, inputBytes: 0, items: [] };
    for (const item of rule(op, graph, dtypes, precision)) {
      if (item.storage !== null && paramStorages.has(item.storage)) continue;
      if (item.storage !== null) {
        if (seen.has(item.storage)) continue;
        seen.add(item.storage);
      }
      if (item.category === 'param_cast') {
        // autocast casts each weight once per forward and reuses the copy (its cast cache)
        // (a loss layer's weights, e.g. Pose26's flow run once per branch, are one cast per step too)
        const key = item.what === 'loss layer weights (autocast copy)' ? `loss:${op.source}` : op.index;
        if (castWeights.has(key)) continue;
        castWeights.add(key);
        entry.paramCastBytes += item.bytes;
      } else if (item.category === 'input') entry.inputBytes += item.bytes;
      else entry.activationBytes += item.bytes;
      entry.items.push(item);
    }
    activationBytes += entry.activationBytes;
    paramCastBytes += entry.paramCastBytes;
    inputBytes += entry.inputBytes;
    perOp.push(entry);
  }
  return { perOp, activationBytes, paramCastBytes, inputBytes, savedStorages: [...seen], dtypes };
}

/** Saved activation bytes per top-level module index ('loss' for the criterion, null if unknown). */
export function savedActivationsByModule(graph: TrainGraph, precision: Precision = 'fp32'): Map<number | 'loss' | null, number> {
  const s = savedForBackward(graph, precision);
  const out = new Map<number | 'loss' | null, number>();
  for (const e of s.perOp) {
    const op = graph.ops[e.op];
    const key = op.module.group === 'loss' ? 'loss' : op.module.index;
    out.set(key, (out.get(key) ?? 0) + e.activationBytes);
  }
  return out;
}
