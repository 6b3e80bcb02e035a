// A dataset's folders are watched recursively only inside the workspace folders: a dataset YAML with
// `path: /` (or a dataset elsewhere on disk) must not make the editor watch the whole disk. Such a
// dataset is read again on each estimate instead; its YAML and list files are still watched.
import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatasetWatch } from '../../src/extension/dataset-watch';
import { insideWorkspace } from '../../src/extension/dataset-watchers';

test('insideWorkspace: a folder or its children, never an ancestor or a sibling', () => {
  const ws = ['/home/u/proj'];
  assert.equal(insideWorkspace('/home/u/proj', ws), true);
  assert.equal(insideWorkspace('/home/u/proj/data/images', ws), true);
  assert.equal(insideWorkspace('/', ws), false);
  assert.equal(insideWorkspace('/home/u', ws), false);
  assert.equal(insideWorkspace('/home/u/proj2', ws), false);
  assert.equal(insideWorkspace('/home/u/proj/../other', ws), false);
  assert.equal(insideWorkspace('/data', []), false);
});

test('folders outside the workspace get no recursive watcher, and the log says so', async () => {
  const watched: string[] = [];
  const log: string[] = [];
  const w = new DatasetWatch({
    files: async () => ({ yamlPath: '/ws/d.yaml', found: true, folders: ['/', '/ws/images/train'], files: ['/ws/list.txt'], glob: '**/*.txt', notes: [] }),
    invalidateWorker: async () => ({ results: 0, scans: 0 }),
    invalidated: () => undefined,
    watch: (base, glob) => {
      watched.push(`${base} ${glob}`);
      return { dispose: () => undefined };
    },
    mayWatchFolder: (dir) => insideWorkspace(dir, ['/ws']),
    log: (l) => log.push(l),
  });
  w.sync(new Map([['/ws/d.yaml', { data: 'd.yaml' }]]));
  for (let i = 0; i < 50 && !log.length; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(watched.sort(), ['/ws d.yaml', '/ws list.txt', '/ws/images/train **/*.txt']);
  assert.match(log.join('\n'), /1 folder\(s\) outside the workspace not watched \(\/\); they are read again on each estimate/);
  w.dispose();
});
