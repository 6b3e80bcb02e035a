// Fuzz properties shared by the CI-sized tests (test/fuzz/properties.test.ts) and the long run
// (scripts/fuzz.ts). Each takes generated input to one of the product's parsers and checks that
// only the parser's own error type escapes (never a TypeError or RangeError); the long run also
// holds each call to a time bound (enforceCallBound), the tests only report the slowest call. test/onnx/fuzz.test.ts already mutates bytes of one fixed model; here
// the models themselves are random, and the same graphs go on through shape inference and the
// ONNX-to-training-graph conversion.
import fc from 'fast-check';
import { GraphError } from '../../src/core/graph/builder';
import { isOnnxFormatError, parseOnnx } from '../../src/core/onnx/index';
import type { OnnxModel } from '../../src/core/onnx/types';
import { convertOnnx } from '../../src/core/onnx-train/convert';
import { scanScript } from '../../src/core/scripts/index';
import { inferShapes } from '../../src/core/shape/index';
import { buildGraph, parseArchYaml, resolveArch, YoloArchError } from '../../src/core/yolo/index';
import { buildModel, type AttrSpec, type ModelSpec, type NodeSpec } from '../helpers/onnx-writer';

/** Per call: a parser that takes longer than this on a small input is looping or quadratic. */
export const CALL_BOUND_MS = 2000;

/** The bound in force: none in `npm test` (time on a shared machine is not a pass/fail criterion;
 *  termination is what the tests check), CALL_BOUND_MS in the long run (scripts/fuzz.ts). */
let callBoundMs: number | null = null;
export function enforceCallBound(ms: number | null): void {
  callBoundMs = ms;
}

export interface FuzzProperty {
  name: string;
  /** fast-check property; throws (fails) on a forbidden error or an overrun. */
  property: fc.IProperty<any> | fc.IAsyncProperty<any>;
  /** The slowest call seen is reported; under enforceCallBound, slower calls are failures. */
  stats: Stats;
}

/** Calls made, the slowest, and how calls ended (ok / which error), to show the inputs reach deep. */
export interface Stats {
  calls: number;
  slowestMs: number;
  outcomes: Record<string, number>;
}

const newStats = (): Stats => ({ calls: 0, slowestMs: 0, outcomes: {} });
const count = (stats: Stats, outcome: string) => (stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1);

function timed<T>(stats: Stats, what: string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const ms = performance.now() - t0;
    stats.calls++;
    if (ms > stats.slowestMs) stats.slowestMs = ms;
    if (callBoundMs !== null && ms > callBoundMs) throw new Error(`${what} took ${ms.toFixed(0)} ms (bound ${callBoundMs} ms)`);
  }
}

function forbid(e: unknown, allowed: (e: unknown) => boolean, what: string): void {
  if (allowed(e)) {
    const m = (e as Error).message;
    if (m.includes('\n')) throw new Error(`${what}: a multi-line message: ${JSON.stringify(m)}`);
    return;
  }
  throw new Error(`${what} threw ${(e as Error)?.constructor?.name ?? typeof e}: ${(e as Error)?.stack ?? e}`);
}

// ---------------------------------------------------------------------------------------------
// Random ONNX graphs: an NCHW image input, then nodes picked from the ops a YOLO export uses (and
// a few it does not), each reading earlier tensors, with attributes that are sometimes sensible,
// sometimes negative, huge or of the wrong type.

