// Builds pickles and zip archives byte by byte for the checkpoint tests: well-formed ones (the
// shapes torch.save writes) and hostile ones. Nothing here is produced by Python.
import { deflateRawSync } from 'node:zlib';

/** A pickle as a list of opcodes and raw arguments, joined into bytes. */
export class Pickle {
  private parts: number[] = [];
  op(code: number | string, ...bytes: number[]): this {
    this.parts.push(typeof code === 'string' ? code.charCodeAt(0) : code, ...bytes);
    return this;
  }
  raw(bytes: Iterable<number>): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }
  text(s: string): this {
    return this.raw(Buffer.from(s, 'latin1'));
  }
  proto(v = 2): this {
    return this.op(0x80, v);
  }
  /** SHORT_BINUNICODE (protocol 4) or BINUNICODE. */
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return b.length < 256 ? this.op(0x8c, b.length).raw(b) : this.op('X').raw(u32(b.length)).raw(b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op('K', n);
    if (n >= 0 && n < 65536) return this.op('M', n & 0xff, n >> 8);
    if (n >= -(2 ** 31) && n < 2 ** 31) return this.op('J').raw(u32(n >>> 0));
    const big = BigInt(n);
    const b: number[] = [];
    for (let i = 0; i < 8; i++) b.push(Number((big >> BigInt(8 * i)) & 0xffn));
    return this.op(0x8a, 8, ...b);
  }
  float(f: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(f);
    return this.op('G').raw(b);
  }
  global(module: string, name: string): this {
    return this.op('c').text(`${module}\n${name}\n`);
  }
  stop(): Uint8Array {
    this.op('.');
    return Uint8Array.from(this.parts);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/** A plain JS value (string, number, boolean, null, array -> list, object -> dict) as pickle ops. */
export function pickleValue(p: Pickle, v: unknown): Pickle {
  if (v === null || v === undefined) return p.op('N');
  if (v === true) return p.op(0x88);
  if (v === false) return p.op(0x89);
  if (typeof v === 'number') return Number.isInteger(v) ? p.int(v) : p.float(v);
  if (typeof v === 'string') return p.str(v);
  if (Array.isArray(v)) {
    p.op(']').op('(');
    for (const x of v) pickleValue(p, x);
    return p.op('e');
  }
  if (typeof v === 'object' && 'pickle' in (v as object)) return (v as { pickle: (p: Pickle) => Pickle }).pickle(p);
  p.op('}').op('(');
  for (const [k, x] of Object.entries(v as object)) pickleValue(p.str(k), x);
  return p.op('u');
}

/** An instance as protocol 2 pickles an nn.Module: NEWOBJ(cls, ()) then BUILD(state dict). */
export function instance(module: string, name: string, state: Record<string, unknown>) {
  return { pickle: (p: Pickle) => pickleValue(p.global(module, name).op(')').op(0x81), state).op('b') };
}

/** A tensor as torch writes it: _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()). */
export function tensor(key: string, shape: number[], storageType = 'HalfStorage') {
  const numel = shape.reduce((a, d) => a * d, 1);
  const stride = shape.map((_, i) => shape.slice(i + 1).reduce((a, d) => a * d, 1));
  return {
    key,
    numel,
    pickle: (p: Pickle) => {
      p.global('torch._utils', '_rebuild_tensor_v2').op('(');
      p.op('(').str('storage').global('torch', storageType).str(key).str('cpu').int(numel).op('t').op('Q');
      p.int(0);
      p.op('(');
      shape.forEach((d) => p.int(d));
      p.op('t').op('(');
      stride.forEach((d) => p.int(d));
      p.op('t').op(0x89);
      p.global('collections', 'OrderedDict').op(')').op('R');
      return p.op('t').op('R');
    },
  };
}

export interface ZipInput {
  name: string;
  data: Uint8Array;
  /** 8 = deflate; default stored. */
  method?: 0 | 8;
  /** Overrides written into the central directory (hostile archives). */
  declaredSize?: number;
  localOffset?: number;
}

/** A zip archive with a central directory, as torch.save lays it out (stored entries). */
export function zip(entries: ZipInput[]): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const payload = e.method === 8 ? deflateRawSync(e.data) : Buffer.from(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method ?? 0, 8);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(e.declaredSize ?? e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(e.method ?? 0, 10);
    c.writeUInt32LE(payload.length, 20);
    c.writeUInt32LE(e.declaredSize ?? e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(e.localOffset ?? offset, 42);
    central.push(c, name);
    chunks.push(local, name, payload);
    offset += local.length + name.length + payload.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cd, eocd]);
}

/** A torch.save-like archive around a data.pkl; tensors get zero-filled entries of their size. */
export function torchZip(dataPkl: Uint8Array, tensors: { key: string; numel: number }[] = [], archive = 'archive'): Uint8Array {
  return zip([
    { name: `${archive}/data.pkl`, data: dataPkl },
    { name: `${archive}/byteorder`, data: Buffer.from('little') },
    ...tensors.map((t) => ({ name: `${archive}/data/${t.key}`, data: new Uint8Array(t.numel * 2) })),
    { name: `${archive}/version`, data: Buffer.from('3\n') },
  ]);
}
