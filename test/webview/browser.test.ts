// The built webview bundles in headless Chromium, served under the real CSP with a fake VS Code
// API: the ready handshake, debounced control changes with sequence numbers, stale states dropped,
// malformed messages ignored, table keyboard navigation, exports and the sidebar's clicks.
// Skips when Chromium or the build is missing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PanelState, SidebarState } from '../../src/protocol/webview';
import { formatBytes } from '../../webview/shared/format';
import { needsPhrase } from '../../webview/shared/memory';
import { browserUnavailable, CHROMIUM, fakeVsCodeApi, serveWebviews, type Served } from './preview/harness';
import { sampleResult } from './sample';

const skip = browserUnavailable() ?? false;
const GIB = 1024 ** 3;
let browser: Browser;
let served: Served;

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  served = await serveWebviews('dark');
});
after(async () => {
  await browser?.close();
  await served?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  violations: string[];
  warnings: string[];
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  send(msg: unknown): Promise<void>;
}

async function open(kind: 'panel' | 'sidebar', reply: unknown, width = 1000): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  const violations: string[] = [];
  const warnings: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.text().startsWith('CSP violation')) violations.push(m.text());
    else if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.addInitScript(fakeVsCodeApi(reply));
  await page.goto(`${served.base}/${kind}.html`);
  return {
    page,
    errors,
    violations,
    warnings,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    send: (msg) => page.evaluate((m) => window.postMessage(m, '*'), msg as object),
  };
}

/** Every CSP violation is a failure: the toolkit's :focus-visible probe (an empty <style>) carries
 *  the page's nonce from the csp-nonce meta tag, so nothing is refused. */
function unexpected(violations: string[]): string[] {
  return violations;
}

const panelState = (over: Partial<PanelState> = {}): PanelState => ({ options: { model: 'yolov8n.pt', batch: [16], imgsz: 640 }, result: sampleResult({ layers: 300 }), resultSeq: 0, busy: false, error: null, ...over });

test('panel: handshake, header numbers, no script errors, CSP holds', { skip }, async () => {
  const state = panelState();
  const p = await open('panel', { type: 'panelState', state });
  await p.page.waitForSelector('.verdict-fits');
  assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
  assert.equal(await p.page.textContent('#model-name'), 'yolov8n');
  const verdict = (await p.page.textContent('#verdict')) ?? '';
  assert.ok(verdict.includes(needsPhrase(state.result!.estimates[0]!, state.result!.gpu!.totalBytes, state.result!.margin).replace(/^n/, 'N')), verdict);
  assert.match(verdict, new RegExp(`Largest batch that fits: ${state.result!.maxBatch}`));
  assert.equal(await p.page.locator('#curve svg').count(), 1);
  assert.deepEqual(p.errors, []);
  assert.deepEqual(unexpected(p.violations), []);
  await p.page.close();
});

test('panel: "Free now" shows the live nvidia-smi reading of the planned GPU and follows new readings', { skip }, async () => {
  const reading = { name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * GIB, source: 'nvidia-smi', index: 0, usedBytes: 1.5 * GIB, freeBytes: 6.5 * GIB };
  // What the extension plans against: the same GPU without its live use (planningGpu).
  const { usedBytes: _u, freeBytes: _f, ...planned } = reading;
  const state = panelState({ result: { ...sampleResult({ layers: 60 }), gpu: planned }, gpuNow: reading });
  const p = await open('panel', { type: 'panelState', state });
  await p.page.waitForSelector('.verdict-fits');
  const freeNow = () => p.page.$$eval('#facts .fact', (facts) => facts.find((f) => f.querySelector('.fact-label')?.textContent === 'Free now')?.querySelector('.fact-value')?.textContent ?? null);
  assert.equal(await freeNow(), formatBytes(6.5 * GIB));
  await p.send({ type: 'gpuNow', gpu: { ...reading, usedBytes: 3 * GIB, freeBytes: 5 * GIB } });
  await p.page.waitForFunction((t) => [...document.querySelectorAll('#facts .fact-value')].some((v) => v.textContent === t), formatBytes(5 * GIB));
  await p.send({ type: 'gpuNow', gpu: null });
  await p.page.waitForFunction(() => [...document.querySelectorAll('#facts .fact')].some((f) => f.textContent === 'Free now—'));
  // A preset or --gpu-memory GPU has no reading of its own: "—" even while nvidia-smi reads a GPU.
  await p.send({ type: 'panelState', state: { ...state, result: { ...state.result!, gpu: { name: 'Tesla T4', totalBytes: 15 * GIB, source: 'preset' } } } });
  await p.page.waitForFunction(() => [...document.querySelectorAll('#facts .fact')].some((f) => f.textContent === 'Free now—') && document.body.textContent!.includes('Tesla T4'));
  assert.deepEqual(p.errors, []);
  assert.deepEqual(unexpected(p.violations), []);
  await p.page.close();
});

