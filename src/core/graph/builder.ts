// Builds a TrainGraph op by op. Each method is one ATen-level op with its shape rule, its
// parameter count and its FLOPs; what each op saves for backward lives in memory/saved.ts.
// Both the YAML architectures and the ONNX converter emit ops through this one builder, so the
// two sources of a model cannot drift apart in how an op is counted.

import type { DType, Group, HeadInfo, ModuleRef, OpKind, Task, TensorInfo, TrainGraph, TrainOp } from './types';

export class GraphError extends Error {}

/** Work that grows with the graph (shape checks, the saved-tensor pass, the allocator replay, each
 *  repeated for every batch size the estimator tries) stops here instead of running for minutes:
 *  a chain of 100,000 ONNX nodes took 122 s and 3.7 GiB. The largest built-in training graph
 *  (yolo11x-seg with its loss) has under 1,000 ops; this is five times any real detector and keeps the worst case (a 5,000-op chain: 9 s on 2 busy cores) within the worker's 10 s request timeout. */
export const MAX_GRAPH_OPS = 5_000;

/** A graph over MAX_GRAPH_OPS; callers prefix the model's name. */
export class GraphTooLargeError extends GraphError {
  override readonly name = 'GraphTooLargeError';
}

const NO_MODULE: ModuleRef = { index: null, path: '', type: '', group: 'other' };

