// Where the checkpoint reader gets its bytes: positioned reads, so a reader can be injected (tests
// count the bytes read to show tensor data is never touched).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteReader {
  readonly size: number;
  /** Bytes [offset, offset + length), clipped to the end of the file. */
  read(offset: number, length: number): Uint8Array;
}

export interface FileByteReader extends ByteReader {
  close(): void;
  /** Bytes read from disk so far. */
  readonly bytesRead: number;
}

export function fileByteReader(path: string): FileByteReader {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  let bytesRead = 0;
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.allocUnsafe(n); // filled below; a short read is cut to what was read
      let done = 0;
      while (done < n) {
        const got = readSync(fd, buf, done, n - done, offset + done);
        if (got === 0) break;
        done += got;
      }
      bytesRead += done;
      return done === n ? buf : buf.subarray(0, done);
    },
    close: () => closeSync(fd),
  };
}

export function memoryByteReader(bytes: Uint8Array): ByteReader {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(Math.max(0, offset), Math.min(bytes.length, offset + length)) };
}
