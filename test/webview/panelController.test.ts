import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalyzeOptions } from '../../src/core/options';
import type { AnalysisResult, GpuInfo } from '../../src/core/result';
import type { CancellationToken } from '../../src/extension/panel/cancel';
import { PanelController, readableError } from '../../src/extension/panel/panelController';
import { parseHostToPanel, type HostToPanelMessage, type PanelStateMessage } from '../../src/protocol/webview';
import { sampleResult } from './sample';

interface Call {
  options: AnalyzeOptions;
  token: CancellationToken;
  resolve(r: AnalysisResult): void;
  reject(e: unknown): void;
}

function harness(initial: AnalysisResult | null = null, gpuNow: GpuInfo | null = null) {
  const posted: HostToPanelMessage[] = [];
  const calls: Call[] = [];
  const quick: AnalyzeOptions[] = [];
  const logs: string[] = [];
  const saved: { name: string; text: string }[] = [];
  const copied: string[] = [];
  let showLog = 0;
  let saveAnswer: string | undefined = '/tmp/out.csv';
  const c = new PanelController(
    {
      post: (m) => {
        posted.push(structuredClone(m));
        return true;
      },
      // the controller asks for the verdict first (quick) and then the full analysis: quick answers come
      // at once (recorded apart), the full ones wait for the test to resolve them
      estimate: (options, token) => {
        if (options.quick) {
          quick.push(options);
          return Promise.resolve({ ...sampleResult({ batch: options.batch?.[0] ?? 16 }), maxBatch: null, maxBatchTight: null, partial: true });
        }
        return new Promise<AnalysisResult>((resolve, reject) => calls.push({ options, token, resolve, reject }));
      },
      showLog: () => showLog++,
      copyText: async (t) => {
        copied.push(t);
      },
      saveText: async (name, _f, text) => {
        saved.push({ name, text });
        return saveAnswer;
      },
      log: (l) => logs.push(l),
    },
    { model: 'yolov8n.pt', batch: [16] },
    initial,
    gpuNow,
  );
  const states = () => posted.filter((m): m is PanelStateMessage => m.type === 'panelState').map((m) => m.state);
  return { c, posted, calls, quick, logs, saved, copied, states, showLogCount: () => showLog, setSaveAnswer: (a: string | undefined) => (saveAnswer = a) };
}

const tick = () => new Promise((r) => setImmediate(r));

test('ready gets the full state', async () => {
  const r = sampleResult();
  const h = harness(r);
  await h.c.handle({ type: 'ready' });
  assert.equal(h.states().length, 1);
  assert.equal(h.states()[0]!.result?.model.name, r.model.name);
});

test('a control change re-estimates with the patched options; the reply carries its seq', async () => {
  const h = harness(sampleResult());
  const done = h.c.handle({ type: 'setOptions', seq: 1, patch: { batch: 32, amp: false } });
  await tick();
  assert.equal(h.calls.length, 1);
  assert.deepEqual(h.calls[0]!.options, { model: 'yolov8n.pt', batch: [32], amp: false });
  assert.equal(h.states().at(-1)!.busy, true);
  const next = sampleResult({ batch: 32 });
  h.calls[0]!.resolve(next);
  await done;
  const last = h.states().at(-1)!;
  assert.equal(last.busy, false);
  assert.equal(last.resultSeq, 1);
  assert.equal(last.result!.estimates[0]!.batch, 32);
});

test('a newer request cancels the older one, and the older reply is dropped', async () => {
  const h = harness(sampleResult());
  const first = h.c.handle({ type: 'setOptions', seq: 1, patch: { batch: 8 } });
  const second = h.c.handle({ type: 'setOptions', seq: 2, patch: { batch: 64 } });
  await tick();
  // both asked their quick verdict; the older one's answer came after the newer request took over,
  // so it was dropped and its full analysis never asked
  assert.equal(h.quick.length, 2);
  assert.equal(h.calls.length, 1);
  assert.deepEqual(h.calls[0]!.options.batch, [64]);
  assert.equal(h.calls[0]!.token.isCancellationRequested, false);
  const third = h.c.handle({ type: 'setOptions', seq: 3, patch: { batch: 8 } });
  await tick();
  assert.equal(h.calls[0]!.token.isCancellationRequested, true, 'a newer request cancels the running full analysis');
  h.calls[1]!.resolve(sampleResult({ batch: 8 }));
  await third;
  h.calls[0]!.resolve(sampleResult({ batch: 64 })); // late reply to the cancelled request
  await second;
  await first;
  const last = h.states().at(-1)!;
  assert.equal(last.result!.estimates[0]!.batch, 8);
  assert.equal(last.resultSeq, 3);
  assert.ok(!h.states().some((s) => s.result?.estimates[0]!.batch === 64 && !s.result.partial), 'the cancelled full reply never reaches the panel');
});

