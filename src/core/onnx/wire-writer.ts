// A minimal protobuf writer: enough to append outputs to an ONNX graph (ort-shapes.ts) and for
// tests and the benchmark to build their own models. Large payloads are kept as references to the
// caller's buffers (never copied), so a benchmark model with 300 MB of zeros can reuse one buffer.

export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  get length(): number {
    return this.size + this.pending.length;
  }

  private rawVarint(v: number): void {
    if (!Number.isFinite(v) || !Number.isInteger(v)) throw new RangeError(`varint needs an integer, got ${v}`);
    if (v < 0 || v >= 2 ** 63) {
      // int64 two's complement: ten bytes. JS has no exact INT64_MAX; 2^63 stands for it (as in
      // Slice ends), so clamp instead of wrapping to INT64_MIN.
      const big = BigInt(v) > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : BigInt(v);
      let x = BigInt.asUintN(64, big);
      if (v > 0) {
        for (let i = 0; i < 8; i++) {
          this.pending.push(Number(x & 0x7fn) | 0x80);
          x >>= 7n;
        }
        this.pending.push(Number(x));
        return;
      }
      for (let i = 0; i < 9; i++) {
        this.pending.push(Number(x & 0x7fn) | 0x80);
        x >>= 7n;
      }
      this.pending.push(Number(x));
      return;
    }
    while (v >= 0x80) {
      this.pending.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.pending.push(v);
  }

  private key(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  private flush(): void {
    if (this.pending.length) {
      this.parts.push(Uint8Array.from(this.pending));
      this.size += this.pending.length;
      this.pending = [];
    }
  }

  varint(field: number, v: number): this {
    this.key(field, 0);
    this.rawVarint(v);
    return this;
  }

  float32(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.pending.push(...b);
    return this;
  }

  /** Length-delimited bytes; the buffer is referenced, not copied. */
  bytes(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(data.length);
    this.flush();
    if (data.length) {
      this.parts.push(data);
      this.size += data.length;
    }
    return this;
  }

  /** A field whose payload is `length` bytes made of repeated references to `chunk` (all zeros, say). */
  repeatedBytes(field: number, chunk: Uint8Array, length: number): this {
    this.key(field, 2);
    this.rawVarint(length);
    this.flush();
    let left = length;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      this.parts.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      this.size += n;
      left -= n;
    }
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, w: ProtoWriter): this {
    this.key(field, 2);
    this.rawVarint(w.length);
    this.flush();
    w.flush();
    for (const p of w.parts) this.parts.push(p);
    this.size += w.size;
    return this;
  }

  packedVarints(field: number, values: readonly number[]): this {
    const w = new ProtoWriter();
    for (const v of values) w.rawVarint(v);
    return this.message(field, w);
  }

  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  /** The encoded message as chunks (for writev-style output of huge models). */
  chunks(): Uint8Array[] {
    this.flush();
    return this.parts.slice();
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** Encodes an unsigned varint on its own (for splicing a new length prefix into existing bytes). */
export function encodeVarint(v: number): Uint8Array {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

