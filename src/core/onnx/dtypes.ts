// ONNX TensorProto.DataType codes and their byte sizes. The names reuse the TrainGraph DType
// spellings (float32, int64, ...) where they overlap, so the converter can map them one to one.

export type OnnxDType =
  | 'float32'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'string'
  | 'bool'
  | 'float16'
  | 'float64'
  | 'uint32'
  | 'uint64'
  | 'complex64'
  | 'complex128'
  | 'bfloat16'
  | 'float8e4m3fn'
  | 'float8e4m3fnuz'
  | 'float8e5m2'
  | 'float8e5m2fnuz'
  | 'uint4'
  | 'int4'
  | 'undefined';

/** Index = TensorProto.DataType code (onnx.proto3, ONNX 1.16). */
const CODES: readonly OnnxDType[] = [
  'undefined',
  'float32',
  'uint8',
  'int8',
  'uint16',
  'int16',
  'int32',
  'int64',
  'string',
  'bool',
  'float16',
  'float64',
  'uint32',
  'uint64',
  'complex64',
  'complex128',
  'bfloat16',
  'float8e4m3fn',
  'float8e4m3fnuz',
  'float8e5m2',
  'float8e5m2fnuz',
  'uint4',
  'int4',
];

/** Bytes per element; 4-bit types are 0.5 (packed two per byte); strings have no fixed size. */
export const ONNX_DTYPE_BYTES: Readonly<Record<OnnxDType, number>> = {
  undefined: 0,
  float32: 4,
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  int32: 4,
  int64: 8,
  string: 0,
  bool: 1,
  float16: 2,
  float64: 8,
  uint32: 4,
  uint64: 8,
  complex64: 8,
  complex128: 16,
  bfloat16: 2,
  float8e4m3fn: 1,
  float8e4m3fnuz: 1,
  float8e5m2: 1,
  float8e5m2fnuz: 1,
  uint4: 0.5,
  int4: 0.5,
};

/** Unknown codes (from a newer ONNX) map to undefined rather than failing the whole file. */
export function dtypeFromCode(code: number): OnnxDType {
  return CODES[code] ?? 'undefined';
}

export function dtypeCode(dtype: OnnxDType): number {
  const i = CODES.indexOf(dtype);
  return i < 0 ? 0 : i;
}

export function isFloatDType(d: OnnxDType): boolean {
  return d === 'float32' || d === 'float16' || d === 'float64' || d === 'bfloat16' || d.startsWith('float8');
}

export function isIntDType(d: OnnxDType): boolean {
  return /^u?int(8|16|32|64|4)$/.test(d);
}
