// ModelProto → OnnxModel, field by field (field numbers from onnx/onnx.proto3). Unknown fields
// are skipped, so files from newer ONNX versions still load. Weight payloads (raw_data and the
// typed data fields of large tensors) are skipped by position, never read.
import { dtypeFromCode, ONNX_DTYPE_BYTES, type OnnxDType } from './dtypes';
import { OnnxFormatError } from './errors';
import { checkExternal, type ExternalRef } from './external';
import { MAX_DECODED_ELEMENTS, MAX_DEPTH, MAX_NODES, MAX_RANK } from './limits';
import { decodeRaw, fromInt32Data } from './tensor-values';
import type { OnnxAttribute, OnnxDim, OnnxGraph, OnnxNode, OnnxOpset, OnnxTensor, OnnxTensorData, OnnxValueInfo } from './types';
import { WIRE_FIXED32, WIRE_LEN, WIRE_VARINT, type WireReader } from './wire';

// Field keys (field << 3 | wire type) for the hot paths.
const key = (field: number, wire: number) => field * 8 + wire;

export interface DecodeContext {
  r: WireReader;
  file: string;
  baseDir: string | null;
  /** External file sizes already stat()ed. */
  sizes: Map<string, number>;
  nodeCount: number;
  depth: number;
}

export interface RawModel {
  irVersion: number;
  opsetImport: OnnxOpset[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  metadata: Record<string, string>;
  graph: OnnxGraph | null;
}

export function decodeModel(ctx: DecodeContext): RawModel {
  const r = ctx.r;
  const m: RawModel = { irVersion: 0, opsetImport: [], producerName: '', producerVersion: '', domain: '', modelVersion: 0, metadata: {}, graph: null };
  const meta: [string, string][] = [];
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case key(1, WIRE_VARINT):
        m.irVersion = r.varint();
        break;
      case key(2, WIRE_LEN):
        m.producerName = r.string();
        break;
      case key(3, WIRE_LEN):
        m.producerVersion = r.string();
        break;
      case key(4, WIRE_LEN):
        m.domain = r.string();
        break;
      case key(5, WIRE_VARINT):
        m.modelVersion = r.varint();
        break;
      case key(7, WIRE_LEN):
        r.push('graph');
        m.graph = decodeGraph(ctx);
        r.pop(false);
        break;
      case key(8, WIRE_LEN):
        r.push('opset_import', m.opsetImport.length);
        m.opsetImport.push(decodeOpset(r));
        r.pop(true);
        break;
      case key(14, WIRE_LEN):
        r.push('metadata_props', meta.length);
        meta.push(decodeEntry(r));
        r.pop(true);
        break;
      default:
        checkKnownWire(r, tag, MODEL_WIRE);
        r.skip(tag);
    }
  }
  m.metadata = Object.fromEntries(meta);
  return m;
}

/** ModelProto's field → wire type, so a stray byte is reported as "not ONNX" instead of skipped. */
const MODEL_WIRE: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

/** GraphProto and NodeProto fields (onnx.proto3, IR 10): every one is length-delimited. A known
 *  field with another wire type (an op_type sent as a varint) used to be skipped, and the node
 *  analysed without it; it is a damaged file. */
const GRAPH_WIRE: Record<number, number> = { 1: 2, 2: 2, 5: 2, 10: 2, 11: 2, 12: 2, 13: 2, 14: 2, 15: 2, 16: 2 };
const NODE_WIRE: Record<number, number> = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2 };

function checkKnownWire(r: WireReader, tag: number, table: Record<number, number>): void {
  const want = table[tag >>> 3];
  if (want !== undefined) r.expect(tag, want);
}

function decodeOpset(r: WireReader): OnnxOpset {
  const saved = r.enter();
  const o: OnnxOpset = { domain: '', version: 0 };
  while (r.more()) {
    const tag = r.tag();
    if (tag === key(1, WIRE_LEN)) o.domain = r.string();
    else if (tag === key(2, WIRE_VARINT)) o.version = r.varint();
    else r.skip(tag);
  }
  r.leave(saved);
  return o;
}

function decodeEntry(r: WireReader): [string, string] {
  const saved = r.enter();
  let k = '';
  let v = '';
  while (r.more()) {
    const tag = r.tag();
    if (tag === key(1, WIRE_LEN)) k = r.string();
    else if (tag === key(2, WIRE_LEN)) v = r.string();
    else r.skip(tag);
  }
  r.leave(saved);
  return [k, v];
}

