// Entry points: a .pt file (or bytes) -> the decoded object tree of its data.pkl, with tensors as
// shapes only. Formats: the zip archive torch.save writes since PyTorch 1.6; the legacy raw-pickle
// stream of older versions (its pickles come before the tensor bytes, which are never read); the
// older tar format and TorchScript archives are refused with a message naming them.
import { basename } from 'node:path';
import { fileByteReader, memoryByteReader, type ByteReader } from './bytes';
import { CheckpointError } from './errors';
import { MAX_LEGACY_PREFIX } from './limits';
import { describe, readPickle } from './pickle';
import { readZipDirectory, readZipEntry } from './zip';
import type { PyStorage, PyValue } from './values';

export interface RawCheckpoint {
  file: string;
  format: 'zip' | 'legacy';
  /** What torch.save was given (usually a dict). */
  root: PyValue;
  /** Size of the file, and of the pickle that was interpreted. */
  fileBytes: number;
  pickleBytes: number;
}

/** Reads a checkpoint through `reader` (default: the file). Only the zip directory and data.pkl
 *  are read, never a tensor's bytes. */
export function readCheckpointFile(path: string, reader?: ByteReader): RawCheckpoint {
  const file = basename(path);
  if (reader) return readCheckpoint(reader, file);
  let src;
  try {
    src = fileByteReader(path);
  } catch (e) {
    throw new CheckpointError(file, ioMessage(e));
  }
  try {
    return readCheckpoint(src, file);
  } finally {
    src.close();
  }
}

export function parseCheckpoint(bytes: Uint8Array, file: string): RawCheckpoint {
  return readCheckpoint(memoryByteReader(bytes), file);
}

function readCheckpoint(src: ByteReader, file: string): RawCheckpoint {
  if (src.size === 0) throw new CheckpointError(file, 'empty file');
  const head = src.read(0, Math.min(src.size, 512));
  if (head[0] === 0x50 && head[1] === 0x4b) return readZip(src, file);
  if (head.length >= 262 && String.fromCharCode(...head.subarray(257, 262)) === 'ustar') {
    throw new CheckpointError(file, 'a tar archive: the torch.save format of PyTorch < 0.4, which is not read (re-save it with a recent PyTorch)');
  }
  if (head[0] === 0x80 && head[1] <= 5) return readLegacy(src, file);
  throw new CheckpointError(file, 'not a PyTorch checkpoint (neither a torch.save zip archive nor a pickle)');
}

function readZip(src: ByteReader, file: string): RawCheckpoint {
  const dir = readZipDirectory(src, file);
  const pkl = dir.entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (!pkl) {
    if (dir.entries.some((e) => /^[^/]+\/(code\/|constants\.pkl$)/.test(e.name))) {
      throw new CheckpointError(file, 'a TorchScript archive (torch.jit.save), not a training checkpoint: its architecture is code, which is never run');
    }
    throw new CheckpointError(file, 'a zip archive without <archive>/data.pkl: not a torch.save checkpoint');
  }
  const prefix = pkl.name.slice(0, -'data.pkl'.length);
  const names = new Set(dir.entries.map((e) => e.name));
  const bytes = readZipEntry(src, dir, pkl, file);
  const { value } = readPickle(bytes, file, {
    persistentLoad: (pid) => {
      const s = storageFromPid(pid, file);
      if (!names.has(`${prefix}data/${s.key}`)) throw new CheckpointError(file, `tensor storage '${s.key}' has no entry in the archive (truncated?)`);
      return s;
    },
  });
  return { file, format: 'zip', root: value, fileBytes: src.size, pickleBytes: bytes.length };
}

/** PyTorch < 1.6: pickles of the magic number, the protocol version and sys_info, then the object
 *  itself; the storages' bytes follow and are not read (beyond the last doubling of the window). */
function readLegacy(src: ByteReader, file: string): RawCheckpoint {
  // the pickles' total length is not recorded: read 1 MiB, and twice as much while they run past it
  for (let n = Math.min(src.size, 2 ** 20); ; n = Math.min(src.size, MAX_LEGACY_PREFIX, n * 2)) {
    try {
      return readLegacyPrefix(src.read(0, n), file, src.size);
    } catch (e) {
      const more = n < src.size && n < MAX_LEGACY_PREFIX;
      if (!more || !(e instanceof CheckpointError) || !/truncated/.test(e.detail)) throw e;
    }
  }
}

function readLegacyPrefix(bytes: Uint8Array, file: string, fileBytes: number): RawCheckpoint {
  const magic = readPickle(bytes, file);
  if (magic.value !== 0x1950a86a20f9469cfc6c) {
    throw new CheckpointError(file, `a bare pickle, not a torch.save file (it starts with ${describe(magic.value)}, not torch's magic number)`);
  }
  const version = readPickle(bytes, file, {}, magic.end);
  const sysInfo = readPickle(bytes, file, {}, version.end);
  const main = readPickle(bytes, file, { persistentLoad: (pid) => legacyPid(pid, file) }, sysInfo.end);
  return { file, format: 'legacy', root: main.value, fileBytes, pickleBytes: main.end };
}

/** The legacy format also records each nn.Module class as ('module', <class>, source file, source
 *  code), for its source-change warnings: the class placeholder is kept, the source text never used. */
function legacyPid(pid: PyValue, file: string): PyValue {
  if (pid && typeof pid === 'object' && pid.kind === 'tuple' && pid.items[0] === 'module') {
    const cls = pid.items[1];
    if (cls && typeof cls === 'object' && cls.kind === 'global') return cls;
  }
  return storageFromPid(pid, file);
}

/** ('storage', torch.<Type>Storage, key, location, numel[, view metadata]) */
function storageFromPid(pid: PyValue, file: string): PyStorage {
  const items = pid && typeof pid === 'object' && pid.kind === 'tuple' ? pid.items : null;
  const [tag, type, key, location, numel] = items ?? [];
  if (tag !== 'storage' || !type || typeof type !== 'object' || type.kind !== 'global' || (typeof key !== 'string' && typeof key !== 'number') || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
    throw new CheckpointError(file, `a persistent id that is not a tensor storage (${describe(pid)})`);
  }
  return { kind: 'storage', storageType: type.name, key: String(key), location: typeof location === 'string' ? location : '', numel };
}

function ioMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder, not a checkpoint';
  return `cannot read file (${code ?? String(e)})`;
}
