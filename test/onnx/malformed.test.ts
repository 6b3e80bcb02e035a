// Malformed and hostile inputs: each must give one OnnxFormatError line that names the file and
// says what is wrong, never a crash or a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOnnx, readOnnxFile, isOnnxFormatError, type OnnxErrorKind } from '../../src/core/onnx/index';
import { buildModel, writeModel, type ModelSpec, type TensorSpec } from '../helpers/onnx-writer';
import { modelPath } from './fixtures';

function error(fn: () => unknown): { message: string; kind: OnnxErrorKind } {
  try {
    fn();
  } catch (e) {
    assert.ok(isOnnxFormatError(e), `expected OnnxFormatError, got ${e}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    return { message: e.message, kind: e.kind };
  }
  assert.fail('expected an error');
}

const tmp = () => mkdtempSync(join(tmpdir(), 'onnx-bad-'));
const relu = (extra: Partial<ModelSpec['graph']> = {}): ModelSpec => ({
  graph: { inputs: [{ name: 'x', shape: [1, 4] }], outputs: [{ name: 'y' }], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }], ...extra },
});

test('zero-length file', () => {
  const p = join(tmp(), 'empty.onnx');
  writeFileSync(p, '');
  assert.deepEqual(error(() => readOnnxFile(p)), { message: 'empty.onnx: empty file (0 bytes), not an ONNX model', kind: 'empty' });
});

test('missing file and folder', () => {
  assert.equal(error(() => readOnnxFile(join(tmp(), 'nope.onnx'))).message, 'nope.onnx: file not found');
  const d = tmp();
  mkdirSync(join(d, 'dir.onnx'));
  assert.equal(error(() => readOnnxFile(join(d, 'dir.onnx'))).message, 'dir.onnx: is a folder, not an ONNX file');
});

test('not protobuf: text, a zip checkpoint, a Git LFS pointer, random bytes', () => {
  assert.match(error(() => parseOnnx(new TextEncoder().encode('hello world, this is text'), 'a.onnx')).message, /^a\.onnx: not an ONNX model \(first bytes 68 65 6c 6c do not start an ONNX ModelProto\)$/);
  assert.equal(error(() => parseOnnx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 'best.pt')).message, 'best.pt: not an ONNX model (a zip archive, e.g. a PyTorch .pt checkpoint; export it to ONNX first)');
  assert.match(error(() => parseOnnx(new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\n'), 'm.onnx')).message, /Git LFS pointer/);
  assert.match(error(() => parseOnnx(new TextEncoder().encode('{"a": 1}'), 'm.onnx')).message, /JSON/);
  // Starts like a ModelProto (field 1 varint) and then turns into garbage.
  const junk = new Uint8Array([0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
  const e = error(() => parseOnnx(junk, 'junk.onnx'));
  assert.equal(e.kind, 'malformed');
  assert.equal(e.message, 'junk.onnx: not an ONNX model (invalid field key 1 at byte 8 while reading graph)');
});

test('a protobuf without a graph is refused', () => {
  assert.equal(error(() => parseOnnx(new Uint8Array([0x08, 0x08]), 'nog.onnx')).message, 'nog.onnx: not an ONNX model (no graph in the file)');
});

test('truncated files name the offset and the field being read', () => {
  const bytes = buildModel(relu({ nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['h'] }, { op: 'Conv', inputs: ['h', 'w'], outputs: ['y'], attrs: { kernel_shape: { ints: [1, 1] } } }] }));
  // Cut inside the second node's attribute.
  const full = parseOnnx(bytes, 'ok.onnx');
  assert.equal(full.graph.nodes.length, 2);
  const at = bytes.indexOf('kernel_shape'.charCodeAt(0), 30);
  const e = error(() => parseOnnx(bytes.subarray(0, at + 3), 'cut.onnx'));
  assert.equal(e.kind, 'truncated');
  assert.match(e.message, /^cut\.onnx: not an ONNX model \(truncated protobuf at byte \d+ while reading graph\.node\[1\]\.attribute\[0\]\)$/);
});

test('truncated fixture: the error names the file and the initializer', () => {
  const bytes = readFileSync(modelPath('yolov8n-640-static.onnx'));
  const d = tmp();
  const p = join(d, 'yolov8n.onnx');
  writeFileSync(p, bytes.subarray(0, 1234));
  const e = error(() => readOnnxFile(p));
  assert.match(e.message, /^yolov8n\.onnx: not an ONNX model \(truncated protobuf at byte \d+ while reading graph\.(node|initializer)\[\d+\]/);
  writeFileSync(p, bytes.subarray(0, bytes.length - 100));
  assert.match(error(() => readOnnxFile(p)).message, /^yolov8n\.onnx: not an ONNX model \(truncated protobuf at byte \d+ while reading /);
});

test('a graph cycle is refused with the node that closes it', () => {
  const spec = relu({
    nodes: [
      { op: 'Add', name: 'a', inputs: ['x', 'c'], outputs: ['b'] },
      { op: 'Relu', name: 'r', inputs: ['b'], outputs: ['c'] },
      { op: 'Relu', name: 'out', inputs: ['c'], outputs: ['y'] },
    ],
  });
  const e = error(() => parseOnnx(buildModel(spec), 'cyc.onnx'));
  assert.equal(e.kind, 'cycle');
  assert.equal(e.message, "cyc.onnx: graph has a cycle through node 0 'a' (Add)");
});

test('nodes out of order are sorted, not refused', () => {
  const m = parseOnnx(buildModel(relu({ nodes: [{ op: 'Relu', inputs: ['h'], outputs: ['y'] }, { op: 'Relu', inputs: ['x'], outputs: ['h'] }] })), 'unsorted.onnx');
  assert.deepEqual(m.graph.order, [1, 0]);
});

test('a tensor produced twice is refused', () => {
  const spec = relu({ nodes: [{ op: 'Relu', name: 'p', inputs: ['x'], outputs: ['y'] }, { op: 'Relu', name: 'q', inputs: ['x'], outputs: ['y'] }] });
  assert.equal(error(() => parseOnnx(buildModel(spec), 'dup.onnx')).message, "dup.onnx: tensor 'y' is produced by two nodes ('p' and 'q')");
});

test('dims whose product overflows 2^53, negative dims, and rank above 16', () => {
  const huge: TensorSpec = { name: 'huge', dims: [2 ** 30, 2 ** 30, 2 ** 10] };
  const e = error(() => parseOnnx(buildModel(relu({ initializers: [huge] })), 'big.onnx'));
  assert.equal(e.kind, 'dims');
  assert.equal(e.message, "big.onnx: tensor 'huge' has dims [1073741824, 1073741824, 1024] whose product overflows 2^53");
  const neg = error(() => parseOnnx(buildModel(relu({ initializers: [{ name: 'neg', dims: [3, -2] }] })), 'neg.onnx'));
  assert.equal(neg.message, "neg.onnx: tensor 'neg' has a negative or invalid dim -2 in [3, -2]");
  const negVi = error(() => parseOnnx(buildModel(relu({ inputs: [{ name: 'x', shape: [1, -4] }] })), 'negv.onnx'));
  assert.equal(negVi.message, "negv.onnx: value 'x' has a negative dim -4");
  const deep = error(() => parseOnnx(buildModel(relu({ initializers: [{ name: 'deep', dims: new Array(17).fill(1) }] })), 'deep.onnx'));
  assert.equal(deep.message, "deep.onnx: tensor 'deep' has rank 17; the limit is 16");
});

test('raw_data whose length disagrees with the dims is refused', () => {
  const e = error(() => parseOnnx(buildModel(relu({ initializers: [{ name: 'w', dims: [4, 4], zeroBytes: 60 }] })), 'short.onnx'));
  assert.equal(e.message, "short.onnx: tensor 'w' has 60 bytes of raw_data, but its dims [4, 4] of float32 need 64");
});

test('external data: present, missing, too short, escaping, absolute', () => {
  const d = tmp();
  const ext = (loc: string, length?: number): ModelSpec => relu({ initializers: [{ name: 'w', dims: [16, 16], external: { location: loc, offset: 64, length } }] });
  writeFileSync(join(d, 'weights.bin'), new Uint8Array(64 + 1024));
  writeModel(join(d, 'ok.onnx'), ext('weights.bin'));
  const ok = readOnnxFile(join(d, 'ok.onnx'));
  assert.deepEqual(ok.graph.initializers[0].data, { kind: 'external', location: 'weights.bin', path: join(d, 'weights.bin'), offset: 64, length: 1024 });

  writeModel(join(d, 'missing.onnx'), ext('nothere.bin'));
  assert.deepEqual(error(() => readOnnxFile(join(d, 'missing.onnx'))), { kind: 'external-data', message: "missing.onnx: external data of 'w': file 'nothere.bin' not found next to the model" });

  writeFileSync(join(d, 'short.bin'), new Uint8Array(100));
  writeModel(join(d, 'short.onnx'), ext('short.bin'));
  assert.equal(error(() => readOnnxFile(join(d, 'short.onnx'))).message, "short.onnx: external data of 'w': file 'short.bin' has 100 bytes, but the tensor needs bytes 64..1088");

  writeModel(join(d, 'esc.onnx'), ext('../../etc/passwd'));
  assert.equal(error(() => readOnnxFile(join(d, 'esc.onnx'))).message, "esc.onnx: external data of 'w': location '../../etc/passwd' points outside the model's folder");
  writeModel(join(d, 'esc2.onnx'), ext('sub/../../x.bin'));
  assert.match(error(() => readOnnxFile(join(d, 'esc2.onnx'))).message, /points outside the model's folder/);

  writeModel(join(d, 'abs.onnx'), ext('/etc/passwd'));
  assert.equal(error(() => readOnnxFile(join(d, 'abs.onnx'))).message, "abs.onnx: external data of 'w': location '/etc/passwd' is an absolute path; it must be relative to the model's folder");

  writeModel(join(d, 'len.onnx'), ext('weights.bin', 10));
  assert.match(error(() => readOnnxFile(join(d, 'len.onnx'))).message, /length 10 is shorter than the 1024 bytes its dims need/);

  // From memory without a folder: path syntax is still checked, existence is not.
  assert.equal((parseOnnx(buildModel(ext('nothere.bin')), 'mem.onnx').graph.initializers[0].data as { path: unknown }).path, null);
  assert.match(error(() => parseOnnx(buildModel(ext('../x.bin')), 'mem.onnx')).message, /outside the model's folder/);
});

test('a wire type that contradicts the schema is reported with its offset', () => {
  // Field 7 (graph) sent as a varint.
  const e = error(() => parseOnnx(new Uint8Array([0x08, 0x08, 0x38, 0x01]), 'wt.onnx'));
  assert.equal(e.message, 'wt.onnx: not an ONNX model (field 7 has wire type 0, expected 2 at byte 3 while reading model)');
});

test('a file above 2 GiB is refused before reading (sparse file, no disk used)', () => {
  const p = join(tmp(), 'huge.onnx');
  writeFileSync(p, '');
  truncateSync(p, 2 ** 31 + 1);
  assert.deepEqual(error(() => readOnnxFile(p)), {
    kind: 'limit',
    message: 'huge.onnx: file is 2.00 GiB; an ONNX protobuf cannot exceed 2 GiB (large models keep their weights in external data files)',
  });
});
