// The e2e tests' stand-in nvidia-smi must answer exactly like the real one, or the extension would
// be tested against a format it never sees: run it through the core's own nvidia-smi reader.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverGpus } from '../../src/core/gpu/discover';
import { fakeNvidiaSmi, RTX_3060 } from './harness';

test('the fake nvidia-smi is read by the core as the recorded RTX 3060', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fake-smi-'));
  try {
    const exe = join(dir, 'nvidia-smi');
    writeFileSync(exe, fakeNvidiaSmi(RTX_3060));
    chmodSync(exe, 0o755);
    // CUDA_VISIBLE_DEVICES unset: the reader may also ask for uuids; both queries must parse.
    const env = { ...process.env };
    delete env.CUDA_VISIBLE_DEVICES;
    const r = await discoverGpus({ executable: exe, env });
    assert.equal(r.state, 'ok', JSON.stringify(r));
    if (r.state !== 'ok') return;
    assert.equal(r.gpus.length, 1);
    const g = r.gpus[0]!;
    assert.equal(g.name, RTX_3060.name);
    assert.equal(g.totalBytes, RTX_3060.totalMiB * 2 ** 20);
    assert.equal(g.usedBytes, RTX_3060.usedMiB * 2 ** 20);
    assert.equal(g.freeBytes, (RTX_3060.totalMiB - RTX_3060.usedMiB) * 2 ** 20);
    assert.equal(g.driverVersion, RTX_3060.driver);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
