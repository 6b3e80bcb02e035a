import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WEBVIEW_MESSAGE_CHARS, parseHostToPanel, parseHostToSidebar, parsePersistedPanelState, parseWebviewMessage, validateOptionsPatch } from '../../src/protocol/webview';
import { sampleResult } from './sample';

test('valid panel messages pass and come back typed', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }, 'panel'), { ok: true, value: { type: 'ready' } });
  const m = parseWebviewMessage({ type: 'setOptions', seq: 3, patch: { batch: 32, amp: false, optimizer: 'adamw', gpuTotalBytes: null, margin: 0.15 } }, 'panel');
  assert.deepEqual(m, { ok: true, value: { type: 'setOptions', seq: 3, patch: { batch: 32, amp: false, optimizer: 'adamw', gpuTotalBytes: null, margin: 0.15 } } });
  assert.equal(parseWebviewMessage({ type: 'export', format: 'csv' }, 'panel').ok, true);
  assert.equal(parseWebviewMessage({ type: 'openEntry', id: 'file:///a.onnx' }, 'sidebar').ok, true);
});

test('unknown types, and types from the other view, are refused', () => {
  const r = parseWebviewMessage({ type: 'runShell', cmd: 'rm -rf /' }, 'panel');
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error : '', /not a panel message/);
  assert.equal(parseWebviewMessage({ type: 'openEntry', id: 'x' }, 'panel').ok, false);
  assert.equal(parseWebviewMessage({ type: 'setOptions', seq: 1, patch: {} }, 'sidebar').ok, false);
  for (const bad of [null, 42, 'ready', [], { type: 7 }, {}]) assert.equal(parseWebviewMessage(bad, 'panel').ok, false, JSON.stringify(bad));
});

test('wrong field types and out-of-range values are refused with the field named', () => {
  const cases: [unknown, RegExp][] = [
    [{ type: 'setOptions', seq: '1', patch: {} }, /seq/],
    [{ type: 'setOptions', seq: 0, patch: {} }, /seq/],
    [{ type: 'setOptions', seq: 1, patch: { batch: 0 } }, /patch\.batch/],
    [{ type: 'setOptions', seq: 1, patch: { batch: 2.5 } }, /patch\.batch/],
    [{ type: 'setOptions', seq: 1, patch: { imgsz: Number.NaN } }, /patch\.imgsz/],
    [{ type: 'setOptions', seq: 1, patch: { amp: 'yes' } }, /patch\.amp/],
    [{ type: 'setOptions', seq: 1, patch: { optimizer: 'lion' } }, /patch\.optimizer/],
    [{ type: 'setOptions', seq: 1, patch: { margin: 0.95 } }, /patch\.margin/],
    [{ type: 'setOptions', seq: 1, patch: { model: '/etc/passwd' } }, /unknown field "model"/],
    [{ type: 'export', format: 'exe' }, /export\.format/],
    [{ type: 'ready', extra: 1 }, /unknown field "extra"/],
  ];
  for (const [msg, re] of cases) {
    const r = parseWebviewMessage(msg, 'panel');
    assert.equal(r.ok, false, JSON.stringify(msg));
    assert.match(!r.ok ? r.error : '', re);
  }
  assert.equal(parseWebviewMessage({ type: 'openEntry', id: 5 }, 'sidebar').ok, false);
});

test('oversized messages are refused before their fields are read', () => {
  const r = parseWebviewMessage({ type: 'openEntry', id: 'x'.repeat(MAX_WEBVIEW_MESSAGE_CHARS + 1) }, 'sidebar');
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error : '', /larger than/);
  const long = parseWebviewMessage({ type: 'openEntry', id: 'x'.repeat(5000) }, 'sidebar');
  assert.match(!long.ok ? long.error : '', /longer than 4096/);
  const wide = parseWebviewMessage({ type: 'ready', junk: new Array(100000).fill(0) }, 'panel');
  assert.equal(wide.ok, false);
});

test('the patch validator keeps only known fields', () => {
  assert.deepEqual(validateOptionsPatch({ batch: 8, deployPrecision: 'int8', gpuTotalBytes: 8 * 1024 ** 3 }), { batch: 8, deployPrecision: 'int8', gpuTotalBytes: 8 * 1024 ** 3 });
});