test('panel: the Dataset section appears only with a dataset, with its host-RAM table, under the CSP', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState() });
  await p.page.waitForSelector('.verdict-fits');
  assert.equal(await p.page.isHidden('#dataset-section'), true, 'no dataset in the result: no section');
  const MIB = 2 ** 20;
  const terms = [
    { key: 'cacheRam', label: 'cache=ram images', bytes: 900 * MIB, detail: '1,000 train images resized to long side 640 × 3 B/px' },
    { key: 'trainPrefetch', label: 'prefetched train batches', bytes: 300 * MIB, detail: '8 workers × 2 batches × 16 × 640² × 3 B' },
  ] as const;
  const dataset = {
    source: 'data/dense.yaml',
    images: 1000,
    objects: { max: 300, p99: 280, mean: 151.25 },
    sampled: null,
    assignerObjects: 1200,
    explanation: '1200 boxes per image: the worst batch',
    hostRam: {
      totalBytes: 1200 * MIB,
      terms: [...terms],
      cache: { mode: 'ram', ramBytes: 900 * MIB, requiredWithMarginBytes: 1350 * MIB, ultralyticsWouldCache: false, diskBytes: null, diskFits: null },
      workersEffective: 8,
      freeRamBytes: 1000 * MIB,
      verdict: 'exceeds',
      notes: [],
    },
    freeRamReadAt: null,
    notes: [],
  } as NonNullable<PanelState['result']>['dataset'];
  await p.send({ type: 'panelState', state: panelState({ result: { ...sampleResult({ layers: 300 }), dataset } }) });
  await p.page.waitForSelector('#dataset-section:not([hidden])');
  const text = (await p.page.textContent('#dataset')) ?? '';
  assert.match(text, /data\/dense\.yaml/);
  assert.match(text, /max 300 · p99 280 · mean 151\.3/);
  assert.match(text, /1200 boxes/);
  assert.match(text, /Host RAM exceeded/);
  assert.match(text, /it will train without the cache/);
  assert.equal(await p.page.locator('#dataset table.legend tbody tr').count(), terms.length + 1);
  assert.equal(await p.page.getAttribute('#dataset table.legend tbody tr:first-child', 'title'), terms[0].detail);
  assert.equal(await p.page.locator('#dataset .verdict-oom').count(), 1);
  assert.deepEqual(p.errors, []);
  assert.deepEqual(unexpected(p.violations), []);
  await p.page.close();
});

test('panel: typing debounces into one setOptions with a growing seq; stale states are dropped', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState() });
  await p.page.waitForSelector('.verdict-fits');
  const batch = p.page.locator('#f-batch input');
  // Two keystrokes in one page turn: the burst is within the debounce however loaded the machine is
  // (two Playwright fills could land further apart than the debounce on a busy machine).
  await p.page.evaluate(() => {
    const field = document.getElementById('f-batch') as HTMLElement & { value: string };
    for (const v of ['3', '32']) {
      field.value = v;
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });
  // wait for the debounced message however late the timer fires, then a debounce more for a second one
  for (let i = 0; i < 200 && !(await p.posted()).some((m) => m.type === 'setOptions'); i++) await p.page.waitForTimeout(50);
  await p.page.waitForTimeout(600);
  let sets = (await p.posted()).filter((m) => m.type === 'setOptions');
  assert.equal(sets.length, 1, 'one message for the burst of typing');
  assert.equal(sets[0]!.seq, 1);
  assert.equal((sets[0]!.patch as { batch: number }).batch, 32);
  // A late state answering nothing newer than what is shown: ignored for the controls.
  await p.send({ type: 'panelState', state: panelState({ busy: true }) });
  assert.equal(await batch.inputValue(), '32', 'controls keep what the user typed');
  // The reply to seq 1 lands.
  const r32 = sampleResult({ layers: 300, batch: 32 });
  await p.send({ type: 'panelState', state: panelState({ options: { model: 'yolov8n.pt', batch: [32] }, result: r32, resultSeq: 1 }) });
  await p.page.waitForFunction(() => document.querySelector('#verdict')?.textContent?.includes('batch 32'));
  // An older state arriving after it is dropped.
  await p.send({ type: 'panelState', state: panelState({ resultSeq: 0 }) });
  await p.page.waitForTimeout(50);
  assert.match((await p.page.textContent('#verdict')) ?? '', /batch 32/);
  // An invalid value is flagged on the field and not sent.
  await batch.fill('0');
  await p.page.waitForFunction(() => /whole number/.test(document.querySelector('#e-batch')?.textContent ?? ''));
  sets = (await p.posted()).filter((m) => m.type === 'setOptions');
  assert.equal(sets.length, 1);
  assert.match((await p.page.textContent('#e-batch')) ?? '', /whole number/);
  assert.equal(await p.page.getAttribute('#f-batch', 'aria-invalid'), 'true');
  await p.page.close();
});

