// Read a label file's text, synchronously (the fast path on a local disk) or asynchronously (many
// reads in flight, for slow or network disks). Missing file, a folder named x.txt or a read error →
// null: Ultralytics treats the image as having no label file (`os.path.isfile(lb_file)` is false).

import { closeSync, fstatSync, readSync } from 'node:fs';
import { openRegular, openRegularSync } from '../fs/regular-file';

/** A label file larger than this is read only up to it (the scan notes it). */
export const MAX_LABEL_BYTES = 16 << 20;
/** First read size: covers almost every label file in one syscall. */
const FIRST_READ = 65536;

export interface LabelText {
  text: string;
  truncated: boolean;
}

const first = Buffer.allocUnsafe(FIRST_READ);

export function readLabelSync(path: string): LabelText | null {
  let fd: number;
  try {
    // regular files only: a FIFO or a link to a device would block or never end
    fd = openRegularSync(path).fd;
  } catch {
    return null;
  }
  try {
    const n = readSync(fd, first, 0, FIRST_READ, 0);
    if (n < FIRST_READ) return { text: first.toString('utf8', 0, n), truncated: false };
    // Large file (dense polygons): size it, then read the rest.
    const size = fstatSync(fd).size;
    const len = Math.min(size, MAX_LABEL_BYTES);
    const buf = Buffer.allocUnsafe(Math.max(len, n));
    first.copy(buf, 0, 0, n);
    let off = n;
    while (off < len) {
      const r = readSync(fd, buf, off, len - off, off);
      if (r === 0) break;
      off += r;
    }
    return { text: buf.toString('utf8', 0, off), truncated: size > MAX_LABEL_BYTES };
  } catch {
    return null;
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

export async function readLabel(path: string): Promise<LabelText | null> {
  let fh;
  try {
    fh = (await openRegular(path)).fh;
  } catch {
    return null;
  }
  try {
    const head = Buffer.allocUnsafe(FIRST_READ);
    const { bytesRead } = await fh.read(head, 0, FIRST_READ, 0);
    if (bytesRead < FIRST_READ) return { text: head.toString('utf8', 0, bytesRead), truncated: false };
    const size = (await fh.stat()).size;
    const len = Math.min(size, MAX_LABEL_BYTES);
    const buf = Buffer.allocUnsafe(Math.max(len, bytesRead));
    head.copy(buf, 0, 0, bytesRead);
    let off = bytesRead;
    while (off < len) {
      const r = await fh.read(buf, off, len - off, off);
      if (r.bytesRead === 0) break;
      off += r.bytesRead;
    }
    return { text: buf.toString('utf8', 0, off), truncated: size > MAX_LABEL_BYTES };
  } catch {
    return null;
  } finally {
    await fh.close().catch(() => undefined);
  }
}
