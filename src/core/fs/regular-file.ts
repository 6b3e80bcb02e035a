// Opening files that a model, dataset or script names, without ever blocking on something that is
// not a file. `open(2)` on a FIFO blocks until a writer appears, and a read of /dev/zero or
// /dev/urandom never ends: one such path in a workspace (a stray FIFO, a symlink to a device, a
// dataset whose `train:` is /dev/zero) would wedge the worker for good. So every open here:
//   - passes O_NONBLOCK (a FIFO opens at once instead of waiting for a writer; ignored for regular
//     files, whose reads never block),
//   - checks fstat() of the descriptor it got (not stat() of the path: no window for a swap), and
//   - refuses anything but a regular file with a one-line reason.
// Symlinks are followed by open() itself, so a link to a regular file is fine and a link to a
// device is refused as the device it points at.

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A path that exists but is not a regular file (or cannot be opened); the message is one line. */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

// O_NONBLOCK does not exist on Windows (fs.constants leaves it undefined); FIFOs there are named
// pipes under \\.\pipe\, which no workspace path resolves to.
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a non-regular file is, in words. */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openError(e: unknown): NotRegularFileError {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  const words: Record<string, string> = {
    ENOENT: 'file not found',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a folder, not a file',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'path too long',
    ENOTDIR: 'a part of the path is not a folder',
    ENXIO: 'no such device',
  };
  return new NotRegularFileError(words[code] ?? `cannot open (${code})`, code);
}

function refuse(st: Stats): NotRegularFileError {
  const kind = fileKind(st);
  return kind === 'a folder' ? new NotRegularFileError('is a folder, not a file', 'EISDIR') : new NotRegularFileError(`is ${kind}, not a regular file`, 'ENOTREG');
}

/** Opens a regular file for reading; returns the descriptor and its size. Throws NotRegularFileError. */
export function openRegularSync(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (e) {
    throw openError(e);
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (e) {
    closeSync(fd);
    throw openError(e);
  }
  if (!st.isFile()) {
    closeSync(fd);
    throw refuse(st);
  }
  return { fd, size: st.size };
}

/** The async form of openRegularSync. */
export async function openRegular(path: string): Promise<{ fh: FileHandle; size: number }> {
  let fh: FileHandle;
  try {
    fh = await open(path, FLAGS);
  } catch (e) {
    throw openError(e);
  }
  let st: Stats;
  try {
    st = await fh.stat();
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw openError(e);
  }
  if (!st.isFile()) {
    await fh.close().catch(() => undefined);
    throw refuse(st);
  }
  return { fh, size: st.size };
}

/** Reads a whole regular file of at most `maxBytes` bytes; a larger one is refused, not truncated. */
export function readRegularFileSync(path: string, maxBytes: number, what = 'file'): Buffer {
  const { fd, size } = openRegularSync(path);
  try {
    if (size > maxBytes) throw new NotRegularFileError(`${what} too large (${size} bytes, at most ${maxBytes})`, 'EFBIG');
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n <= 0) break;
      off += n;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** The async form of readRegularFileSync. */
export async function readRegularFile(path: string, maxBytes: number, what = 'file'): Promise<Buffer> {
  const { fh, size } = await openRegular(path);
  try {
    if (size > maxBytes) throw new NotRegularFileError(`${what} too large (${size} bytes, at most ${maxBytes})`, 'EFBIG');
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead <= 0) break;
      off += bytesRead;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    await fh.close().catch(() => undefined);
  }
}
