// Ground truth for the shape pass: runs a model in onnxruntime-node (CPU) with every intermediate
// tensor exposed as a graph output, and returns the real shape of each. Used by tests and as a
// debugging aid; onnxruntime-node is required at call time, so nothing else in the core needs it.
//
// The model bytes are rewritten without re-encoding anything: the graph field (ModelProto field 7)
// gets a new length prefix, and ValueInfoProto entries for the extra outputs (GraphProto field 12)
// are appended to its content; protobuf merges repeated fields, so they join graph.output.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { dtypeCode, type OnnxDType } from './dtypes';
import { OnnxFormatError } from './errors';
import { parseOnnx } from './read';
import { memorySource } from './source';
import type { OnnxModel } from './types';
import { WireReader } from './wire';
import { encodeVarint, ProtoWriter } from './wire-writer';

export interface OrtTensorShape {
  shape: number[];
  /** onnxruntime's type name: float32, int64, bool ... */
  type: string;
}

export interface OrtShapesOptions {
  /** Fill for the inputs: zeros (default) or seeded uniform random values in [0, 1). */
  fill?: 'zeros' | 'random';
}

/** Runs `file` with inputs of the given shapes (by input name) and returns the shape of every
 *  tensor the run produced: graph inputs, node outputs. */
export async function ortShapes(file: string, inputShapes: Record<string, number[]>, options: OrtShapesOptions = {}): Promise<Record<string, OrtTensorShape>> {
  const name = basename(file);
  const bytes = readFileSync(file);
  const model = parseOnnx(bytes, name, { baseDir: dirname(resolve(file)) });
  if (model.graph.initializers.some((t) => t.data.kind === 'external')) {
    throw new OnnxFormatError(name, 'external-data', 'the onnxruntime cross-check does not support external data');
  }
  const rewritten = exposeAllOutputs(bytes, model);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
  const session = await ort.InferenceSession.create(rewritten, { graphOptimizationLevel: 'disabled', executionProviders: ['cpu'] });
  try {
    const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
    const inits = new Set(model.graph.initializers.map((t) => t.name));
    const out: Record<string, OrtTensorShape> = {};
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const inp of model.graph.inputs) {
      if (inits.has(inp.name)) continue;
      const shape = inputShapes[inp.name];
      if (!shape) throw new Error(`${name}: no shape given for input '${inp.name}'`);
      const n = shape.reduce((a, b) => a * b, 1);
      const data = typedArray(inp.dtype, n);
      if (options.fill === 'random' && data instanceof Float32Array) for (let i = 0; i < n; i++) data[i] = rand();
      feeds[inp.name] = new ort.Tensor(ortType(inp.dtype), data, shape);
      out[inp.name] = { shape: shape.slice(), type: ortType(inp.dtype) };
    }
    const results = await session.run(feeds);
    for (const [k, t] of Object.entries(results)) out[k] = { shape: t.dims.slice(), type: t.type };
    return out;
  } finally {
    await session.release();
  }
}

/** Returns new model bytes whose graph outputs include every node output. Exported for tests. */
export function exposeAllOutputs(bytes: Uint8Array, model: OnnxModel): Uint8Array {
  const span = graphSpan(bytes, model.file);
  const existing = new Set(model.graph.outputs.map((o) => o.name));
  const extra = new ProtoWriter();
  for (const n of model.graph.nodes) {
    for (const o of n.outputs) {
      if (!o || existing.has(o)) continue;
      existing.add(o);
      // Name only: onnxruntime infers the type of an output that does not declare one.
      extra.message(12, new ProtoWriter().string(1, o));
    }
  }
  const tail = extra.finish();
  const content = bytes.subarray(span.contentStart, span.contentEnd);
  const len = encodeVarint(content.length + tail.length);
  const parts = [bytes.subarray(0, span.tagStart), Uint8Array.of(0x3a), len, content, tail, bytes.subarray(span.contentEnd)];
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Where ModelProto.graph sits: its key, and its content. */
function graphSpan(bytes: Uint8Array, file: string): { tagStart: number; contentStart: number; contentEnd: number } {
  const r = new WireReader(memorySource(bytes), file);
  let found: { tagStart: number; contentStart: number; contentEnd: number } | null = null;
  while (r.more()) {
    const tagStart = r.pos;
    const tag = r.tag();
    if (tag === 0x3a) {
      const n = r.length();
      found = { tagStart, contentStart: r.pos, contentEnd: r.pos + n };
      r.skipBytes(n);
    } else r.skip(tag);
  }
  if (!found) throw new OnnxFormatError(file, 'not-onnx', 'not an ONNX model (no graph in the file)');
  return found;
}

function ortType(d: OnnxDType): 'float32' | 'float64' | 'int64' | 'int32' | 'uint8' | 'int8' | 'bool' | 'float16' {
  switch (d) {
    case 'float32':
    case 'float64':
    case 'int64':
    case 'int32':
    case 'uint8':
    case 'int8':
    case 'bool':
    case 'float16':
      return d;
    default:
      throw new Error(`input dtype ${d} (code ${dtypeCode(d)}) is not supported by the cross-check`);
  }
}

function typedArray(d: OnnxDType, n: number) {
  switch (d) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'float16':
      return new Uint16Array(n);
    default:
      throw new Error(`input dtype ${d} is not supported by the cross-check`);
  }
}
