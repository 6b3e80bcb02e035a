// Cheap identification from the first bytes, before any decoding: an empty file, another known
// format (a PyTorch checkpoint is a zip, a Git LFS pointer is text ...), or a first field that no
// ModelProto can start with. The message then says what the file is instead of a protobuf error.
import { OnnxFormatError } from './errors';

const MODEL_FIELDS: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

const startsWith = (b: Uint8Array, s: string) => b.length >= s.length && [...s].every((c, i) => b[i] === c.charCodeAt(0));

export function sniff(file: string, head: Uint8Array, size: number): void {
  if (size === 0) throw new OnnxFormatError(file, 'empty', 'empty file (0 bytes), not an ONNX model', 0);
  const other = otherFormat(head);
  if (other) throw new OnnxFormatError(file, 'not-onnx', `not an ONNX model (${other})`, 0);
  // First field key: a varint; ModelProto writers (onnx, torch) start with ir_version = field 1.
  let tag = 0;
  for (let i = 0, shift = 0; i < Math.min(head.length, 5); i++, shift += 7) {
    tag += (head[i] & 0x7f) * 2 ** shift;
    if (head[i] < 0x80) break;
  }
  const field = Math.floor(tag / 8);
  const wire = tag % 8;
  if (MODEL_FIELDS[field] !== wire) {
    const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new OnnxFormatError(file, 'not-onnx', `not an ONNX model (first bytes ${hex} do not start an ONNX ModelProto)`, 0);
  }
}

function otherFormat(b: Uint8Array): string | null {
  if (startsWith(b, 'PK\x03\x04')) return 'a zip archive, e.g. a PyTorch .pt checkpoint; export it to ONNX first';
  if (startsWith(b, 'version https://git-lfs')) return 'a Git LFS pointer; run `git lfs pull` to fetch the real file';
  if (startsWith(b, '\x89HDF')) return 'an HDF5 file (Keras?)';
  if (startsWith(b, 'GGUF')) return 'a GGUF file';
  if (b[0] === 0x80 && b.length > 1 && b[1] >= 2 && b[1] <= 5) return 'a Python pickle';
  if (b.length >= 8 && startsWith(b.subarray(4), 'TFL3')) return 'a TensorFlow Lite model';
  const text = String.fromCharCode(...b.subarray(0, 16)).trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return 'a JSON/text file';
  if (/^(#|%YAML|[a-z_]+:\s)/i.test(text)) return 'a text file (YAML?)';
  if (text.startsWith('<')) return 'an XML/HTML file';
  return null;
}
