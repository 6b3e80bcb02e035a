import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SidebarController } from '../../src/extension/sidebar/sidebarController';
import type { HostToSidebarMessage, SidebarEntry, SidebarState } from '../../src/protocol/webview';
import { entryHtml, gpuHtml, largestLine, miniBar, renderSidebar } from '../../webview/sidebar/render';

const GIB = 1024 ** 3;
const entry = (over: Partial<SidebarEntry> = {}): SidebarEntry => ({
  id: 'file:///ws/a.onnx',
  label: 'a.onnx',
  detail: 'models/a.onnx',
  kind: 'model',
  model: '/ws/a.onnx',
  batch: 16,
  imgsz: 640,
  verdict: 'fits',
  deviceBytes: 3 * GIB,
  vramBytes: 8 * GIB,
  maxBatch: 40,
  ...over,
});

function harness(readGpus?: () => Promise<{ gpus: { name: string; totalBytes: number; source: string; usedBytes?: number }[]; message: string | null }>) {
  const posted: HostToSidebarMessage[] = [];
  const opened: SidebarEntry[] = [];
  const intervals: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const c = new SidebarController({
    post: (m) => {
      posted.push(structuredClone(m));
      return true;
    },
    openEntry: (e) => opened.push(e),
    showLog: () => undefined,
    readGpus,
    log: () => undefined,
    now: () => 1000,
    setInterval: (fn, ms) => {
      const h = { fn, ms, cleared: false };
      intervals.push(h);
      return h;
    },
    clearInterval: (h) => ((h as { cleared: boolean }).cleared = true),
  });
  return { c, posted, opened, intervals };
}

const tick = () => new Promise((r) => setImmediate(r));

test('state goes out only while visible, and again when the view is shown', async () => {
  const h = harness();
  h.c.update({ active: entry() });
  assert.equal(h.posted.length, 0, 'hidden: nothing posted');
  h.c.setVisible(true);
  assert.equal(h.posted.length, 1);
  assert.equal(h.posted[0]!.state.active?.id, 'file:///ws/a.onnx');
  await h.c.handle({ type: 'ready' });
  assert.equal(h.posted.length, 2);
  h.c.setVisible(false);
  h.c.update({ workspace: [entry({ id: 'b' })] });
  assert.equal(h.posted.length, 2);
  h.c.setVisible(true);
  assert.equal(h.posted.at(-1)!.state.workspace[0]!.id, 'b', 'the latest state is re-sent on show');
});

test('GPUs are polled only while visible', async () => {
  let reads = 0;
  const h = harness(async () => {
    reads++;
    return { gpus: [{ name: 'RTX 4060', totalBytes: 8 * GIB, source: 'nvidia-smi', usedBytes: GIB }], message: null };
  });
  h.c.setVisible(true);
  await tick();
  assert.equal(reads, 1);
  assert.equal(h.intervals.length, 1);
  h.intervals[0]!.fn();
  await tick();
  assert.equal(reads, 2);
  assert.equal(h.posted.at(-1)!.state.gpus[0]!.name, 'RTX 4060');
  assert.equal(h.posted.at(-1)!.state.updatedAt, 1000);
  h.c.setVisible(false);
  assert.equal(h.intervals[0]!.cleared, true);
  await h.c.handle({ type: 'refresh' });
  assert.equal(reads, 3, 'refresh reads even when asked explicitly');
});

test('a GPU read failure becomes a message, not an exception', async () => {
  const h = harness(async () => {
    throw new Error('nvidia-smi: command not found\nmore');
  });
  h.c.setVisible(true);
  await tick();
  const s = h.posted.at(-1)!.state;
  assert.deepEqual(s.gpus, []);
  assert.equal(s.gpuMessage, 'Could not read the GPUs: nvidia-smi: command not found');
});