const smallInt = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -2, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 64, 2 ** 31, -(2 ** 31), 2 ** 53) });
const ints = (min: number, max: number) => fc.array(smallInt, { minLength: min, maxLength: max });
const attr: fc.Arbitrary<AttrSpec> = fc.oneof(
  smallInt.map((i) => ({ i })),
  ints(0, 6).map((v) => ({ ints: v })),
  fc.double({ noNaN: false }).map((f) => ({ f })),
  fc.constantFrom('nearest', 'linear', 'bogus', '').map((s) => ({ s })),
);
const ATTR_NAMES = ['axis', 'kernel_shape', 'strides', 'pads', 'dilations', 'group', 'perm', 'split', 'mode', 'ceil_mode', 'transB', 'keepdims', 'axes', 'alpha'];
const OPS = ['Conv', 'Relu', 'Sigmoid', 'Mul', 'Add', 'Sub', 'Div', 'Concat', 'Split', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Resize', 'Reshape', 'Transpose', 'Slice', 'Gather', 'Shape', 'Softmax', 'MatMul', 'Gemm', 'Flatten', 'BatchNormalization', 'LeakyRelu', 'HardSwish', 'Identity', 'Unsqueeze', 'Squeeze', 'ReduceMean', 'Pow', 'Sqrt', 'Expand', 'Cast', 'ConstantOfShape', 'Range', 'TopK', 'NoSuchOp'];

interface NodePlan {
  op: string;
  picks: number[];
  attrs: [string, AttrSpec][];
  weight: boolean;
  wdims: number[];
  constInput: boolean;
  constValues: number[];
  moduleIndex: number | null;
}

const nodePlan: fc.Arbitrary<NodePlan> = fc.record({
  op: fc.constantFrom(...OPS),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  attrs: fc.array(fc.tuple(fc.constantFrom(...ATTR_NAMES), attr), { maxLength: 4 }),
  weight: fc.boolean(),
  wdims: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 0, maxLength: 5 }),
  constInput: fc.boolean(),
  constValues: fc.array(fc.integer({ min: -3, max: 70 }), { minLength: 0, maxLength: 5 }),
  moduleIndex: fc.option(fc.integer({ min: 0, max: 23 })),
});

export const onnxSpec: fc.Arbitrary<ModelSpec> = fc
  .record({
    inputShape: fc.oneof(
      fc.constant<(number | string)[]>(['batch', 3, 'height', 'width']),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom('batch', 'height', 'width', 'n')), { minLength: 0, maxLength: 5 }),
    ),
    nodes: fc.array(nodePlan, { minLength: 1, maxLength: 12 }),
    meta: fc.boolean(),
  })
  .map(({ inputShape, nodes, meta }) => {
    const tensors = ['images'];
    const initializers: NonNullable<ModelSpec['graph']['initializers']> = [];
    const specs: NodeSpec[] = nodes.map((p, i) => {
      const inputs = p.picks.map((k) => tensors[k % tensors.length]);
      if (p.weight) {
        const dims = p.op === 'Conv' && p.wdims.length !== 4 ? [4, 3, 1, 1] : p.wdims;
        const elements = dims.reduce((a, d) => a * d, 1);
        initializers.push({ name: `w${i}`, dims, zeroBytes: elements * 4 });
        inputs.splice(1, 0, `w${i}`);
      }
      if (p.constInput) {
        initializers.push({ name: `k${i}`, dtype: 'int64', dims: [p.constValues.length], values: p.constValues });
        inputs.push(`k${i}`);
      }
      const outs = p.op === 'Split' || p.op === 'TopK' ? [`t${i}a`, `t${i}b`] : [`t${i}`];
      tensors.push(...outs);
      const name = p.moduleIndex === null ? `n${i}` : `/model.${p.moduleIndex}/m/${p.op}_${i}`;
      return { op: p.op, name, inputs, outputs: outs, attrs: Object.fromEntries(p.attrs) };
    });
    return {
      metadata: meta ? { stride: '32', task: 'detect', imgsz: '[64, 64]', names: "{0: 'a'}" } : undefined,
      graph: { inputs: [{ name: 'images', shape: inputShape }], outputs: [{ name: tensors[tensors.length - 1] }], initializers, nodes: specs },
    } as ModelSpec;
  });

/** The reader on random models, then damaged at random (truncated, or a few bytes overwritten). */
export function readerProperty(): FuzzProperty {
  const stats = newStats();
  const damage = fc.oneof(fc.constant(null), fc.record({ cut: fc.nat() }), fc.record({ writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }) }));
  return {
    name: 'reader: random and damaged models -> only OnnxFormatError',
    stats,
    property: fc.property(onnxSpec, damage, (spec, d) => {
      let bytes = buildModel(spec);
      if (d && 'cut' in d) bytes = bytes.subarray(0, d.cut % (bytes.length + 1));
      else if (d) {
        bytes = bytes.slice();
        for (const [i, v] of d.writes) bytes[i % bytes.length] = v;
      }
      try {
        timed(stats, 'parseOnnx', () => parseOnnx(bytes, 'fuzz.onnx'));
        count(stats, 'ok');
      } catch (e) {
        forbid(e, isOnnxFormatError, 'parseOnnx');
        count(stats, `OnnxFormatError:${(e as { kind: string }).kind}`);
        if (!(e as Error).message.startsWith('fuzz.onnx: ')) throw new Error(`message does not name the file: ${(e as Error).message}`);
      }
    }),
  };
}

