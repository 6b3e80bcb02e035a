// Dataset edits reach the estimates: a script trains on `data=ds/data.yaml`; editing a label file in
// place or the YAML itself (file events as VS Code's watchers report them) drops the cached results
// for that dataset only — host and worker — and re-estimates the script once per burst of events.
// Real DocumentAnalyzer, EstimateService and worker; the fake `vscode` module's watchers.

import './vscode-stub';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { AnalyzeOptions } from '../../src/core/options';
import type { AnalysisResult } from '../../src/core/result';
import { watchDatasets } from '../../src/extension/dataset-watchers';
import { EstimateService } from '../../src/extension/estimates';
import type { AnalyzeReply } from '../../src/protocol/worker';
import type { DocState } from '../../src/extension/documents';
import { root } from '../worker/helpers';
import { delay, makeHarness, until, type Harness } from './analyzer-harness';
import { fireFileEvent, Uri, watchers, workspace } from './fake-vscode';

const DEBOUNCE_MS = 100;
const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

async function setup(): Promise<{ h: Harness; datasets: vscode.Disposable }> {
  const h = await makeHarness({ gpuWaitMs: 10_000 });
  h.releaseGpu();
  await h.gpu.refresh();
  // the scripts and their datasets sit in the (one) workspace folder: only there are folders watched
  workspace.workspaceFolders = [{ uri: Uri.file(h.dir) }];
  const datasets = watchDatasets(h.analyzer, h.estimates, h.client, (l) => h.log.info(l), DEBOUNCE_MS);
  cleanups.push(() => {
    datasets.dispose();
    h.dispose();
  });
  return { h, datasets };
}

function gen(out: string, images = 16): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'gen-dataset.mjs'), out, '--images', String(images), '--objects', '3', '--val', '3'], { stdio: 'ignore' });
}

function labels(n: number): string {
  let t = '';
  for (let i = 0; i < n; i++) t += `0 ${(0.005 + (i % 97) / 100).toFixed(4)} ${(0.005 + Math.floor(i / 97) / 100).toFixed(4)} 0.0100 0.0100\n`;
  return t;
}

const script = (data: string) => `from ultralytics import YOLO\nYOLO("yolov8n.pt").train(data="${data}", batch=8, imgsz=320, cache=True, workers=2)\n`;
/** Live watchers on `dir` or under it. */
const live = (dir: string) => watchers.filter((w) => !w.disposed && (w.base === dir || w.base.startsWith(dir + '/')));
const dataset = (s: DocState | undefined) => s?.runs[0]?.result?.dataset ?? null;

