// ONNX reader: decodes a ModelProto into plain JSON-able data, without reading weight payloads.
//
// API
//   readOnnxFile(path): OnnxModel          sync; reads only the graph structure from disk (a moving
//                                          window; weights are skipped by position). External data
//                                          files are stat()ed: they must exist, be long enough, and
//                                          lie inside the model's folder.
//   parseOnnx(bytes, nameForErrors, { baseDir? }): OnnxModel   same, from memory.
//   OnnxFormatError / isOnnxFormatError    every refusal: `.message` is one line starting with the
//                                          file name, `.kind` says why (empty, not-onnx, truncated,
//                                          malformed, limit, cycle, dims, external-data, io),
//                                          `.offset` is the byte offset when known.
//   parsePyLiteral(text)                   Python literal → JSON value, never eval.
//   ortShapes(...) lives in './ort-shapes' and is NOT re-exported here, so importing the reader
//   never loads onnxruntime-node.
//
// OnnxModel (see types.ts): file, byteLength, irVersion, opset (ai.onnx version), opsetImport,
// producerName/Version, metadata (raw strings), ultralytics (parsed stride/task/imgsz/names/args/
// batch/channels, or null), graph { name, nodes[{name, opType, domain, inputs, outputs,
// attributes{name: {type, value}}}], initializers[OnnxTensor], inputs/outputs/valueInfo[{name,
// dtype, shape: (number | dim_param string | null)[] | null}], order (topological node indices) }.
// OnnxTensor: name, dtype, dims, elements, byteLength, data (where the payload is), and `values`
// only for numeric tensors of ≤ 64 elements.
export { readOnnxFile, parseOnnx, type ParseOptions } from './read';
export { OnnxFormatError, isOnnxFormatError, type OnnxErrorKind } from './errors';
export { parsePyLiteral, type PyValue } from './pyliteral';
export { ONNX_DTYPE_BYTES, dtypeFromCode, dtypeCode, isFloatDType, isIntDType, type OnnxDType } from './dtypes';
export { MAX_FILE_BYTES, MAX_NODES, MAX_RANK, MAX_DECODED_ELEMENTS } from './limits';
export type * from './types';