function parsed(spec: ModelSpec): OnnxModel | null {
  try {
    return parseOnnx(buildModel(spec), 'fuzz.onnx');
  } catch (e) {
    if (isOnnxFormatError(e)) return null; // duplicate outputs, cycles: the reader's to refuse
    throw e;
  }
}

const isLimitError = (e: unknown): boolean => isOnnxFormatError(e) && (e as { kind: string }).kind === 'limit' && (e as Error).message.startsWith('fuzz.onnx: ') && !(e as Error).message.includes('\n');

/** Shape inference on random graphs with random attributes: never throws, except the one-line
 *  'limit' error for an absurd node (a tensor past MAX_GROWTH, a Split contradicting its outputs),
 *  which names the file. */
export function shapeProperty(): FuzzProperty {
  const stats = newStats();
  const sizes = fc.record({ batch: fc.integer({ min: 1, max: 64 }), hw: fc.constantFrom(32, 64, 96, 640, 1) });
  return {
    name: 'shape inference: random graphs and attributes -> never throws but for a limit naming the file',
    stats,
    property: fc.property(onnxSpec, sizes, (spec, s) => {
      const m = parsed(spec);
      if (!m) return void count(stats, 'refused by the reader');
      try {
        const r = timed(stats, 'inferShapes', () => inferShapes(m, { batch: s.batch, height: s.hw, width: s.hw }));
        if (!Number.isFinite(r.flopsTotal)) throw new Error(`flopsTotal ${r.flopsTotal}`);
        count(stats, r.nodes.every((n) => n.outputs.every((o) => o.shape !== null)) ? 'every shape known' : 'some shapes unknown');
      } catch (e) {
        forbid(e, isLimitError, 'inferShapes');
        count(stats, 'refused: over a limit');
      }
    }),
  };
}

/** ONNX -> training graph on the same random graphs: only GraphError, naming the file. */
export function convertProperty(): FuzzProperty {
  const stats = newStats();
  return {
    name: 'ONNX -> training graph: random graphs -> only GraphError naming the file',
    stats,
    property: fc.property(onnxSpec, fc.integer({ min: 1, max: 32 }), fc.constantFrom(32, 64, 640), fc.constantFrom(0, 0.5), (spec, batch, hw, prune) => {
      const m = parsed(spec);
      if (!m) return void count(stats, 'refused by the reader');
      let shapes: ReturnType<typeof inferShapes>;
      try {
        shapes = inferShapes(m, { batch, height: hw, width: hw });
      } catch (e) {
        if (isLimitError(e)) return void count(stats, 'refused: over a limit');
        throw e;
      }
      try {
        timed(stats, 'convertOnnx', () =>
          convertOnnx(m, { batch, imgsz: [hw, hw], pruneRatio: prune, facts: { shape: (t) => shapes.tensors[t]?.shape ?? null, value: () => null } }),
        );
        count(stats, 'ok');
      } catch (e) {
        forbid(e, (x) => x instanceof GraphError, 'convertOnnx');
        count(stats, 'GraphError');
        if (!(e as Error).message.startsWith('fuzz.onnx: ')) throw new Error(`GraphError does not name the file: ${(e as Error).message}`);
      }
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Random model YAML row tables: real module names (and a few wrong ones) with random from/repeats
// and argument lists of mixed types.

const MODULES = ['Conv', 'DWConv', 'C2f', 'C3', 'C3k2', 'SPPF', 'SPP', 'Concat', 'nn.Upsample', 'Bottleneck', 'C2PSA', 'C2fPSA', 'Focus', 'Detect', 'Segment', 'Pose', 'OBB', 'Classify', 'Proto', 'Attention', 'PSABlock', 'C3k', 'Nope'];
const yamlArg: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -4, max: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1024, 2 ** 31, 1e12, 0.5, -0.5) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom('nc', 'nearest', 'None', 'anchors', 'x') },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }) },
);
const yamlRow = fc.tuple(
  fc.oneof({ weight: 5, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: fc.integer({ min: -6, max: 8 }) }, { weight: 2, arbitrary: fc.array(fc.integer({ min: -4, max: 8 }), { minLength: 1, maxLength: 3 }) }),
  fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 100, 101, -1, 2.5) }),
  fc.constantFrom(...MODULES),
  fc.array(yamlArg, { maxLength: 4 }),
);

