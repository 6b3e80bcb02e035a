// The zip container of a torch.save file (PyTorch >= 1.6): `<archive>/data.pkl` (the object
// structure), `<archive>/data/<key>` (one entry per tensor storage), `<archive>/version`, ...
// Only the central directory and data.pkl are read; tensor entries are never touched. PyTorch
// writes entries stored (method 0) and, for archives over 4 GiB, zip64 records; deflated entries
// (a checkpoint re-zipped by hand) are inflated with a bounded output size.
import { inflateRawSync } from 'node:zlib';
import type { ByteReader } from './bytes';
import { CheckpointError } from './errors';
import { MAX_CENTRAL_DIRECTORY_BYTES, MAX_ENTRY_NAME, MAX_PICKLE_BYTES, MAX_ZIP_ENTRIES } from './limits';

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const UTF8 = new TextDecoder('utf-8');
/** EOCD (22 bytes) + the longest comment a zip can carry. */
const EOCD_SEARCH = 22 + 0xffff;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Where the central directory starts: every entry's data lies before it. */
  centralOffset: number;
}

/** Reads the central directory. Refuses duplicate names, names that try to leave the archive
 *  (`..`, absolute, backslashes, NUL) and offsets outside the file. */
export function readZipDirectory(src: ByteReader, file: string): ZipDirectory {
  const fail = (msg: string): never => {
    throw new CheckpointError(file, msg);
  };
  // torch writes no archive comment: the records end the file. Read just them first (the EOCD and
  // the zip64 locator), so not even the last tensor's bytes are touched; search for a comment after.
  let tail = view(src.read(Math.max(0, src.size - 42), Math.min(src.size, 42)));
  let eocd = tail.byteLength >= 22 && tail.getUint32(tail.byteLength - 22, true) === EOCD_SIG ? tail.byteLength - 22 : -1;
  if (eocd < 0) {
    tail = view(src.read(Math.max(0, src.size - EOCD_SEARCH), Math.min(src.size, EOCD_SEARCH)));
    for (let i = tail.byteLength - 22; i >= 0; i--) {
      if (tail.getUint32(i, true) === EOCD_SIG) {
        eocd = i;
        break;
      }
    }
  }
  if (eocd < 0) fail('not a zip archive (no end-of-central-directory record): truncated or not a torch.save file');
  let count = tail.getUint16(eocd + 10, true);
  let cdSize = tail.getUint32(eocd + 12, true);
  let cdOffset = tail.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.getUint32(loc, true) !== ZIP64_LOCATOR_SIG) fail('zip64 archive without its zip64 locator');
    const recOffset = u64(tail, loc + 8, fail);
    if (recOffset + 56 > src.size) fail(`zip64 record offset ${recOffset} is past the end of the file`);
    const rec = view(src.read(recOffset, 56));
    if (rec.byteLength < 56 || rec.getUint32(0, true) !== ZIP64_EOCD_SIG) fail('zip64 end-of-central-directory record not found');
    count = u64(rec, 32, fail);
    cdSize = u64(rec, 40, fail);
    cdOffset = u64(rec, 48, fail);
  }
  if (count > MAX_ZIP_ENTRIES) fail(`zip has ${count} entries (at most ${MAX_ZIP_ENTRIES} are read)`);
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) fail(`zip central directory of ${cdSize} bytes (at most ${MAX_CENTRAL_DIRECTORY_BYTES})`);
  if (cdOffset + cdSize > src.size) fail(`zip central directory (offset ${cdOffset}, ${cdSize} bytes) is past the end of the file: truncated`);
  const cd = view(src.read(cdOffset, cdSize));
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.byteLength || cd.getUint32(p, true) !== CENTRAL_SIG) fail(`zip central directory entry ${i} is malformed`);
    const method = cd.getUint16(p + 10, true);
    let compressedSize = cd.getUint32(p + 20, true);
    let size = cd.getUint32(p + 24, true);
    const nameLen = cd.getUint16(p + 28, true);
    const extraLen = cd.getUint16(p + 30, true);
    const commentLen = cd.getUint16(p + 32, true);
    let localOffset = cd.getUint32(p + 42, true);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cd.byteLength) fail(`zip central directory entry ${i} runs past the directory`);
    if (nameLen > MAX_ENTRY_NAME) fail(`zip entry name of ${nameLen} bytes`);
    const name = UTF8.decode(new Uint8Array(cd.buffer, cd.byteOffset + p + 46, nameLen));
    // zip64 extra field: the 8-byte values that did not fit, in this order
    let q = p + 46 + nameLen;
    const extraEnd = q + extraLen;
    while (q + 4 <= extraEnd) {
      const id = cd.getUint16(q, true);
      const len = cd.getUint16(q + 2, true);
      if (id === 0x0001) {
        let r = q + 4;
        const take = () => {
          if (r + 8 > q + 4 + len) fail(`zip entry '${short(name)}': zip64 extra field too short`);
          const v = u64(cd, r, fail);
          r += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      q += 4 + len;
    }
    checkName(name, fail);
    if (names.has(name)) fail(`zip entry '${short(name)}' appears twice`);
    names.add(name);
    if (localOffset + 30 > cdOffset || localOffset + compressedSize > cdOffset) {
      fail(`zip entry '${short(name)}' claims data at offset ${localOffset} (+${compressedSize} bytes), outside the archive's data`);
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    p = end;
  }
  return { entries, centralOffset: cdOffset };
}

/** The bytes of one (small) entry: its local header is checked, then its data read and, when
 *  deflated, inflated to at most `limit` bytes. */
export function readZipEntry(src: ByteReader, dir: ZipDirectory, entry: ZipEntry, file: string, limit = MAX_PICKLE_BYTES): Uint8Array {
  const fail = (msg: string): never => {
    throw new CheckpointError(file, msg);
  };
  const what = `zip entry '${short(entry.name)}'`;
  if (entry.size > limit) fail(`${what} is ${entry.size} bytes (at most ${limit} are read)`);
  const header = view(src.read(entry.localOffset, 30));
  if (header.byteLength < 30 || header.getUint32(0, true) !== LOCAL_SIG) fail(`${what}: local header not found at offset ${entry.localOffset}`);
  const dataStart = entry.localOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  if (dataStart + entry.compressedSize > dir.centralOffset) fail(`${what}: data runs into the central directory`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) fail(`${what}: stored entry with two different sizes`);
    const data = src.read(dataStart, entry.size);
    if (data.length !== entry.size) fail(`${what}: truncated`);
    return data;
  }
  if (entry.method !== 8) fail(`${what} uses compression method ${entry.method} (only stored and deflate are read)`);
  if (entry.compressedSize > limit) fail(`${what}: ${entry.compressedSize} compressed bytes (at most ${limit} are read)`);
  const packed = src.read(dataStart, entry.compressedSize);
  let out: Buffer;
  try {
    // bounded: a zip bomb stops at the limit instead of filling memory
    out = inflateRawSync(packed, { maxOutputLength: Math.max(1, Math.min(limit, entry.size)) });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    return fail(/maxOutputLength|buffer/i.test(msg) ? `${what} inflates past its declared ${entry.size} bytes (a zip bomb?)` : `${what}: corrupt deflate data (${msg.split('\n')[0]})`);
  }
  if (out.length !== entry.size) fail(`${what}: inflated to ${out.length} bytes, the directory says ${entry.size}`);
  return out;
}

function checkName(name: string, fail: (m: string) => never): void {
  if (name.length === 0) fail('zip entry with an empty name');
  if (name.includes('\0')) fail('zip entry name with a NUL character');
  if (name.includes('\\')) fail(`zip entry name with a backslash ('${short(name)}')`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) fail(`zip entry with an absolute path ('${short(name)}')`);
  if (name.split('/').some((s) => s === '..')) fail(`zip entry that climbs out of the archive ('${short(name)}')`);
}

function u64(v: DataView, at: number, fail: (m: string) => never): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail(`zip64 value ${n} is beyond any real file`);
  return Number(n);
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function short(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}