describe('dataset edits re-estimate the scripts that train on them', { timeout: 600_000 }, () => {
  test('a label file edited in place (a burst of events) re-estimates once; another dataset stays cached', async () => {
    const { h } = await setup();
    gen(join(h.dir, 'ds'));
    gen(join(h.dir, 'other'));
    const doc = h.open(join(h.dir, 'train.py'), 'python', script('ds/data.yaml'));
    const otherDoc = h.open(join(h.dir, 'other.py'), 'python', script('other/data.yaml'));
    h.analyzer.schedule(h.asDoc(doc), 0);
    h.analyzer.schedule(h.asDoc(otherDoc), 0);
    const first = await until(() => dataset(h.analyzer.get(doc.uri.toString())), (d) => d?.objects?.max === 3, 30_000, 'the first estimate');
    assert.equal(first?.images, 16);
    await until(() => dataset(h.analyzer.get(otherDoc.uri.toString())), (d) => d !== null, 30_000, 'the other script');
    // The watchers: the YAML, and the image and label folders of both splits.
    const ds = join(h.dir, 'ds');
    await until(() => live(ds).map((w) => w.base).sort(), (b) => b.length === 5, 10_000, 'the dataset watchers');
    const otherOptions = h.analyzer.get(otherDoc.uri.toString())!.runs[0]!.options!;
    const calls = h.analyzeCalls.length;

    // A relabelling tool rewrites several files; the edit leaves every folder mtime unchanged.
    writeFileSync(join(ds, 'labels', 'train', '0.txt'), labels(200));
    for (let i = 0; i < 10; i++) {
      assert.ok(fireFileEvent('change', join(ds, 'labels', 'train', `${i}.txt`)) >= 1, 'a label file is watched');
      await delay(5);
    }
    const after = await until(() => dataset(h.analyzer.get(doc.uri.toString())), (d) => d?.objects?.max === 200, 30_000, 'the re-estimate with the edited labels');
    assert.equal(after?.images, 16);
    await delay(DEBOUNCE_MS * 3);
    assert.equal(h.analyzeCalls.length, calls + 1, 'one re-estimate for the burst, none for the other script');
    assert.ok(h.estimates.peek(otherOptions), 'the other dataset keeps its cached estimate');
    assert.ok(h.log.lines.some((l) => /dropped 1 cached estimate\(s\) and 2 scan\(s\) in the estimator/.test(l)), h.log.lines.join('\n'));
  });

  test('a YAML edit re-reads the dataset (and where its files are); events outside it do nothing', async () => {
    const { h } = await setup();
    const ds = join(h.dir, 'ds');
    gen(ds);
    const doc = h.open(join(h.dir, 'train.py'), 'python', script('ds/data.yaml'));
    h.analyzer.schedule(h.asDoc(doc), 0);
    await until(() => dataset(h.analyzer.get(doc.uri.toString())), (d) => d?.images === 16, 30_000, 'the first estimate');
    await until(() => live(ds).length, (n) => n === 5, 10_000, 'the dataset watchers');
    const calls = h.analyzeCalls.length;
    assert.equal(fireFileEvent('change', join(h.dir, 'unrelated.txt')), 0);
    assert.equal(fireFileEvent('change', join(ds, 'labels', 'train.cache')), 0, "Ultralytics' own label cache is not a dataset edit");
    await delay(DEBOUNCE_MS * 3);
    assert.equal(h.analyzeCalls.length, calls);

    // Train on the val split now: 3 images.
    writeFileSync(join(ds, 'data.yaml'), 'path: .\ntrain: images/val\nval: images/val\nnames:\n  0: object\n');
    fireFileEvent('change', join(ds, 'data.yaml'));
    await until(() => dataset(h.analyzer.get(doc.uri.toString())), (d) => d?.images === 3, 30_000, 'the estimate over the new split');
    await until(() => live(ds).length, (n) => n === 3, 10_000, 'watchers for the new folders (YAML, images/val, labels/val)');
  });

  test('a dataset YAML that appears after the script was analysed is read', async () => {
    const { h } = await setup();
    const doc = h.open(join(h.dir, 'train.py'), 'python', script('late/data.yaml'));
    h.analyzer.schedule(h.asDoc(doc), 0);
    const before = await until(() => h.analyzer.get(doc.uri.toString())?.runs[0], (r) => !!r?.result, 30_000, 'the first estimate');
    assert.equal(before!.result!.dataset?.images, null, 'not found yet');
    assert.equal(before!.options?.objectsPerImage, undefined, 'the setting at its default: the density is assumed until the scan');
    // Watched although missing (events before the watcher exists would be lost: wait for it).
    await until(() => live(join(h.dir, 'late')).map((w) => w.pattern), (p) => p.includes('data.yaml'), 10_000, 'a watcher on the missing YAML');
    gen(join(h.dir, 'late'));
    fireFileEvent('create', join(h.dir, 'late', 'data.yaml'));
    const r = await until(() => h.analyzer.get(doc.uri.toString())?.runs[0], (x) => x?.result?.dataset?.images === 16, 30_000, 'the estimate with the new dataset');
    assert.equal(r!.options?.objectsPerImage, undefined, 'options rebuilt: the scan decides the boxes per image');
  });
});

describe('EstimateService.invalidate', () => {
  test('drops matching results, and detaches a matching request in flight: its answer is not cached', async () => {
    const pending: { options: AnalyzeOptions; resolve(r: AnalyzeReply): void }[] = [];
    const svc = new EstimateService({ analyze: (options) => new Promise<AnalyzeReply>((resolve) => pending.push({ options, resolve })) });
    const reply = (name: string): AnalyzeReply => ({ result: { model: { name } } as unknown as AnalysisResult, cached: false, elapsedMs: 1 });
    const a: AnalyzeOptions = { model: 'yolov8n', data: 'a.yaml', cwd: '/w' };
    const b: AnalyzeOptions = { model: 'yolov8n', data: 'b.yaml', cwd: '/w' };
    const done = [svc.estimate(a), svc.estimate(b)];
    pending[0]!.resolve(reply('a1'));
    pending[1]!.resolve(reply('b1'));
    await Promise.all(done);

    const inFlight = svc.estimate({ ...a, batch: [4] });
    const isA = (o: AnalyzeOptions) => o.data === 'a.yaml';
    assert.equal(svc.invalidate(isA), 1);
    assert.equal(svc.peek(a), undefined);
    assert.equal(svc.peek(b)?.model.name, 'b1', 'another dataset keeps its result');
    assert.equal(svc.isRunning({ ...a, batch: [4] }), false, 'a later caller starts a fresh request');
    const again = svc.estimate({ ...a, batch: [4] });
    assert.equal(pending.length, 4);
    pending[2]!.resolve(reply('old'));
    assert.equal((await inFlight).model.name, 'old', 'its waiters still get their answer');
    assert.equal(svc.peek({ ...a, batch: [4] }), undefined, 'but it is not cached');
    pending[3]!.resolve(reply('new'));
    assert.equal((await again).model.name, 'new');
    assert.equal(svc.peek({ ...a, batch: [4] })?.model.name, 'new');
  });
});