function decodeGraph(ctx: DecodeContext): OnnxGraph {
  const r = ctx.r;
  if (++ctx.depth > MAX_DEPTH) throw new OnnxFormatError(ctx.file, 'limit', `graphs nested deeper than ${MAX_DEPTH} levels`);
  const saved = r.enter();
  const g: OnnxGraph = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [], order: [] };
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case key(1, WIRE_LEN):
        if (++ctx.nodeCount > MAX_NODES) throw new OnnxFormatError(ctx.file, 'limit', `more than ${MAX_NODES.toLocaleString('en-US')} nodes; this tool's limit`);
        r.push('node', g.nodes.length);
        g.nodes.push(decodeNode(ctx));
        r.pop(true);
        break;
      case key(2, WIRE_LEN):
        g.name = r.string();
        break;
      case key(5, WIRE_LEN):
        r.push('initializer', g.initializers.length);
        g.initializers.push(decodeTensor(ctx));
        r.pop(true);
        break;
      case key(11, WIRE_LEN):
        r.push('input', g.inputs.length);
        g.inputs.push(decodeValueInfo(ctx));
        r.pop(true);
        break;
      case key(12, WIRE_LEN):
        r.push('output', g.outputs.length);
        g.outputs.push(decodeValueInfo(ctx));
        r.pop(true);
        break;
      case key(13, WIRE_LEN):
        r.push('value_info', g.valueInfo.length);
        g.valueInfo.push(decodeValueInfo(ctx));
        r.pop(true);
        break;
      default:
        checkKnownWire(r, tag, GRAPH_WIRE);
        r.skip(tag);
    }
  }
  r.leave(saved);
  ctx.depth--;
  return g;
}

function decodeNode(ctx: DecodeContext): OnnxNode {
  const r = ctx.r;
  const saved = r.enter();
  const n: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: {} };
  const attrs: [string, OnnxAttribute][] = [];
  while (r.more()) {
    const tag = r.tag();
    switch (tag) {
      case key(1, WIRE_LEN):
        n.inputs.push(r.string());
        break;
      case key(2, WIRE_LEN):
        n.outputs.push(r.string());
        break;
      case key(3, WIRE_LEN):
        n.name = r.string();
        break;
      case key(4, WIRE_LEN):
        n.opType = r.string();
        break;
      case key(7, WIRE_LEN):
        n.domain = r.string();
        break;
      case key(5, WIRE_LEN):
        r.push('attribute', attrs.length);
        attrs.push(decodeAttribute(ctx));
        r.pop(true);
        break;
      default:
        checkKnownWire(r, tag, NODE_WIRE);
        r.skip(tag);
    }
  }
  r.leave(saved);
  if (!n.opType) r.fail('malformed', 'node without op_type');
  n.attributes = Object.fromEntries(attrs);
  return n;
}

// AttributeProto.AttributeType codes.
const A_FLOAT = 1, A_INT = 2, A_STRING = 3, A_TENSOR = 4, A_GRAPH = 5, A_FLOATS = 6, A_INTS = 7, A_STRINGS = 8, A_TENSORS = 9, A_GRAPHS = 10;