test('an out-of-order seq from the webview is ignored', async () => {
  const h = harness(sampleResult());
  void h.c.handle({ type: 'setOptions', seq: 5, patch: { batch: 8 } });
  await h.c.handle({ type: 'setOptions', seq: 4, patch: { batch: 2 } });
  await tick();
  assert.equal(h.calls.length, 1);
  assert.match(h.logs.join('\n'), /out-of-order/);
});

test('a worker error shows one readable line and keeps the last good result', async () => {
  const good = sampleResult();
  const h = harness(good);
  const p = h.c.handle({ type: 'setOptions', seq: 1, patch: { imgsz: 1280 } });
  await tick();
  const err = new Error('Unsupported ONNX opset 3\n    at parse (worker.js:10:5)');
  h.calls[0]!.reject(err);
  await p;
  const last = h.states().at(-1)!;
  assert.deepEqual(last.error, { message: 'Unsupported ONNX opset 3', hasLog: true });
  assert.equal(last.result!.model.name, good.model.name);
  assert.equal(last.busy, false);
  assert.match(h.logs.join('\n'), /worker\.js:10/, 'the stack goes to the log, not the panel');
  await h.c.handle({ type: 'showLog' });
  assert.equal(h.showLogCount(), 1);
  // The next good estimate clears the error.
  const q = h.c.handle({ type: 'setOptions', seq: 2, patch: { imgsz: 640 } });
  await tick();
  h.calls[1]!.resolve(good);
  await q;
  assert.equal(h.states().at(-1)!.error, null);
});

test('a reloaded page (ready again) counts its requests from 1', async () => {
  const h = harness(sampleResult());
  await h.c.handle({ type: 'ready' });
  const a = h.c.handle({ type: 'setOptions', seq: 7, patch: { batch: 8 } });
  await tick();
  h.calls[0]!.resolve(sampleResult({ batch: 8 }));
  await a;
  await h.c.handle({ type: 'ready' });
  assert.equal(h.states().at(-1)!.resultSeq, 0);
  const b = h.c.handle({ type: 'setOptions', seq: 1, patch: { batch: 4 } });
  await tick();
  assert.equal(h.calls.length, 2, 'seq 1 of the new page is not taken for a stale request');
  h.calls[1]!.resolve(sampleResult({ batch: 4 }));
  await b;
  assert.equal(h.states().at(-1)!.resultSeq, 1);
});

test('invalid messages are logged and ignored', async () => {
  const h = harness(sampleResult());
  await h.c.handle({ type: 'setOptions', seq: 1, patch: { model: '/etc/passwd' } });
  await h.c.handle({ type: 'eval', code: '1' });
  await h.c.handle('ready');
  assert.equal(h.calls.length, 0);
  assert.equal(h.posted.length, 0);
  assert.equal(h.logs.length, 3);
});

