import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readDatasetYaml } from '../../src/core/dataset/yaml';
import { DatasetError } from '../../src/core/dataset/types';
import { tempDir, write } from './helpers';

async function ok(file: string, opts = {}) {
  const r = await readDatasetYaml(file, opts);
  assert.equal(r.kind, 'ok', JSON.stringify(r));
  return (r as Extract<typeof r, { kind: 'ok' }>).spec;
}

test('relative path: resolved against the YAML folder; splits against the root', async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'datasets/mine/images/train'), { recursive: true });
    write(join(dir, 'cfg/data.yaml'), 'path: ../datasets/mine\ntrain: images/train\nval: images/val\nnames:\n  0: cat\n  1: dog\n');
    const s = await ok(join(dir, 'cfg/data.yaml'));
    assert.equal(s.root, join(dir, 'datasets/mine'));
    assert.equal(s.rootExists, true);
    assert.deepEqual(s.splits, { train: [join(dir, 'datasets/mine/images/train')], val: [join(dir, 'datasets/mine/images/val')] });
    assert.deepEqual([s.nc, s.names, s.channels, s.kptShape], [2, ['cat', 'dog'], 3, null]);
  } finally {
    cleanup();
  }
});

test('no path: the YAML folder is the root; a relative data= path resolves against cwd', async () => {
  const { dir, cleanup } = tempDir();
  try {
    write(join(dir, 'proj/data.yaml'), 'train: train/images\nval: valid/images\nnc: 2\n');
    const s = await ok('proj/data.yaml', { cwd: dir });
    assert.equal(s.yamlPath, join(dir, 'proj/data.yaml'));
    assert.equal(s.root, join(dir, 'proj'));
    assert.deepEqual(s.splits.train, [join(dir, 'proj/train/images')]);
    assert.deepEqual(s.names, ['class_0', 'class_1']);
  } finally {
    cleanup();
  }
});

test('root candidates: YAML folder, then cwd (Ultralytics 8.3.x), then the datasets folder; absolute as is', async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'work/ds1'), { recursive: true });
    mkdirSync(join(dir, 'home/datasets/ds2'), { recursive: true });
    write(join(dir, 'cfg/a.yaml'), 'path: ds1\ntrain: images\nnc: 1\n');
    write(join(dir, 'cfg/b.yaml'), 'path: ds2\ntrain: images\nnc: 1\n');
    write(join(dir, 'cfg/c.yaml'), `path: ${join(dir, 'abs')}\ntrain: [images/a, images/b]\nnc: 1\n`);
    write(join(dir, 'cfg/d.yaml'), 'path: nowhere\ntrain: images\nnc: 1\n');
    const opts = { cwd: join(dir, 'work'), datasetsDir: join(dir, 'home/datasets') };
    const a = await ok(join(dir, 'cfg/a.yaml'), opts);
    assert.equal(a.root, join(dir, 'work/ds1'));
    assert.match(a.notes.join(), /working directory/);
    const b = await ok(join(dir, 'cfg/b.yaml'), opts);
    assert.equal(b.root, join(dir, 'home/datasets/ds2'));
    assert.deepEqual(b.rootCandidates, [join(dir, 'cfg/ds2'), join(dir, 'work/ds2'), join(dir, 'home/datasets/ds2')]);
    const c = await ok(join(dir, 'cfg/c.yaml'), opts);
    assert.equal(c.rootExists, false);
    assert.deepEqual(c.splits.train, [join(dir, 'abs/images/a'), join(dir, 'abs/images/b')]);
    const d = await ok(join(dir, 'cfg/d.yaml'), opts);
    assert.equal(d.rootExists, false);
    assert.equal(d.root, join(dir, 'cfg/nowhere'));
    assert.match(d.notes.join(), /not found/);
  } finally {
    cleanup();
  }
});

test("a missing '../x' split falls back to root/x; .txt lists and lists of folders are kept as sources", async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'ds/train/images'), { recursive: true });
    write(join(dir, 'ds/data.yaml'), 'train: ../train/images\nval: [val.txt, extra/images]\ntest: test.txt\nnames: [a]\n');
    const s = await ok(join(dir, 'ds/data.yaml'));
    assert.deepEqual(s.splits.train, [join(dir, 'ds/train/images')]);
    assert.deepEqual(s.splits.val, [join(dir, 'ds/val.txt'), join(dir, 'ds/extra/images')]);
    assert.deepEqual(s.splits.test, [join(dir, 'ds/test.txt')]);
  } finally {
    cleanup();
  }
});

test('pose and channels keys; nc vs names disagreement is a note', async () => {
  const { dir, cleanup } = tempDir();
  try {
    write(join(dir, 'p.yaml'), 'train: x\nkpt_shape: [17, 3]\nchannels: 1\nnc: 2\nnames: [person]\n');
    const s = await ok(join(dir, 'p.yaml'));
    assert.deepEqual([s.kptShape, s.channels, s.nc], [[17, 3], 1, 1]);
    assert.match(s.notes.join(), /disagree/);
  } finally {
    cleanup();
  }
});

test('built-in names and missing files are typed not-found results', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await readDatasetYaml('coco8.yaml', { cwd: dir });
    assert.equal(r.kind, 'not-found');
    assert.equal(r.kind === 'not-found' && r.builtin, true);
    assert.match(r.kind === 'not-found' ? r.message : '', /built-in dataset, not found locally/);
    const c = await readDatasetYaml('COCO.yaml', { cwd: dir });
    assert.equal(c.kind === 'not-found' && c.builtin, true);
    const m = await readDatasetYaml('data/mine.yaml', { cwd: dir });
    assert.deepEqual(m.kind === 'not-found' && [m.builtin, m.tried], [false, [join(dir, 'data/mine.yaml')]]);
  } finally {
    cleanup();
  }
});

test('bad files: one-line DatasetError naming the file', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const cases: Array<[string, string, RegExp]> = [
      ['bad.yaml', 'train: [a\nval: b', /^bad\.yaml: invalid YAML: /],
      ['list.yaml', '- a\n- b\n', /^list\.yaml: expected a mapping/],
      ['model.yaml', 'nc: 80\nbackbone: []\nhead: []\n', /^model\.yaml: no 'train' or 'val' key/],
      ['nc.yaml', 'train: a\nnc: -1\n', /^nc\.yaml: nc must be a positive integer/],
      ['names.yaml', 'train: a\nnames: 7\n', /^names\.yaml: names must be a list/],
      ['kpt.yaml', 'train: a\nkpt_shape: [17]\n', /^kpt\.yaml: kpt_shape must be/],
      ['split.yaml', 'train: [a, 3]\n', /^split\.yaml: train: expected a path/],
      ['dup.yaml', 'train: a\ntrain: b\n', /^dup\.yaml: invalid YAML/],
      ['bomb.yaml', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ntrain: a\n', /^bomb\.yaml: invalid YAML: too many alias/],
    ];
    for (const [name, text, re] of cases) {
      write(join(dir, name), text);
      await assert.rejects(readDatasetYaml(join(dir, name)), (e: Error) => {
        assert.ok(e instanceof DatasetError, `${name}: ${e}`);
        assert.match(e.message, re);
        assert.ok(!e.message.includes('\n'), `${name}: one line: ${e.message}`);
        return true;
      });
    }
    mkdirSync(join(dir, 'folder.yaml'));
    await assert.rejects(readDatasetYaml(join(dir, 'folder.yaml')), /folder\.yaml: not a file/);
  } finally {
    cleanup();
  }
});