test('panel: while a new estimate computes the last result stays drawn (dimmed), the header shows progress, focus stays in the field', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState() });
  await p.page.waitForSelector('.verdict-fits');
  const batch = p.page.locator('#f-batch input');
  await batch.fill('24');
  await p.page.waitForTimeout(400);
  // the host answers setOptions with a busy state that keeps the old result
  await p.send({ type: 'panelState', state: panelState({ busy: true }) });
  await p.page.waitForFunction(() => document.body.classList.contains('busy'));
  const look = () =>
    p.page.evaluate(() => ({
      body: getComputedStyle(document.body).visibility,
      verdict: document.querySelector('#verdict')?.textContent ?? '',
      bars: document.querySelectorAll('#breakdown svg.breakdown-bar').length,
      curve: document.querySelectorAll('#curve svg').length,
      indicator: getComputedStyle(document.querySelector('#busy')!).visibility,
      focused: document.activeElement?.id ?? '',
    }));
  const during = await look();
  assert.equal(during.body, 'visible', 'the page is never hidden while busy');
  assert.match(during.verdict, /fits/i);
  assert.equal(during.bars, 1);
  assert.equal(during.curve, 1);
  assert.equal(during.indicator, 'visible');
  assert.equal(during.focused, 'f-batch', 'the field being edited keeps focus');
  const r24 = sampleResult({ layers: 300, batch: 24 });
  await p.send({ type: 'panelState', state: panelState({ options: { model: 'yolov8n.pt', batch: [24] }, result: r24, resultSeq: 1 }) });
  await p.page.waitForFunction(() => !document.body.classList.contains('busy'));
  const after = await look();
  assert.equal(after.indicator, 'hidden');
  assert.equal(after.focused, 'f-batch');
  assert.equal(await batch.inputValue(), '24');
  assert.deepEqual(unexpected(p.violations), []);
  await p.page.close();
});

test('panel: every control has an accessible name that reaches its input, and a visible description', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState() });
  await p.page.waitForSelector('.verdict-fits');
  const snapshot = await p.page.locator('section.controls').ariaSnapshot();
  for (const name of ['Batch', 'Image size in pixels', 'VRAM in GiB', 'Safety margin in percent', 'GPUs', 'Objects / image', 'Pruning in percent']) {
    assert.ok(snapshot.includes(`textbox "${name}"`), `textbox "${name}" in\n${snapshot}`);
  }
  assert.ok(/combobox "Optimizer"/.test(snapshot), snapshot);
  assert.ok(/checkbox "AMP"/.test(snapshot), snapshot);
  const helps = await p.page.$$eval('section.controls .field', (fs) => fs.map((f) => (f.querySelector('.field-help') as HTMLElement | null)?.offsetHeight ?? 0));
  assert.ok(helps.length >= 10 && helps.every((h) => h > 0), `visible help under every field: ${helps}`);
  await p.page.close();
});

test('panel: malformed messages are ignored and logged', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState() });
  await p.page.waitForSelector('.verdict-fits');
  await p.send({ type: 'panelState', state: { options: {}, result: 'x' } });
  await p.send({ type: 'exec', code: 'alert(1)' });
  for (let i = 0; i < 200 && p.warnings.filter((w) => w.includes('ignored message')).length < 2; i++) await p.page.waitForTimeout(50);
  assert.equal(p.warnings.filter((w) => w.includes('ignored message')).length, 2);
  assert.equal(await p.page.textContent('#model-name'), 'yolov8n');
  assert.deepEqual(p.errors, []);
  await p.page.close();
});

test('panel: worker error banner keeps the last result and offers Show Log', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState({ error: { message: 'Unsupported opset 3', hasLog: true } }) });
  await p.page.waitForSelector('#error:not([hidden])');
  assert.match((await p.page.textContent('#error-text')) ?? '', /Unsupported opset 3 — showing the last good estimate/);
  await p.page.click('#btn-log');
  assert.ok((await p.posted()).some((m) => m.type === 'showLog'));
  assert.equal(await p.page.locator('#breakdown svg.breakdown-bar').count(), 1, 'the last good result is still drawn');
  await p.page.close();
});

