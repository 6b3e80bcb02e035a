// Lines of a text file read in chunks, with a bound on the bytes read and on one line's length.
// readline has neither: a list file that is one endless line (a link to /dev/zero, a binary file
// named train.txt) grew its buffer until the worker died. A line over `maxLine` characters is
// skipped (no image path is that long) and counted; reading stops after `maxBytes`.

import type { FileHandle } from 'node:fs/promises';

export interface LineStats {
  /** Lines skipped because they were longer than maxLine. */
  longLines: number;
  /** True when reading stopped at maxBytes before the end of the file. */
  truncated: boolean;
}

const CHUNK = 64 * 1024;

export async function* boundedLines(fh: FileHandle, maxBytes: number, maxLine: number, stats: LineStats): AsyncGenerator<string> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  let carry = '';
  let skipping = false; // inside an over-long line: drop bytes until its end
  for (;;) {
    if (pos >= maxBytes) {
      stats.truncated = true;
      return;
    }
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, maxBytes - pos), pos);
    if (bytesRead <= 0) break;
    pos += bytesRead;
    const text = buf.toString('utf8', 0, bytesRead);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (skipping) {
        skipping = false;
        carry = '';
        continue;
      }
      const line = carry + piece;
      carry = '';
      if (line.length > maxLine) stats.longLines++;
      else yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
    if (!skipping) {
      carry += text.slice(start);
      if (carry.length > maxLine) {
        stats.longLines++;
        carry = '';
        skipping = true;
      }
    }
  }
  if (!skipping && carry) {
    if (carry.length > maxLine) stats.longLines++;
    else yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
  }
}
