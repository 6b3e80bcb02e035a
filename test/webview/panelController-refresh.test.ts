// An open analysis panel follows what its estimate rests on outside the panel: the planning GPU
// (nvidia-smi answering late, the gpu.memory setting changed) and its dataset on disk. It re-asks,
// debounced, with the user's own inputs kept; a what-if GPU typed into the panel is not overridden
// by a newly detected one, but the live "Free now" reading still updates. Fake GPU and dataset
// sources shaped like GpuState and DatasetWatchers; the estimator is held by the test.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalyzeOptions } from '../../src/core/options';
import type { AnalysisResult, GpuInfo } from '../../src/core/result';
import type { CancellationToken } from '../../src/extension/panel/cancel';
import { PanelController, type PanelGpuSource } from '../../src/extension/panel/panelController';
import type { HostToPanelMessage, PanelStateMessage } from '../../src/protocol/webview';
import { sampleResult } from './sample';

const GIB = 1024 ** 3;
const DELAY_MS = 30;
const RTX_3090: GpuInfo = { name: 'NVIDIA GeForce RTX 3090', totalBytes: 24 * GIB, source: 'nvidia-smi', index: 0 };
const RTX_4060: GpuInfo = { name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * GIB, source: 'nvidia-smi', index: 0 };
const live = (g: GpuInfo, usedGib: number): GpuInfo => ({ ...g, usedBytes: usedGib * GIB, freeBytes: g.totalBytes - usedGib * GIB });

interface Call {
  options: AnalyzeOptions;
  token: CancellationToken;
  resolve(r: AnalysisResult): void;
}

/** GpuState as the panel sees it: `set` is a new reading (planningChanged when the GPU differs). */
function fakeGpu(planning: GpuInfo | null) {
  const listeners = new Set<Parameters<PanelGpuSource['onDidChange']>[0]>();
  const src = {
    snapshot: { planning, live: null as GpuInfo | null },
    onDidChange(l: Parameters<PanelGpuSource['onDidChange']>[0]) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    set(next: GpuInfo | null, liveReading: GpuInfo | null = next) {
      const changed = src.snapshot.planning?.name !== next?.name || src.snapshot.planning?.totalBytes !== next?.totalBytes;
      src.snapshot = { planning: next, live: liveReading };
      for (const l of [...listeners]) l(src.snapshot, changed);
    },
    get listeners() {
      return listeners.size;
    },
  };
  return src;
}

function fakeDatasets() {
  const listeners = new Set<(yamlPath: string) => void>();
  return {
    onDidInvalidate(l: (yamlPath: string) => void) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    fire: (yamlPath: string) => [...listeners].forEach((l) => l(yamlPath)),
    get listeners() {
      return listeners.size;
    },
  };
}

