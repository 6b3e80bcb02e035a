// Test datasets written on the fly: image files with real headers of known sizes (pixels are not
// needed: the reader never decodes), label files, and temp folders that clean themselves up.

import { crc32 } from 'node:zlib';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempDir(prefix = 'yolo-ds-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function write(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

function be32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([be32(data.length), td, be32(crc32(td))]);
}

/** Signature, IHDR (8-bit RGB), an empty IDAT and IEND: a well-formed header, no pixels. */
export function png(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', Buffer.alloc(0)), pngChunk('IEND', Buffer.alloc(0))]);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * SOI, APP0 JFIF, optional APP1 segments of `exifBytes` (an EXIF block that pushes the frame header
 * past the first read), DQT, SOF0 (or SOF2 when progressive), SOS, EOI.
 */
export function jpeg(w: number, h: number, opts: { exifBytes?: number; progressive?: boolean } = {}): Buffer {
  const parts = [Buffer.from([0xff, 0xd8]), segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'))];
  let exif = opts.exifBytes ?? 0;
  while (exif > 0) {
    const n = Math.min(exif, 65000);
    parts.push(segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.alloc(n)])));
    exif -= n;
  }
  parts.push(segment(0xdb, Buffer.alloc(65)));
  const sof = Buffer.alloc(15);
  sof[0] = 8;
  sof.writeUInt16BE(h, 1);
  sof.writeUInt16BE(w, 3);
  sof[5] = 3;
  for (let i = 0; i < 3; i++) sof.set([i + 1, 0x11, 0], 6 + i * 3);
  parts.push(segment(opts.progressive ? 0xc2 : 0xc0, sof));
  parts.push(segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])), Buffer.from([0, 0xff, 0xd9]));
  return Buffer.concat(parts);
}

/** BITMAPINFOHEADER BMP (54-byte header); `topDown` writes a negative height. */
export function bmp(w: number, h: number, topDown = false): Buffer {
  const b = Buffer.alloc(54);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(54, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(topDown ? -h : h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  return b;
}

export function gif(w: number, h: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(w, 6);
  b.writeUInt16LE(h, 8);
  return b;
}

function riff(chunk: string, payload: Buffer): Buffer {
  const c = Buffer.concat([Buffer.from(chunk, 'latin1'), Buffer.alloc(4), payload]);
  c.writeUInt32LE(payload.length, 4);
  const head = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), Buffer.from('WEBP', 'latin1')]);
  head.writeUInt32LE(4 + c.length, 4);
  return Buffer.concat([head, c]);
}

/** Lossy WebP: VP8 frame tag, start code, 14-bit sizes. */
export function webpLossy(w: number, h: number): Buffer {
  const p = Buffer.alloc(10);
  p.set([0x9d, 0x01, 0x2a], 3);
  p.writeUInt16LE(w & 0x3fff, 6);
  p.writeUInt16LE(h & 0x3fff, 8);
  return riff('VP8 ', p);
}

/** Lossless WebP: 0x2f signature, then (w-1) and (h-1) in 14 bits each. */
export function webpLossless(w: number, h: number): Buffer {
  const p = Buffer.alloc(5);
  p[0] = 0x2f;
  const bits = ((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14);
  p.writeUInt32LE(bits >>> 0, 1);
  return riff('VP8L', p);
}

/** Extended WebP: VP8X flags, then 24-bit (w-1) and (h-1). */
export function webpExtended(w: number, h: number): Buffer {
  const p = Buffer.alloc(10);
  p.writeUIntLE(w - 1, 4, 3);
  p.writeUIntLE(h - 1, 7, 3);
  return riff('VP8X', p);
}

/** `n` YOLO box lines, distinct (no duplicates), class in [0, nc). */
export function boxLines(n: number, nc = 3): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`${i % nc} ${(0.001 + (i % 997) / 1000).toFixed(4)} ${(0.5).toFixed(4)} ${(0.01 + (i % 13) / 100).toFixed(4)} 0.0${(i % 9) + 1}00`);
  return lines.join('\n') + (n ? '\n' : '');
}
