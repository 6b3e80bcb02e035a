// Image width and height from the first bytes of the file, never decoding pixels: the way netron
// identifies a file from its signature. PNG (IHDR), JPEG (the first SOFn frame header, found by
// walking marker segments), BMP (DIB header), WebP (VP8 / VP8L / VP8X chunks) and GIF (logical
// screen). Every read is bounds-checked; anything else is "unknown", not an error.

import { closeSync, readSync } from 'node:fs';
import { openRegular, openRegularSync } from '../fs/regular-file';

export interface HeaderSize {
  format: string;
  w: number;
  h: number;
}

/** Bytes read first from each image; enough for every header above except JPEGs with big EXIF. */
export const HEAD_BYTES = 4096;
/** Most extra reads to follow a JPEG's segments past HEAD_BYTES (EXIF thumbnails, ICC profiles). */
export const JPEG_MAX_HOPS = 16;
/** Give up on a JPEG whose frame header is further than this into the file. */
export const JPEG_MAX_OFFSET = 1 << 20;

export type ParseResult =
  | { kind: 'size'; size: HeaderSize }
  | { kind: 'unknown'; format: string | null }
  /** JPEG: the next marker is at `offset`, past the bytes we have. */
  | { kind: 'more'; offset: number };

/** Sniff the format and parse the size from `buf`, which holds the file's bytes from offset 0. */
export function parseImageHeader(buf: Uint8Array): ParseResult {
  const n = buf.length;
  const u16le = (o: number) => buf[o] | (buf[o + 1] << 8);
  const u32be = (o: number) => ((buf[o] << 24) >>> 0) + (buf[o + 1] << 16) + (buf[o + 2] << 8) + buf[o + 3];
  const i32le = (o: number) => buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16) | (buf[o + 3] << 24);
  const ok = (format: string, w: number, h: number): ParseResult =>
    w > 0 && h > 0 ? { kind: 'size', size: { format, w, h } } : { kind: 'unknown', format };

  // PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", width, height).
  if (n >= 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) {
    if (n < 24 || String.fromCharCode(buf[12], buf[13], buf[14], buf[15]) !== 'IHDR') return { kind: 'unknown', format: 'png' };
    return ok('png', u32be(16), u32be(20));
  }
  // JPEG: SOI, then marker segments; the first SOF0..SOF15 (except DHT C4, JPG C8, DAC CC) has it.
  if (n >= 3 && buf[0] === 0xff && buf[1] === 0xd8) return parseJpegFrom(buf, 2);
  // GIF87a / GIF89a: logical screen width and height, little-endian.
  if (n >= 10 && buf[0] === 0x47 && buf[1] === 0x49 && buf[2] === 0x46 && buf[3] === 0x38) return ok('gif', u16le(6), u16le(8));
  // BMP: "BM", DIB header size at 14; BITMAPCOREHEADER (12) has 16-bit sizes, later ones 32-bit
  // with a negative height for top-down bitmaps.
  if (n >= 26 && buf[0] === 0x42 && buf[1] === 0x4d) {
    const dib = i32le(14);
    if (dib === 12) return ok('bmp', u16le(18), u16le(20));
    if (dib >= 40) return ok('bmp', i32le(18), Math.abs(i32le(22)));
    return { kind: 'unknown', format: 'bmp' };
  }
  // WebP: RIFF....WEBP, then the first chunk.
  if (n >= 16 && String.fromCharCode(buf[0], buf[1], buf[2], buf[3]) === 'RIFF' && String.fromCharCode(buf[8], buf[9], buf[10], buf[11]) === 'WEBP') {
    const chunk = String.fromCharCode(buf[12], buf[13], buf[14], buf[15]);
    if (chunk === 'VP8 ' && n >= 30) {
      // Lossy: frame tag (3 bytes) and start code 9d 01 2a at 23, then 14-bit width and height.
      if (buf[23] !== 0x9d || buf[24] !== 0x01 || buf[25] !== 0x2a) return { kind: 'unknown', format: 'webp' };
      return ok('webp', u16le(26) & 0x3fff, u16le(28) & 0x3fff);
    }
    if (chunk === 'VP8L' && n >= 25) {
      // Lossless: signature 0x2f, then 14 bits width-1 and 14 bits height-1, little-endian bit order.
      if (buf[20] !== 0x2f) return { kind: 'unknown', format: 'webp' };
      const bits = buf[21] | (buf[22] << 8) | (buf[23] << 16) | (buf[24] << 24);
      return ok('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    if (chunk === 'VP8X' && n >= 30) {
      // Extended: 24-bit canvas width-1 at 24 and height-1 at 27.
      const w = (buf[24] | (buf[25] << 8) | (buf[26] << 16)) + 1;
      const h = (buf[27] | (buf[28] << 8) | (buf[29] << 16)) + 1;
      return ok('webp', w, h);
    }
    return { kind: 'unknown', format: 'webp' };
  }
  if (n >= 4 && ((buf[0] === 0x49 && buf[1] === 0x49 && buf[2] === 0x2a) || (buf[0] === 0x4d && buf[1] === 0x4d && buf[3] === 0x2a))) return { kind: 'unknown', format: 'tiff' };
  return { kind: 'unknown', format: null };
}

