// Training launches where people write them, in a real VS Code (issue #14): inside notebook cells
// (a `!yolo train` line, and `model.train(batch=…)` whose model is built in an earlier cell), in a
// README's fenced code block, and in a PowerShell script with a `$BATCH = …` variable. Each gets the
// memory card on hover; a batch that cannot fit in a notebook cell gets the warning and the quick fix.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, RTX_3060, type Session } from './harness';
import { cliEstimate } from './cli';
import type { Page } from 'playwright-core';
import { hoverUntil, openFile, waitForActivation } from './workbench';

const cell = (kind: 'code' | 'markdown', source: string) => ({ cell_type: kind, metadata: {}, source, ...(kind === 'code' ? { execution_count: null, outputs: [] } : {}) });
const NOTEBOOK = JSON.stringify(
  {
    cells: [
      cell('markdown', '# Train on COCO128'),
      cell('code', '!yolo train model=yolov8n.yaml data=coco128.yaml imgsz=640 batch=128 epochs=3'),
      cell('code', 'from ultralytics import YOLO\nmodel = YOLO("yolov8n.yaml")'),
      cell('code', 'results = model.train(data="coco128.yaml", imgsz=640, batch=96, epochs=3)'),
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
);
const README = '# Training\n\nOn one 12 GB card:\n\n```bash\nyolo train model=yolov8n.yaml data=coco128.yaml imgsz=640 batch=16 epochs=3\n```\n';
const PS1 = '$ErrorActionPreference = "Stop"\n$BATCH = 16\nyolo train model=yolov8n.yaml data=coco128.yaml imgsz=640 batch=$BATCH epochs=3\n';

/** Opens a notebook from Quick Open and waits for its cells (notebooks have no single text editor). */
async function openNotebook(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor();
  await page.locator('.notebook-editor .cell-editor-container .view-line').first().waitFor();
}

/** Centre of `word` at or after `lineText` on the first notebook cell line containing `lineText`. */
async function cellWordBox(page: Page, lineText: string, word: string): Promise<{ x: number; y: number }> {
  const box = await page.evaluate(
    ([lineText, word]) => {
      for (const line of Array.from(document.querySelectorAll('.notebook-editor .cell-editor-container .view-line'))) {
        const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        if (!text.includes(lineText)) continue;
        const at = text.indexOf(word, text.indexOf(lineText));
        if (at < 0) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent!.length;
          if (at >= offset && at < offset + len) {
            const range = document.createRange();
            range.setStart(n, at - offset);
            range.setEnd(n, Math.min(len, at - offset + word.length));
            const r = range.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
          offset += len;
        }
      }
      return null;
    },
    [lineText, word] as const,
  );
  if (!box) throw new Error(`"${word}" on a cell line containing "${lineText}" is not visible`);
  return box;
}

/** Hovers `word` in a notebook cell until the hover's text matches `pattern` (a pending card first). */
async function cellHoverUntil(page: Page, lineText: string, word: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  // A hover left open from before would answer for the wrong word: close it first.
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await page.locator('.monaco-hover-content:visible').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  while (Date.now() < deadline) {
    const box = await cellWordBox(page, lineText, word);
    await page.mouse.move(box.x - 40, box.y + 40);
    await page.mouse.move(box.x, box.y, { steps: 8 });
    // Each cell editor has its own hover widget: the one showing is the visible one, wherever it is.
    const hover = page.locator('.monaco-hover-content:visible').filter({ hasText: /\S/ }).first();
    const shown = await hover.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
    last = shown ? await hover.innerText() : '(no hover)';
    if (pattern.test(last)) return last;
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  }
  throw new Error(`the hover over "${word}" never matched ${pattern}; last text:\n${last}`);
}

/** The text of the first notebook cell line containing `lineText`. */
async function cellLine(page: Page, lineText: string): Promise<string | undefined> {
  const lines = await page.locator('.notebook-editor .cell-editor-container .view-line').allTextContents();
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).find((l) => l.includes(lineText));
}

describe('launches in notebooks, Markdown and PowerShell', { timeout: 300_000 }, () => {
  let s: Session;
  let largest = 0;
  before(async () => {
    s = await startSession({ name: 'launch-kinds', files: { 'train_nb.ipynb': NOTEBOOK, 'README.md': README, 'train.ps1': PS1 } });
    largest = cliEstimate(['yolov8n', '--gpu', RTX_3060.name, '--imgsz', '640', '--batch', '16', '--data', 'coco128.yaml']).maxBatch ?? 0;
  });
  after(async () => {
    await s?.close();
  });

  test('a Markdown code block: hovering batch=16 shows the card', async () => {
    await openFile(s.page, 'README.md');
    await waitForActivation(s.page);
    const text = await hoverUntil(s.page, 'yolo train model=', '16', /Largest batch that fits/);
    await s.screenshot('hover-markdown');
    assert.match(text, /batch 16 fits/, text);
    assert.match(text, new RegExp(`Largest batch that fits: ${largest}(?!\\d)`), text);
  });

  test('a PowerShell script: batch=$BATCH is followed to $BATCH = 16', async () => {
    await openFile(s.page, 'train.ps1');
    const text = await hoverUntil(s.page, 'batch=$BATCH', '$BATCH', /Largest batch that fits/);
    await s.screenshot('hover-powershell');
    assert.match(text, /batch 16 fits/, text);
  });

  test('a notebook cell: model.train(batch=96) with the model from the cell above gets its card', async () => {
    await openNotebook(s.page, 'train_nb.ipynb');
    const text = await cellHoverUntil(s.page, 'results = model.train(', '96', /Largest batch that fits|will not fit/, 120_000);
    await s.screenshot('hover-notebook-api');
    assert.match(text, /yolov8n/, text);
    assert.match(text, /batch 96/, text);
  });

  test('a notebook cell: the model built here (YOLO("yolov8n.yaml")) shows the card of the run two cells down', async () => {
    const text = await cellHoverUntil(s.page, 'model = YOLO(', 'yolov8n', /Largest batch that fits|will not fit/, 120_000);
    await s.screenshot('hover-notebook-model-cell');
    assert.match(text, /yolov8n/, text);
    assert.match(text, /batch 96/, text);
  });

  test('a notebook cell: !yolo train … batch=128 is flagged, the hover says so and the quick fix sets the largest batch', async () => {
    // Into the cell first, as a user editing it would be.
    const at = await cellWordBox(s.page, '!yolo train', 'yolo');
    await s.page.mouse.click(at.x, at.y);
    await s.screenshot('notebook-cell-focused');
    const text = await cellHoverUntil(s.page, 'batch=128', '128', /batch 128 will not fit/, 90_000);
    assert.match(text, new RegExp(`batch 128 will not fit on ${RTX_3060.name}`), text);
    await s.screenshot('diagnostic-notebook-cli');
    await s.page.mouse.move(5, 5);
    await s.page.keyboard.press('Escape');
    // The quick fix, as a user applies it: cursor on the value, Ctrl+., the "Set batch to N" action.
    const box = await cellWordBox(s.page, 'batch=128', '128');
    await s.page.mouse.click(box.x, box.y);
    await s.page.keyboard.press('Control+.');
    const item = s.page.locator('.action-widget .monaco-list-row.action').filter({ hasText: `Set batch to ${largest}` }).first();
    await item.waitFor({ state: 'attached' });
    for (let i = 0; i < 10 && !(await item.evaluate((e) => e.classList.contains('focused'))); i++) await s.page.keyboard.press('ArrowDown');
    await s.page.keyboard.press('Enter');
    await s.page.locator('.notebook-editor .view-line', { hasText: `batch=${largest} ` }).waitFor();
    assert.match((await cellLine(s.page, '!yolo train')) ?? '', new RegExp(`batch=${largest} epochs=3`));
    await s.screenshot('quickfix-notebook');
  });
});
