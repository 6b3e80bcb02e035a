// A dataset edited on disk must not be answered from the caches: a label file edited in place leaves
// every folder mtime (the scan cache's key) and every option (the result caches' keys) unchanged.
// The worker's datasetFiles / invalidateDataset, and the scan cache they drop, through the real
// worker process and a synthetic dataset (scripts/gen-dataset.mjs).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetDatasetScans, readDatasetYaml, scanDataset } from '../../src/core/dataset';
import type { WorkerClient } from '../../src/extension/worker-client';
import { root, testClient } from './helpers';

let dir: string;
const clients: WorkerClient[] = [];

/** A label file with `n` distinct boxes (duplicate rows are dropped, as Ultralytics does). */
function labels(n: number): string {
  let t = '';
  for (let i = 0; i < n; i++) t += `0 ${(0.005 + (i % 97) / 100).toFixed(4)} ${(0.005 + Math.floor(i / 97) / 100).toFixed(4)} 0.0100 0.0100\n`;
  return t;
}

function gen(name: string, images = 12): string {
  const out = join(dir, name);
  execFileSync(process.execPath, [join(root, 'scripts', 'gen-dataset.mjs'), out, '--images', String(images), '--objects', '3', '--val', '3'], { stdio: 'ignore' });
  return out;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'yolo-mem-ds-inval-'));
});
after(() => {
  clients.forEach((c) => c.dispose());
  rmSync(dir, { recursive: true, force: true });
});

describe('dataset invalidation in the worker', { timeout: 600_000 }, () => {
  test('datasetFiles names the YAML, the image and label folders, and the glob to watch them with', async () => {
    const ds = gen('files');
    const { client } = await testClient();
    clients.push(client);
    const r = await client.datasetFiles({ data: 'files/data.yaml', cwd: dir });
    assert.equal(r.found, true);
    assert.equal(r.yamlPath, join(ds, 'data.yaml'));
    assert.ok(r.files.includes(join(ds, 'data.yaml')));
    assert.deepEqual([...r.folders].sort(), [join(ds, 'images', 'train'), join(ds, 'images', 'val'), join(ds, 'labels', 'train'), join(ds, 'labels', 'val')].sort());
    assert.match(r.glob, /^\*\*\/\*\.\{txt,TXT,.*png.*\}$/);
    const missing = await client.datasetFiles({ data: 'coco8.yaml', cwd: dir });
    assert.equal(missing.found, false);
    assert.equal(missing.yamlPath, join(dir, 'coco8.yaml'));
  });

  test('without a running worker there is nothing to drop, and none is started for it', async () => {
    const { client } = await testClient();
    clients.push(client);
    assert.deepEqual(await client.invalidateDataset({ yamlPath: join(dir, 'x', 'data.yaml') }), { results: 0, scans: 0 });
    assert.equal(client.starts, 0);
  });

  test('a label file edited in place: served stale from the cache until invalidateDataset, then rescanned', async () => {
    const ds = gen('edit');
    const { client } = await testClient();
    clients.push(client);
    const options = { model: 'yolov8n', imgsz: 320, batch: [4], data: 'edit/data.yaml', cwd: dir };
    const first = await client.analyze(options);
    assert.equal(first.result.dataset?.objects?.max, 3);
    const labelsDir = join(ds, 'labels', 'train');
    const mtime = statSync(labelsDir).mtimeMs;
    writeFileSync(join(labelsDir, '0.txt'), labels(150));
    assert.equal(statSync(labelsDir).mtimeMs, mtime, 'an in-place edit leaves the folder mtime alone');
    const stale = await client.analyze(options);
    assert.equal(stale.cached, true, 'the edit alone is invisible to the cache (why the host must say so)');
    assert.equal(stale.result.dataset?.objects?.max, 3);

    const inv = await client.invalidateDataset({ yamlPath: join(ds, 'data.yaml') });
    assert.deepEqual(inv, { results: 1, scans: 2 }, 'the result and the train + val scans');
    const fresh = await client.analyze(options);
    assert.equal(fresh.cached, false);
    assert.equal(fresh.result.dataset?.objects?.max, 150);
  });

  test('only the changed dataset is dropped; other datasets and models stay cached', async () => {
    gen('a');
    gen('b');
    const { client } = await testClient();
    clients.push(client);
    const a = { model: 'yolov8n', imgsz: 320, batch: [4], data: 'a/data.yaml', cwd: dir };
    const b = { ...a, data: 'b/data.yaml' };
    const none = { model: 'yolov8n', imgsz: 320, batch: [4] };
    await Promise.all([client.analyze(a), client.analyze(b), client.analyze(none)]);
    const inv = await client.invalidateDataset({ yamlPath: join(dir, 'a', 'data.yaml') });
    assert.equal(inv.results, 1);
    assert.equal((await client.analyze(b)).cached, true);
    assert.equal((await client.analyze(none)).cached, true);
    assert.equal((await client.analyze(a)).cached, false);
  });

  test('an analysis in flight when its dataset is invalidated does not leave its result in the cache', async () => {
    gen('flight', 60);
    const { client } = await testClient();
    clients.push(client);
    const options = { model: 'yolov8s', imgsz: 320, batch: [4], data: 'flight/data.yaml', cwd: dir };
    const running = client.analyze(options);
    // Sent after the analyze on the same channel: handled while that analysis is still working.
    const inv = await client.invalidateDataset({ yamlPath: join(dir, 'flight', 'data.yaml') });
    assert.equal(inv.results, 0);
    assert.equal((await running).cached, false);
    assert.equal((await client.analyze(options)).cached, false, 'the in-flight result was stored under the old revision');
  });

  test('scan cache: a scan that began before forgetDatasetScans does not store what it read', async () => {
    const ds = gen('scan');
    const r = await readDatasetYaml(join(ds, 'data.yaml'));
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    const running = scanDataset(r.spec, { split: 'train' });
    forgetDatasetScans(r.spec.yamlPath); // the label edit happens while that scan is reading
    assert.equal((await running).objects.max, 3);
    writeFileSync(join(ds, 'labels', 'train', '1.txt'), labels(40));
    assert.equal((await scanDataset(r.spec, { split: 'train' })).objects.max, 40);
    // Cached now; an in-place edit is invisible until the dataset is forgotten.
    writeFileSync(join(ds, 'labels', 'train', '2.txt'), labels(70));
    assert.equal((await scanDataset(r.spec, { split: 'train' })).objects.max, 40);
    assert.equal(forgetDatasetScans(r.spec.yamlPath), 1);
    assert.equal((await scanDataset(r.spec, { split: 'train' })).objects.max, 70);
  });
});
