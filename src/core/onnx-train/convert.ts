// ONNX inference graph -> training graph.
//
// An exported YOLO model is an inference graph: BatchNorm folded into the preceding Conv (which
// gained a bias), SiLU written as Sigmoid * x, and the head's post-processing (DFL decode, anchor
// grid, sigmoid of the scores) appended. Training runs something else, and it is the training
// graph whose saved tensors cost memory. So:
//   - a Conv that belonged to an Ultralytics/YOLOv5 `Conv` block (its node scope ends in `/conv/Conv`)
//     is emitted as Conv2d(bias=False) -> BatchNorm2d, unless the graph still has the BatchNorm;
//   - Sigmoid(x) followed by Mul(x, Sigmoid(x)) is one SiLU op (it saves x once, not x and sigmoid);
//   - the head's training outputs are found (per-level Concat of the box and class convs for the
//     anchor-free heads, the Reshape -> Transpose of each level for YOLOv5), and every node of the
//     head module computed from them is marked inference-only: present in the file, absent in training;
//   - shape-computing subgraphs (Shape, Gather, Range, ...) are not tensors of the training step.
// Everything else maps op for op; an op with no rule becomes an explicit `unsupported` op, with
// its real output shape from shape inference, and the rest of the graph is still analysed.

import { GraphBuilder, GraphError, GraphTooLargeError } from '../graph/builder';
import type { HeadInfo, Task, TrainGraph } from '../graph/types';
import type { OnnxModel, OnnxNode } from '../onnx/types';
import { ultralyticsModule } from '../shape/modules';

/** What shape inference knows about a tensor name at the requested batch / image size. */
export interface ShapeFacts {
  shape(name: string): number[] | null;
  /** Values of small constant tensors (shape subgraph results, initializers, Constant nodes). */
  value(name: string): number[] | null;
}

export interface ConvertOptions {
  batch: number;
  imgsz: [number, number];
  facts: ShapeFacts;
  pruneRatio?: number;
}

const SHAPE_OPS = new Set(['Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Range', 'ConstantOfShape', 'Constant', 'Cast', 'Equal', 'Where', 'Expand', 'Floor', 'Ceil', 'ReduceProd', 'Size']);