/** Walk JPEG marker segments from `start` (the bytes in `buf` begin at file offset 0). */
export function parseJpegFrom(buf: Uint8Array, start: number): ParseResult {
  let o = start;
  for (;;) {
    // Fill bytes (0xFF repeated) may precede a marker.
    while (o < buf.length && buf[o] === 0xff && buf[o + 1] === 0xff) o++;
    if (o + 4 > buf.length) return { kind: 'more', offset: o };
    if (buf[o] !== 0xff) return { kind: 'unknown', format: 'jpeg' };
    const marker = buf[o + 1];
    // Standalone markers (TEM, RSTn, SOI) carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      o += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return { kind: 'unknown', format: 'jpeg' }; // EOI / SOS before any frame
    const len = (buf[o + 2] << 8) | buf[o + 3];
    if (len < 2) return { kind: 'unknown', format: 'jpeg' };
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (o + 9 > buf.length) return { kind: 'more', offset: o };
      const h = (buf[o + 5] << 8) | buf[o + 6];
      const w = (buf[o + 7] << 8) | buf[o + 8];
      return w > 0 && h > 0 ? { kind: 'size', size: { format: 'jpeg', w, h } } : { kind: 'unknown', format: 'jpeg' };
    }
    o += 2 + len;
  }
}

export type HeaderRead = { kind: 'size'; size: HeaderSize } | { kind: 'unknown'; format: string | null } | { kind: 'unreadable'; reason: string };

/** A read the header protocol asks for: `length` bytes at `offset` (fewer at end of file). */
export interface ReadRequest {
  offset: number;
  length: number;
}

/**
 * The reads that find an image's size, as a generator so one protocol drives both the synchronous
 * and the asynchronous reader: HEAD_BYTES first, then, for a JPEG whose frame header lies further
 * in, a small read at each segment boundary (at most JPEG_MAX_HOPS, never past JPEG_MAX_OFFSET).
 */
export function* headerReads(): Generator<ReadRequest, HeaderRead, Uint8Array> {
  const head = yield { offset: 0, length: HEAD_BYTES };
  let r = parseImageHeader(head);
  if (r.kind !== 'more') return r;
  // JPEG with a large APPn segment: parse a window from the marker's offset and continue there.
  let offset = r.offset;
  for (let hop = 0; hop < JPEG_MAX_HOPS && offset < JPEG_MAX_OFFSET; hop++) {
    const win = yield { offset, length: 512 };
    if (win.length < 4) return { kind: 'unknown', format: 'jpeg' };
    r = parseJpegFrom(win, 0);
    if (r.kind !== 'more') return r;
    if (r.offset === 0) return { kind: 'unknown', format: 'jpeg' };
    offset += r.offset;
  }
  return { kind: 'unknown', format: 'jpeg' };
}

const errCode = (e: unknown, fallback: string) => (e as NodeJS.ErrnoException).code ?? fallback;

/** Read an image's size from its header (async). Folders, dangling links, EACCES → `unreadable`. */
export async function readImageSize(path: string): Promise<HeaderRead> {
  let fh;
  try {
    // regular files only: a FIFO named x.jpg would block the scan (fs/regular-file.ts)
    fh = (await openRegular(path)).fh;
  } catch (e) {
    return { kind: 'unreadable', reason: errCode(e, 'open failed') };
  }
  try {
    const proto = headerReads();
    let step = proto.next();
    while (!step.done) {
      const buf = Buffer.allocUnsafe(step.value.length);
      const n = (await fh.read(buf, 0, buf.length, step.value.offset)).bytesRead;
      step = proto.next(buf.subarray(0, n));
    }
    return step.value;
  } catch (e) {
    return { kind: 'unreadable', reason: errCode(e, 'read failed') };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

// One scratch buffer for the synchronous reader (it never interleaves with itself).
const scratch = Buffer.allocUnsafe(HEAD_BYTES);

/** Same as `readImageSize`, synchronous: the fast path on a local disk (no thread-pool hops). */
export function readImageSizeSync(path: string): HeaderRead {
  let fd: number;
  try {
    fd = openRegularSync(path).fd;
  } catch (e) {
    return { kind: 'unreadable', reason: errCode(e, 'open failed') };
  }
  try {
    const proto = headerReads();
    let step = proto.next();
    while (!step.done) {
      const n = readSync(fd, scratch, 0, Math.min(step.value.length, scratch.length), step.value.offset);
      step = proto.next(scratch.subarray(0, n));
    }
    return step.value;
  } catch (e) {
    return { kind: 'unreadable', reason: errCode(e, 'read failed') };
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}