test('clicks open only entries the host knows', async () => {
  const h = harness();
  h.c.update({ active: entry({ id: 'act' }), workspace: [entry({ id: 'w1' })] });
  await h.c.handle({ type: 'openEntry', id: 'w1' });
  await h.c.handle({ type: 'openEntry', id: 'act' });
  await h.c.handle({ type: 'openEntry', id: 'file:///etc/passwd' });
  await h.c.handle({ type: 'setOptions', seq: 1, patch: {} });
  assert.deepEqual(
    h.opened.map((e) => e.id),
    ['w1', 'act'],
  );
});

const state = (over: Partial<SidebarState> = {}): SidebarState => ({
  gpus: [{ name: 'NVIDIA RTX 4060', index: 0, totalBytes: 8 * GIB, usedBytes: 2 * GIB, source: 'nvidia-smi' }],
  gpuMessage: null,
  active: entry({ label: 'train.py:12', kind: 'script' }),
  workspace: [entry(), entry({ id: 'b', label: 'big.yaml', verdict: 'oom', deviceBytes: 20 * GIB, maxBatch: 4 })],
  updatedAt: 0,
  ...over,
});

test('the sidebar shows GPU usage, the active verdict with a bar, its largest batch, the workspace', () => {
  const html = renderSidebar(state());
  assert.match(html, /2 GiB \/ 8 GiB/);
  assert.match(html, /25 %/);
  assert.match(html, /train\.py:12/);
  assert.match(html, /Largest batch that fits: 40 \(imgsz 640, on 8 GiB\)/);
  // the largest batch is a note about the active entry: it sits in that section
  const active = html.slice(html.indexOf('id="sb-active"'), html.indexOf('id="sb-ws"'));
  assert.match(active, /Largest batch that fits/);
  assert.match(html, /Out of memory/);
  assert.match(html, /needs 20 GiB of 8 GiB/);
  assert.match(renderSidebar(state({ workspace: [entry({ usableBytes: 7.2 * GIB })] })), /needs 3 GiB of 7\.2 GiB usable/);
  assert.equal((html.match(/<button class="entry"/g) ?? []).length, 3);
  assert.ok(!/style=/.test(html));
});

test('empty states say what is missing', () => {
  const html = renderSidebar(state({ gpus: [], gpuMessage: 'nvidia-smi not found', active: null, workspace: [] }));
  assert.match(html, /nvidia-smi not found/);
  assert.match(html, /No YOLO model or training call in the active editor/);
  assert.match(html, /No models or training launches found/);
  assert.equal(largestLine(state({ active: null, workspace: [] })), null);
  // no note about another file when the active editor has no largest batch
  assert.equal(largestLine(state({ active: entry({ maxBatch: null }) })), null);
  // an entry without an estimate says why, not "No GPU to check"
  const unknown = entryHtml(entry({ verdict: 'unknown', deviceBytes: null, message: 'No estimate: yolov99: not a known model' }), false);
  assert.match(unknown, /No estimate<\/span>/);
  assert.match(unknown, /not a known model/);
  assert.ok(!unknown.includes('No GPU to check'));
});

test('entries escape file names and describe themselves to screen readers', () => {
  const html = entryHtml(entry({ label: '<img src=x onerror=alert(1)>.onnx', verdict: 'error', deviceBytes: null, message: 'Not an ONNX file' }), true);
  assert.ok(!html.includes('<img'));
  assert.match(html, /aria-label="&lt;img[^"]*: Could not estimate at batch 16, imgsz 640, Not an ONNX file, max batch 40\. Open the analysis panel\."/);
  assert.match(html, /Not an ONNX file/);
});

test('miniBar clamps and marks the limit', () => {
  assert.match(miniBar(20, 10, 'oom', 8), /class="fill oom" width="100\.00"/);
  assert.match(miniBar(20, 10, 'oom', 8), /x1="80\.00"/);
  assert.match(miniBar(5, 0, ''), /width="0\.00"/);
  assert.match(gpuHtml({ name: 'X', totalBytes: 10 * GIB, freeBytes: 4 * GIB, source: 'nvidia-smi' }), /6 GiB \/ 10 GiB/);
});
