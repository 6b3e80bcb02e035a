// The training graph: the one representation that both model sources (an Ultralytics/YOLOv5 YAML,
// or an exported ONNX inference graph) are turned into, and that the memory model reads.
//
// It mirrors what PyTorch autograd sees in one training step, one entry per ATen-level op
// (Conv2d, BatchNorm2d, SiLU, cat, max_pool2d, ...), because "what is saved for backward"
// is decided per op. Shapes are concrete for the graph's batch and image size; the memory
// model builds the graph at two batch sizes and reads the per-tensor linear growth from them.
//
// Everything here is plain JSON-able data: no classes, Maps or bigints.

export type DType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** Where a layer sits in a YOLO model. For Ultralytics models the backbone ends at SPPF/SPP/C2PSA
 *  (the last backbone row of the YAML), the head is the Detect/Segment/Pose/OBB/Classify module. */
export type Group = 'backbone' | 'neck' | 'head' | 'loss' | 'other';

export interface TensorInfo {
  id: number;
  /** Concrete shape at the graph's batch size and image size (NCHW for images). */
  shape: number[];
  /** Element type in plain fp32 training. The memory model derives AMP dtypes itself. */
  dtype: DType;
  /** The tensor that owns the storage. Views (split, chunk, permute, view, slice) share their base's
   *  storage, and autograd keeps the whole base storage alive when it saves a view. */
  storage: number;
  /** True for tensors that require grad (activations downstream of parameters or the input). */
  requiresGrad: boolean;
}

/** ATen-level op kinds. Each has one shape rule (graph/builder.ts) and one "saved for backward"
 *  rule (memory/saved.ts). */
export type OpKind =
  | 'input'
  | 'conv2d'
  | 'conv_transpose2d'
  | 'batchnorm'
  | 'silu'
  | 'sigmoid'
  | 'relu'
  | 'leaky_relu'
  | 'hardswish'
  | 'hardsigmoid'
  | 'gelu'
  | 'tanh'
  | 'pow' // x ** scalar, sqrt: saves its input
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'scale' // multiply or divide by a Python scalar
  | 'cat'
  | 'view' // split, chunk, view, permute, transpose, flatten of a contiguous tensor, slice
  | 'copy' // contiguous(), reshape of a non-contiguous tensor, clone
  | 'maxpool2d'
  | 'avgpool2d'
  | 'adaptive_avgpool2d'
  | 'upsample_nearest'
  | 'upsample_bilinear'
  | 'matmul'
  | 'linear'
  | 'softmax'
  | 'log_softmax'
  | 'dropout'
  | 'bce_with_logits'
  | 'reduce' // sum/mean to a small tensor
  | 'index' // x[mask] / x[indices]: saves the index tensor
  | 'constant' // a tensor made outside autograd: loss targets, assigner outputs, anchors
  | 'layer_norm' // LayerNorm over the last axis: saves its input and per-row mean and rstd
  | 'grid_sample' // F.grid_sample: saves its input and the sampling grid
  | 'loss_terms' // many tiny per-positive-anchor loss ops, summarised: attrs.savedFloat32 / savedInt64 elements
  | 'unsupported';

export interface ModuleRef {
  /** Row index of the top-level module (`model.model[i]`), or null when unknown. */
  index: number | null;
  /** Module path, e.g. "model.2.m.0.cv1" (YAML) or "/model.2/m.0/cv1" (ONNX node scope). */
  path: string;
  /** Class of the top-level module, e.g. "C2f", "Detect". */
  type: string;
  group: Group;
}

export interface TrainOp {
  index: number;
  /** Qualified name: the ONNX node name, or the module path plus the op for YAML-built graphs. */
  name: string;
  kind: OpKind;
  /** What it came from: the ONNX op type(s) ("Conv", "Sigmoid+Mul") or the torch module ("Conv2d"). */
  source: string;
  module: ModuleRef;
  inputs: number[];
  outputs: number[];
  /** Parameter elements owned by this op (weights and biases). */
  params: number;
  /** Of which trainable (Ultralytics freezes the DFL conv). */
  trainableParams: number;
  /** Buffer elements (BatchNorm running mean/var, num_batches_tracked). */
  buffers: number;
  /** Floating point operations of the forward pass, 2 x multiply-accumulates (as Ultralytics/thop report). */
  flops: number;
  /** Op-specific facts the memory rules need (e.g. channels of a BatchNorm, bias presence). */
  attrs: Record<string, number | boolean | string | number[]>;
  /** Present in an exported inference graph but not run by the training step (e.g. DFL decode). */
  inferenceOnly?: boolean;
  /** Set on `unsupported` ops: why the op could not be modelled. */
  note?: string;
}

export type Task = 'detect' | 'segment' | 'pose' | 'obb' | 'classify';

/** What the loss needs to know about the head. */
export interface HeadInfo {
  /** 'v8' = anchor-free Detect family (YOLOv5u/v8/11), 'v5' = YOLOv5 v7.0 anchor-based Detect. */
  style: 'v8' | 'v5' | 'classify' | 'detr';
  task: Task;
  nc: number;
  /** DFL bins per box side (16 for Ultralytics); 0 for anchor-based heads. */
  regMax: number;
  strides: number[];
  /** Tensor ids of the head's per-level raw outputs (what the training forward returns). */
  levels: number[];
  /** Anchors per grid cell (3 for YOLOv5, 1 for anchor-free). */
  anchorsPerCell: number;
  /** Extra per-anchor channels: mask coefficients (seg), keypoints (pose), angle (obb). */
  extraChannels: number;
  /** Prototype mask tensor (seg): (B, nm, imgsz/4, imgsz/4). */
  proto?: number;
  /** Mask coefficients the Segment head returns in training: (B, nm, anchors). */
  maskCoefficients?: number;
  /** Keypoint shape for pose, e.g. [17, 3]. */
  kptShape?: number[];
  /** Keypoints the Pose head returns in training: (B, kpt_shape[0] * kpt_shape[1], anchors). */
  keypoints?: number;
  /** Angles the OBB head returns in training, after (sigmoid - 0.25) * pi: (B, ne, anchors). */
  angle?: number;
  /** RT-DETR (style 'detr'): levels are [decoder boxes (ndl, B, Lq, 4), decoder scores (ndl, B, Lq, nc),
   *  encoder boxes (B, nq, 4), encoder scores (B, nq, nc)], Lq = denoising + nq queries. */
  detr?: { queries: number; denoisingQueries: number; decoderLayers: number; gtPerImage: number };
  /** Pose26: the keypoint sigmas its RLE loss reads, (B, 2 * keypoints, anchors). */
  keypointSigma?: number;
  /** End-to-end heads (YOLO26, YOLOv10): the one-to-one branch, trained with its own assignment and
   *  loss next to the one-to-many branch (this HeadInfo). */
  one2one?: HeadInfo;
}

export interface TrainGraph {
  name: string;
  /** 'yaml' | 'builtin' | 'onnx' */
  source: string;
  task: Task;
  batch: number;
  imgsz: [number, number];
  /** Image channels */
  channels: number;
  tensors: TensorInfo[];
  ops: TrainOp[];
  /** Tensor id of the image batch. */
  input: number;
  head: HeadInfo | null;
  /** Index of the last backbone module (for grouping), when known. */
  backboneEnd: number | null;
  /** Human-readable facts about how the graph was obtained (assumptions, fallbacks). */
  notes: string[];
}