test('host → panel: a full state with a real-shaped result passes; a broken one does not', () => {
  const state = { options: { model: 'yolov8n.pt', batch: [16] }, result: sampleResult({ layers: 50 }), resultSeq: 2, busy: false, error: null };
  const ok = parseHostToPanel({ type: 'panelState', state });
  assert.equal(ok.ok, true);
  const broken = structuredClone(state);
  (broken.result.layers[3] as unknown as { params: string }).params = 'many';
  const r = parseHostToPanel({ type: 'panelState', state: broken });
  assert.match(!r.ok ? r.error : '', /result\.layers\[3\]\.params/);
  const noBytes = structuredClone(state);
  delete (noBytes.result.estimates[0]!.bytes as Partial<typeof noBytes.result.estimates[0]['bytes']>).device;
  assert.equal(parseHostToPanel({ type: 'panelState', state: noBytes }).ok, false);
  assert.equal(parseHostToPanel({ type: 'notice', level: 'info', text: 'Saved' }).ok, true);
  assert.equal(parseHostToPanel({ type: 'notice', level: 'loud', text: 'x' }).ok, false);
  assert.equal(parseHostToPanel({ type: 'sidebarState', state: {} }).ok, false);
  // The live nvidia-smi reading: in the state and on its own.
  const gpuNow = { name: 'RTX', totalBytes: 8e9, source: 'nvidia-smi', index: 0, usedBytes: 1e9, freeBytes: 7e9 };
  const withNow = parseHostToPanel({ type: 'panelState', state: { ...state, gpuNow } });
  assert.ok(withNow.ok && withNow.value.type === 'panelState');
  assert.deepEqual(withNow.value.state.gpuNow, gpuNow);
  assert.equal(parseHostToPanel({ type: 'panelState', state: { ...state, gpuNow: { ...gpuNow, freeBytes: 'lots' } } }).ok, false);
  assert.deepEqual(parseHostToPanel({ type: 'gpuNow', gpu: gpuNow }), { ok: true, value: { type: 'gpuNow', gpu: gpuNow } });
  assert.deepEqual(parseHostToPanel({ type: 'gpuNow', gpu: null }), { ok: true, value: { type: 'gpuNow', gpu: null } });
  assert.equal(parseHostToPanel({ type: 'gpuNow', gpu: { name: 'RTX' } }).ok, false);
});

test('host → sidebar: entries and GPUs are checked', () => {
  const state = {
    gpus: [{ name: 'RTX', totalBytes: 8e9, source: 'nvidia-smi', usedBytes: 1e9 }],
    gpuMessage: null,
    active: null,
    workspace: [{ id: 'a', label: 'a.onnx', detail: 'a.onnx', kind: 'model', model: 'a.onnx', batch: 16, imgsz: 640, verdict: 'fits', deviceBytes: 1, vramBytes: 2, maxBatch: 3 }],
    updatedAt: 1,
  };
  assert.equal(parseHostToSidebar({ type: 'sidebarState', state }).ok, true);
  const bad = structuredClone(state);
  (bad.workspace[0] as { verdict: string }).verdict = 'great';
  assert.equal(parseHostToSidebar({ type: 'sidebarState', state: bad }).ok, false);
});

test('persisted panel state keeps only the known option fields', () => {
  const r = parsePersistedPanelState({ options: { model: 'a.onnx', batch: [8], evil: 'x' }, ui: {} });
  assert.deepEqual(r, { ok: true, value: { options: { model: 'a.onnx', batch: [8] } } });
  assert.equal(parsePersistedPanelState(undefined).ok, false);
  assert.equal(parsePersistedPanelState({ options: { batch: [8] } }).ok, false);
});

test('the dataset options: kept in the host state, dropped from a state the webview hands back', () => {
  const options = { model: 'yolov8n', data: 'ds/data.yaml', cwd: '/w', workers: 4, cache: 'ram' as const };
  const state = { options, result: null, resultSeq: 0, busy: true, error: null };
  const fromHost = parseHostToPanel({ type: 'panelState', state });
  assert.ok(fromHost.ok && fromHost.value.type === 'panelState');
  assert.deepEqual(fromHost.value.state.options, options);
  const noCache = parseHostToPanel({ type: 'panelState', state: { ...state, options: { ...options, cache: false } } });
  assert.ok(noCache.ok && noCache.value.type === 'panelState' && noCache.value.state.options.cache === false);
  for (const bad of [{ cache: 'gpu' }, { cache: true }, { workers: -1 }, { workers: 2.5 }, { data: 7 }]) {
    assert.equal(parseHostToPanel({ type: 'panelState', state: { ...state, options: { ...options, ...bad } } }).ok, false, JSON.stringify(bad));
  }
  // A reloaded panel's options come from the webview: it must not choose a folder for the host to scan.
  assert.deepEqual(parsePersistedPanelState({ options }), { ok: true, value: { options: { model: 'yolov8n' } } });
  // Nor can a control patch set them.
  assert.equal(parseWebviewMessage({ type: 'setOptions', seq: 1, patch: { data: '/etc' } }, 'panel').ok, false);
  assert.equal(parseWebviewMessage({ type: 'setOptions', seq: 1, patch: { cwd: '/' } }, 'panel').ok, false);
});
