// A small protobuf wire-format reader written for the ONNX decoder. Every read checks the bounds
// of the current message and of the source, and failures throw an OnnxFormatError that names the
// byte offset and the field path being decoded (e.g. `graph.node[12].attribute`).
//
// Only what ONNX uses is supported: varint (0), fixed64 (1), length-delimited (2), fixed32 (5).
// Groups (3, 4) are deprecated and never emitted by ONNX writers; they are refused.
import { OnnxFormatError } from './errors';
import type { ByteSource } from './source';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;
const scratch = new DataView(new ArrayBuffer(8));
const utf8 = new TextDecoder('utf-8');

export class WireReader {
  private buf: Uint8Array;
  private start: number; // source offset of buf[0]
  /** Absolute position in the source. */
  pos = 0;
  /** End of the message being decoded (absolute). */
  limit: number;
  /** Field path for error messages, as [name, index?] segments (an index is pushed as a number, so
   *  no string is built per node unless an error is reported). */
  readonly path: (string | number)[] = [];

  constructor(
    private readonly src: ByteSource,
    readonly file: string,
  ) {
    const w = src.load(0, 0);
    this.buf = w.buf;
    this.start = w.start;
    this.limit = src.size;
  }

  where(): string {
    let out = '';
    for (const seg of this.path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
    return out || 'model';
  }

  /** Enters a named field of the path (`push('node', 12)` reads as node[12]). */
  push(name: string, index?: number): void {
    this.path.push(name);
    if (index !== undefined) this.path.push(index);
  }

  pop(indexed: boolean): void {
    this.path.length -= indexed ? 2 : 1;
  }

  fail(kind: 'truncated' | 'malformed', what: string, at = this.pos): never {
    const detail =
      kind === 'truncated'
        ? `not an ONNX model (truncated protobuf at byte ${at} while reading ${this.where()})`
        : `not an ONNX model (${what} at byte ${at} while reading ${this.where()})`;
    throw new OnnxFormatError(this.file, kind, detail, at);
  }

  /** Makes bytes [pos, pos+n) addressable in `buf`; n must already be within `limit`. */
  private ensure(n: number): void {
    if (this.pos + n - this.start <= this.buf.length && this.pos >= this.start) return;
    if (this.pos + n > this.src.size) this.fail('truncated', '');
    const w = this.src.load(this.pos, n);
    this.buf = w.buf;
    this.start = w.start;
  }

  more(): boolean {
    return this.pos < this.limit;
  }

  private byte(): number {
    if (this.pos >= this.limit) this.fail('truncated', '');
    this.ensure(1);
    return this.buf[this.pos++ - this.start];
  }

  /** A varint as a JS number: exact up to 2^53, two's complement for negative int64 (precision
   *  beyond 2^53 is lost, which only matters for sentinel values such as INT64_MAX in Slice ends). */
  varint(): number {
    // Fast path: the next 10 bytes are in the window and in the message, so no per-byte checks.
    const i0 = this.pos - this.start;
    if (this.pos + 10 <= this.limit && i0 >= 0 && i0 + 10 <= this.buf.length) {
      const buf = this.buf;
      let b = buf[i0];
      if (b < 0x80) {
        this.pos++;
        return b;
      }
      let v = b & 0x7f;
      let k = 1;
      let mul = 128;
      for (; k < 4; k++) {
        b = buf[i0 + k];
        v += (b & 0x7f) * mul;
        mul *= 128;
        if (b < 0x80) {
          this.pos += k + 1;
          return v;
        }
      }
    }
    return this.varintSlow();
  }

  private varintSlow(): number {
    let b = this.byte();
    if (b < 0x80) return b;
    let lo = b & 0x7f;
    for (let shift = 7; shift < 28; shift += 7) {
      b = this.byte();
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return lo;
    }
    b = this.byte();
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    let hi = (b & 0x7f) >> 4;
    if (b < 0x80) return hi * TWO_32 + lo;
    for (let shift = 3; shift < 32; shift += 7) {
      b = this.byte();
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return (hi | 0) * TWO_32 + lo;
    }
    this.fail('malformed', 'varint longer than 10 bytes');
  }

  /** Reads a field key. Returns field number * 8 + wire type, as protobuf encodes it. */
  tag(): number {
    const at = this.pos;
    const t = this.varint();
    if (t < 8 || t > 0xffffffff) this.fail('malformed', `invalid field key ${t}`, at);
    return t;
  }

  /** A length prefix, checked against the current message end. */
  length(): number {
    const at = this.pos;
    const n = this.varint();
    if (n < 0) this.fail('malformed', `negative length ${n}`, at);
    if (this.pos + n > this.limit) {
      if (this.pos + n > this.src.size) this.fail('truncated', '', at);
      this.fail('malformed', `length ${n} runs past the end of its message`, at);
    }
    return n;
  }

  /** Declared ends of the messages being decoded (may lie past the end of a truncated file). */
  private readonly ends: number[] = [];

  /** Enters a length-delimited sub-message; returns the saved limit for `leave`. When the file is
   *  cut short inside this message, decoding goes on up to the cut so that the error names the
   *  innermost field that is missing (graph.node[12].attribute) rather than the outer `graph`. */
  enter(): number {
    const at = this.pos;
    const n = this.varint();
    if (n < 0) this.fail('malformed', `negative length ${n}`, at);
    const end = this.pos + n;
    if (end > this.limit && !(end > this.src.size && this.limit === this.src.size)) {
      if (end > this.src.size) this.fail('truncated', '', at);
      this.fail('malformed', `length ${n} runs past the end of its message`, at);
    }
    const saved = this.limit;
    this.limit = Math.min(end, this.src.size);
    this.ends.push(end);
    return saved;
  }

  leave(saved: number): void {
    const end = this.ends.pop()!;
    if (end > this.src.size) this.fail('truncated', '', this.src.size);
    this.pos = this.limit;
    this.limit = saved;
  }

  fixed32Bytes(): void {
    if (this.pos + 4 > this.limit) this.fail('truncated', '');
    this.ensure(4);
    const i = this.pos - this.start;
    for (let k = 0; k < 4; k++) scratch.setUint8(k, this.buf[i + k]);
    this.pos += 4;
  }

  float32(): number {
    this.fixed32Bytes();
    return scratch.getFloat32(0, true);
  }

  float64(): number {
    if (this.pos + 8 > this.limit) this.fail('truncated', '');
    this.ensure(8);
    const i = this.pos - this.start;
    for (let k = 0; k < 8; k++) scratch.setUint8(k, this.buf[i + k]);
    this.pos += 8;
    return scratch.getFloat64(0, true);
  }

  string(): string {
    const n = this.length();
    if (n === 0) return '';
    this.ensure(n);
    const i = this.pos - this.start;
    this.pos += n;
    // Names are nearly always ASCII; building them directly avoids TextDecoder's per-call cost.
    if (n <= 64) {
      let s = '';
      for (let k = i; k < i + n; k++) {
        const c = this.buf[k];
        if (c >= 0x80) return utf8.decode(this.buf.subarray(i, i + n));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8.decode(this.buf.subarray(i, i + n));
  }

  /** A view of the next n bytes (valid until the next read). */
  view(n: number): Uint8Array {
    if (this.pos + n > this.limit) this.fail('truncated', '');
    this.ensure(n);
    const i = this.pos - this.start;
    this.pos += n;
    return this.buf.subarray(i, i + n);
  }

  /** Skips n bytes without loading them: this is how weight payloads are never read. */
  skipBytes(n: number): void {
    if (this.pos + n > this.limit) this.fail('truncated', '');
    this.pos += n;
  }

  skip(tag: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.skipBytes(8);
        return;
      case WIRE_LEN:
        this.skipBytes(this.length());
        return;
      case WIRE_FIXED32:
        this.skipBytes(4);
        return;
      default:
        this.fail('malformed', `unsupported wire type ${tag & 7} for field ${tag >>> 3}`);
    }
  }

  /** Checks that a known field arrived with the wire type the schema gives it. */
  expect(tag: number, wire: number): void {
    if ((tag & 7) !== wire) this.fail('malformed', `field ${tag >>> 3} has wire type ${tag & 7}, expected ${wire}`);
  }

  /** Repeated varint field, packed (wire type 2) or not (wire type 0). */
  varints(tag: number, out: number[]): void {
    if ((tag & 7) === WIRE_LEN) {
      const saved = this.enter();
      while (this.more()) out.push(this.varint());
      this.leave(saved);
    } else {
      this.expect(tag, WIRE_VARINT);
      out.push(this.varint());
    }
  }

  /** Repeated float field, packed or not. */
  floats(tag: number, out: number[]): void {
    if ((tag & 7) === WIRE_LEN) {
      const saved = this.enter();
      while (this.more()) out.push(this.float32());
      this.leave(saved);
    } else {
      this.expect(tag, WIRE_FIXED32);
      out.push(this.float32());
    }
  }

  doubles(tag: number, out: number[]): void {
    if ((tag & 7) === WIRE_LEN) {
      const saved = this.enter();
      while (this.more()) out.push(this.float64());
      this.leave(saved);
    } else {
      this.expect(tag, WIRE_FIXED64);
      out.push(this.float64());
    }
  }
}
