// The decoded ONNX model: plain JSON-able data (no classes, Maps, bigints, or weight bytes).
// Tensor payloads are described by where they are (offset and length), never copied, except for
// tiny numeric tensors (≤ MAX_DECODED_ELEMENTS) whose values shape subgraphs need.
import type { OnnxDType } from './dtypes';

export interface OnnxOpset {
  domain: string; // '' or 'ai.onnx' is the default operator set
  version: number;
}

/** A dimension as declared: a number, a symbolic name (dim_param), or null when neither is set. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  dtype: OnnxDType;
  /** null when the type has no shape at all (rank unknown). */
  shape: OnnxDim[] | null;
}

export type OnnxTensorData =
  /** raw_data: bytes [offset, offset+length) of the .onnx file. */
  | { kind: 'raw'; offset: number; length: number }
  /** One of the typed repeated fields (float_data, int64_data ...): its bytes in the file. */
  | { kind: 'typed'; field: string; offset: number; length: number }
  /** External data: `path` is resolved against the model's folder and was checked to exist and be
   *  long enough (when the reader knows the folder). */
  | { kind: 'external'; location: string; path: string | null; offset: number; length: number }
  | { kind: 'none' };

export interface OnnxTensor {
  name: string;
  dtype: OnnxDType;
  dims: number[];
  /** Product of dims (1 for a scalar). */
  elements: number;
  /** elements × dtype size (rounded up for 4-bit types); 0 for strings. */
  byteLength: number;
  data: OnnxTensorData;
  /** Values of tiny numeric tensors, decoded eagerly (int64 beyond 2^53 lose precision). */
  values?: number[];
}

export type OnnxAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxTensor }
  | { type: 'graph'; value: OnnxGraph }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensors'; value: OnnxTensor[] }
  | { type: 'graphs'; value: OnnxGraph[] }
  | { type: 'other'; code: number }; // sparse tensors, type protos: kept as present, not decoded

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
  /** Node indices in a topological order (equals file order for well-formed exports). */
  order: number[];
}

/** Ultralytics/YOLOv5 export metadata, parsed from the Python-literal strings in metadata_props. */
export interface UltralyticsMetadata {
  task?: string;
  stride?: number;
  imgsz?: number[];
  batch?: number;
  channels?: number;
  /** Class index → name. */
  names?: Record<string, string>;
  /** The training/export arguments dict (`args`), values as parsed literals. */
  args?: Record<string, unknown>;
  version?: string;
  description?: string;
  author?: string;
  date?: string;
}

export interface OnnxModel {
  /** Name used in error messages (the file's base name). */
  file: string;
  byteLength: number;
  irVersion: number;
  opsetImport: OnnxOpset[];
  /** Version of the default (ai.onnx) operator set; 0 if not imported. */
  opset: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  metadata: Record<string, string>;
  /** Present when the metadata looks like an Ultralytics or YOLOv5 export. */
  ultralytics: UltralyticsMetadata | null;
  graph: OnnxGraph;
}