/** Output size of a convolution or pooling window along one axis (PyTorch's formula). */
export function convOut(size: number, k: number, s: number, p: number, d = 1, ceil = false): number {
  const eff = d * (k - 1) + 1;
  const v = (size + 2 * p - eff) / s + 1;
  return ceil ? Math.ceil(v) : Math.floor(v);
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export class GraphBuilder {
  readonly tensors: TensorInfo[] = [];
  readonly ops: TrainOp[] = [];
  private readonly contiguous: boolean[] = [];
  private module: ModuleRef = NO_MODULE;
  private opNamePrefix = '';
  head: HeadInfo | null = null;
  backboneEnd: number | null = null;
  readonly notes: string[] = [];
  input = -1;

  constructor(
    readonly name: string,
    readonly source: string,
    readonly task: Task,
    readonly batch: number,
    readonly imgsz: [number, number],
    readonly channels = 3,
  ) {}

  // ---- module scope ----------------------------------------------------------------------

  /** Runs `fn` with every op it emits attributed to the given module. Nested calls extend the path. */
  inModule<T>(ref: { index?: number | null; path: string; type?: string; group?: Group }, fn: () => T): T {
    const saved = this.module;
    const savedPrefix = this.opNamePrefix;
    this.module = {
      index: ref.index !== undefined ? ref.index : saved.index,
      path: ref.path,
      type: ref.type ?? saved.type,
      group: ref.group ?? saved.group,
    };
    this.opNamePrefix = ref.path;
    try {
      return fn();
    } finally {
      this.module = saved;
      this.opNamePrefix = savedPrefix;
    }
  }

  get currentModule(): ModuleRef {
    return this.module;
  }

  // ---- tensors ---------------------------------------------------------------------------

  shape(t: number): number[] {
    return this.tensors[t].shape;
  }

  private newTensor(shape: number[], dtype: DType, requiresGrad: boolean, viewOf?: number): number {
    for (const d of shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new GraphError(`invalid dimension ${d} in shape [${shape.join(', ')}]`);
    }
    const id = this.tensors.length;
    const storage = viewOf === undefined ? id : this.tensors[viewOf].storage;
    this.tensors.push({ id, shape, dtype, storage, requiresGrad });
    this.contiguous.push(viewOf === undefined);
    return id;
  }

  private emit(
    kind: OpKind,
    source: string,
    inputs: number[],
    outputs: number[],
    extra: Partial<Pick<TrainOp, 'params' | 'trainableParams' | 'buffers' | 'flops' | 'attrs' | 'inferenceOnly' | 'note' | 'name'>> = {},
  ): TrainOp {
    const op: TrainOp = {
      index: this.ops.length,
      name: extra.name ?? `${this.opNamePrefix || 'graph'}:${source}${this.ops.length}`,
      kind,
      source,
      module: this.module,
      inputs,
      outputs,
      params: extra.params ?? 0,
      trainableParams: extra.trainableParams ?? extra.params ?? 0,
      buffers: extra.buffers ?? 0,
      flops: extra.flops ?? 0,
      attrs: extra.attrs ?? {},
    };
    if (extra.inferenceOnly) op.inferenceOnly = true;
    if (extra.note) op.note = extra.note;
    if (this.ops.length >= MAX_GRAPH_OPS) throw new GraphTooLargeError(`model too large to analyse (more than ${MAX_GRAPH_OPS} ops in one training step)`);
    this.ops.push(op);
    return op;
  }

  private grad(...ts: number[]): boolean {
    return ts.some((t) => this.tensors[t].requiresGrad);
  }

  // ---- ops -------------------------------------------------------------------------------

  /** The image batch: float32 [batch, channels, h, w], created by the data loader (not by the step). */
  addInput(): number {
    const [h, w] = this.imgsz;
    this.input = this.newTensor([this.batch, this.channels, h, w], 'float32', false);
    this.emit('input', 'images', [], [this.input], { name: 'images' });
    return this.input;
  }

  conv2d(
    x: number,
    cout: number,
    opts: { k: number | [number, number]; s?: number | [number, number]; p?: number | [number, number]; d?: number; g?: number; bias?: boolean; trainable?: boolean; name?: string; source?: string },
  ): number {
    const [n, cin, h, w] = this.shape(x);
    const [kh, kw] = pair(opts.k);
    const [sh, sw] = pair(opts.s ?? 1);
    const [ph, pw] = pair(opts.p ?? autopad(opts.k, opts.d ?? 1));
    const d = opts.d ?? 1;
    const g = opts.g ?? 1;
    if (cin % g !== 0 || cout % g !== 0) throw new GraphError(`conv groups ${g} do not divide channels ${cin}->${cout}`);
    const oh = convOut(h, kh, sh, ph, d);
    const ow = convOut(w, kw, sw, pw, d);
    const weight = cout * (cin / g) * kh * kw;
    const params = weight + (opts.bias ? cout : 0);
    const out = this.newTensor([n, cout, oh, ow], 'float32', true);
    this.emit('conv2d', opts.source ?? 'Conv2d', [x], [out], {
      name: opts.name,
      params,
      trainableParams: opts.trainable === false ? 0 : params,
      flops: 2 * n * cout * oh * ow * (cin / g) * kh * kw,
      attrs: { bias: !!opts.bias, weight, k: [kh, kw], s: [sh, sw], groups: g },
    });
    return out;
  }

  convTranspose2d(x: number, cout: number, opts: { k: number; s: number; p?: number; bias?: boolean; name?: string }): number {
    const [n, cin, h, w] = this.shape(x);
    const p = opts.p ?? 0;
    const oh = (h - 1) * opts.s - 2 * p + opts.k;
    const ow = (w - 1) * opts.s - 2 * p + opts.k;
    const weight = cin * cout * opts.k * opts.k;
    const params = weight + (opts.bias ? cout : 0);
    const out = this.newTensor([n, cout, oh, ow], 'float32', true);
    this.emit('conv_transpose2d', 'ConvTranspose2d', [x], [out], {
      name: opts.name,
      params,
      flops: 2 * n * cin * h * w * cout * opts.k * opts.k,
      attrs: { bias: !!opts.bias, weight },
    });
    return out;
  }

  /** BatchNorm2d in training mode: 2C parameters, 2C running stats plus num_batches_tracked. */
  batchnorm(x: number, name?: string): number {
    const s = this.shape(x);
    const c = s[1];
    const out = this.newTensor([...s], 'float32', this.grad(x));
    this.emit('batchnorm', 'BatchNorm2d', [x], [out], { name, params: 2 * c, buffers: 2 * c + 1, attrs: { channels: c } });
    return out;
  }

  /** Element-wise activation (SiLU, Sigmoid, ReLU, ...). */
  act(kind: 'silu' | 'sigmoid' | 'relu' | 'leaky_relu' | 'hardswish' | 'hardsigmoid' | 'gelu' | 'tanh' | 'pow', x: number, source?: string, name?: string): number {
    const out = this.newTensor([...this.shape(x)], this.tensors[x].dtype, this.grad(x));
    this.emit(kind, source ?? kind, [x], [out], { name });
    return out;
  }

  /** Binary element-wise op with broadcasting. */
  binary(kind: 'add' | 'sub' | 'mul' | 'div', a: number, b: number, source?: string, name?: string): number {
    const out = this.newTensor(broadcast(this.shape(a), this.shape(b)), this.tensors[a].dtype, this.grad(a, b));
    this.emit(kind, source ?? kind, [a, b], [out], { name, flops: numel(this.shape(out)) });
    return out;
  }

  /** Multiply or divide by a Python scalar (no tensor saved). */
  scale(x: number, source = 'mul', name?: string): number {
    const out = this.newTensor([...this.shape(x)], this.tensors[x].dtype, this.grad(x));
    this.emit('scale', source, [x], [out], { name });
    return out;
  }

  cat(xs: number[], dim = 1, name?: string): number {
    if (xs.length === 0) throw new GraphError('cat of no tensors');
    const first = this.shape(xs[0]);
    const d = dim < 0 ? first.length + dim : dim;
    const shape = [...first];
    shape[d] = 0;
    for (const x of xs) {
      const s = this.shape(x);
      if (s.length !== first.length) throw new GraphError(`cat of tensors of rank ${first.length} and ${s.length}`);
      for (let i = 0; i < s.length; i++) {
        if (i !== d && s[i] !== first[i]) throw new GraphError(`cat shapes [${first}] and [${s}] differ on axis ${i}`);
      }
      shape[d] += s[d];
    }
    const out = this.newTensor(shape, this.tensors[xs[0]].dtype, this.grad(...xs));
    this.emit('cat', 'cat', xs, [out], { name, attrs: { dim: d } });
    return out;
  }

  /** split / chunk along `dim`: views of x. */
  split(x: number, sizes: number[], dim = 1, name?: string): number[] {
    const s = this.shape(x);
    const d = dim < 0 ? s.length + dim : dim;
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== s[d]) throw new GraphError(`split sizes ${sizes} do not add up to ${s[d]}`);
    const outs = sizes.map((sz) => {
      const shape = [...s];
      shape[d] = sz;
      const t = this.newTensor(shape, this.tensors[x].dtype, this.grad(x), x);
      this.contiguous[t] = d === 0 || s.slice(0, d).every((v) => v === 1);
      return t;
    });
    this.emit('view', 'split', [x], outs, { name, attrs: { dim: d } });
    return outs;
  }

  chunk(x: number, chunks: number, dim = 1, name?: string): number[] {
    const c = this.shape(x)[dim < 0 ? this.shape(x).length + dim : dim];
    const each = Math.ceil(c / chunks);
    const sizes: number[] = [];
    for (let left = c; left > 0; left -= each) sizes.push(Math.min(each, left));
    return this.split(x, sizes, dim, name);
  }

  /** view/reshape/flatten: a view when the input is contiguous, otherwise a copy (as torch.reshape does). */
  reshape(x: number, shape: number[], name?: string): number {
    const s = this.shape(x);
    const resolved = resolveReshape(s, shape);
    if (this.contiguous[x]) {
      const out = this.newTensor(resolved, this.tensors[x].dtype, this.grad(x), x);
      this.emit('view', 'view', [x], [out], { name });
      return out;
    }
    const out = this.newTensor(resolved, this.tensors[x].dtype, this.grad(x));
    this.emit('copy', 'reshape', [x], [out], { name });
    return out;
  }

  /** permute/transpose: always a (non-contiguous) view. */
  permute(x: number, perm: number[], name?: string): number {
    const s = this.shape(x);
    const out = this.newTensor(perm.map((p) => s[p]), this.tensors[x].dtype, this.grad(x), x);
    // contiguous when the axes longer than 1 keep their order (PyTorch ignores size-1 axes' strides,
    // e.g. a (1, L, E) tensor transposed to (L, 1, E) is still contiguous)
    const moved = perm.filter((p) => s[p] !== 1);
    this.contiguous[out] = this.contiguous[x] && moved.every((p, i) => i === 0 || p > moved[i - 1]);
    this.emit('view', 'permute', [x], [out], { name });
    return out;
  }

  /** .detach(): a view of the same storage that autograd does not trace back through (the end-to-end
   *  heads' one-to-one branch reads detached features, so no gradient reaches the backbone from it). */
  detach(x: number, name?: string): number {
    const out = this.newTensor([...this.shape(x)], this.tensors[x].dtype, false, x);
    this.contiguous[out] = this.contiguous[x];
    this.emit('view', 'detach', [x], [out], { name });
    return out;
  }

  /** .contiguous(): a copy when the input is a non-contiguous view, otherwise a no-op view. */
  contiguousCopy(x: number, name?: string): number {
    if (this.contiguous[x]) return x;
    const out = this.newTensor([...this.shape(x)], this.tensors[x].dtype, this.grad(x));
    this.emit('copy', 'contiguous', [x], [out], { name });
    return out;
  }

  /** Advanced-indexing gather (x[i, j]) producing `shape`: a new tensor; its int64 indices are
   *  accounted by the caller (several gathers often share them). */
  gather(x: number, shape: number[], name?: string): number {
    const out = this.newTensor(shape, this.tensors[x].dtype, this.grad(x));
    this.emit('copy', 'index', [x], [out], { name });
    return out;
  }

  /** Zero padding (nn.ZeroPad2d / constant_pad_nd), [left, right, top, bottom]: a new tensor that
   *  saves nothing for backward, so it is recorded as a copy. */
  pad(x: number, lrtb: [number, number, number, number], name?: string): number {
    const [n, c, h, w] = this.shape(x);
    const [l, r, t, b] = lrtb;
    const out = this.newTensor([n, c, h + t + b, w + l + r], this.tensors[x].dtype, this.grad(x));
    this.emit('copy', 'constant_pad_nd', [x], [out], { name, attrs: { pad: lrtb } });
    return out;
  }

  maxpool2d(x: number, k: number, s: number, p: number, name?: string, ceil = false): number {
    const [n, c, h, w] = this.shape(x);
    const out = this.newTensor([n, c, convOut(h, k, s, p, 1, ceil), convOut(w, k, s, p, 1, ceil)], this.tensors[x].dtype, this.grad(x));
    this.emit('maxpool2d', 'MaxPool2d', [x], [out], { name, attrs: { k, s, p } });
    return out;
  }

  avgpool2d(x: number, k: number, s: number, p: number, name?: string): number {
    const [n, c, h, w] = this.shape(x);
    const out = this.newTensor([n, c, convOut(h, k, s, p), convOut(w, k, s, p)], this.tensors[x].dtype, this.grad(x));
    this.emit('avgpool2d', 'AvgPool2d', [x], [out], { name, attrs: { k, s, p } });
    return out;
  }

  adaptiveAvgPool2d(x: number, size: [number, number] = [1, 1], name?: string): number {
    const [n, c] = this.shape(x);
    const out = this.newTensor([n, c, size[0], size[1]], this.tensors[x].dtype, this.grad(x));
    this.emit('adaptive_avgpool2d', 'AdaptiveAvgPool2d', [x], [out], { name });
    return out;
  }

  upsample(x: number, scale: number | [number, number], mode: 'nearest' | 'bilinear' = 'nearest', name?: string): number {
    const [n, c, h, w] = this.shape(x);
    const [sh, sw] = pair(scale);
    const out = this.newTensor([n, c, Math.floor(h * sh), Math.floor(w * sw)], this.tensors[x].dtype, this.grad(x));
    this.emit(mode === 'nearest' ? 'upsample_nearest' : 'upsample_bilinear', 'Upsample', [x], [out], { name, attrs: { mode } });
    return out;
  }

  /** Batched matrix multiply of the last two axes (torch.matmul / @). */
  matmul(a: number, b: number, name?: string): number {
    const sa = this.shape(a);
    const sb = this.shape(b);
    if (sa[sa.length - 1] !== sb[sb.length - 2]) throw new GraphError(`matmul shapes [${sa}] and [${sb}] do not align`);
    const batchShape = broadcast(sa.slice(0, -2), sb.slice(0, -2));
    const m = sa[sa.length - 2];
    const k = sa[sa.length - 1];
    const nn = sb[sb.length - 1];
    const out = this.newTensor([...batchShape, m, nn], this.tensors[a].dtype, this.grad(a, b));
    this.emit('matmul', 'matmul', [a, b], [out], { name, flops: 2 * numel(batchShape) * m * k * nn });
    return out;
  }

  linear(x: number, out: number, bias = true, name?: string): number {
    const s = this.shape(x);
    const cin = s[s.length - 1];
    const params = cin * out + (bias ? out : 0);
    const y = this.newTensor([...s.slice(0, -1), out], 'float32', true);
    this.emit('linear', 'Linear', [x], [y], { name, params, flops: 2 * numel(s.slice(0, -1)) * cin * out, attrs: { bias, weight: cin * out } });
    return y;
  }

  softmax(x: number, dim: number, log = false, name?: string): number {
    const out = this.newTensor([...this.shape(x)], this.tensors[x].dtype, this.grad(x));
    this.emit(log ? 'log_softmax' : 'softmax', log ? 'log_softmax' : 'softmax', [x], [out], { name, attrs: { dim } });
    return out;
  }

  /** nn.LayerNorm over the last axis (elementwise affine): 2 x C parameters. */
  layerNorm(x: number, name?: string): number {
    const s = this.shape(x);
    const c = s[s.length - 1];
    const out = this.newTensor([...s], this.tensors[x].dtype, true);
    this.emit('layer_norm', 'LayerNorm', [x], [out], { name, params: 2 * c, attrs: { rows: numel(s) / c } });
    return out;
  }

  /** F.grid_sample(input (N, C, H, W), grid (N, Ho, Wo, 2)) -> (N, C, Ho, Wo). */
  gridSample(x: number, grid: number, name?: string): number {
    const [n, c] = this.shape(x);
    const [gn, ho, wo, two] = this.shape(grid);
    if (gn !== n || two !== 2) throw new GraphError(`grid_sample input [${this.shape(x)}] and grid [${this.shape(grid)}] do not match`);
    const out = this.newTensor([n, c, ho, wo], this.tensors[x].dtype, this.grad(x, grid));
    this.emit('grid_sample', 'grid_sample', [x, grid], [out], { name });
    return out;
  }

  dropout(x: number, p: number, name?: string): number {
    // torch's dropout returns its input unchanged when p == 0 (Ultralytics' Classify default).
    if (p === 0) return x;
    const out = this.newTensor([...this.shape(x)], this.tensors[x].dtype, this.grad(x));
    this.emit('dropout', 'Dropout', [x], [out], { name, attrs: { p } });
    return out;
  }

  /** A tensor created outside autograd (targets, assigner outputs, anchor grids): never requires grad. */
  /** A learnable tensor used directly in the forward (e.g. A2C2f's gamma): counted as parameters;
   *  like any parameter, saving it for backward costs no new memory. */
  parameter(shape: number[], name: string): number {
    const out = this.newTensor(shape, 'float32', true);
    this.emit('constant', name, [], [out], { name, params: numel(shape), attrs: { parameter: true } });
    return out;
  }

  constant(shape: number[], dtype: DType, name: string): number {
    const out = this.newTensor(shape, dtype, false);
    this.emit('constant', name, [], [out], { name });
    return out;
  }

  /** Binary cross-entropy with logits, reduction 'none' (elementwise output). */
  bceWithLogits(x: number, target: number, name?: string): number {
    const out = this.newTensor([...this.shape(x)], 'float32', this.grad(x, target));
    this.emit('bce_with_logits', 'binary_cross_entropy_with_logits', [x, target], [out], { name });
    return out;
  }

  /** sum / mean over some axes to `shape` (a scalar by default). */
  reduce(x: number, shape: number[] = [], name?: string): number {
    const out = this.newTensor(shape, 'float32', this.grad(x));
    this.emit('reduce', 'sum', [x], [out], { name });
    return out;
  }

  /** Advanced indexing x[mask] (or x[idx]) selecting `rows` rows: a gather that saves the index tensor. */
  index(x: number, idx: number, rows: number, name?: string): number {
    const s = this.shape(x);
    const maskDims = this.shape(idx).length;
    const out = this.newTensor([rows, ...s.slice(this.tensors[idx].dtype === 'bool' ? maskDims : 1)], this.tensors[x].dtype, this.grad(x));
    this.emit('index', 'index', [x, idx], [out], { name });
    return out;
  }

  /** A run of small ops whose saved tensors are summarised by element counts (see memory/saved.ts). */
  lossTerms(inputs: number[], savedFloat32: number, savedInt64: number, source: string, name?: string, savedAutocast = 0): number {
    const out = this.newTensor([], 'float32', this.grad(...inputs));
    this.emit('loss_terms', source, inputs, [out], { name, attrs: savedAutocast ? { savedFloat32, savedInt64, savedAutocast } : { savedFloat32, savedInt64 } });
    return out;
  }

  /** An op the builder cannot model: recorded with its reason, output shapes as given. */
  unsupported(source: string, inputs: number[], outShapes: number[][], note: string, name?: string): number[] {
    const outs = outShapes.map((s) => this.newTensor(s, 'float32', this.grad(...inputs)));
    this.emit('unsupported', source, inputs, outs, { name, note });
    return outs;
  }

  /** Marks every op emitted by `fn` as inference-only (present in an export, absent in training). */
  inferenceOnly<T>(fn: () => T): T {
    const start = this.ops.length;
    const r = fn();
    for (let i = start; i < this.ops.length; i++) this.ops[i].inferenceOnly = true;
    return r;
  }

  /** Lets callers that emit many ops of one source (the ONNX converter) set the next op's name. */
  named<T>(name: string, fn: () => T): T {
    const start = this.ops.length;
    const r = fn();
    for (let i = start; i < this.ops.length; i++) this.ops[i].name = i === start ? name : `${name}#${i - start}`;
    return r;
  }

  /** Continues a finished graph (to append the loss). Views are taken as non-contiguous, which only
   *  makes a later reshape of them a copy, the conservative choice. */
  static from(graph: TrainGraph): GraphBuilder {
    const b = new GraphBuilder(graph.name, graph.source, graph.task, graph.batch, graph.imgsz, graph.channels);
    for (const t of graph.tensors) {
      b.tensors.push({ ...t, shape: [...t.shape] });
      b.contiguous.push(t.storage === t.id);
    }
    for (const op of graph.ops) b.ops.push(op);
    b.input = graph.input;
    b.head = graph.head;
    b.backboneEnd = graph.backboneEnd;
    b.notes.push(...graph.notes);
    return b;
  }

  finish(): TrainGraph {
    if (this.input < 0) throw new GraphError('graph has no input');
    return {
      name: this.name,
      source: this.source,
      task: this.task,
      batch: this.batch,
      imgsz: this.imgsz,
      channels: this.channels,
      tensors: this.tensors,
      ops: this.ops,
      input: this.input,
      head: this.head,
      backboneEnd: this.backboneEnd,
      notes: this.notes,
    };
  }
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/** Ultralytics' autopad: 'same' padding for odd kernels. */
export function autopad(k: number | [number, number], d = 1): [number, number] {
  const [kh, kw] = pair(k);
  const eh = d > 1 ? d * (kh - 1) + 1 : kh;
  const ew = d > 1 ? d * (kw - 1) + 1 : kw;
  return [Math.floor(eh / 2), Math.floor(ew / 2)];
}

export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new GraphError(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

function resolveReshape(from: number[], to: number[]): number[] {
  const total = numel(from);
  const known = to.filter((d) => d !== -1);
  const prod = numel(known);
  const out = to.map((d) => (d === -1 ? total / (prod || 1) : d));
  if (numel(out) !== total || out.some((d) => !Number.isInteger(d))) {
    throw new GraphError(`cannot reshape [${from}] to [${to}]`);
  }
  return out;
}