function harness(options: AnalyzeOptions, planning: GpuInfo | null, result: AnalysisResult | null = sampleResult()) {
  const posted: HostToPanelMessage[] = [];
  const calls: Call[] = [];
  const gpu = fakeGpu(planning);
  const datasets = fakeDatasets();
  const c = new PanelController(
    {
      post: (m) => {
        posted.push(structuredClone(m));
        return true;
      },
      // the verdict-first quick estimate answers at once; the full one waits for the test
      estimate: (o, token) => (o.quick ? Promise.resolve({ ...sampleResult(), partial: true }) : new Promise<AnalysisResult>((resolve) => calls.push({ options: structuredClone(o), token, resolve }))),
      showLog: () => undefined,
      copyText: async () => undefined,
      saveText: async () => undefined,
      log: () => undefined,
      gpu,
      datasets,
      refreshDelayMs: DELAY_MS,
    },
    options,
    result,
  );
  const states = () => posted.filter((m): m is PanelStateMessage => m.type === 'panelState').map((m) => m.state);
  return { c, posted, calls, gpu, datasets, states };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tick = () => new Promise((r) => setImmediate(r));

/** The user's own inputs, set through the panel's controls before the outside change. */
async function userEdits(h: ReturnType<typeof harness>, seq: number, patch: Record<string, unknown>): Promise<void> {
  const p = h.c.handle({ type: 'setOptions', seq, patch });
  await tick();
  h.calls.at(-1)!.resolve(sampleResult());
  await p;
}

test('a GPU that becomes known after the panel opened re-estimates it once, with the user\'s inputs kept', async () => {
  // Opened before nvidia-smi answered: planned against no GPU.
  const h = harness({ model: 'yolov8n', batch: [16], imgsz: 640, amp: true, gpu: null }, null);
  await userEdits(h, 1, { batch: 48, imgsz: 800, amp: false, gpuTotalBytes: null });
  const before = h.calls.length;

  // Two readings in a burst (the setting and nvidia-smi): one estimate, after the quiet time.
  h.gpu.set(RTX_4060, live(RTX_4060, 1));
  h.gpu.set(RTX_3090, live(RTX_3090, 2));
  await tick();
  assert.equal(h.calls.length, before, 'debounced: nothing yet');
  await delay(DELAY_MS * 3);
  assert.equal(h.calls.length, before + 1, 'one re-estimate for the burst');
  const o = h.calls.at(-1)!.options;
  assert.deepEqual(o.gpu, RTX_3090, 'the new planning GPU, without live usage');
  assert.deepEqual([o.batch, o.imgsz, o.amp], [[48], 800, false], 'the user\'s batch, imgsz and AMP stay');
  assert.equal(h.states().at(-1)!.busy, true);
  assert.equal(h.states().at(-1)!.resultSeq, 1, 'the webview\'s newest request is echoed: it accepts the state');

  h.calls.at(-1)!.resolve(sampleResult({ gpu: true, batch: 48 }));
  await tick();
  const last = h.states().at(-1)!;
  assert.equal(last.busy, false);
  assert.equal(last.result!.estimates[0]!.batch, 48);
  assert.deepEqual(last.options.gpu, RTX_3090);
  assert.deepEqual(last.gpuNow, live(RTX_3090, 2), '"Free now" follows the live reading');
});

test('a what-if GPU typed into the panel is not overridden by a newly detected GPU; "Free now" still updates', async () => {
  const h = harness({ model: 'yolov8n', batch: [16], gpu: RTX_4060 }, RTX_4060);
  await userEdits(h, 1, { gpuTotalBytes: 40 * GIB });
  const whatIf = h.states().at(-1)!.options.gpu!;
  assert.equal(whatIf.totalBytes, 40 * GIB);
  const before = h.calls.length;

  h.gpu.set(RTX_3090, live(RTX_3090, 5));
  await delay(DELAY_MS * 3);
  assert.equal(h.calls.length, before, 'no re-estimate: the panel checks against the what-if');
  assert.deepEqual(h.c.snapshot.options.gpu, whatIf);
  assert.deepEqual(h.posted.at(-1), { type: 'gpuNow', gpu: live(RTX_3090, 5) });

  // Typing the planning GPU's size again goes back to following it.
  await userEdits(h, 2, { gpuTotalBytes: 24 * GIB });
  assert.deepEqual(h.calls.at(-1)!.options.gpu, RTX_3090);
  h.gpu.set(RTX_4060);
  await delay(DELAY_MS * 3);
  assert.deepEqual(h.calls.at(-1)!.options.gpu, RTX_4060, 'following again');
});

test('clearing the VRAM field (no GPU) is a choice too', async () => {
  const h = harness({ model: 'yolov8n', batch: [16], gpu: RTX_4060 }, RTX_4060);
  await userEdits(h, 1, { gpuTotalBytes: null });
  const before = h.calls.length;
  h.gpu.set(RTX_3090);
  await delay(DELAY_MS * 3);
  assert.equal(h.calls.length, before);
  assert.equal(h.c.snapshot.options.gpu, null);
});

test('a control change made before the webview showed the new GPU keeps the new GPU', async () => {
  const h = harness({ model: 'yolov8n', batch: [16], gpu: RTX_4060 }, RTX_4060);
  h.gpu.set(RTX_3090);
  // Within the quiet time the user changes the batch; the VRAM field still says 8 GiB (RTX 4060).
  const p = h.c.handle({ type: 'setOptions', seq: 1, patch: { batch: 32, gpuTotalBytes: 8 * GIB } });
  await tick();
  assert.equal(h.calls.length, 1);
  assert.deepEqual(h.calls[0]!.options.gpu, RTX_3090, 'the stale field is not taken for a what-if');
  assert.deepEqual(h.calls[0]!.options.batch, [32]);
  h.calls[0]!.resolve(sampleResult({ batch: 32 }));
  await p;
  await delay(DELAY_MS * 3);
  assert.equal(h.calls.length, 1, 'that estimate already covered the GPU change');
});

test('the panel\'s dataset invalidated re-estimates it (same options); another dataset does not', async () => {
  const options: AnalyzeOptions = { model: 'yolov8n', batch: [8], data: 'ds/data.yaml', cwd: '/work/project', gpu: RTX_3090 };
  const h = harness(options, RTX_3090);
  h.datasets.fire('/work/project/other/data.yaml');
  await delay(DELAY_MS * 3);
  assert.equal(h.calls.length, 0);
  h.datasets.fire('/work/project/ds/data.yaml');
  h.datasets.fire('/work/project/ds/data.yaml');
  await delay(DELAY_MS * 3);
  assert.equal(h.calls.length, 1, 'one re-estimate for the burst');
  assert.deepEqual(h.calls[0]!.options, options);
  assert.equal(h.calls[0]!.token.isCancellationRequested, false);
});

test('a panel opened with options built for an older GPU estimates on the planning one; a restored what-if stays', async () => {
  const old = harness({ model: 'yolov8n', batch: [16], gpu: RTX_4060 }, RTX_3090, sampleResult());
  assert.equal(old.c.snapshot.result, null, 'the result for the old GPU is not shown as current');
  assert.deepEqual(old.c.options.gpu, RTX_3090);
  // The host re-sends options built before the change: the planning GPU replaces theirs.
  void old.c.setOptions({ model: 'yolov8n', batch: [16], gpu: RTX_4060 }, sampleResult());
  await tick();
  assert.deepEqual(old.calls.at(-1)!.options.gpu, RTX_3090);

  const whatIf: GpuInfo = { name: '40 GiB GPU (what-if)', totalBytes: 40 * GIB, source: 'setting' };
  const restored = harness({ model: 'yolov8n', batch: [16], gpu: whatIf }, RTX_3090, sampleResult());
  assert.deepEqual(restored.c.options.gpu, whatIf);
  assert.ok(restored.c.snapshot.result);
  restored.gpu.set(RTX_4060);
  await delay(DELAY_MS * 3);
  assert.equal(restored.calls.length, 0);
});

test('dispose drops the subscriptions and a refresh still waiting', async () => {
  const h = harness({ model: 'yolov8n', batch: [16], data: '/d/data.yaml', gpu: null }, null);
  assert.equal(h.gpu.listeners, 1);
  assert.equal(h.datasets.listeners, 1);
  h.gpu.set(RTX_3090);
  h.c.dispose();
  assert.equal(h.gpu.listeners, 0);
  assert.equal(h.datasets.listeners, 0);
  await delay(DELAY_MS * 3);
  assert.equal(h.calls.length, 0);
  assert.equal(h.posted.filter((m) => m.type === 'panelState').length, 0);
});
