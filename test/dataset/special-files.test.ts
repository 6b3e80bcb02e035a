// Datasets that point at things that are not regular files: a split that is /dev/zero (one endless
// line: readline's buffer grew until the worker died), /dev/urandom (never ends), a FIFO as the
// list file, a FIFO named like an image and one named like a label file (open(2) blocks until a
// writer appears). Each scan must end with a note, never block: a FIFO nobody writes to would hang
// the test itself if it were opened without O_NONBLOCK, which is what these tests prove.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanDataset } from '../../src/core/dataset/scan';
import { readDatasetYaml } from '../../src/core/dataset/yaml';
import { png, tempDir, write, boxLines } from './helpers';

const posix = process.platform !== 'win32' && existsSync('/dev/zero');
let root = '';
let cleanup = () => {};

before(() => {
  const t = tempDir('yolo-special-');
  root = t.dir;
  cleanup = t.cleanup;
  if (!posix) return;
  write(join(root, 'images/train/a.png'), png(64, 64));
  write(join(root, 'labels/train/a.txt'), boxLines(3));
  execFileSync('mkfifo', [join(root, 'images/train/fifo.png')]);
  execFileSync('mkfifo', [join(root, 'images/train/b.png.fifo-label-pair.png')]);
  write(join(root, 'images/train/c.png'), png(64, 64));
  execFileSync('mkfifo', [join(root, 'labels/train/c.txt')]);
  execFileSync('mkfifo', [join(root, 'list.txt')]);
});
after(() => cleanup());

async function scanYaml(body: string, split: 'train' | 'val' = 'train') {
  const y = join(root, `d${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(y, body);
  const r = await readDatasetYaml(y);
  assert.equal(r.kind, 'ok');
  return scanDataset((r as Extract<typeof r, { kind: 'ok' }>).spec, { split, noCache: true });
}

test('a split that is /dev/zero or /dev/urandom ends at once with a note', { skip: !posix && 'no /dev on this platform' }, async () => {
  for (const dev of ['/dev/zero', '/dev/urandom']) {
    const s = await scanYaml(`path: ${root}\ntrain: ${dev}\nval: ${dev}\nnames: [a, b, c]\n`);
    assert.equal(s.images, 0);
    assert.ok(s.notes.some((n) => n === `${dev} is a character device, not a regular file: not read as an image list`), s.notes.join(' | '));
  }
});

test('a FIFO as the list file is refused without blocking', { skip: !posix && 'no mkfifo on this platform' }, async () => {
  const s = await scanYaml(`path: ${root}\ntrain: list.txt\nval: list.txt\nnames: [a, b, c]\n`);
  assert.equal(s.images, 0);
  assert.ok(s.notes.some((n) => n.endsWith('list.txt is a named pipe (FIFO), not a regular file: not read as an image list')), s.notes.join(' | '));
});

test('FIFOs named like images or labels are unreadable, the real files are still counted', { skip: !posix && 'no mkfifo on this platform' }, async () => {
  const s = await scanYaml(`path: ${root}\ntrain: images/train\nval: images/train\nnames: [a, b, c]\n`);
  assert.equal(s.images, 4); // a.png, c.png and the two FIFOs named *.png
  assert.equal(s.imageSizes.unreadable, 2);
  assert.equal(s.objects.max, 3); // a.txt; c.txt is a FIFO: read as no label
});

test('a dataset YAML that is itself a FIFO or a device is a one-line error', { skip: !posix && 'no /dev on this platform' }, async () => {
  execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
  await assert.rejects(readDatasetYaml(join(root, 'fifo.yaml')), /fifo\.yaml: is a named pipe \(FIFO\), not a regular file$/);
});
