// Validation of external-data references (weights stored next to the .onnx file). The files are
// only stat()ed for their size; their bytes are never read. A location must stay inside the
// model's folder: ONNX's own checker refuses absolute paths and `..` escapes, and so do we, since a
// crafted model could otherwise make the tool probe arbitrary files.
import { statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { OnnxFormatError } from './errors';

export interface ExternalRef {
  location: string;
  offset: number;
  /** -1 when the entry has no length: then the tensor's byte length is used. */
  length: number;
}

/** Checks `ref` and returns the resolved path (null when the model's folder is unknown). */
export function checkExternal(
  file: string,
  tensorName: string,
  ref: ExternalRef,
  byteLength: number,
  baseDir: string | null,
  sizes: Map<string, number>,
): { path: string | null; length: number } {
  const loc = ref.location;
  const fail = (detail: string): never => {
    throw new OnnxFormatError(file, 'external-data', `external data of '${tensorName}': ${detail}`);
  };
  if (!loc) fail('no location');
  if (loc.includes('\0')) fail(`invalid location '${loc}'`);
  if (isAbsolute(loc) || /^[a-zA-Z]:[\\/]/.test(loc) || loc.startsWith('\\')) fail(`location '${loc}' is an absolute path; it must be relative to the model's folder`);
  const norm = normalize(loc.replace(/\\/g, '/'));
  if (norm === '..' || norm.startsWith('..' + sep) || norm.startsWith('../')) fail(`location '${loc}' points outside the model's folder`);
  if (ref.offset < 0 || !Number.isSafeInteger(ref.offset)) fail(`invalid offset ${ref.offset}`);
  const length = ref.length >= 0 ? ref.length : byteLength;
  if (ref.length >= 0 && ref.length < byteLength) fail(`length ${ref.length} is shorter than the ${byteLength} bytes its dims need`);
  if (baseDir === null) return { path: null, length };
  const path = join(baseDir, norm);
  let size = sizes.get(path);
  if (size === undefined) {
    try {
      const st = statSync(path);
      if (!st.isFile()) fail(`'${loc}' is not a file`);
      size = st.size;
    } catch (e) {
      if (e instanceof OnnxFormatError) throw e;
      fail(`file '${loc}' not found next to the model`);
    }
    sizes.set(path, size as number);
  }
  if (ref.offset + length > (size as number)) fail(`file '${loc}' has ${size} bytes, but the tensor needs bytes ${ref.offset}..${ref.offset + length}`);
  return { path, length };
}