test('exports: Markdown to the clipboard, CSV and JSON through the save dialog', async () => {
  const r = sampleResult({ layers: 12 });
  const h = harness(r);
  await h.c.handle({ type: 'export', format: 'markdown' });
  assert.match(h.copied[0]!, /^# yolov8n: training memory/);
  await h.c.handle({ type: 'export', format: 'csv' });
  assert.equal(h.saved[0]!.name, 'yolov8n-memory.csv');
  assert.equal(h.saved[0]!.text.trim().split('\r\n').length, 1 + 12 + r.lossLayers.length);
  await h.c.handle({ type: 'export', format: 'json' });
  assert.deepEqual(JSON.parse(h.saved[1]!.text), r);
  const notices = h.posted.filter((m) => m.type === 'notice');
  assert.deepEqual(
    notices.map((n) => n.type === 'notice' && n.level),
    ['info', 'info', 'info'],
  );
  h.setSaveAnswer(undefined); // the user cancelled the dialog: no notice
  await h.c.handle({ type: 'export', format: 'csv' });
  assert.equal(h.posted.filter((m) => m.type === 'notice').length, 3);
});

test('export before any result says why', async () => {
  const h = harness(null);
  await h.c.handle({ type: 'export', format: 'json' });
  const n = h.posted.find((m) => m.type === 'notice');
  assert.ok(n && n.type === 'notice' && n.level === 'error' && /Nothing to export/.test(n.text));
});

test('dispose cancels the pending estimate and silences its reply', async () => {
  const h = harness(null);
  const p = h.c.setOptions({ model: 'a.onnx' });
  await tick();
  h.c.dispose();
  assert.equal(h.calls[0]!.token.isCancellationRequested, true);
  const before = h.posted.length;
  h.calls[0]!.resolve(sampleResult());
  await p;
  assert.equal(h.posted.length, before);
});

// The estimate plans against the GPU without its live use (planningGpu); nvidia-smi's used/free
// reach the panel as `gpuNow`, in the full state and, for each new reading, as a message of its own.
const GIB = 1024 ** 3;
const reading: GpuInfo = { name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * GIB, source: 'nvidia-smi', index: 0, usedBytes: 2 * GIB, freeBytes: 6 * GIB };

test('the live GPU reading rides in the full state', async () => {
  const h = harness(sampleResult(), reading);
  await h.c.handle({ type: 'ready' });
  assert.deepEqual(h.states()[0]!.gpuNow, reading);
  assert.equal(h.states()[0]!.gpuNow?.freeBytes, 6 * GIB);
  const parsed = parseHostToPanel(h.posted[0]);
  assert.ok(parsed.ok && parsed.value.type === 'panelState');
  assert.equal(parsed.value.state.gpuNow?.usedBytes, 2 * GIB, 'used/free survive the webview validator');
  assert.equal(parsed.value.state.gpuNow?.freeBytes, 6 * GIB);
});

test('a new reading is posted on its own; an unchanged one is not; later states carry it', async () => {
  const h = harness(sampleResult(), reading);
  h.c.setGpuNow({ ...reading });
  assert.equal(h.posted.length, 0, 'same reading: nothing to send');
  const next = { ...reading, usedBytes: 3 * GIB, freeBytes: 5 * GIB };
  h.c.setGpuNow(next);
  assert.deepEqual(h.posted, [{ type: 'gpuNow', gpu: next }]);
  const parsed = parseHostToPanel(h.posted[0]);
  assert.ok(parsed.ok && parsed.value.type === 'gpuNow');
  assert.equal(parsed.value.gpu?.freeBytes, 5 * GIB);
  h.c.setGpuNow(null);
  assert.deepEqual(h.posted.at(-1), { type: 'gpuNow', gpu: null }, 'nvidia-smi gone');
  h.c.setGpuNow(next);
  await h.c.handle({ type: 'ready' });
  assert.deepEqual(h.states().at(-1)!.gpuNow, next);
  h.c.dispose();
  const before = h.posted.length;
  h.c.setGpuNow(reading);
  assert.equal(h.posted.length, before, 'a disposed panel posts nothing');
});

test('readableError keeps the first line and caps it', () => {
  assert.equal(readableError(new Error('\nfirst line\nsecond')), 'first line');
  assert.equal(readableError('plain'), 'plain');
  assert.equal(readableError({}), 'Unknown error');
  assert.equal(readableError(new Error('x'.repeat(900))).length, 498);
});

test('verdict first: the quick result (partial, still busy) is posted before the full analysis', async () => {
  const h = harness(sampleResult());
  const done = h.c.handle({ type: 'setOptions', seq: 1, patch: { batch: 40 } });
  await tick();
  assert.deepEqual(h.quick, [{ model: 'yolov8n.pt', batch: [40], quick: true }]);
  assert.equal(h.calls.length, 1, 'the full analysis is asked right after');
  assert.equal(h.calls[0]!.options.quick, undefined);
  const interim = h.states().at(-1)!;
  assert.equal(interim.busy, true);
  assert.equal(interim.result!.partial, true);
  assert.equal(interim.result!.estimates[0]!.batch, 40, 'the new batch\'s verdict, not the old one');
  assert.equal(interim.resultSeq, 1);
  h.calls[0]!.resolve(sampleResult({ batch: 40 }));
  await done;
  const last = h.states().at(-1)!;
  assert.equal(last.busy, false);
  assert.equal(last.result!.partial, undefined);
});

test('export while only the quick result is in says to wait', async () => {
  const h = harness(sampleResult());
  const done = h.c.handle({ type: 'setOptions', seq: 1, patch: { batch: 40 } });
  await tick();
  await h.c.handle({ type: 'export', format: 'markdown' });
  const notice = h.posted.filter((m) => m.type === 'notice').at(-1);
  assert.ok(notice && notice.type === 'notice' && /still computing/.test(notice.text), JSON.stringify(notice));
  assert.deepEqual(h.copied, []);
  h.calls[0]!.resolve(sampleResult({ batch: 40 }));
  await done;
});
