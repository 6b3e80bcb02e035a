// A tiny ONNX writer for tests and the benchmark: builds ModelProto bytes from a plain description,
// so tests can make exactly the small (or malformed) models they need instead of shipping files.
import { writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { dtypeCode, type OnnxDType } from '../../src/core/onnx/dtypes';
import { ProtoWriter } from '../../src/core/onnx/wire-writer';

export interface TensorSpec {
  name: string;
  dtype?: OnnxDType; // float32
  dims: number[];
  /** Values written as raw_data (little endian). */
  values?: number[];
  /** Values written in the typed field (int64_data / float_data / int32_data) instead of raw_data. */
  typed?: number[];
  /** raw_data of this many zero bytes (for big weights: one shared zero buffer is referenced). */
  zeroBytes?: number;
  external?: { location: string; offset?: number; length?: number };
}

export type AttrSpec =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { strings: string[] }
  | { t: TensorSpec }
  | { g: GraphSpec };

export interface NodeSpec {
  op: string;
  inputs?: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, AttrSpec>;
}

export interface ValueSpec {
  name: string;
  dtype?: OnnxDType;
  /** Omit for a value without shape; strings are dim_params, null an empty dimension. */
  shape?: (number | string | null)[];
}

export interface GraphSpec {
  name?: string;
  nodes: NodeSpec[];
  inputs?: ValueSpec[];
  outputs?: ValueSpec[];
  initializers?: TensorSpec[];
  valueInfo?: ValueSpec[];
}

export interface ModelSpec {
  irVersion?: number;
  opset?: number;
  producer?: string;
  metadata?: Record<string, string>;
  graph: GraphSpec;
}

const ZERO = new Uint8Array(1 << 20);

export function tensorProto(t: TensorSpec): ProtoWriter {
  const w = new ProtoWriter();
  const dtype = t.dtype ?? 'float32';
  if (t.dims.length) w.packedVarints(1, t.dims);
  w.varint(2, dtypeCode(dtype));
  w.string(8, t.name);
  if (t.values) w.bytes(9, rawBytes(dtype, t.values));
  if (t.zeroBytes !== undefined) w.repeatedBytes(9, ZERO, t.zeroBytes);
  if (t.typed) {
    if (dtype === 'float32') w.packedFloats(4, t.typed);
    else if (dtype === 'int64') w.packedVarints(7, t.typed);
    else w.packedVarints(5, t.typed);
  }
  if (t.external) {
    const e = t.external;
    const entry = (k: string, v: string) => new ProtoWriter().string(1, k).string(2, v);
    w.message(13, entry('location', e.location));
    if (e.offset !== undefined) w.message(13, entry('offset', String(e.offset)));
    if (e.length !== undefined) w.message(13, entry('length', String(e.length)));
    w.varint(14, 1);
  }
  return w;
}

export function rawBytes(dtype: OnnxDType, values: number[]): Uint8Array {
  const size = { float32: 4, float64: 8, int64: 8, int32: 4, uint8: 1, int8: 1, bool: 1 }[dtype as string];
  if (!size) throw new Error(`rawBytes: ${dtype} not supported by the test writer`);
  const b = new Uint8Array(values.length * size);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => {
    if (dtype === 'float32') dv.setFloat32(i * 4, v, true);
    else if (dtype === 'float64') dv.setFloat64(i * 8, v, true);
    else if (dtype === 'int64') {
      // JS cannot spell INT64_MAX/MIN; ±2^63 stand for them (Slice ends), clamped rather than wrapped.
      const b = BigInt(v);
      dv.setBigInt64(i * 8, b > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : b < -0x8000000000000000n ? -0x8000000000000000n : b, true);
    }
    else if (dtype === 'int32') dv.setInt32(i * 4, v, true);
    else dv.setUint8(i, v);
  });
  return b;
}

function valueInfo(v: ValueSpec): ProtoWriter {
  const w = new ProtoWriter().string(1, v.name);
  const tt = new ProtoWriter().varint(1, dtypeCode(v.dtype ?? 'float32'));
  if (v.shape) {
    const shape = new ProtoWriter();
    for (const d of v.shape) {
      const dim = new ProtoWriter();
      if (typeof d === 'number') dim.varint(1, d);
      else if (typeof d === 'string') dim.string(2, d);
      shape.message(1, dim);
    }
    tt.message(2, shape);
  }
  return w.message(2, new ProtoWriter().message(1, tt));
}

function attribute(name: string, a: AttrSpec): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ('i' in a) w.varint(3, a.i).varint(20, 2);
  else if ('f' in a) w.float32(2, a.f).varint(20, 1);
  else if ('s' in a) w.string(4, a.s).varint(20, 3);
  else if ('ints' in a) w.packedVarints(8, a.ints).varint(20, 7);
  else if ('floats' in a) w.packedFloats(7, a.floats).varint(20, 6);
  else if ('strings' in a) {
    for (const s of a.strings) w.string(9, s);
    w.varint(20, 8);
  } else if ('t' in a) w.message(5, tensorProto(a.t)).varint(20, 4);
  else w.message(6, graphProto(a.g)).varint(20, 5);
  return w;
}

function nodeProto(n: NodeSpec, i: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const x of n.inputs ?? []) w.string(1, x);
  for (const x of n.outputs) w.string(2, x);
  w.string(3, n.name ?? `${n.op}_${i}`);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v));
  if (n.domain) w.string(7, n.domain);
  return w;
}

export function graphProto(g: GraphSpec): ProtoWriter {
  const w = new ProtoWriter();
  g.nodes.forEach((n, i) => w.message(1, nodeProto(n, i)));
  w.string(2, g.name ?? 'test');
  for (const t of g.initializers ?? []) w.message(5, tensorProto(t));
  for (const v of g.inputs ?? []) w.message(11, valueInfo(v));
  for (const v of g.outputs ?? []) w.message(12, valueInfo(v));
  for (const v of g.valueInfo ?? []) w.message(13, valueInfo(v));
  return w;
}

export function modelProto(m: ModelSpec): ProtoWriter {
  const w = new ProtoWriter().varint(1, m.irVersion ?? 8).string(2, m.producer ?? 'test-writer').string(3, '1');
  w.message(7, graphProto(m.graph));
  w.message(8, new ProtoWriter().string(1, '').varint(2, m.opset ?? 17));
  for (const [k, v] of Object.entries(m.metadata ?? {})) w.message(14, new ProtoWriter().string(1, k).string(2, v));
  return w;
}

export function buildModel(m: ModelSpec): Uint8Array {
  return modelProto(m).finish();
}

/** Writes a model to disk chunk by chunk (shared zero buffers are written, never concatenated). */
export function writeModel(path: string, m: ModelSpec): number {
  const chunks = modelProto(m).chunks();
  const fd = openSync(path, 'w');
  let total = 0;
  try {
    for (const c of chunks) total += writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
  return total;
}

export function writeBytes(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
}
