// The host-side services without VS Code: debounced newest-wins scheduling, the estimate cache and
// request sharing, and the planning-GPU resolution.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzeOptions } from '../../src/core/options';
import type { AnalysisResult } from '../../src/core/result';
import { KeyedDebouncer } from '../../src/extension/debounce';
import { EstimateService } from '../../src/extension/estimates';
import { FREE_RAM_FRESH_MS } from '../../src/core/free-ram-freshness';
import { GpuState } from '../../src/extension/gpu-state';
import { CancelSource } from '../../src/extension/panel/cancel';
import { readSettings } from '../../src/extension/settings';
import { WorkerError, type AnalyzeReply, type QueryGpusReply } from '../../src/protocol/worker';
import type { CancellationLike } from '../../src/extension/worker-client';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedDebouncer', () => {
  test('a burst runs once, after the quiet period, with the newest job', async () => {
    const d = new KeyedDebouncer(30);
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) d.schedule('a', () => ran.push(i));
    d.schedule('b', () => ran.push(100));
    await delay(15);
    assert.deepEqual(ran, []);
    await delay(40);
    assert.deepEqual(ran.sort((x, y) => x - y), [4, 100]);
    d.dispose();
  });

  test('a new schedule cancels the running job for the same key only', async () => {
    const d = new KeyedDebouncer(0);
    const cancelled: string[] = [];
    const long = (name: string) => (token: CancellationLike) =>
      new Promise<void>((r) => token.onCancellationRequested(() => (cancelled.push(name), r())));
    d.schedule('a', long('a1'));
    d.schedule('b', long('b1'));
    await delay(10);
    d.schedule('a', long('a2'));
    await delay(10);
    assert.deepEqual(cancelled, ['a1']);
    d.dispose();
    await delay(5);
    assert.deepEqual(cancelled.sort(), ['a1', 'a2', 'b1']);
  });
});

function fakeResult(model: string): AnalysisResult {
  return { model: { name: model } } as unknown as AnalysisResult;
}

/** A client double whose analyze resolves when the test says, recording cancellations. */
function controlledClient() {
  const calls: { options: AnalyzeOptions; token?: CancellationLike; force?: boolean; resolve(r: AnalyzeReply): void; reject(e: unknown): void; cancelled: boolean }[] = [];
  return {
    calls,
    analyze(options: AnalyzeOptions, o: { token?: CancellationLike; force?: boolean } = {}) {
      return new Promise<AnalyzeReply>((resolve, reject) => {
        const call = { options, token: o.token, force: o.force, resolve, reject, cancelled: false };
        o.token?.onCancellationRequested(() => {
          call.cancelled = true;
          reject(new WorkerError('cancelled', 'Cancelled'));
        });
        calls.push(call);
      });
    },
  };
}

describe('EstimateService', () => {
  test('identical options share one request; the result is cached and announced', async () => {
    const c = controlledClient();
    const svc = new EstimateService(c);
    const seen: string[] = [];
    svc.onDidEstimate((e) => seen.push(e.result?.model.name ?? `error ${e.error?.kind}`));
    const a = svc.estimate({ model: 'yolov8n', batch: [8] });
    const b = svc.estimate({ batch: [8], model: 'yolov8n' });
    assert.equal(c.calls.length, 1);
    assert.ok(svc.isRunning({ model: 'yolov8n', batch: [8] }));
    c.calls[0]!.resolve({ result: fakeResult('yolov8n'), cached: false, elapsedMs: 1 });
    assert.equal(await a, await b);
    assert.equal(svc.peek({ model: 'yolov8n', batch: [8] })?.model.name, 'yolov8n');
    await svc.estimate({ model: 'yolov8n', batch: [8] });
    assert.equal(c.calls.length, 1, 'served from the host cache');
    assert.deepEqual(seen, ['yolov8n']);
  });

  test('the worker request is cancelled only when every waiter has cancelled', async () => {
    const c = controlledClient();
    const svc = new EstimateService(c);
    const t1 = new CancelSource();
    const t2 = new CancelSource();
    const p1 = svc.estimate({ model: 'm' }, t1.token);
    const p2 = svc.estimate({ model: 'm' }, t2.token);
    t1.cancel();
    await assert.rejects(p1, (e: unknown) => e instanceof WorkerError && e.kind === 'cancelled');
    assert.equal(c.calls[0]!.cancelled, false);
    t2.cancel();
    await assert.rejects(p2, (e: unknown) => e instanceof WorkerError && e.kind === 'cancelled');
    assert.equal(c.calls[0]!.cancelled, true);
    assert.equal(svc.lastError({ model: 'm' }), undefined, 'a cancellation is not an error to show');
  });

  test('errors are remembered for the hover; force re-runs past the cache', async () => {
    const c = controlledClient();
    const svc = new EstimateService(c);
    const p = svc.estimate({ model: 'bad.onnx' });
    c.calls[0]!.reject(new WorkerError('input', 'bad.onnx: not an ONNX model', 'bad.onnx'));
    await assert.rejects(p);
    assert.equal(svc.lastError({ model: 'bad.onnx' })?.kind, 'input');
    const q = svc.estimate({ model: 'bad.onnx' }, undefined, true);
    assert.equal(c.calls[1]!.force, true);
    c.calls[1]!.resolve({ result: fakeResult('ok'), cached: false, elapsedMs: 1 });
    await q;
    assert.equal(svc.lastError({ model: 'bad.onnx' }), undefined);
    svc.clear();
    assert.equal(svc.peek({ model: 'bad.onnx' }), undefined);
  });
});