function decodeAttribute(ctx: DecodeContext): [string, OnnxAttribute] {
  const r = ctx.r;
  const saved = r.enter();
  let name = '';
  let type = 0;
  let f = 0, i = 0, s = '';
  let t: OnnxTensor | null = null;
  let g: OnnxGraph | null = null;
  // Repeated fields are allocated only when present: most attributes are a single int or ints.
  let floats: number[] | undefined, ints: number[] | undefined, strings: string[] | undefined, tensors: OnnxTensor[] | undefined, graphs: OnnxGraph[] | undefined;
  let seen = 0; // bit per field number seen (all AttributeProto fields are < 32)
  while (r.more()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field < 32) seen |= 1 << field;
    switch (field) {
      case 1:
        r.expect(tag, WIRE_LEN);
        name = r.string();
        break;
      case 20:
        r.expect(tag, WIRE_VARINT);
        type = r.varint();
        break;
      case 2:
        r.expect(tag, WIRE_FIXED32);
        f = r.float32();
        break;
      case 3:
        r.expect(tag, WIRE_VARINT);
        i = r.varint();
        break;
      case 4:
        r.expect(tag, WIRE_LEN);
        s = r.string();
        break;
      case 5:
        r.expect(tag, WIRE_LEN);
        t = decodeTensor(ctx);
        break;
      case 6:
        r.expect(tag, WIRE_LEN);
        g = decodeGraph(ctx);
        break;
      case 7:
        r.floats(tag, (floats ??= []));
        break;
      case 8:
        r.varints(tag, (ints ??= []));
        break;
      case 9:
        r.expect(tag, WIRE_LEN);
        (strings ??= []).push(r.string());
        break;
      case 10:
        r.expect(tag, WIRE_LEN);
        (tensors ??= []).push(decodeTensor(ctx));
        break;
      case 11:
        r.expect(tag, WIRE_LEN);
        (graphs ??= []).push(decodeGraph(ctx));
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(saved);
  // IR version 1 files may omit `type`; infer it from the field that is present.
  if (type === 0) {
    const has = (f: number) => (seen & (1 << f)) !== 0;
    type = has(2) ? A_FLOAT : has(3) ? A_INT : has(4) ? A_STRING : has(5) ? A_TENSOR : has(6) ? A_GRAPH
      : has(7) ? A_FLOATS : has(8) ? A_INTS : has(9) ? A_STRINGS : has(10) ? A_TENSORS : has(11) ? A_GRAPHS : 0;
  }
  let a: OnnxAttribute;
  switch (type) {
    case A_FLOAT: a = { type: 'float', value: f }; break;
    case A_INT: a = { type: 'int', value: i }; break;
    case A_STRING: a = { type: 'string', value: s }; break;
    case A_TENSOR:
      a = { type: 'tensor', value: t ?? r.fail('malformed', `tensor attribute '${name}' without a tensor`) };
      break;
    case A_GRAPH:
      a = { type: 'graph', value: g ?? r.fail('malformed', `graph attribute '${name}' without a graph`) };
      break;
    case A_FLOATS: a = { type: 'floats', value: floats ?? [] }; break;
    case A_INTS: a = { type: 'ints', value: ints ?? [] }; break;
    case A_STRINGS: a = { type: 'strings', value: strings ?? [] }; break;
    case A_TENSORS: a = { type: 'tensors', value: tensors ?? [] }; break;
    case A_GRAPHS: a = { type: 'graphs', value: graphs ?? [] }; break;
    default: a = { type: 'other', code: type };
  }
  return [name, a];
}

/** Small byte payloads are copied (≤ 8 bytes × MAX_DECODED_ELEMENTS) so their values can be decoded
 *  once the dtype is known, whatever the field order. Larger ones are skipped. */
const SMALL_PAYLOAD = 8 * MAX_DECODED_ELEMENTS;

function decodeTensor(ctx: DecodeContext): OnnxTensor {
  const r = ctx.r;
  const saved = r.enter();
  const start = r.pos;
  const dims: number[] = [];
  let code = 0;
  let name = '';
  let data: OnnxTensorData = { kind: 'none' };
  let small: Uint8Array | null = null;
  let typedValues: number[] | null = null;
  let typedField = '';
  let location = 0;
  let unpacked = 0;
  const ext: [string, string][] = [];
  while (r.more()) {
    const tag = r.tag();
    const field = tag >>> 3;
    switch (field) {
      case 1:
        r.varints(tag, dims);
        break;
      case 2:
        r.expect(tag, WIRE_VARINT);
        code = r.varint();
        break;
      case 8:
        r.expect(tag, WIRE_LEN);
        name = r.string();
        break;
      case 9: {
        r.expect(tag, WIRE_LEN);
        const n = r.length();
        data = { kind: 'raw', offset: r.pos, length: n };
        if (n <= SMALL_PAYLOAD) small = r.view(n).slice();
        else r.skipBytes(n);
        break;
      }
      case 4: // float_data
      case 5: // int32_data
      case 7: // int64_data
      case 10: // double_data
      case 11: {
        // uint64_data
        typedField = TYPED_FIELDS[field];
        const begin = r.pos;
        if ((tag & 7) === WIRE_LEN) {
          const n = r.length();
          const at = r.pos;
          if (n <= SMALL_PAYLOAD * 2) {
            r.pos = begin;
            typedValues ??= [];
            readTyped(r, field, tag, typedValues);
          } else {
            typedValues = null;
            r.skipBytes(n);
          }
          data = { kind: 'typed', field: typedField, offset: at, length: n };
        } else {
          // Unpacked repeated values (rare): collect only while the tensor may still be tiny.
          const scratch: number[] = [];
          readTyped(r, field, tag, scratch);
          unpacked++;
          if (unpacked <= MAX_DECODED_ELEMENTS) (typedValues ??= []).push(...scratch);
          else typedValues = null;
          const first: number = data.kind === 'typed' ? data.offset : begin;
          data = { kind: 'typed', field: typedField, offset: first, length: r.pos - first };
        }
        break;
      }
      case 13:
        r.expect(tag, WIRE_LEN);
        r.push('external_data');
        ext.push(decodeEntry(r));
        r.pop(false);
        break;
      case 14:
        r.expect(tag, WIRE_VARINT);
        location = r.varint();
        break;
      default:
        r.skip(tag);
    }
  }
  r.leave(saved);
  const dtype = dtypeFromCode(code);
  if (dims.length > MAX_RANK) throw new OnnxFormatError(ctx.file, 'limit', `tensor '${name}' has rank ${dims.length}; the limit is ${MAX_RANK}`, start);
  const elements = checkedElements(ctx.file, `tensor '${name}'`, dims, start);
  const byteLength = Math.ceil(elements * ONNX_DTYPE_BYTES[dtype]);
  const t: OnnxTensor = { name, dtype, dims, elements, byteLength, data };
  if (location === 1) {
    const map = Object.fromEntries(ext);
    const ref: ExternalRef = { location: map.location ?? '', offset: map.offset ? Number(map.offset) : 0, length: map.length ? Number(map.length) : -1 };
    if (Number.isNaN(ref.offset) || Number.isNaN(ref.length)) throw new OnnxFormatError(ctx.file, 'external-data', `external data of '${name}': offset/length are not numbers`);
    const { path, length } = checkExternal(ctx.file, name, ref, byteLength, ctx.baseDir, ctx.sizes);
    t.data = { kind: 'external', location: ref.location, path, offset: ref.offset, length };
    return t;
  }
  if (data.kind === 'raw' && dtype !== 'string' && data.length !== byteLength) {
    throw new OnnxFormatError(ctx.file, 'malformed', `tensor '${name}' has ${data.length} bytes of raw_data, but its dims [${dims.join(', ')}] of ${dtype} need ${byteLength}`, data.offset);
  }
  if (elements <= MAX_DECODED_ELEMENTS && elements > 0) {
    if (small) t.values = decodeRaw(dtype, small, elements);
    else if (typedValues && typedValues.length === elements) t.values = typedField === 'int32_data' ? fromInt32Data(dtype, typedValues) : typedValues;
  } else if (elements === 0) t.values = [];
  if (t.values === undefined) delete t.values;
  return t;
}

const TYPED_FIELDS: Record<number, string> = { 4: 'float_data', 5: 'int32_data', 7: 'int64_data', 10: 'double_data', 11: 'uint64_data' };

function readTyped(r: WireReader, field: number, tag: number, out: number[]): void {
  if (field === 4) r.floats(tag, out);
  else if (field === 10) r.doubles(tag, out);
  else r.varints(tag, out);
}

/** Product of dims, refusing negative dims and products past 2^53 (where numbers stop being exact). */
export function checkedElements(file: string, what: string, dims: readonly number[], offset?: number): number {
  let n = 1;
  for (const d of dims) {
    if (d < 0 || !Number.isInteger(d)) throw new OnnxFormatError(file, 'dims', `${what} has a negative or invalid dim ${d} in [${dims.join(', ')}]`, offset);
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) throw new OnnxFormatError(file, 'dims', `${what} has dims [${dims.join(', ')}] whose product overflows 2^53`, offset);
  }
  return n;
}

