// Makes the ONNX test models in test/data/models/ from full exports (run by hand:
// `node --import tsx scripts/test-data/zero-weights.ts <export.onnx>... <out-dir>`).
//
// Each copy is byte-for-byte the export except that every weight payload larger than the reader's
// MAX_DECODED_ELEMENTS is overwritten with zeros, in place (same offsets, same lengths, same file
// size). The estimator never reads weight values, only their dtype, dims and byte length, and it
// decodes only the tiny constants that shape subgraphs need, which are left untouched. Zeros
// compress to almost nothing, so the repository carries kilobytes instead of the 87 MB of random
// weights, and every test reads the same structure, shapes, metadata and file layout as the export.
import { closeSync, copyFileSync, openSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MAX_DECODED_ELEMENTS, readOnnxFile } from '../../src/core/onnx/index';
import type { OnnxGraph, OnnxTensor } from '../../src/core/onnx/types';

function payloads(g: OnnxGraph, out: OnnxTensor[]): void {
  out.push(...g.initializers);
  for (const n of g.nodes) {
    for (const a of Object.values(n.attributes)) {
      if (a.type === 'tensor') out.push(a.value);
      else if (a.type === 'tensors') out.push(...a.value);
      else if (a.type === 'graph') payloads(a.value, out);
      else if (a.type === 'graphs') for (const s of a.value) payloads(s, out);
    }
  }
}

const args = process.argv.slice(2);
const outDir = args.pop();
if (!outDir || args.length === 0) {
  console.error('usage: zero-weights.ts <export.onnx>... <out-dir>');
  process.exit(2);
}
for (const src of args) {
  const dst = join(outDir, basename(src));
  const model = readOnnxFile(src);
  const tensors: OnnxTensor[] = [];
  payloads(model.graph, tensors);
  copyFileSync(src, dst);
  const fd = openSync(dst, 'r+');
  let zeroed = 0;
  try {
    for (const t of tensors) {
      if (t.elements <= MAX_DECODED_ELEMENTS) continue;
      if (t.data.kind !== 'raw' && t.data.kind !== 'typed') continue;
      writeSync(fd, Buffer.alloc(t.data.length), 0, t.data.length, t.data.offset);
      zeroed += t.data.length;
    }
  } finally {
    closeSync(fd);
  }
  console.log(`${dst}: ${zeroed} of its bytes zeroed`);
}
