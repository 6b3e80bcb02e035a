// Where the protobuf reader gets its bytes from. A file is read through a small moving window, so a
// model with hundreds of MB of inline weights costs only the bytes of its graph structure: the
// reader skips a weight payload by moving its position, and the window is refilled at the next
// field header. Bytes already in memory are read in place, without copying.
import { closeSync, readSync } from 'node:fs';
import { openRegularSync } from '../fs/regular-file';

export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Returns a buffer holding bytes [pos, pos + min) (fewer only where the source ends) and the
   *  offset of its first byte. The buffer may be reused by the next call. */
  load(pos: number, min: number): { buf: Uint8Array; start: number };
}

export function memorySource(bytes: Uint8Array): ByteSource {
  const window = { buf: bytes, start: 0 };
  return { size: bytes.length, load: () => window };
}

/** Window sizes: sequential reads (a run of nodes) double the window up to MAX; a jump (after a
 *  skipped weight payload) goes back to MIN, since the next thing is usually another tensor header. */
const MIN_WINDOW = 4096;
const FIRST_WINDOW = 64 * 1024;
const MAX_WINDOW = 1024 * 1024;

export interface FileSource extends ByteSource {
  close(): void;
  /** Bytes actually read from disk so far (for the benchmark). */
  readonly bytesRead: number;
}

export function fileSource(path: string): FileSource {
  // a regular file only: a FIFO or device would block or never end (fs/regular-file.ts)
  const { fd, size } = openRegularSync(path);
  let buf = new Uint8Array(FIRST_WINDOW);
  let filled = 0;
  let start = 0;
  let chunk = FIRST_WINDOW;
  let bytesRead = 0;
  let lastEnd = -1;
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    load(pos, min) {
      chunk = pos === lastEnd ? Math.min(chunk * 2, MAX_WINDOW) : MIN_WINDOW;
      const want = Math.min(Math.max(min, chunk), size - pos);
      if (want > buf.length) buf = new Uint8Array(Math.max(want, buf.length * 2));
      filled = 0;
      while (filled < want) {
        const n = readSync(fd, buf, filled, want - filled, pos + filled);
        if (n <= 0) break;
        filled += n;
      }
      bytesRead += filled;
      start = pos;
      lastEnd = pos + filled;
      return { buf: buf.subarray(0, filled), start };
    },
    close() {
      closeSync(fd);
    },
  };
}