/** Rows a real model would have (so most tables get through parsing into the builder). */
const channels = fc.constantFrom(16, 32, 64, 128, 256);
const plausibleRow: fc.Arbitrary<unknown[]> = fc.oneof(
  fc.tuple(channels, fc.constantFrom(1, 3), fc.constantFrom(1, 2)).map(([c, k, st]) => [-1, 1, 'Conv', [c, k, st]]),
  fc.tuple(fc.constantFrom('C2f', 'C3', 'C3k2'), fc.integer({ min: 1, max: 3 }), channels, fc.boolean()).map(([m, n, c, b]) => [-1, n, m, [c, b]]),
  channels.map((c) => [-1, 1, 'SPPF', [c, 5]]),
  fc.constant<unknown[]>([-1, 1, 'nn.Upsample', [null, 2, 'nearest']]),
  fc.constantFrom(-2, -3, 0, 1).map((j) => [[-1, j], 1, 'Concat', [1]]),
  channels.map((c) => [-1, 1, 'C2PSA', [c]]),
);

export const yamlText: fc.Arbitrary<string> = fc
  .record({
    nc: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 90 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e9) }),
    scales: fc.boolean(),
    backbone: fc.array(fc.oneof({ weight: 6, arbitrary: plausibleRow }, { weight: 1, arbitrary: yamlRow }), { minLength: 1, maxLength: 8 }),
    head: fc.array(fc.oneof({ weight: 6, arbitrary: plausibleRow }, { weight: 1, arbitrary: yamlRow }), { minLength: 0, maxLength: 5 }),
    headType: fc.constantFrom('Detect', 'Segment', 'Pose', 'OBB', 'Classify', 'Conv'),
    levels: fc.array(fc.integer({ min: -3, max: 12 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ nc, scales, backbone, head, headType, levels }) => {
    const row = (r: unknown[]) => `  - ${JSON.stringify(r)}`;
    const headArgs = headType === 'Segment' ? '[nc, 32, 64]' : headType === 'Pose' ? '[nc, [17, 3]]' : headType === 'OBB' ? '[nc, 1]' : '[nc]';
    // head inputs: mostly rows that exist (the first Conv is row 0), sometimes any index
    const rows = backbone.length + 1 + head.length;
    const from = headType === 'Classify' ? -1 : levels.map((l) => (l >= 0 && l % 4 !== 3 ? l % rows : l));
    return [
      `nc: ${nc}`,
      scales ? 'scales:\n  n: [0.33, 0.25, 1024]' : 'depth_multiple: 0.33\nwidth_multiple: 0.25',
      headType === 'Pose' ? 'kpt_shape: [17, 3]' : '',
      'backbone:',
      row([-1, 1, 'Conv', [16, 3, 2]]),
      ...backbone.map(row),
      'head:',
      ...head.map(row),
      `  - [${JSON.stringify(from)}, 1, ${headType}, ${headArgs}]`,
    ].join('\n');
  });

