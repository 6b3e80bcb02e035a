// The GPU race: a model file or script estimated before nvidia-smi has answered must not keep its
// "no GPU" result. Through the real worker (fake nvidia-smi) and the real DocumentAnalyzer,
// EstimateService and GpuState; the test decides when nvidia-smi's answer lands.

import './vscode-stub';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Uri } from './fake-vscode';
import { delay, makeHarness, SMI_GPU, until, YOLOV8N_YAML, type Harness } from './analyzer-harness';
import type { DocState } from '../../src/extension/documents';
import { GpuState } from '../../src/extension/gpu-state';
import { readSettings } from '../../src/extension/settings';
import type { QueryGpusReply } from '../../src/protocol/worker';

const harnesses: Harness[] = [];
async function harness(opts: { gpuWaitMs?: number } = {}): Promise<Harness> {
  const h = await makeHarness(opts);
  harnesses.push(h);
  return h;
}
after(() => harnesses.forEach((h) => h.dispose()));

const modelGpu = (s: DocState | undefined) => s?.model?.result?.gpu?.name ?? null;
const runGpu = (s: DocState | undefined) => s?.runs[0]?.result?.gpu?.name ?? null;

describe('estimates follow the GPU', { timeout: 600_000 }, () => {
  test('a model file whose estimate was sent before nvidia-smi answered is re-estimated with the GPU', async () => {
    // A short wait for the GPU, so the estimate goes out without it (nvidia-smi slower than the wait).
    const h = await harness({ gpuWaitMs: 20 });
    const file = join(h.dir, 'yolov8n.yaml');
    h.write(file, YOLOV8N_YAML);
    void h.gpu.refresh();
    const releaseEstimates = h.holdEstimates();
    h.analyzer.scheduleModelFile(Uri.file(file) as never, 0);
    await until(() => h.analyzeCalls.length, (n) => n >= 1, 20_000, 'the first estimate request');
    assert.equal(h.analyzeCalls[0]!.gpu, null, 'the race: the estimate was requested before the GPU was known');
    // The GPU lands while that estimate is still in flight (before its state was ever published).
    h.releaseGpu();
    await until(() => h.gpu.snapshot.planning?.name, (n) => n === SMI_GPU, 20_000, 'the GPU reading');
    releaseEstimates();
    const state = await until(() => h.analyzer.get(Uri.file(file).toString()), (s) => modelGpu(s) === SMI_GPU, 20_000, 'the state re-estimated with the GPU');
    assert.equal(state!.model?.options.gpu?.name, SMI_GPU);
    await delay(200);
    assert.equal(modelGpu(h.analyzer.get(Uri.file(file).toString())), SMI_GPU, 'no late stale result overwrote it');
    assert.equal(modelGpu(h.published.at(-1)), SMI_GPU, 'the last published state (what the sidebar and status bar show) has the GPU');
  });

  test('a model file published without the GPU is refreshed when the GPU arrives', async () => {
    const h = await harness({ gpuWaitMs: 20 });
    const file = join(h.dir, 'yolov8n.yaml');
    h.write(file, YOLOV8N_YAML);
    void h.gpu.refresh();
    h.analyzer.scheduleModelFile(Uri.file(file) as never, 0);
    await until(() => h.published.length, (n) => n >= 1, 20_000, 'a first published state');
    assert.equal(modelGpu(h.published[0]), null);
    h.releaseGpu();
    await until(() => h.analyzer.get(Uri.file(file).toString()), (s) => modelGpu(s) === SMI_GPU, 20_000, 'the refreshed state');
  });

  test('normal path: a GPU reading within the wait gives one estimate, already with the GPU', async () => {
    const h = await harness({ gpuWaitMs: 10_000 });
    const file = join(h.dir, 'yolov8n.yaml');
    h.write(file, YOLOV8N_YAML);
    void h.gpu.refresh();
    h.analyzer.scheduleModelFile(Uri.file(file) as never, 0);
    await delay(100);
    assert.equal(h.analyzeCalls.length, 0, 'the estimate waits for the GPU reading');
    h.releaseGpu();
    await until(() => h.analyzer.get(Uri.file(file).toString()), (s) => modelGpu(s) === SMI_GPU, 20_000, 'the state with the GPU');
    await delay(300);
    assert.equal(h.analyzeCalls.length, 1, 'no second estimate');
    assert.equal(h.published.length, 1, 'published once');
    const pong = await h.client.ping();
    assert.equal(pong.cacheMisses, 1, 'the worker computed once');
  });

  test('a script estimated before nvidia-smi answered is refreshed (runs, hover scan) with the GPU', async () => {
    const h = await harness({ gpuWaitMs: 20 });
    const doc = h.open(join(h.dir, 'train.py'), 'python', 'from ultralytics import YOLO\nYOLO("yolov8n.pt").train(batch=8, imgsz=320)\n');
    void h.gpu.refresh();
    const releaseEstimates = h.holdEstimates();
    h.analyzer.schedule(h.asDoc(doc), 0);
    await until(() => h.analyzeCalls.length, (n) => n >= 1, 20_000, 'the first estimate request');
    assert.equal(h.analyzeCalls[0]!.gpu, null);
    h.releaseGpu();
    await until(() => h.gpu.snapshot.planning?.name, (n) => n === SMI_GPU, 20_000, 'the GPU reading');
    releaseEstimates();
    await until(() => h.analyzer.get(doc.uri.toString()), (s) => runGpu(s) === SMI_GPU, 20_000, 'the script re-estimated with the GPU');
    // What a hover reads: the scan of this version, with options (and so the cache key) for the GPU.
    const scanned = await h.analyzer.scan(h.asDoc(doc));
    assert.equal(scanned.runs[0]?.options?.gpu?.name, SMI_GPU);
    assert.equal(h.estimates.peek(scanned.runs[0]!.options!)?.gpu?.name, SMI_GPU);
  });

  test('changing the GPU setting re-estimates every tracked file against the new GPU', async () => {
    const h = await harness({ gpuWaitMs: 10_000 });
    const file = join(h.dir, 'yolov8n.yaml');
    h.write(file, YOLOV8N_YAML);
    h.releaseGpu();
    await h.gpu.refresh();
    h.analyzer.scheduleModelFile(Uri.file(file) as never, 0);
    await until(() => h.analyzer.get(Uri.file(file).toString()), (s) => modelGpu(s) === SMI_GPU, 20_000, 'the first estimate');
    h.setSettings({ 'gpu.memory': 'T4' });
    h.gpu.recompute();
    const s = await until(() => h.analyzer.get(Uri.file(file).toString()), (st) => modelGpu(st) === 'Tesla T4', 20_000, 'the estimate for the T4');
    assert.equal(s!.model?.result?.gpu?.source, 'preset');
    assert.equal(h.analyzeCalls.length, 2);
  });
});