export function convertOnnx(model: OnnxModel, opts: ConvertOptions): TrainGraph {
  const g = model.graph;
  const meta = model.ultralytics;
  const task = (['detect', 'segment', 'pose', 'obb', 'classify'].includes(meta?.task ?? '') ? meta!.task : 'detect') as Task;
  const initNames = new Set(g.initializers.map((t) => t.name));
  const initByName = new Map(g.initializers.map((t) => [t.name, t]));
  const producer = new Map<string, number>();
  g.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.set(o, i)));
  const consumers = new Map<string, number[]>();
  // push, not copy: copying the list per use is quadratic in a tensor's consumer count
  g.nodes.forEach((n, i) =>
    n.inputs.forEach((x) => {
      const users = consumers.get(x);
      if (users) users.push(i);
      else consumers.set(x, [i]);
    }),
  );
  const nodeModule = g.nodes.map((n) => {
    const m = ultralyticsModule(n.name);
    return m ? { index: m.index as number | null, path: m.path } : { index: null as number | null, path: '' };
  });

  // the image input: the first graph input that is not an initializer
  const imageInput = g.inputs.find((v) => !initNames.has(v.name));
  if (!imageInput) throw new GraphError(`${model.file}: the graph has no image input`);
  const inShape = opts.facts.shape(imageInput.name);
  const channels = inShape?.[1] ?? 3;
  const b = new GraphBuilder(model.file.replace(/\.onnx$/i, ''), 'onnx', task, opts.batch, opts.imgsz, channels);
  const tensorOf = new Map<string, number>();
  try {
    tensorOf.set(imageInput.name, b.addInput());
  } catch (e) {
    // e.g. a static input of 2^63 pixels used as the image size
    if (e instanceof GraphError) throw new GraphError(`${model.file}: input '${imageInput.name}': ${e.message}`);
    throw e;
  }

  // ---- head: find the training outputs of the last module and mark what follows as inference-only ----
  // a loop, not Math.max(...spread): a spread of ~100k+ nodes overflows the call stack
  const headIndex = nodeModule.reduce((max, m) => Math.max(max, m.index ?? -1), -1);
  const inHead = (i: number) => headIndex >= 0 && nodeModule[i].index === headIndex;
  const isConv = (name: string) => {
    const p = producer.get(name);
    return p !== undefined && g.nodes[p].opType === 'Conv';
  };
  const viaReshape = (name: string) => {
    const p = producer.get(name);
    return p !== undefined && g.nodes[p].opType === 'Reshape' && isConv(g.nodes[p].inputs[0]);
  };
  const levelNodes: number[] = [];
  const extraNodes: number[] = []; // mask coefficients / keypoints / angles: Concat of reshaped convs
  let v5Levels: number[] = [];
  g.nodes.forEach((n, i) => {
    if (!inHead(i)) return;
    if (n.opType === 'Concat' && n.inputs.length === 2 && n.inputs.every(isConv)) levelNodes.push(i);
    else if (n.opType === 'Concat' && n.inputs.length >= 2 && n.inputs.every(viaReshape)) extraNodes.push(i);
  });
  if (levelNodes.length === 0) {
    // YOLOv5 v7.0: conv -> Reshape(bs, na, no, ny, nx) -> Transpose(0, 1, 3, 4, 2)
    v5Levels = g.nodes.map((n, i) => (inHead(i) && n.opType === 'Transpose' && viaReshape(n.inputs[0]) ? i : -1)).filter((i) => i >= 0);
  }
  const trainingOutputs = new Set([...levelNodes, ...extraNodes, ...v5Levels]);
  const inferenceOnly = new Set<number>();
  if (trainingOutputs.size) {
    const stack = [...trainingOutputs].flatMap((i) => g.nodes[i].outputs.flatMap((o) => consumers.get(o) ?? []));
    while (stack.length) {
      const i = stack.pop()!;
      if (inferenceOnly.has(i) || trainingOutputs.has(i)) continue;
      inferenceOnly.add(i);
      for (const o of g.nodes[i].outputs) for (const c of consumers.get(o) ?? []) stack.push(c);
    }
    // the DFL conv and other head nodes that only feed inference-only nodes
    g.nodes.forEach((n, i) => {
      if (inHead(i) && !trainingOutputs.has(i) && n.outputs.every((o) => (consumers.get(o) ?? []).every((c) => inferenceOnly.has(c))) && (consumers.get(n.outputs[0]) ?? []).length > 0) {
        inferenceOnly.add(i);
      }
    });
  }

  // ---- SiLU pattern: Sigmoid(x) consumed by Mul(x, sigmoid) ----
  const siluMul = new Map<number, string>(); // Mul node -> x
  const siluSigmoid = new Set<number>();
  g.nodes.forEach((n, i) => {
    if (n.opType !== 'Sigmoid') return;
    const x = n.inputs[0];
    const users = consumers.get(n.outputs[0]) ?? [];
    if (users.length !== 1) return;
    const m = g.nodes[users[0]];
    if (m.opType === 'Mul' && m.inputs.includes(x) && m.inputs.includes(n.outputs[0])) {
      siluMul.set(users[0], x);
      siluSigmoid.add(i);
    }
  });

  const bnFollows = (i: number) => {
    const users = consumers.get(g.nodes[i].outputs[0]) ?? [];
    return users.length === 1 && g.nodes[users[0]].opType === 'BatchNormalization';
  };
  const intAttr = (n: OnnxNode, k: string, d: number) => {
    const a = n.attributes[k];
    return a && a.type === 'int' ? a.value : d;
  };
  const intsAttr = (n: OnnxNode, k: string): number[] | null => {
    const a = n.attributes[k];
    return a && a.type === 'ints' ? a.value : null;
  };
  const value = (name: string): number[] | null => {
    const init = initByName.get(name);
    if (init?.values) return init.values;
    return opts.facts.value(name);
  };
  const input = (name: string): number | null => tensorOf.get(name) ?? null;
  const keep = 1 - (opts.pruneRatio ?? 0);

  /** x[start:end:step] along each sliced axis: a view in PyTorch (narrow, chunk, strided indexing),
   *  so it allocates and saves nothing, but its shape is what the next ops see. torch >= 2 exports
   *  `chunk` on a graph with dynamic height/width as Shape -> Gather -> Add -> Div -> Slice; where the
   *  bounds are not constants the shape inference's output shape gives each axis's length (the offset
   *  does not change memory). Channel bounds written for the file's width scale with pruning. */
  const sliceView = (n: OnnxNode, x: number): number => {
    const pick = (k: number, attrName: string) => (n.inputs[k] ? value(n.inputs[k]) : intsAttr(n, attrName));
    const starts = pick(1, 'starts');
    const ends = pick(2, 'ends');
    const axes = pick(3, 'axes') ?? starts?.map((_, k) => k) ?? null;
    const steps = (n.inputs[4] ? value(n.inputs[4]) : null) ?? starts?.map(() => 1) ?? null;
    const rank = b.shape(x).length;
    const fileIn = opts.facts.shape(n.inputs[0]);
    const fileOut = opts.facts.shape(n.outputs[0]);
    // per axis: [offset, length] in the file's dims
    const cuts = new Map<number, [number, number]>();
    if (starts && ends && axes && steps && starts.length === ends.length && axes.length === starts.length && steps.length === starts.length && fileIn) {
      axes.forEach((a, k) => {
        const axis = norm(a, rank);
        const d = fileIn[axis];
        const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
        const [from, to, step] = [clamp(starts[k]), clamp(ends[k]), steps[k]];
        const len = step > 0 ? Math.ceil(Math.max(0, to - from) / step) : Math.ceil(Math.max(0, from - to) / -step);
        cuts.set(axis, [step === 1 ? from : 0, len]);
      });
    } else if (fileIn && fileOut && fileIn.length === rank && fileOut.length === rank) {
      fileIn.forEach((d, axis) => axis > 0 && fileOut[axis] !== d && cuts.set(axis, [0, fileOut[axis]]));
    } else {
      throw new GraphError(`${model.file}: ${n.name || 'Slice'}: slice bounds and output shape unknown`);
    }
    let t = x;
    for (const [axis, [offset, fileLen]] of cuts) {
      const dim = b.shape(t)[axis];
      const scale = fileIn && fileIn[axis] !== dim ? dim / fileIn[axis] : 1;
      const from = Math.round(offset * scale);
      const len = Math.min(dim - from, Math.round(fileLen * scale));
      if (len <= 0) throw new GraphError(`${model.file}: ${n.name || 'Slice'}: empty slice along axis ${axis}`);
      if (len === dim) continue;
      const pieces = [from, len, dim - from - len];
      t = b.split(t, pieces.filter((p) => p > 0), axis)[from > 0 ? 1 : 0];
    }
    return t;
  };
  const scaled = (c: number) => (keep === 1 ? c : Math.max(8, Math.round((c * keep) / 8) * 8));

  for (const i of g.order) {
    const n = g.nodes[i];
    // shape subgraphs and constants are not tensors of the training step
    if (n.opType === 'Shape' || n.opType === 'Size' || (SHAPE_OPS.has(n.opType) && !n.inputs.some((x) => tensorOf.has(x)))) continue;
    const mod = nodeModule[i];
    const group = mod.index === null ? 'other' : mod.index === headIndex ? 'head' : 'backbone';
    const ref = { index: mod.index, path: mod.path || n.name, type: n.opType, group: group as 'head' | 'backbone' | 'other' };
    const run = () =>
      b.named(n.name || `${n.opType}_${i}`, () => {
        const xs = n.inputs.map(input);
        const x = xs[0];
        const out = (t: number | number[] | null) => {
          if (t === null) return;
          const arr = Array.isArray(t) ? t : [t];
          n.outputs.forEach((o, k) => arr[k] !== undefined && tensorOf.set(o, arr[k]));
        };
        if (siluSigmoid.has(i)) return; // folded into the Mul
        if (siluMul.has(i)) return out(b.act('silu', input(siluMul.get(i)!)!, 'Sigmoid+Mul'));
        if (x === null && n.opType !== 'Concat') return; // operates on constants only
        switch (n.opType) {
          case 'Conv': {
            const w = initByName.get(resolveIdentity(n.inputs[1]));
            const wd = w?.dims ?? opts.facts.shape(n.inputs[1]);
            if (!wd) throw new GraphError(`${model.file}: ${n.name}: Conv weight shape unknown`);
            const fusedBn = /\/conv\/Conv$/.test(n.name) && !/\/dfl\//.test(n.name) && !bnFollows(i);
            const kernel = intsAttr(n, 'kernel_shape') ?? [wd[2], wd[3]];
            const pads = intsAttr(n, 'pads') ?? [0, 0, 0, 0];
            const strides = intsAttr(n, 'strides') ?? [1, 1];
            const dil = intsAttr(n, 'dilations') ?? [1, 1];
            const groups = intAttr(n, 'group', 1);
            const cout = groups > 1 && groups === wd[0] ? scaled(wd[0]) : scaled(wd[0]);
            const gScaled = groups === 1 ? 1 : groups === wd[0] ? cout : groups;
            let y = b.conv2d(x!, cout, {
              k: [kernel[0], kernel[1]],
              s: [strides[0], strides[1]],
              p: [pads[0], pads[1]],
              d: dil[0],
              g: gScaled,
              bias: !fusedBn && n.inputs.length > 2,
              trainable: !/\/dfl\//.test(n.name),
              source: 'Conv',
            });
            if (fusedBn) y = b.batchnorm(y);
            return out(y);
          }
          case 'BatchNormalization':
            return out(b.batchnorm(x!));
          case 'Relu':
            return out(b.act('relu', x!, 'Relu'));
          case 'LeakyRelu':
            return out(b.act('leaky_relu', x!, 'LeakyRelu'));
          case 'Sigmoid':
            return out(b.act('sigmoid', x!, 'Sigmoid'));
          case 'HardSwish':
            return out(b.act('hardswish', x!, 'HardSwish'));
          case 'HardSigmoid':
            return out(b.act('hardsigmoid', x!, 'HardSigmoid'));
          case 'Tanh':
            return out(b.act('tanh', x!, 'Tanh'));
          case 'Pow':
          case 'Sqrt':
            return out(b.act('pow', x!, n.opType));
          case 'Add':
          case 'Sub':
          case 'Mul':
          case 'Div': {
            const kind = n.opType.toLowerCase() as 'add' | 'sub' | 'mul' | 'div';
            const y = xs[1];
            if (y === null || y === undefined) return out(b.scale(x!, n.opType));
            return out(b.binary(kind, x!, y, n.opType));
          }
          case 'Concat': {
            const parts = xs.filter((t): t is number => t !== null);
            if (parts.length === 0) return;
            const axis = intAttr(n, 'axis', 1);
            const rank = b.shape(parts[0]).length;
            // the builder indexes the shape by the axis: an axis of 2^31 grew a 2^31-slot array
            if (!(axis >= -rank && axis < rank)) throw new GraphError(`${model.file}: ${n.name || n.opType}: Concat axis ${axis} is out of range for rank ${rank}`);
            return out(b.cat(parts, axis));
          }
          case 'Split': {
            const axis = intAttr(n, 'axis', 0);
            const inferred = n.outputs.map((o) => opts.facts.shape(o)?.[norm(axis, b.shape(x!).length)] ?? null);
            const sizes = intsAttr(n, 'split') ?? (n.inputs[1] ? value(n.inputs[1]) : null) ?? (inferred.every((v) => v !== null) ? (inferred as number[]) : null) ?? evenSplit(b.shape(x!)[norm(axis, b.shape(x!).length)], n.outputs.length);
            const total = b.shape(x!)[norm(axis, b.shape(x!).length)];
            return out(b.split(x!, rescaleSizes(sizes, total), axis));
          }
          case 'Slice':
            return out(sliceView(n, x!));
          case 'MaxPool': {
            const k = intsAttr(n, 'kernel_shape') ?? [1, 1];
            const s = intsAttr(n, 'strides') ?? [1, 1];
            const p = intsAttr(n, 'pads') ?? [0, 0, 0, 0];
            return out(b.maxpool2d(x!, k[0], s[0], p[0], undefined, intAttr(n, 'ceil_mode', 0) === 1));
          }
          case 'AveragePool': {
            const k = intsAttr(n, 'kernel_shape') ?? [1, 1];
            const s = intsAttr(n, 'strides') ?? [1, 1];
            const p = intsAttr(n, 'pads') ?? [0, 0, 0, 0];
            return out(b.avgpool2d(x!, k[0], s[0], p[0]));
          }
          case 'GlobalAveragePool':
            return out(b.adaptiveAvgPool2d(x!));
          case 'Resize':
          case 'Upsample': {
            const s = b.shape(x!);
            const want = opts.facts.shape(n.outputs[0]);
            const scales = (n.inputs[2] && value(n.inputs[2])) || (n.inputs[1] && n.opType === 'Upsample' ? value(n.inputs[1]) : null);
            const factor: [number, number] = scales && scales.length >= 4 && scales[2] > 0 ? [scales[2], scales[3]] : want ? [want[2] / s[2], want[3] / s[3]] : [2, 2];
            const mode = n.attributes.mode?.type === 'string' && n.attributes.mode.value !== 'nearest' ? 'bilinear' : 'nearest';
            return out(b.upsample(x!, factor, mode));
          }
          case 'Reshape':
          case 'Flatten': {
            const s = b.shape(x!);
            let target = n.opType === 'Flatten' ? [s[0], -1] : rebatch(value(n.inputs[1]) ?? opts.facts.shape(n.outputs[0]), s);
            if (!target) throw new GraphError(`${model.file}: ${n.name}: Reshape target unknown`);
            target = target.map((d, k) => (d === 0 ? s[k] : d));
            if (!fitsNumel(target, s)) target = [...target.slice(0, -1), -1];
            return out(b.reshape(x!, target));
          }
          case 'Transpose': {
            const perm = intsAttr(n, 'perm') ?? b.shape(x!).map((_, k, a) => a.length - 1 - k);
            const y = b.permute(x!, perm);
            // YOLOv5's head makes each level contiguous in training (`.contiguous()` after permute)
            return out(v5Levels.includes(i) ? b.contiguousCopy(y) : y);
          }
          case 'MatMul':
          case 'Gemm': {
            const y = xs[1];
            if (y === null || y === undefined) {
              const w = initByName.get(resolveIdentity(n.inputs[1]));
              const outF = w ? (n.opType === 'Gemm' && intAttr(n, 'transB', 0) ? w.dims[0] : w.dims[w.dims.length - 1]) : 0;
              return out(b.linear(x!, outF, n.inputs.length > 2));
            }
            return out(b.matmul(x!, y));
          }
          case 'Softmax':
            return out(b.softmax(x!, intAttr(n, 'axis', -1)));
          case 'LogSoftmax':
            return out(b.softmax(x!, intAttr(n, 'axis', -1), true));
          case 'Identity':
          case 'Dropout':
            return out(x!);
          default: {
            const shapes = n.outputs.map((o) => opts.facts.shape(o));
            if (shapes.some((s) => s === null)) {
              throw new GraphError(`${model.file}: ${n.name || n.opType}: unsupported op ${n.opType} with unknown output shape`);
            }
            return out(b.unsupported(n.opType, xs.filter((t): t is number => t !== null), shapes as number[][], `no training-memory rule for ${n.opType}`));
          }
        }
      });
    if (!inferenceOnly.has(i)) {
      try {
        b.inModule(ref, run);
      } catch (e) {
        // the builder's shape errors know the tensors, not the file: say which file and node
        if (e instanceof GraphError && !e.message.startsWith(`${model.file}: `)) throw new GraphError(`${model.file}: ${n.name || n.opType}: ${e.message}`);
        throw e;
      }
      continue;
    }
    // post-processing absent from training: recorded when it can be, skipped when its shapes are
    // symbolic in ways that do not matter to the training step
    try {
      b.inferenceOnly(() => b.inModule(ref, run));
    } catch (e) {
      if (e instanceof GraphTooLargeError) throw new GraphError(`${model.file}: ${e.message}`);
      if (!(e instanceof GraphError)) throw e;
    }
  }

  // ---- groups and head info ----
  const firstResize = g.nodes.findIndex((n) => n.opType === 'Resize' || n.opType === 'Upsample');
  if (firstResize >= 0) {
    const src = producer.get(g.nodes[firstResize].inputs[0]);
    let end = src !== undefined ? nodeModule[src].index : null;
    // YOLOv5's head starts with a Conv before the first Upsample: the backbone ends at the SPP(F)
    if (end !== null && !g.nodes.some((nn, k) => nodeModule[k].index === end && nn.opType !== 'Conv' && !siluMul.has(k) && !siluSigmoid.has(k))) {
      const pool = g.nodes.findIndex((nn) => nn.opType === 'MaxPool');
      if (pool >= 0 && nodeModule[pool].index !== null && nodeModule[pool].index! < end) end = nodeModule[pool].index;
    }
    b.backboneEnd = end;
  }
  for (const op of b.ops) {
    const idx = op.module.index;
    if (idx === null) continue;
    op.module = { ...op.module, type: op.module.type, group: idx === headIndex ? 'head' : b.backboneEnd !== null && idx > b.backboneEnd ? 'neck' : 'backbone' };
  }
  b.head = headInfo(b, task, levelNodes.length ? levelNodes : v5Levels, extraNodes, g.nodes, tensorOf, meta);
  if (!b.head) b.notes.push('no YOLO head found: the loss is not modelled, only the layers');
  const unsupported = b.ops.filter((o) => o.kind === 'unsupported' && !o.inferenceOnly).map((o) => o.source);
  if (unsupported.length) b.notes.push(`unsupported ops (assumed to save their inputs): ${[...new Set(unsupported)].join(', ')}`);
  return b.finish();

  function resolveIdentity(name: string): string {
    let cur = name;
    for (let k = 0; k < 64; k++) {
      const p = producer.get(cur);
      if (p === undefined || g.nodes[p].opType !== 'Identity') return cur;
      cur = g.nodes[p].inputs[0];
    }
    return cur;
  }
}

