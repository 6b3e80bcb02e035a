// Malformed and hostile ONNX files for the reliability corpus. Every case is built from scratch
// (the test writer, or raw protobuf bytes), so the corpus needs no stored files and its largest
// members (a million nodes, 10,000 nested graphs) are generated at test time into a temp folder.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeVarint, ProtoWriter } from '../../src/core/onnx/wire-writer';
import { buildModel, type ModelSpec, type NodeSpec } from '../helpers/onnx-writer';
import type { CorpusCase, Expect } from './types';

/** A tiny YOLO-looking detector with Ultralytics metadata: valid, and analysable end to end. */
export function baseSpec(): ModelSpec {
  return {
    metadata: { stride: '32', task: 'detect', imgsz: '[64, 64]', names: "{0: 'person', 1: 'car'}" },
    graph: {
      inputs: [{ name: 'images', shape: ['batch', 3, 'height', 'width'] }],
      outputs: [{ name: 'y' }],
      initializers: [
        { name: 'w0', dims: [8, 3, 3, 3], zeroBytes: 8 * 27 * 4 },
        { name: 'b0', dims: [8], zeroBytes: 32 },
        { name: 'w1', dims: [16, 8, 3, 3], zeroBytes: 16 * 72 * 4 },
        { name: 'b1', dims: [16], zeroBytes: 64 },
      ],
      nodes: [
        { op: 'Conv', name: '/model.0/conv/Conv', inputs: ['images', 'w0', 'b0'], outputs: ['c0'], attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } } },
        { op: 'Sigmoid', name: '/model.0/act/Sigmoid', inputs: ['c0'], outputs: ['s0'] },
        { op: 'Mul', name: '/model.0/act/Mul', inputs: ['c0', 's0'], outputs: ['a0'] },
        { op: 'Conv', name: '/model.1/conv/Conv', inputs: ['a0', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } } },
        { op: 'Sigmoid', name: '/model.1/act/Sigmoid', inputs: ['c1'], outputs: ['s1'] },
        { op: 'Mul', name: '/model.1/act/Mul', inputs: ['c1', 's1'], outputs: ['y'] },
      ],
    },
  };
}

function withGraph(patch: Partial<ModelSpec['graph']>, meta?: Partial<ModelSpec>): ModelSpec {
  const b = baseSpec();
  return { ...b, ...meta, graph: { ...b.graph, ...patch } };
}

const re = (source: string): Expect => ({ exit: 1, pattern: source });
const exact = (message: string): Expect => ({ exit: 1, message });
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Top-level field boundaries of a ModelProto (where a cut leaves a complete, shorter message). */
function topLevelFields(bytes: Uint8Array): { field: number; start: number; end: number }[] {
  const out: { field: number; start: number; end: number }[] = [];
  let p = 0;
  const varint = () => {
    let v = 0;
    for (let s = 0; ; s += 7) {
      const b = bytes[p++];
      v += (b & 0x7f) * 2 ** s;
      if (b < 0x80) return v;
    }
  };
  while (p < bytes.length) {
    const start = p;
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 2) {
      const n = varint();
      p += n;
    }
    else if (wire === 5) p += 4;
    else p += 8;
    out.push({ field: tag >>> 3, start, end: p });
  }
  return out;
}

/** Wraps `core` in `depth` layers, innermost first: layer i surrounds its inner bytes with
 *  prefix(innerLength, i) and suffix(i). Built in one pass, since nesting ProtoWriter messages
 *  copies every inner part at each level (quadratic at 10,000 levels). */
function nest(core: Uint8Array, depth: number, layer: (innerLength: number, i: number) => [Uint8Array, Uint8Array]): Uint8Array {
  const pre: Uint8Array[] = [];
  const post: Uint8Array[] = [];
  let length = core.length;
  for (let i = 0; i < depth; i++) {
    const [p, q] = layer(length, i);
    pre.push(p);
    post.push(q);
    length += p.length + q.length;
  }
  const out = new Uint8Array(length);
  let o = 0;
  for (let i = depth - 1; i >= 0; i--) (out.set(pre[i], o), (o += pre[i].length));
  out.set(core, o);
  o += core.length;
  for (let i = 0; i < depth; i++) (out.set(post[i], o), (o += post[i].length));
  return out;
}

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};

