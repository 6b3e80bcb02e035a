// Entry points of the reader: a file on disk (read through a moving window, weights skipped) or
// bytes already in memory (read in place).
import { NotRegularFileError } from '../fs/regular-file';
import { basename, dirname, resolve } from 'node:path';
import { decodeModel } from './decode';
import { OnnxFormatError } from './errors';
import { MAX_FILE_BYTES } from './limits';
import { ultralyticsMetadata } from './metadata';
import { sniff } from './sniff';
import { fileSource, memorySource, type ByteSource } from './source';
import { topologicalOrder } from './topo';
import type { OnnxModel } from './types';
import { WireReader } from './wire';

export interface ParseOptions {
  /** Folder that external-data locations are relative to. Without it, external references are
   *  checked for path escapes only, not for existence. */
  baseDir?: string;
}

/** Decodes an ONNX model held in memory. `nameForErrors` starts every error message. */
export function parseOnnx(bytes: Uint8Array, nameForErrors: string, options: ParseOptions = {}): OnnxModel {
  return decodeFrom(memorySource(bytes), nameForErrors, options.baseDir ?? null);
}

/** Reads and decodes an ONNX file. Only the graph structure is read from disk: weight payloads are
 *  skipped by position, so the cost follows the node count, not the weight bytes. */
export function readOnnxFile(path: string): OnnxModel {
  const name = basename(path);
  let src;
  try {
    src = fileSource(path);
  } catch (e) {
    throw new OnnxFormatError(name, 'io', ioMessage(e));
  }
  if (src.size > MAX_FILE_BYTES) {
    src.close();
    throw new OnnxFormatError(name, 'limit', `file is ${(src.size / 2 ** 30).toFixed(2)} GiB; an ONNX protobuf cannot exceed 2 GiB (large models keep their weights in external data files)`);
  }
  try {
    return decodeFrom(src, name, dirname(resolve(path)));
  } finally {
    src.close();
  }
}

function ioMessage(e: unknown): string {
  if (e instanceof NotRegularFileError) return e.code === 'EISDIR' || e.message.startsWith('is a folder') ? 'is a folder, not an ONNX file' : e.message;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder, not an ONNX file';
  return `cannot read file (${code ?? String(e)})`;
}

function decodeFrom(src: ByteSource, file: string, baseDir: string | null): OnnxModel {
  if (src.size > MAX_FILE_BYTES) throw new OnnxFormatError(file, 'limit', `model is larger than 2 GiB, the protobuf limit`);
  const head = src.load(0, Math.min(64, src.size));
  sniff(file, head.buf.subarray(0, Math.min(64, head.buf.length)), src.size);
  const r = new WireReader(src, file);
  const raw = decodeModel({ r, file, baseDir, sizes: new Map(), nodeCount: 0, depth: 0 });
  if (!raw.graph) throw new OnnxFormatError(file, 'not-onnx', 'not an ONNX model (no graph in the file)');
  raw.graph.order = topologicalOrder(file, raw.graph);
  const def = raw.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return {
    file,
    byteLength: src.size,
    irVersion: raw.irVersion,
    opsetImport: raw.opsetImport,
    // IR version 3+ files must import an opset; older ones implicitly used opset 1.
    opset: def?.version ?? (raw.opsetImport.length === 0 ? 1 : 0),
    producerName: raw.producerName,
    producerVersion: raw.producerVersion,
    domain: raw.domain,
    modelVersion: raw.modelVersion,
    metadata: raw.metadata,
    ultralytics: ultralyticsMetadata(raw.metadata),
    graph: raw.graph,
  };
}