function headInfo(
  b: GraphBuilder,
  task: Task,
  levelNodes: number[],
  extraNodes: number[],
  nodes: OnnxNode[],
  tensorOf: Map<string, number>,
  meta: OnnxModel['ultralytics'],
): HeadInfo | null {
  const levels = levelNodes.map((i) => tensorOf.get(nodes[i].outputs[0])).filter((t): t is number => t !== undefined);
  if (levels.length === 0) return null;
  const [h] = b.imgsz;
  const first = b.shape(levels[0]);
  if (first.length === 5) {
    const no = first[4];
    return { style: 'v5', task: 'detect', nc: no - 5, regMax: 0, strides: levels.map((l) => h / b.shape(l)[2]), levels, anchorsPerCell: first[1], extraChannels: 0 };
  }
  const regMax = 16;
  const names = meta?.names ? Object.keys(meta.names).length : 0;
  const nc = names || first[1] - 4 * regMax;
  const extras = extraNodes.map((i) => tensorOf.get(nodes[i].outputs[0])).filter((t): t is number => t !== undefined);
  const info: HeadInfo = {
    style: 'v8',
    task,
    nc,
    regMax,
    strides: levels.map((l) => h / b.shape(l)[2]),
    levels,
    anchorsPerCell: 1,
    extraChannels: extras.length ? b.shape(extras[0])[1] : 0,
  };
  if (task === 'segment' && extras.length) {
    info.maskCoefficients = extras[0];
    const proto = b.tensors.find((t) => t.shape.length === 4 && t.shape[1] === info.extraChannels && t.shape[2] === h / 4);
    if (proto) info.proto = proto.id;
  }
  return info;
}

function norm(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function evenSplit(total: number, parts: number): number[] {
  const each = Math.ceil(total / parts);
  return Array.from({ length: parts }, (_, k) => Math.min(each, total - each * k));
}

/** Split sizes from a static export, rescaled when pruning changed the channel count. */
function rescaleSizes(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, c) => a + c, 0);
  if (sum === total) return sizes;
  const out = sizes.map((s) => Math.round((s * total) / sum));
  out[out.length - 1] += total - out.reduce((a, c) => a + c, 0);
  return out;
}

/** Static exports bake the export batch into Reshape targets: rebind axis 0 to the current batch. */
function rebatch(target: number[] | null, input: number[]): number[] | null {
  if (!target) return null;
  if (target.length > 0 && target[0] > 0 && target[0] !== input[0] && input[0] > 0) return [input[0], ...target.slice(1)];
  return target;
}

function fitsNumel(target: number[], input: number[]): boolean {
  const total = input.reduce((a, c) => a * c, 1);
  const known = target.filter((d) => d !== -1).reduce((a, c) => a * c, 1);
  return target.includes(-1) ? total % known === 0 : known === total;
}