test('panel: table sorting, filtering, paging and keyboard selection linked to the timeline', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState({ result: sampleResult({ layers: 2500 }) }) });
  await p.page.waitForSelector('.verdict-fits');
  await p.page.click('#tab-layers');
  assert.match((await p.page.textContent('#page-label')) ?? '', /Page 1 of 13/);
  await p.page.click('button.sort[data-sort="activationBytes"]');
  assert.equal(await p.page.getAttribute('th[data-sort="activationBytes"]', 'aria-sort'), 'descending');
  await p.page.locator('#filter input').fill('conv2d model.10/');
  await p.page.waitForFunction(() => /^\d+ of 2502 layers$/.test(document.querySelector('#match-count')?.textContent ?? ''));
  assert.match((await p.page.textContent('#match-count')) ?? '', /^\d+ of 2502 layers$/);
  await p.page.locator('#filter input').fill('');
  await p.page.waitForTimeout(300);
  await p.page.click('tr.layer-row >> nth=0');
  const first = await p.page.getAttribute('tr.layer-row.selected', 'data-index');
  await p.page.keyboard.press('ArrowDown');
  const second = await p.page.getAttribute('tr.layer-row.selected', 'data-index');
  assert.notEqual(first, second);
  assert.equal(await p.page.evaluate(() => document.activeElement?.getAttribute('data-index')), second, 'focus follows the selection');
  assert.equal(await p.page.locator('#timeline .selected-marker').count(), 2, 'forward and backward points marked');
  await p.page.click('button.group-toggle[data-group="backbone"]');
  assert.equal(await p.page.getAttribute('button.group-toggle[data-group="backbone"]', 'aria-expanded'), 'false');
  await p.page.click('#btn-next');
  assert.match((await p.page.textContent('#page-label')) ?? '', /Page 2 of/);
  const saved = await p.page.evaluate(() => (window as unknown as { __saved: { ui: { query: { sort: string } } } }).__saved);
  assert.equal(saved.ui.query.sort, 'activationBytes', 'UI state persisted with setState');
  await p.page.close();
});

test('panel: export buttons ask the host', { skip }, async () => {
  const p = await open('panel', { type: 'panelState', state: panelState() });
  await p.page.waitForSelector('.verdict-fits');
  await p.page.click('#btn-md');
  await p.page.click('#btn-csv');
  await p.page.click('#btn-json');
  const exports = (await p.posted()).filter((m) => m.type === 'export').map((m) => m.format);
  assert.deepEqual(exports, ['markdown', 'csv', 'json']);
  await p.send({ type: 'notice', level: 'info', text: 'Saved CSV to /tmp/x.csv' });
  await p.page.waitForSelector('#notice:not([hidden])');
  assert.equal(await p.page.textContent('#notice-text'), 'Saved CSV to /tmp/x.csv');
  await p.page.close();
});

test('sidebar: renders the state at narrow width; clicks and keys post openEntry and refresh', { skip }, async () => {
  const entry = { id: 'file:///ws/a.onnx', label: 'a.onnx', detail: 'models/a.onnx', kind: 'model' as const, model: '/ws/a.onnx', batch: 16, imgsz: 640, verdict: 'fits' as const, deviceBytes: 3 * GIB, vramBytes: 8 * GIB, maxBatch: 40 };
  const state: SidebarState = { gpus: [{ name: 'RTX 4060', totalBytes: 8 * GIB, usedBytes: GIB, source: 'nvidia-smi' }], gpuMessage: null, active: entry, workspace: [entry, { ...entry, id: 'b', label: 'b.yaml' }], updatedAt: 1 };
  const p = await open('sidebar', { type: 'sidebarState', state }, 240);
  await p.page.waitForSelector('button.entry');
  assert.match((await p.page.textContent('body')) ?? '', /Largest batch that fits: 40/);
  const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scroll at 240 px (${overflow})`);
  await p.page.click('ul.entries button.entry >> nth=1');
  await p.page.focus('ul.entries button.entry >> nth=0');
  await p.page.keyboard.press('ArrowDown');
  await p.page.keyboard.press('Enter');
  await p.page.click('#refresh');
  const posted = await p.posted();
  assert.deepEqual(
    posted.filter((m) => m.type !== 'ready'),
    [{ type: 'openEntry', id: 'b' }, { type: 'openEntry', id: 'b' }, { type: 'refresh' }],
  );
  assert.deepEqual(p.errors, []);
  assert.deepEqual(unexpected(p.violations), []);
  await p.page.close();
});
