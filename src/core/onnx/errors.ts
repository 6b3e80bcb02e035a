// One error type for everything the ONNX reader refuses, so callers (CLI, worker, views) can show a
// one-line message without a stack trace. The message always starts with the file name.

export type OnnxErrorKind =
  | 'empty' // zero-length file
  | 'not-onnx' // first bytes are not a ModelProto (or another known format)
  | 'truncated' // a field runs past the end of its message or of the file
  | 'malformed' // a field has the wrong wire type, a bad enum, a negative length ...
  | 'limit' // too large for this tool: file size, node count, rank
  | 'cycle' // the graph is not a DAG
  | 'dims' // negative dims or element counts past 2^53
  | 'external-data' // an external weight file is missing, too short or outside the model folder
  | 'io'; // the file itself cannot be read

export class OnnxFormatError extends Error {
  override readonly name = 'OnnxFormatError';
  constructor(
    readonly file: string,
    readonly kind: OnnxErrorKind,
    readonly detail: string,
    /** Byte offset in the file where decoding failed, when it is known. */
    readonly offset?: number,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** Type guard that also works across bundle copies (the CLI and worker each bundle the core). */
export function isOnnxFormatError(e: unknown): e is OnnxFormatError {
  return e instanceof Error && e.name === 'OnnxFormatError' && typeof (e as OnnxFormatError).file === 'string';
}
