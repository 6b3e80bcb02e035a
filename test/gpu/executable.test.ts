// nvidia-smi is run by an absolute path found in PATH's absolute entries only: a PATH entry of '.'
// or '' (the current folder, which is the workspace for the worker) is never searched, so an
// nvidia-smi planted in an untrusted workspace cannot run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveExecutable } from '../../src/core/gpu/executable';

const posix = process.platform !== 'win32';

test('resolveExecutable: absolute PATH entries only, never the current folder', { skip: !posix && 'POSIX executable bits' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'yolo-exe-'));
  const cwd = process.cwd();
  try {
    const bin = join(root, 'bin');
    const ws = join(root, 'workspace');
    mkdirSync(bin);
    mkdirSync(ws);
    for (const d of [bin, ws]) {
      writeFileSync(join(d, 'nvidia-smi'), '#!/bin/sh\necho hi\n');
      chmodSync(join(d, 'nvidia-smi'), 0o755);
    }
    process.chdir(ws);
    assert.equal(resolveExecutable('nvidia-smi', { PATH: `.::${bin}` }), join(bin, 'nvidia-smi'));
    assert.equal(resolveExecutable('nvidia-smi', { PATH: '.:' }), null, 'the current folder is never searched');
    assert.equal(resolveExecutable('nvidia-smi', { PATH: 'workspace' }), null, 'relative entries are skipped');
    assert.equal(resolveExecutable('./nvidia-smi', { PATH: bin }), null, 'a relative path with a separator is refused');
    assert.equal(resolveExecutable('/opt/x/nvidia-smi', { PATH: '' }), '/opt/x/nvidia-smi', 'an absolute path is kept');
    chmodSync(join(bin, 'nvidia-smi'), 0o644);
    assert.equal(resolveExecutable('nvidia-smi', { PATH: bin }), null, 'a file without the executable bit is not taken');
  } finally {
    process.chdir(cwd);
    rmSync(root, { recursive: true, force: true });
  }
});

test('resolveExecutable on Windows: PATHEXT, no current folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'yolo-exe-win-'));
  try {
    writeFileSync(join(root, 'nvidia-smi.EXE'), 'MZ');
    const sep = ';';
    assert.equal(resolveExecutable('nvidia-smi', { PATH: `.${sep}${root}`, PATHEXT: '.COM;.EXE' }, 'win32'), join(root, 'nvidia-smi.EXE'));
    assert.equal(resolveExecutable('nvidia-smi', { PATH: '.', PATHEXT: '.EXE' }, 'win32') === join('.', 'nvidia-smi.EXE'), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