/** parseArchYaml -> resolveArch -> buildGraph: only YoloArchError / GraphError, never a TypeError. */
export function yamlProperty(): FuzzProperty {
  const stats = newStats();
  return {
    name: 'model YAML: random row tables -> only YoloArchError / GraphError',
    stats,
    property: fc.property(yamlText, fc.constantFrom(0, 0.5), fc.integer({ min: 1, max: 16 }), fc.constantFrom(32, 64, 320, 640), (text, prune, batch, imgsz) => {
      try {
        timed(stats, 'parse+resolve+build', () => buildGraph(resolveArch(parseArchYaml(text, 'fuzz8n.yaml'), prune), { batch, imgsz }));
        count(stats, 'ok');
      } catch (e) {
        forbid(e, (x) => x instanceof YoloArchError || x instanceof GraphError, 'YAML model');
        count(stats, (e as Error).constructor.name);
        if (e instanceof YoloArchError && !e.message.startsWith('fuzz8n.yaml: ')) throw new Error(`YoloArchError does not name the file: ${e.message}`);
      }
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Random Python-ish and shell-ish text from the tokens the script reader looks for.

const PY_TOKENS = ['model', '.train', '(', ')', '[', ']', '{', '}', 'batch', 'imgsz', '=', '16', '-1', '0.7', '640', "'yolov8n.pt'", '"coco.yaml"', ',', ':', '\n', '    ', ' ', '#', '\\', 'YOLO', 'from ultralytics import YOLO', 'def f', 'if x', 'else', 'for i in range(3)', 'lambda', '**kw', '*', 'args', 'parser.add_argument', "'--batch-size'", 'default', 'DataLoader', 'torch.hub.load', '"""', "'", '"', 'f"', '{x}', 'BATCH', 'import os', 'os.environ', 'with', 'as', 'try', 'except', 'dict(', 'update', 'None', 'True', '\t', '\r\n', '\0', 'é', '😀'];
const SH_TOKENS = ['yolo', 'train', 'detect', 'batch=', 'imgsz=', '16', '640', 'model=yolov8n.pt', 'python', 'train.py', '--batch-size', '--img', ' ', '\\\n', '\n', '"', "'", '$(', ')', '${', '}', '$BATCH', 'export', 'BATCH=8', '&&', '|', ';', '#', 'torchrun', '--nproc_per_node', '2', '`', '=', '\t'];
const fromTokens = (tokens: string[], max: number) => fc.array(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: max }).map((a) => a.join(''));

/** Random Python / shell / YAML / Markdown / notebook text for the script reader. */
export const scriptInput = (() => {
  // plausible scripts (a train call with random settings, with noise spliced in) reach the value
  // readers; token soup reaches the error paths
  const value = fc.oneof(fc.integer({ min: -5, max: 1e6 }).map(String), fc.constantFrom('BATCH', '-1', '0.7', '2**40', 'None', "'640'", '[640, 480]', 'int(os.environ["B"])', 'True', '1e309', "f'{b}'"));
  const kv = fc.tuple(fc.constantFrom('batch', 'imgsz', 'epochs', 'device', 'model', 'data', 'optimizer', 'amp', 'workers', 'cache'), value).map(([k, v]) => `${k}=${v}`);
  const plausible = fc
    .tuple(fc.array(kv, { maxLength: 6 }), fromTokens(PY_TOKENS, 6), fc.nat(), fc.constantFrom('python', 'shell') as fc.Arbitrary<'python' | 'shell'>)
    .map(([kvs, noise, at, lang]) => {
      const text = lang === 'python' ? `from ultralytics import YOLO\nBATCH = 8\nmodel = YOLO('yolov8n.pt')\nmodel.train(${kvs.join(', ')})\n` : `yolo train ${kvs.join(' ')}\n`;
      const i = at % (text.length + 1);
      return [lang, text.slice(0, i) + noise + text.slice(i)] as const;
    });
  const input = fc.oneof(
    { weight: 3, arbitrary: plausible },
    fromTokens(PY_TOKENS, 80).map((t) => ['python', t] as const),
    fromTokens(SH_TOKENS, 60).map((t) => ['shell', t] as const),
    fromTokens([...PY_TOKENS, 'batch: ', '\n  - ', '&a ', '*a', 'imgsz: ', '- '], 60).map((t) => ['yaml', t] as const),
    fromTokens([...PY_TOKENS, '```python\n', '```\n', '# Title\n'], 60).map((t) => ['markdown', t] as const),
    fromTokens(['{"cells": [', '{"cell_type": "code", "source": [', '"model.train(batch=8)\\n"', ']}', ']', '}', ',', '"', 'null', '1'], 30).map((t) => ['notebook', t] as const),
  );
  return input;
})();

/** The script reader on random Python / shell / YAML / notebook text: never throws. */
export function scriptProperty(): FuzzProperty {
  const stats = newStats();
  const input = scriptInput;
  return {
    name: 'script reader: random Python/shell/YAML/Markdown/notebook text -> never throws',
    stats,
    property: fc.property(input, ([language, text]) => {
      try {
        const r = timed(stats, `scanScript(${language})`, () => scanScript(text, language));
        JSON.stringify(r);
        count(stats, r.runs.length ? 'found a run' : 'no run');
      } catch (e) {
        forbid(e, () => false, `scanScript(${language})`);
      }
    }),
  };
}

/** Every property, in the order they run. The script reader needs initPythonParser() first. */
export function allProperties(): FuzzProperty[] {
  return [readerProperty(), shapeProperty(), convertProperty(), yamlProperty(), scriptProperty()];
}