function decodeValueInfo(ctx: DecodeContext): OnnxValueInfo {
  const r = ctx.r;
  const saved = r.enter();
  const v: OnnxValueInfo = { name: '', dtype: 'undefined', shape: null };
  while (r.more()) {
    const tag = r.tag();
    if (tag === key(1, WIRE_LEN)) v.name = r.string();
    else if (tag === key(2, WIRE_LEN)) decodeType(ctx, v);
    else r.skip(tag);
  }
  r.leave(saved);
  return v;
}

/** TypeProto: only tensor types carry a dtype and shape; sequences/maps/optionals stay unknown. */
function decodeType(ctx: DecodeContext, v: OnnxValueInfo): void {
  const r = ctx.r;
  const saved = r.enter();
  while (r.more()) {
    const tag = r.tag();
    if (tag === key(1, WIRE_LEN)) {
      const s2 = r.enter();
      while (r.more()) {
        const t2 = r.tag();
        if (t2 === key(1, WIRE_VARINT)) v.dtype = dtypeFromCode(r.varint()) as OnnxDType;
        else if (t2 === key(2, WIRE_LEN)) v.shape = decodeShape(ctx, v.name);
        else r.skip(t2);
      }
      r.leave(s2);
    } else r.skip(tag);
  }
  r.leave(saved);
}

function decodeShape(ctx: DecodeContext, name: string): OnnxDim[] {
  const r = ctx.r;
  const saved = r.enter();
  const start = r.pos;
  const dims: OnnxDim[] = [];
  while (r.more()) {
    const tag = r.tag();
    if (tag !== key(1, WIRE_LEN)) {
      r.skip(tag);
      continue;
    }
    const s2 = r.enter();
    let d: OnnxDim = null;
    while (r.more()) {
      const t2 = r.tag();
      if (t2 === key(1, WIRE_VARINT)) {
        const at = r.pos;
        d = r.varint();
        if (d < 0) throw new OnnxFormatError(ctx.file, 'dims', `value '${name}' has a negative dim ${d}`, at);
      } else if (t2 === key(2, WIRE_LEN)) d = r.string();
      else r.skip(t2);
    }
    r.leave(s2);
    dims.push(d);
    if (dims.length > MAX_RANK) throw new OnnxFormatError(ctx.file, 'limit', `value '${name}' has rank above ${MAX_RANK}`, start);
  }
  r.leave(saved);
  return dims;
}
