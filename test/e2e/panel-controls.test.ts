// The memory panel's controls and export in a real VS Code, on the built-in yolov8n (no fixtures
// needed): typing a new batch re-estimates and redraws the header and the memory-vs-batch chart,
// and "Save CSV" goes through VS Code's own save dialog and writes the layer table to disk with the
// same rows, and the same numbers, as the CLI gives for the same settings.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { AnalysisResult } from '../../src/core/result';
import { startSession, RTX_3060, type Session } from './harness';
import { cliEstimate } from './cli';
import { commandLabel, openFile, runCommand, waitForActivation, webviewFrame } from './workbench';
import { CSV_COLUMNS } from '../../src/extension/panel/exportText';

// the CLI plans for the fake GPU by its name, as the extension does from nvidia-smi (the CUDA context depends on the model)
/** Far past what fits yolov8n at 640 on 12 GiB (the hover test finds the largest below 128). */
const BIG_BATCH = 128;
let cliResult: AnalysisResult | undefined;
/** The CLI's estimate for the panel's settings after the batch change (run once). */
const cliAtBigBatch = () => (cliResult ??= cliEstimate(['yolov8n', '--batch', String(BIG_BATCH), '--gpu', RTX_3060.name]));

describe('memory panel controls and CSV export', { timeout: 240_000 }, () => {
  let s: Session;
  let panel: FrameLocator;
  before(async () => {
    s = await startSession({ name: 'panel-controls' });
  });
  after(async () => {
    await s?.close();
  });

  /** The text of the curve chart's "current batch" marker label. */
  const currentMarker = () => panel.locator('#curve text.current-marker-label');

  test('the panel opens on the built-in yolov8n picked from the quick pick', async () => {
    // A Python file activates the extension; with no editor left open, the command then asks
    // which model to analyze instead of taking the active script's run.
    await openFile(s.page, 'train.py');
    await waitForActivation(s.page);
    await runCommand(s.page, 'View: Close All Editors');
    await s.page.locator('.tab').first().waitFor({ state: 'detached' });
    await runCommand(s.page, commandLabel(/Analyze Model Memory/));
    const input = s.page.locator('.quick-input-widget input');
    await input.fill('yolov8n');
    // Built-ins are listed by name; pick exactly yolov8n, not yolov8n-seg and the like.
    const row = s.page.locator('.quick-input-list .monaco-list-row').filter({ has: s.page.locator('.label-name', { hasText: /^yolov8n$/ }) });
    await row.first().click();
    panel = await webviewFrame(s.page, '#model-name', { hasText: /yolov8n/, timeoutMs: 90_000 });
    await panel.locator('#verdict.verdict-fits').waitFor({ timeout: 90_000 });
    assert.match((await panel.locator('#verdict').textContent()) ?? '', /at batch 16, imgsz 640/);
    assert.equal((await currentMarker().textContent())?.trim(), 'batch 16');
  });

  test('typing a batch that does not fit updates the verdict and the memory-vs-batch chart', async () => {
    const x16 = await panel.locator('#curve line.current-marker').getAttribute('x1');
    const field = panel.locator('#f-batch input');
    await field.click();
    await field.press('Control+A');
    await field.pressSequentially(String(BIG_BATCH));
    // Sample the panel every frame until the new verdict lands: its body never goes blank (the
    // last result stays drawn, dimmed) and the field being edited keeps the keyboard focus.
    // (a string: the test runner's transpiler would wrap named functions in a helper the page lacks)
    const samples = (await panel.locator('body').evaluate(`new Promise((resolve) => {
      const out = [];
      const started = performance.now();
      function tick() {
        out.push({
          visible: getComputedStyle(document.body).visibility === 'visible' && document.body.getBoundingClientRect().height > 0,
          drawn: !!document.querySelector('#breakdown svg') && !!document.querySelector('#curve svg'),
          focused: document.activeElement ? document.activeElement.id : '',
          busy: document.body.classList.contains('busy'),
        });
        if (document.querySelector('#verdict.verdict-oom') || performance.now() - started > 60000) resolve(out);
        else requestAnimationFrame(tick);
      }
      tick();
    })`)) as { visible: boolean; drawn: boolean; focused: string; busy: boolean }[];
    assert.ok(samples.some((x) => x.busy), 'sampled while the new estimate was computing');
    assert.ok(samples.every((x) => x.visible && x.drawn), `the panel body was blank in ${samples.filter((x) => !x.visible || !x.drawn).length} of ${samples.length} frames`);
    assert.ok(samples.every((x) => x.focused === 'f-batch'), `focus left the batch field: ${[...new Set(samples.map((x) => x.focused))].join(', ')}`);
    // The webview debounces, asks the host, and redraws from the new result: wait for the redraw.
    await panel.locator('#verdict.verdict-oom').waitFor({ timeout: 60_000 });
    // textContent: the verdict is a flex row, whose bare text nodes innerText may leave out.
    const verdict = (await panel.locator('#verdict').textContent()) ?? '';
    assert.match(verdict, new RegExp(`at batch ${BIG_BATCH}, imgsz 640`), verdict);
    await panel.locator('#h-breakdown', { hasText: `batch ${BIG_BATCH}` }).waitFor();
    assert.equal((await currentMarker().textContent())?.trim(), `batch ${BIG_BATCH}`);
    const x128 = await panel.locator('#curve line.current-marker').getAttribute('x1');
    assert.ok(Number(x128) > Number(x16), `the current-batch marker moves right: x ${x16} → ${x128}`);
    // The stretch of the curve past the largest fitting batch is drawn as not fitting.
    assert.ok((await panel.locator('#curve path.curve.oom').count()) > 0, 'a non-fitting stretch on the curve');
    // Same numbers as the CLI for the same settings.
    const cli = cliAtBigBatch();
    assert.match(verdict, new RegExp(`Largest batch that fits:\\s*${cli.maxBatch}(?!\\d)`), verdict);
    await s.screenshot('panel-batch-128');
    assert.deepEqual(s.webviewErrors(), [], 'no console errors from the webviews');
  });

  test('"Save CSV" writes the layer table through the save dialog', async () => {
    const rowsShown = Number((await panel.locator('#layer-count').textContent())?.trim());
    await panel.locator('#btn-csv').click();
    // code-server has no native dialog: VS Code's simple file dialog is a quick input holding a path.
    const input = s.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await s.page.waitForFunction(() => /\.csv$/.test(document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value ?? ''));
    const target = join(s.workspace, 'panel-export.csv');
    await input.fill(target);
    await s.page.waitForFunction((t) => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value === t, target);
    await input.press('Enter');
    // The host confirms in the panel once the file is written.
    await panel.locator('#notice-text', { hasText: 'Saved CSV' }).waitFor({ timeout: 30_000 });
    await s.screenshot('panel-csv-saved');
    assert.ok(existsSync(target), `${target} was written`);
    const text = readFileSync(target, 'utf8');
    assert.ok(text.endsWith('\r\n'), 'CRLF-terminated');
    const [header, ...data] = parseCsv(text);
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const cli = cliAtBigBatch();
    const cliRows = [...cli.layers, ...(cli.lossLayers ?? [])];
    assert.equal(data.length, rowsShown, `one CSV row per row the panel lists (${rowsShown})`);
    assert.equal(data.length, cliRows.length, 'as many rows as the CLI has layers + loss layers');
    // The rows are the estimate at the batch typed above: activation bytes equal the CLI's.
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const parsed = data;
    assert.ok(parsed.every((cells) => cells.length === CSV_COLUMNS.length), 'every row has every column');
    for (let i = 0; i < cliRows.length; i++) {
      assert.equal(parsed[i]![col('index')], String(cliRows[i]!.index), `row ${i} index`);
      assert.equal(Number(parsed[i]![col('activationBytes')]), cliRows[i]!.activationBytes, `row ${i} (${cliRows[i]!.name}) activation bytes`);
    }
  });
});

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      records.push(row);
      (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell || row.length) records.push([...row, cell]);
  return records;
}