describe('EstimateService and free RAM', () => {
  const withRam = (free: number, freeRamReadAt: number | null) => ({ model: { name: 'yolov8n' }, dataset: { hostRam: { freeRamBytes: free }, freeRamReadAt } }) as unknown as AnalysisResult;
  const options: AnalyzeOptions = { model: 'yolov8n', batch: [16], data: 'data.yaml', cache: 'ram' };

  test('an aged free-RAM reading is still shown at once, refreshed behind it, and announced', async () => {
    const c = controlledClient();
    let clock = 0;
    const svc = new EstimateService(c, () => clock);
    const landed: number[] = [];
    svc.onDidEstimate((e) => landed.push((e.result?.dataset?.hostRam as unknown as { freeRamBytes: number }).freeRamBytes));
    const first = svc.estimate(options);
    c.calls[0]!.resolve({ result: withRam(8, clock), cached: false, elapsedMs: 1 });
    await first;

    clock = FREE_RAM_FRESH_MS - 1;
    assert.equal(svc.peek(options), await first);
    await svc.estimate(options);
    assert.equal(c.calls.length, 1, 'fresh: no request');

    clock = FREE_RAM_FRESH_MS;
    assert.equal(svc.peek(options), await first, 'the hover does not wait for the refresh');
    assert.equal(c.calls.length, 2, 'the refresh started');
    svc.peek(options);
    const waiting = svc.estimate(options);
    assert.equal(c.calls.length, 2, 'one refresh, shared');
    c.calls[1]!.resolve({ result: withRam(4, clock), cached: false, elapsedMs: 1 });
    assert.equal(await waiting, svc.peek(options));
    assert.deepEqual(landed, [8, 4]);

    const fixed = { ...options, freeRamBytes: 2 ** 30 };
    const f = svc.estimate(fixed);
    c.calls[2]!.resolve({ result: withRam(2 ** 30, null), cached: false, elapsedMs: 1 });
    await f;
    clock += 10 * FREE_RAM_FRESH_MS;
    svc.peek(fixed);
    await svc.estimate(fixed);
    assert.equal(c.calls.length, 3, 'free RAM fixed by the options never ages');
  });
});

describe('GpuState', () => {
  const GiB = 2 ** 30;
  const ok: QueryGpusReply = {
    state: 'ok',
    gpus: [],
    visible: [
      { index: 0, name: 'NVIDIA GeForce RTX 3090', totalBytes: 24 * GiB, usedBytes: 2 * GiB, freeBytes: 22 * GiB, driverVersion: '550' },
      { index: 1, name: 'NVIDIA GeForce RTX 3060', totalBytes: 12 * GiB, usedBytes: 0, freeBytes: 12 * GiB, driverVersion: '550' },
    ],
    cudaIndex: 0,
    gpu: null,
    notes: [],
  };

  test('detected GPU is planned without live use; the memory setting overrides; changes are flagged', async () => {
    let values: Record<string, unknown> = {};
    let reply: QueryGpusReply = ok;
    const queries: unknown[] = [];
    const g = new GpuState({
      query: async (p) => (queries.push(p), reply),
      settings: () => readSettings({ get: <T>(k: string) => values[k] as T }, { trusted: true }).settings,
      log: () => undefined,
    });
    const changes: boolean[] = [];
    g.onDidChange((_s, changed) => changes.push(changed));
    await g.refresh();
    assert.equal(g.snapshot.planning?.name, 'NVIDIA GeForce RTX 3090');
    assert.equal(g.snapshot.planning?.usedBytes, undefined);
    assert.equal(g.snapshot.live?.usedBytes, 2 * GiB);
    assert.equal(g.snapshot.detected.length, 2);
    // The sidebar lists `detected` and the panel's "Free now" reads `live`: both keep the reading.
    assert.equal(g.snapshot.detected[0]?.freeBytes, 22 * GiB);
    assert.equal(g.snapshot.live?.freeBytes, 22 * GiB);
    reply = { ...ok, visible: [{ ...ok.visible[0]!, usedBytes: 5 * GiB }, ok.visible[1]!] };
    await g.refresh();
    assert.deepEqual(changes, [true, false], 'live use alone does not change the planning GPU');
    values = { 'gpu.memory': 'T4' };
    g.recompute();
    assert.equal(g.snapshot.planning?.name, 'Tesla T4');
    assert.equal(g.snapshot.planning?.source, 'preset');
    values = { 'gpu.memory': '10GiB', 'gpu.index': 1, 'gpu.nvidiaSmiPath': '/opt/smi' };
    g.recompute();
    assert.equal(g.snapshot.planning?.totalBytes, 10 * GiB);
    assert.deepEqual(changes, [true, false, true, true]);
    await g.refresh();
    assert.deepEqual(queries.at(-1), { executable: '/opt/smi', device: 1 });
  });

  test('nvidia-smi failures leave no planning GPU and keep the message', async () => {
    const g = new GpuState({
      query: async () => ({ state: 'not-found', message: 'nvidia-smi was not found on PATH', executable: 'nvidia-smi' }),
      settings: () => readSettings({ get: () => undefined }, { trusted: true }).settings,
      log: () => undefined,
    });
    await g.refresh();
    assert.equal(g.snapshot.planning, null);
    assert.equal(g.snapshot.message, 'nvidia-smi was not found on PATH');
  });
});