describe('GpuState.whenKnown', () => {
  const reply: QueryGpusReply = {
    state: 'ok',
    gpus: [],
    visible: [{ index: 0, name: SMI_GPU, totalBytes: 24 * 2 ** 30, usedBytes: 0, freeBytes: 24 * 2 ** 30, driverVersion: '550' }],
    cudaIndex: 0,
    gpu: null,
    notes: [],
  };
  const state = (values: Record<string, unknown>, query: () => Promise<QueryGpusReply>) =>
    new GpuState({ query, settings: () => readSettings({ get: <T>(k: string) => values[k] as T }, { trusted: true }).settings, log: () => undefined });

  test('a GPU named in the settings is known before nvidia-smi answers, and its answer changes nothing', async () => {
    let answer!: (r: QueryGpusReply) => void;
    const g = state({ 'gpu.memory': 'T4' }, () => new Promise((r) => (answer = r)));
    assert.equal(g.snapshot.planning?.name, 'Tesla T4');
    const changes: boolean[] = [];
    g.onDidChange((_s, c) => changes.push(c));
    const reading = g.refresh();
    // Known before nvidia-smi answers: whenKnown settles before the next event-loop turn.
    const first = await Promise.race([g.whenKnown(5000).then(() => 'known'), new Promise((r) => setImmediate(() => r('waiting')))]);
    assert.equal(first, 'known', 'no wait');
    answer(reply);
    await reading;
    assert.deepEqual(changes, [false], 'no re-estimate when nvidia-smi answers');
  });

  test('waits for the first reading, at most maxWaitMs', async () => {
    let answer!: (r: QueryGpusReply) => void;
    const g = state({}, () => new Promise((r) => (answer = r)));
    void g.refresh();
    let known = false;
    void g.whenKnown(60_000).then(() => (known = true));
    await delay(30);
    assert.equal(known, false);
    answer(reply);
    await delay(10);
    assert.equal(known, true);
    assert.equal(g.snapshot.planning?.name, SMI_GPU);

    const stuck = state({}, () => new Promise(() => undefined));
    void stuck.refresh();
    const t0 = Date.now();
    await stuck.whenKnown(50);
    assert.ok(Date.now() - t0 >= 45, 'gave up after the wait');
    assert.equal(stuck.snapshot.planning, null);
  });
});