/** The bytes of a GraphProto holding one Loop node whose body attribute holds a graph ... `depth` deep. */
function nestedGraphs(depth: number): Uint8Array {
  const core = new ProtoWriter().message(1, new ProtoWriter().string(1, 'x').string(2, 'y').string(4, 'Relu')).finish();
  return nest(core, depth, (inner, i) => {
    const attrPre = cat(new ProtoWriter().string(1, 'body').finish(), new Uint8Array([0x32]), encodeVarint(inner));
    const attrPost = new ProtoWriter().varint(20, 5).finish();
    const attrLen = attrPre.length + inner + attrPost.length;
    const nodePre = cat(new ProtoWriter().string(1, 'x').string(2, `o${i}`).string(4, 'Loop').finish(), new Uint8Array([0x2a]), encodeVarint(attrLen));
    const nodeLen = nodePre.length + attrLen;
    return [cat(new Uint8Array([0x0a]), encodeVarint(nodeLen), nodePre, attrPre), cat(attrPost, new ProtoWriter().string(2, `g${i}`).finish())];
  });
}

const model = (graph: ProtoWriter | Uint8Array, extra?: (w: ProtoWriter) => void) => {
  const w = new ProtoWriter().varint(1, 8).string(2, 'corpus');
  if (graph instanceof Uint8Array) w.bytes(7, graph);
  else w.message(7, graph);
  w.message(8, new ProtoWriter().string(1, '').varint(2, 17));
  extra?.(w);
  return w.finish();
};

