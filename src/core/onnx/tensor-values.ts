// Decoding the values of tiny tensors (shape constants, Slice bounds, Resize scales). Only called
// for tensors of at most MAX_DECODED_ELEMENTS elements; everything larger stays on disk.
import type { OnnxDType } from './dtypes';

const TWO_32 = 4294967296;

/** Little-endian raw_data → numbers; undefined for dtypes shape subgraphs never carry as values. */
export function decodeRaw(dtype: OnnxDType, bytes: Uint8Array, count: number): number[] | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'float32':
        out.push(dv.getFloat32(i * 4, true));
        break;
      case 'float64':
        out.push(dv.getFloat64(i * 8, true));
        break;
      case 'float16':
        out.push(halfToNumber(dv.getUint16(i * 2, true)));
        break;
      case 'int64':
        out.push(dv.getInt32(i * 8 + 4, true) * TWO_32 + dv.getUint32(i * 8, true));
        break;
      case 'uint64':
        out.push(dv.getUint32(i * 8 + 4, true) * TWO_32 + dv.getUint32(i * 8, true));
        break;
      case 'int32':
        out.push(dv.getInt32(i * 4, true));
        break;
      case 'uint32':
        out.push(dv.getUint32(i * 4, true));
        break;
      case 'int16':
        out.push(dv.getInt16(i * 2, true));
        break;
      case 'uint16':
        out.push(dv.getUint16(i * 2, true));
        break;
      case 'int8':
        out.push(dv.getInt8(i));
        break;
      case 'uint8':
      case 'bool':
        out.push(dv.getUint8(i));
        break;
      default:
        return undefined;
    }
  }
  return out;
}

/** int32_data holds every type of 32 bits or fewer; float16 is stored as its bit pattern. */
export function fromInt32Data(dtype: OnnxDType, raw: number[]): number[] | undefined {
  if (dtype === 'float16') return raw.map((v) => halfToNumber(v & 0xffff));
  if (dtype === 'bfloat16') return raw.map((v) => bfloatToNumber(v & 0xffff));
  if (dtype === 'bool' || dtype === 'uint8' || dtype === 'uint16') return raw.map((v) => v >>> 0);
  if (dtype === 'int8' || dtype === 'int16' || dtype === 'int32') return raw.map((v) => v | 0);
  return undefined;
}

export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function bfloatToNumber(b: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, b << 16);
  return dv.getFloat32(0);
}
