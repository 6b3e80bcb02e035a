// Byte mutations of a real checkpoint (seeded, reproducible): flipped bytes and cuts in data.pkl,
// and in the zip's central directory. Every outcome is a decoded checkpoint or a one-line
// CheckpointError / YoloArchError naming the file; never another exception (a TypeError or
// RangeError would be a reader bug), never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointArch, interpretCheckpoint, parseCheckpoint } from '../../src/core/checkpoint';
import { memoryByteReader } from '../../src/core/checkpoint/bytes';
import { readZipDirectory } from '../../src/core/checkpoint/zip';

const FILE = readFileSync(join(__dirname, '..', 'data', 'checkpoints', 'det-nc3-best.pt'));
const dir = readZipDirectory(memoryByteReader(FILE), 'x');
const pkl = dir.entries.find((e) => e.name.endsWith('/data.pkl'))!;
const pklStart = pkl.localOffset + 30 + FILE.readUInt16LE(pkl.localOffset + 26) + FILE.readUInt16LE(pkl.localOffset + 28);

/** mulberry32: a small seeded generator, so a failure names a reproducible case. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outcome(bytes: Uint8Array, what: string): 'ok' | 'refused' {
  try {
    const info = interpretCheckpoint(parseCheckpoint(bytes, 'm.pt'));
    checkpointArch(info, 'm');
    return 'ok';
  } catch (e) {
    const err = e as Error;
    assert.ok(err.name === 'CheckpointError' || err.name === 'YoloArchError', `${what}: ${err.name}: ${err.message}\n${err.stack}`);
    assert.ok(err.message.startsWith('m.pt: ') && !err.message.includes('\n'), `${what}: ${err.message}`);
    return 'refused';
  }
}

test('data.pkl: 300 mutations (1-8 bytes changed, or cut short)', () => {
  const next = rng(20261202);
  const seen = { ok: 0, refused: 0 };
  for (let i = 0; i < 300; i++) {
    const b = Buffer.from(FILE);
    if (i % 5 === 4) {
      // a cut: the pickle ends early (its zip entry stays the same size, padded with zeros)
      b.fill(0, pklStart + Math.floor(next() * pkl.size), pklStart + pkl.size);
    } else {
      const n = 1 + Math.floor(next() * 8);
      for (let k = 0; k < n; k++) b[pklStart + Math.floor(next() * pkl.size)] = Math.floor(next() * 256);
    }
    seen[outcome(b, `data.pkl mutation ${i}`)]++;
  }
  assert.ok(seen.refused > 50, JSON.stringify(seen));
});

test('central directory and records: 150 mutations', () => {
  const next = rng(7);
  const start = dir.centralOffset;
  for (let i = 0; i < 150; i++) {
    const b = Buffer.from(FILE);
    const n = 1 + Math.floor(next() * 4);
    for (let k = 0; k < n; k++) b[start + Math.floor(next() * (FILE.length - start))] = Math.floor(next() * 256);
    outcome(i % 10 === 9 ? b.subarray(0, b.length - 1 - Math.floor(next() * 4000)) : b, `directory mutation ${i}`);
  }
});