/** Writes the ONNX cases into `dir` and returns them. `big` adds the slow ones (10^6 nodes). */
export function onnxCases(dir: string, big: boolean): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const add = (id: string, family: string, bytes: Uint8Array | null, expect: Expect, note: string, opts: Partial<CorpusCase> = {}) => {
    const file = `${id}.onnx`;
    if (bytes) writeFileSync(join(dir, file), bytes);
    cases.push({ id, family, kind: 'model', file, expect, note, ...opts });
  };

  // ---- the base model itself must analyse (so every failure below is the damage's doing)
  const base = buildModel(baseSpec());
  add('onnx-base', 'control', base, { exit: 0 }, 'the undamaged model the truncations are cut from');

  // ---- truncations: every byte of the first 24, then every 37th byte, then the last 16
  const fields = topLevelFields(base);
  const boundaries = new Set(fields.map((f) => f.end));
  const graphEnd = fields.find((f) => f.field === 7)!.end;
  const cuts = new Set<number>();
  for (let i = 0; i < 24; i++) cuts.add(i);
  for (let i = 24; i < base.length; i += 37) cuts.add(i);
  for (let i = base.length - 16; i < base.length; i++) cuts.add(i);
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const id = `trunc-${String(cut).padStart(5, '0')}`;
    let expect: Expect;
    if (cut === 0) expect = exact(`${id}.onnx: empty file (0 bytes), not an ONNX model`);
    else if (boundaries.has(cut) && cut >= graphEnd) expect = { exit: 0 }; // a complete, shorter ModelProto
    else if (boundaries.has(cut)) expect = exact(`${id}.onnx: not an ONNX model (no graph in the file)`);
    else expect = re(`^${esc(id)}\\.onnx: not an ONNX model \\(truncated protobuf at byte \\d+ while reading (model|graph(\\.\\w+\\[\\d+\\])*(\\.\\w+)?|opset_import\\[\\d+\\]|metadata_props\\[\\d+\\])\\)$`);
    add(id, 'truncation', base.subarray(0, cut), expect, `the base model (${base.length} bytes) cut after ${cut} bytes`);
  }

  // ---- not ONNX at all
  const text = (s: string) => new TextEncoder().encode(s);
  add('notonnx-text', 'not-onnx', text('hello world, this is a text file\n'), re('^notonnx-text\\.onnx: not an ONNX model \\(first bytes 68 65 6c 6c do not start an ONNX ModelProto\\)$'), 'plain text');
  add('notonnx-zip', 'not-onnx', new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0]), exact('notonnx-zip.onnx: not an ONNX model (a zip archive, e.g. a PyTorch .pt checkpoint; export it to ONNX first)'), 'a .pt checkpoint renamed');
  add('notonnx-lfs', 'not-onnx', text('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n'), exact('notonnx-lfs.onnx: not an ONNX model (a Git LFS pointer; run `git lfs pull` to fetch the real file)'), 'Git LFS pointer');
  add('notonnx-json', 'not-onnx', text('{"graph": []}'), exact('notonnx-json.onnx: not an ONNX model (a JSON/text file)'), 'JSON');
  add('notonnx-yaml', 'not-onnx', text('nc: 80\nbackbone: []\n'), exact('notonnx-yaml.onnx: not an ONNX model (a text file (YAML?))'), 'a model YAML renamed .onnx');
  add('notonnx-html', 'not-onnx', text('<!DOCTYPE html><html>404 Not Found</html>'), exact('notonnx-html.onnx: not an ONNX model (an XML/HTML file)'), 'an HTML error page saved as the model');
  add('notonnx-pickle', 'not-onnx', new Uint8Array([0x80, 0x02, 0x63, 0x00]), exact('notonnx-pickle.onnx: not an ONNX model (a Python pickle)'), 'pickle');
  add('notonnx-hdf5', 'not-onnx', new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a]), exact('notonnx-hdf5.onnx: not an ONNX model (an HDF5 file (Keras?))'), 'HDF5');
  add('notonnx-png', 'not-onnx', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), exact('notonnx-png.onnx: not an ONNX model (first bytes 89 50 4e 47 do not start an ONNX ModelProto)'), 'PNG');
  add('notonnx-nul', 'not-onnx', new Uint8Array(4096), exact('notonnx-nul.onnx: not an ONNX model (first bytes 00 00 00 00 do not start an ONNX ModelProto)'), '4 KiB of zeros (a preallocated, never-written download)');
  // seeded pseudo-random bytes: xorshift, so the corpus is the same on every run
  let s = 0x9e3779b9;
  const rnd = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) & 0xff);
  for (let k = 0; k < 12; k++) {
    const b = new Uint8Array(64 + k * 97).map(rnd);
    b[0] = 0x08; // pass the first-field sniff so the decoder itself meets the garbage
    add(`random-${k}`, 'random-bytes', b, re(`^random-${k}\\.onnx: not an ONNX model \\(.+\\)$`), `${b.length} seeded random bytes after a valid first key`);
  }
  add('notonnx-dir', 'not-onnx', null, exact('notonnx-dir.onnx: is a folder, not an ONNX file'), 'a folder named like a model');
  mkdirSync(join(dir, 'notonnx-dir.onnx'));
  add('notonnx-missing', 'not-onnx', null, exact('notonnx-missing.onnx: file not found'), 'a path that does not exist');

  // ---- wire types that contradict the schema, invalid wire types and keys
  add('wire-graph-varint', 'wire-type', new Uint8Array([0x08, 0x08, 0x38, 0x01]), exact('wire-graph-varint.onnx: not an ONNX model (field 7 has wire type 0, expected 2 at byte 3 while reading model)'), 'graph (field 7) sent as a varint');
  add('wire-opset-fixed32', 'wire-type', new Uint8Array([0x08, 0x08, 0x45, 1, 2, 3, 4]), exact('wire-opset-fixed32.onnx: not an ONNX model (field 8 has wire type 5, expected 2 at byte 3 while reading model)'), 'opset_import as fixed32');
  {
    // a node's op_type (field 4) sent as a varint beside a valid one: was skipped, the node analysed without it
    const g = new ProtoWriter().message(1, new ProtoWriter().string(1, 'images').string(2, 'y').varint(4, 7).string(4, 'Relu')).message(11, new ProtoWriter().string(1, 'images'));
    add('wire-node-optype-varint', 'wire-type', model(g), re('^wire-node-optype-varint\\.onnx: not an ONNX model \\(field 4 has wire type 0, expected 2 at byte \\d+ while reading graph\\.node\\[0\\]\\)$'), "a node's op_type field sent as a varint");
    const g2 = new ProtoWriter().varint(1, 3).message(1, new ProtoWriter().string(1, 'images').string(2, 'y').string(4, 'Relu')).message(11, new ProtoWriter().string(1, 'images'));
    add('wire-graph-node-varint', 'wire-type', model(g2), re('^wire-graph-node-varint\\.onnx: not an ONNX model \\(field 1 has wire type 0, expected 2 at byte \\d+ while reading graph\\)$'), "a graph's node field sent as a varint");
  }
  add('wire-type-6', 'wire-type', new Uint8Array([0x08, 0x08, 0x3e, 0x00]), re('^wire-type-6\\.onnx: not an ONNX model \\(.*wire type 6.* at byte \\d+ while reading model\\)$'), 'wire type 6 does not exist');
  add('wire-group', 'wire-type', new Uint8Array([0x08, 0x08, 0x4b, 0x4c]), re('^wire-group\\.onnx: not an ONNX model \\(.*wire type 3.* at byte \\d+ while reading model\\)$'), 'a deprecated start-group field');
  add('wire-field-0', 'wire-type', new Uint8Array([0x08, 0x08, 0x02, 0x00]), exact('wire-field-0.onnx: not an ONNX model (invalid field key 2 at byte 2 while reading model)'), 'field number 0 (key 2: field 0, wire type 2)');
  add('wire-varint-11', 'wire-type', new Uint8Array([0x08, ...new Array(11).fill(0xff), 0x01]), re('^wire-varint-11\\.onnx: not an ONNX model \\(.*varint.* at byte \\d+ while reading model\\)$'), 'an 11-byte varint');
  const attrWire = (tagByte: number, payload: number[]) => {
    const node = new ProtoWriter().string(1, 'images').string(2, 'y').string(4, 'Relu').bytes(5, new Uint8Array([0x0a, 0x01, 0x6b, tagByte, ...payload]));
    return model(new ProtoWriter().message(1, node).message(11, new ProtoWriter().string(1, 'images')));
  };
  add('wire-attr-int-len', 'wire-type', attrWire(0x1a, [0x01, 0x05]), re('^wire-attr-int-len\\.onnx: not an ONNX model \\(field 3 has wire type 2, expected 0 at byte \\d+ while reading graph\\.node\\[0\\]\\.attribute\\[0\\]\\)$'), 'attribute i (field 3) as bytes');
  add('wire-attr-float-varint', 'wire-type', attrWire(0x10, [0x05]), re('^wire-attr-float-varint\\.onnx: not an ONNX model \\(field 2 has wire type 0, expected 5 at byte \\d+ while reading graph\\.node\\[0\\]\\.attribute\\[0\\]\\)$'), 'attribute f (field 2) as varint');
  add('wire-attr-graph-varint', 'wire-type', attrWire(0x30, [0x05]), re('^wire-attr-graph-varint\\.onnx: not an ONNX model \\(field 6 has wire type 0, expected 2 at byte \\d+ while reading graph\\.node\\[0\\]\\.attribute\\[0\\]\\)$'), 'attribute g (field 6) as varint');
  add('wire-attr-graph-missing', 'wire-type', attrWire(0xa0, [0x01, 0x05]), re("^wire-attr-graph-missing\\.onnx: not an ONNX model \\(graph attribute 'k' without a graph at byte \\d+ while reading graph\\.node\\[0\\]\\.attribute\\[0\\]\\)$"), 'type GRAPH with no graph');

  // ---- lengths past the end, at every level
  // A length past the end of the file is read as far as the bytes go (so the message names the
  // deepest field reached): what stops it is the truncation or the garbage met on the way.
  const lenPast = (id: string, bytes: number[], where: string, note: string) =>
    add(id, 'length-past-end', new Uint8Array(bytes), re(`^${esc(id)}\\.onnx: not an ONNX model \\((truncated protobuf|invalid field key \\d+) at byte \\d+ while reading ${where}\\)$`), note);
  lenPast('len-model-graph', [0x08, 0x08, 0x3a, 0xff, 0x01, 0x0a], 'graph\\.node\\[0\\]', 'graph length 255, 1 byte present');
  lenPast('len-graph-node', [0x08, 0x08, 0x3a, 0x03, 0x0a, 0x7f, 0x00], 'graph\\.node\\[0\\]', 'node length 127 inside a 3-byte graph');
  lenPast('len-node-string', [0x08, 0x08, 0x3a, 0x05, 0x0a, 0x03, 0x0a, 0x40, 0x61], 'graph\\.node\\[0\\]', 'input name of 64 bytes, 1 present');
  lenPast('len-huge', [0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00], 'graph', 'graph length 2^31-1');
  lenPast('len-opset', [0x08, 0x08, 0x42, 0x10, 0x0a], 'opset_import\\[0\\]', 'opset_import length 16, 1 byte present');
  lenPast('len-metadata', [0x08, 0x08, 0x72, 0x20, 0x0a, 0x01], 'metadata_props\\[0\\]', 'metadata entry length 32');
  {
    // a raw_data field whose length runs past the initializer's end
    const t = new ProtoWriter().packedVarints(1, [4]).varint(2, 1).string(8, 'w').finish();
    const tensor = [...t, 0x4a, 0x40, 0, 0];
    const g = [0x2a, tensor.length, ...tensor];
    lenPast('len-rawdata', [0x08, 0x08, 0x3a, g.length, ...g], 'graph\\.initializer\\[0\\]', 'raw_data length 64 inside a short tensor');
  }
  add('len-negative', 'length-past-end', new Uint8Array([0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), re('^len-negative\\.onnx: not an ONNX model \\(.+ at byte \\d+ while reading (model|graph)\\)$'), 'a length of -1 (ten-byte varint)');

  // ---- nesting: graphs inside Loop bodies 10,000 deep (the reader's depth limit is 64)
  add('nest-graphs-10000', 'nesting', model(nestedGraphs(10_000)), exact('nest-graphs-10000.onnx: graphs nested deeper than 64 levels'), '10,000 graphs nested through Loop bodies');
  add('nest-graphs-65', 'nesting', model(nestedGraphs(64)), exact('nest-graphs-65.onnx: graphs nested deeper than 64 levels'), 'just past the limit: 65 graphs');
  {
    // unknown fields nested 10,000 deep are skipped by length, never recursed into
    const deep = nest(new ProtoWriter().varint(1, 1).finish(), 10_000, (inner) => [cat(new Uint8Array([0x9a, 0x06]), encodeVarint(inner)), new Uint8Array(0)]);
    const g = new ProtoWriter().message(1, new ProtoWriter().string(1, 'images').string(2, 'y').string(4, 'Relu')).message(11, new ProtoWriter().string(1, 'images')).bytes(99, deep);
    add('nest-unknown-10000', 'nesting', model(g), { exit: 0 }, 'an unknown graph field holding 10,000 nested messages (skipped by length, the model analyses)');
  }

  // ---- node-count limit: 100,001 nodes (the reader's MAX_NODES is 10^5)
  {
    const g = new ProtoWriter();
    const node = new ProtoWriter().string(4, 'Relu').finish(); // shared bytes: a minimal node
    for (let i = 0; i <= 100_000; i++) g.bytes(1, node);
    add('nodes-100001', 'limits', model(g), exact('nodes-100001.onnx: more than 100,000 nodes; this tool\'s limit'), '100,001 minimal nodes (0.5 MB)');
  }
  if (big) {
    const g = new ProtoWriter();
    const node = new ProtoWriter().string(4, 'Relu').finish();
    for (let i = 0; i <= 1_000_000; i++) g.bytes(1, node);
    add('nodes-1000001', 'limits', model(g), exact('nodes-1000001.onnx: more than 100,000 nodes; this tool\'s limit'), '1,000,001 minimal nodes (4.9 MB): refused at the 100,001st');
  }

  // ---- dims: 2^63, overflowing products, negative, rank, zero-size
  const dimsCase = (id: string, spec: ModelSpec, expect: Expect, note: string) => add(id, 'dims', buildModel(spec), expect, note);
  dimsCase('dims-2p63', withGraph({ initializers: [...baseSpec().graph.initializers!, { name: 'huge', dims: [2 ** 63] }] }), re("^dims-2p63\\.onnx: tensor 'huge' has (a negative or invalid dim|dims \\[\\d+\\] whose product overflows 2\\^53)"), 'an initializer dim of 2^63 (INT64_MAX)');
  dimsCase('dims-2p53', withGraph({ initializers: [...baseSpec().graph.initializers!, { name: 'huge', dims: [2 ** 53 + 2] }] }), exact("dims-2p53.onnx: tensor 'huge' has dims [9007199254740994] whose product overflows 2^53"), 'an initializer dim just past 2^53');
  dimsCase('dims-product', withGraph({ initializers: [...baseSpec().graph.initializers!, { name: 'p', dims: [2 ** 30, 2 ** 30, 2 ** 10] }] }), exact("dims-product.onnx: tensor 'p' has dims [1073741824, 1073741824, 1024] whose product overflows 2^53"), 'each dim fine, the product is 2^70');
  dimsCase('dims-negative', withGraph({ initializers: [...baseSpec().graph.initializers!, { name: 'n', dims: [3, -2] }] }), exact("dims-negative.onnx: tensor 'n' has a negative or invalid dim -2 in [3, -2]"), 'negative initializer dim');
  dimsCase('dims-input-negative', withGraph({ inputs: [{ name: 'images', shape: [1, 3, -640, 640] }] }), exact("dims-input-negative.onnx: value 'images' has a negative dim -640"), 'negative input dim');
  dimsCase('dims-input-2p63', withGraph({ inputs: [{ name: 'images', shape: [1, 3, 2 ** 63, 640] }] }), { exit: 0 }, 'input dim of 2^63 (the metadata imgsz is used, not the file\'s dims)');
  dimsCase('dims-rank-17', withGraph({ initializers: [...baseSpec().graph.initializers!, { name: 'r', dims: new Array(17).fill(1) }] }), exact("dims-rank-17.onnx: tensor 'r' has rank 17; the limit is 16"), 'initializer of rank 17');
  dimsCase('dims-input-rank-40', withGraph({ inputs: [{ name: 'images', shape: new Array(40).fill(1) }] }), exact("dims-input-rank-40.onnx: value 'images' has rank above 16"), 'input of rank 40');
  dimsCase('dims-rawdata-short', withGraph({ initializers: [{ name: 'w0', dims: [8, 3, 3, 3], zeroBytes: 100 }, ...baseSpec().graph.initializers!.slice(1)] }), exact("dims-rawdata-short.onnx: tensor 'w0' has 100 bytes of raw_data, but its dims [8, 3, 3, 3] of float32 need 864"), 'raw_data shorter than the dims');
  dimsCase('dims-zero-weight', withGraph({ initializers: [{ name: 'w0', dims: [0, 3, 3, 3] }, ...baseSpec().graph.initializers!.slice(1)] }), { exit: 0 }, 'a Conv weight with 0 output channels (zero-size tensors: analysed, nothing divides by them)');
  dimsCase('dims-zero-input', withGraph({ inputs: [{ name: 'images', shape: [1, 3, 0, 0] }] }), { exit: 0 }, 'a static 0x0 input: the estimate uses imgsz, not the file\'s dims');
  {
    const noMeta = (shape: number[]): ModelSpec => ({ graph: { ...baseSpec().graph, inputs: [{ name: 'images', shape }] } });
    const size = (id: string, v: string) => exact(`${id}.onnx: the model's input size: image size must be a whole number from 32 to 8192, got ${v}`);
    dimsCase('dims-static-2p63', noMeta([1, 3, 2 ** 63, 2 ** 63]), size('dims-static-2p63', '9223372036854776000'), 'no metadata and a static input of 2^63 x 2^63: the file\'s size is the default imgsz');
    dimsCase('dims-static-zero', noMeta([1, 3, 0, 0]), size('dims-static-zero', '0'), 'no metadata and a static 0x0 input');
    dimsCase('dims-static-1e5', noMeta([1, 3, 100_000, 100_000]), size('dims-static-1e5', '100000'), 'no metadata and a static 100,000 x 100,000 input (was estimated at 6.5 TB)');
    dimsCase('dims-static-odd', noMeta([1, 3, 100, 100]), { exit: 0 }, 'no metadata and a static 100x100 input');
  }
  dimsCase('dims-rank2-input', withGraph({ inputs: [{ name: 'images', shape: [1, 3] }] }), { exit: 0 }, 'an image input declared rank 2 (the estimate builds its own NCHW input)');

  // ---- graph structure: cycles, dangling inputs, duplicates, unknown domains, no input
  const struct = (id: string, patch: Partial<ModelSpec['graph']>, expect: Expect, note: string, meta?: Partial<ModelSpec>) => add(id, 'structure', buildModel(withGraph(patch, meta)), expect, note);
  const nodes = baseSpec().graph.nodes;
  struct('cycle-2', { nodes: [{ op: 'Add', name: 'a', inputs: ['images', 'c'], outputs: ['b'] }, { op: 'Relu', name: 'r', inputs: ['b'], outputs: ['c'] }, { op: 'Relu', name: 'o', inputs: ['c'], outputs: ['y'] }] }, exact("cycle-2.onnx: graph has a cycle through node 0 'a' (Add)"), 'two nodes feeding each other');
  struct('cycle-self', { nodes: [{ op: 'Add', name: 'self', inputs: ['images', 'y'], outputs: ['y'] }] }, exact("cycle-self.onnx: graph has a cycle through node 0 'self' (Add)"), 'a node reading its own output');
  struct('cycle-long', { nodes: Array.from({ length: 500 }, (_, i): NodeSpec => ({ op: 'Relu', name: `n${i}`, inputs: [`t${(i + 499) % 500}`], outputs: [`t${i}`] })) }, exact("cycle-long.onnx: graph has a cycle through node 0 'n0' (Relu)"), 'a 500-node ring');
  struct('dup-output', { nodes: [...nodes, { op: 'Relu', name: 'again', inputs: ['images'], outputs: ['y'] }] }, exact("dup-output.onnx: tensor 'y' is produced by two nodes ('/model.1/act/Mul' and 'again')"), 'two nodes produce y');
  struct('dup-node-names', { nodes: nodes.map((n) => ({ ...n, name: 'same' })) }, { exit: 0 }, 'every node named the same (legal in ONNX)');
  struct('dup-initializer', { initializers: [...baseSpec().graph.initializers!, { name: 'w0', dims: [1] }] }, { exit: 0 }, 'two initializers named w0 (the last one wins in onnxruntime; the reader keeps both)');
  struct('dangling-input', { nodes: [...nodes.slice(0, 5), { op: 'Mul', name: '/model.1/act/Mul', inputs: ['c1', 'ghost'], outputs: ['y'] }] }, exact("dangling-input.onnx: node 5 '/model.1/act/Mul' (Mul) reads 'ghost', which no node, initializer or graph input produces"), 'a Mul reading a tensor nobody produces (onnxruntime refuses it at load)');
  struct('dangling-conv-weight', { nodes: [{ ...nodes[0], inputs: ['images', 'nowhere'] }, ...nodes.slice(1)] }, exact("dangling-conv-weight.onnx: node 0 '/model.0/conv/Conv' (Conv) reads 'nowhere', which no node, initializer or graph input produces"), 'a Conv whose weight is not in the file');
  struct('unknown-domain', { nodes: [...nodes.slice(0, 5), { op: 'FancyMul', domain: 'com.evil', name: 'evil', inputs: ['c1', 's1'], outputs: ['y'] }] }, exact('unknown-domain.onnx: evil: unsupported op FancyMul with unknown output shape'), 'an op from an unknown opset domain');
  struct('unknown-op', { nodes: [...nodes.slice(0, 5), { op: 'NoSuchOp', name: 'nso', inputs: ['c1', 's1'], outputs: ['y'] }] }, exact('unknown-op.onnx: nso: unsupported op NoSuchOp with unknown output shape'), 'an unknown ai.onnx op');
  struct('unknown-op-shaped', { nodes: [...nodes.slice(0, 5), { op: 'NoSuchOp', name: 'nso', inputs: ['c1', 's1'], outputs: ['y'] }], valueInfo: [{ name: 'y', shape: ['batch', 16, 16, 16] }] }, exact('unknown-op-shaped.onnx: nso: unsupported op NoSuchOp with unknown output shape'), 'an unknown op whose output shape value_info declares (shapes are inferred at the requested size, never taken from value_info)');
  struct('no-input', { inputs: [] }, exact('no-input.onnx: the graph has no image input'), 'no graph inputs at all');
  struct('no-nodes', { nodes: [], outputs: [{ name: 'images' }] }, { exit: 0 }, 'an empty graph (input is the output)');
  struct('opset-future', {}, { exit: 0 }, 'opset 999', { opset: 999 });
  struct('ir-future', {}, { exit: 0 }, 'ir_version 999', { irVersion: 999 });
  struct('bad-metadata', {}, { exit: 0 }, 'Ultralytics metadata that is not Python literals', { metadata: { stride: 'lots', names: '{{{', imgsz: '[a, b]', task: 'fly' } });
  struct('node-no-optype', { nodes: [...nodes, { op: '', name: 'blank', inputs: ['y'], outputs: ['z'] }] }, re('^node-no-optype\\.onnx: not an ONNX model \\(node without op_type at byte \\d+ while reading graph\\.node\\[6\\]\\)$'), 'a node with an empty op_type');
  struct('attr-wrong-type', { nodes: [{ ...nodes[0], attrs: { kernel_shape: { s: 'three' }, strides: { f: 2.5 }, pads: { strings: ['a'] } } }, ...nodes.slice(1)] }, { exit: 0 }, 'Conv attributes of the wrong types (ignored, defaults from the weight)');
  struct('attr-huge-stride', { nodes: [{ ...nodes[0], attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2 ** 40, 2 ** 40] }, pads: { ints: [1, 1, 1, 1] } } }, ...nodes.slice(1)] }, { exit: 0 }, 'a stride of 2^40 (output 1x1)');
  struct('concat-axis-2p31', { nodes: [...nodes, { op: 'Concat', name: 'cc', inputs: ['y', 'c1'], outputs: ['z'], attrs: { axis: { i: 2 ** 31 } } }] }, exact('concat-axis-2p31.onnx: cc: Concat axis 2147483648 is out of range for rank 4'), 'a Concat axis of 2^31 (was 95 s and a RangeError)');
  struct('attr-negative-pads', { nodes: [{ ...nodes[0], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [-100, -100, -100, -100] } } }, ...nodes.slice(1)] }, re("^attr-negative-pads\\.onnx: /model\\.0/conv/Conv: invalid dimension -\\d+ in shape \\[16, 8, -\\d+, -\\d+\\]$"), 'pads of -100');

  // ---- external data
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(64 + 1024));
  const ext = (location: string, offset = 64, length?: number) =>
    buildModel(withGraph({ initializers: [...baseSpec().graph.initializers!, { name: 'extw', dims: [16, 16], external: { location, offset, length } }] }));
  const extCase = (id: string, bytes: Uint8Array, expect: Expect, note: string) => add(id, 'external-data', bytes, expect, note);
  extCase('ext-ok', ext('weights.bin'), { exit: 0 }, 'external data present and long enough');
  extCase('ext-passwd', ext('../../etc/passwd'), exact("ext-passwd.onnx: external data of 'extw': location '../../etc/passwd' points outside the model's folder"), 'the classic escape');
  extCase('ext-deep-escape', ext('a/b/../../../x.bin'), exact("ext-deep-escape.onnx: external data of 'extw': location 'a/b/../../../x.bin' points outside the model's folder"), 'escape hidden behind subfolders');
  extCase('ext-backslash', ext('..\\..\\windows\\win.ini'), exact("ext-backslash.onnx: external data of 'extw': location '..\\..\\windows\\win.ini' points outside the model's folder"), 'Windows separators');
  extCase('ext-absolute', ext('/etc/passwd'), exact("ext-absolute.onnx: external data of 'extw': location '/etc/passwd' is an absolute path; it must be relative to the model's folder"), 'absolute POSIX path');
  extCase('ext-drive', ext('C:\\secrets.bin'), exact("ext-drive.onnx: external data of 'extw': location 'C:\\secrets.bin' is an absolute path; it must be relative to the model's folder"), 'absolute Windows path');
  extCase('ext-unc', ext('\\\\server\\share\\w.bin'), exact("ext-unc.onnx: external data of 'extw': location '\\\\server\\share\\w.bin' is an absolute path; it must be relative to the model's folder"), 'UNC path');
  extCase('ext-nul', ext('weights.bin\0.txt'), exact("ext-nul.onnx: external data of 'extw': invalid location 'weights.bin\0.txt'"), 'a NUL byte in the location');
  extCase('ext-missing', ext('nothere.bin'), exact("ext-missing.onnx: external data of 'extw': file 'nothere.bin' not found next to the model"), 'missing weights file');
  extCase('ext-empty-location', ext(''), exact("ext-empty-location.onnx: external data of 'extw': no location"), 'empty location');
  extCase('ext-short', ext('weights.bin', 512), exact("ext-short.onnx: external data of 'extw': file 'weights.bin' has 1088 bytes, but the tensor needs bytes 512..1536"), 'offset+length past the file end');
  extCase('ext-length', ext('weights.bin', 64, 10), exact("ext-length.onnx: external data of 'extw': length 10 is shorter than the 1024 bytes its dims need"), 'declared length shorter than the dims');
  extCase('ext-folder', ext('.'), exact("ext-folder.onnx: external data of 'extw': '.' is not a file"), 'the model folder itself');
  {
    const bytes = buildModel(withGraph({ initializers: [...baseSpec().graph.initializers!, { name: 'extw', dims: [16, 16], external: { location: 'weights.bin', offset: 0, length: 1024 } }] }));
    // rewrite "0" offset into text that is not a number: same length keeps every length prefix valid
    const at = indexOfText(bytes, 'offset') + 'offset'.length + 2;
    bytes[at] = 'x'.charCodeAt(0);
    extCase('ext-offset-nan', bytes, exact("ext-offset-nan.onnx: external data of 'extw': offset/length are not numbers"), 'offset "x"');
  }
  try {
    symlinkSync('/etc/hostname', join(dir, 'link.bin'));
    extCase('ext-symlink', ext('link.bin', 0, 1024), re("^ext-symlink\\.onnx: external data of 'extw': file 'link\\.bin' has \\d+ bytes, but the tensor needs bytes 0\\.\\.1024$"), 'a symlink in the model folder pointing outside (only stat()ed, never read)');
  } catch {
    // no symlinks on this file system: case left out
  }
  return cases;
}

function indexOfText(bytes: Uint8Array, s: string): number {
  const t = new TextEncoder().encode(s);
  outer: for (let i = 0; i + t.length <= bytes.length; i++) {
    for (let k = 0; k < t.length; k++) if (bytes[i + k] !== t[k]) continue outer;
    return i;
  }
  throw new Error(`'${s}' not in the model bytes`);
}
