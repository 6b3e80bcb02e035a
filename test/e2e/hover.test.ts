// The editor features on a training script, in a real VS Code: the hover card over `batch=16`
// (verdict and largest batch for the fake 12 GiB RTX 3060, with the same reserved/device figures
// and largest batch as the CLI's --json for the same settings), and on a script whose batch cannot
// fit, the warning and its quick fix that rewrites the batch to the largest that fits.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes } from '../../webview/shared/format';
import { needsPhrase, otherTotals } from '../../webview/shared/memory';
import { cliEstimate } from './cli';
import { startSession, RTX_3060, type Session } from './harness';
import { applyQuickFix, editorLine, hoverUntil, openFile, openViewContainer, waitForActivation, webviewFrame } from './workbench';

describe('training-script hover and diagnostics', { timeout: 240_000 }, () => {
  let s: Session;
  let maxBatch = 0;
  let card16 = '';
  before(async () => {
    s = await startSession({ name: 'hover' });
  });
  after(async () => {
    await s?.close();
  });

  test('hovering batch=16 shows the verdict, the GPU and the largest batch that fits', async () => {
    await openFile(s.page, 'train.py');
    await waitForActivation(s.page);
    const text = await hoverUntil(s.page, 'batch=16)', '16', /Largest batch that fits/);
    await s.screenshot('hover-batch16');
    assert.match(text, /batch 16 fits/, text);
    assert.ok(text.includes(RTX_3060.name), `the card names the GPU from nvidia-smi:\n${text}`);
    const m = text.match(/Largest batch that fits: (\d+)/);
    assert.ok(m, text);
    maxBatch = Number(m[1]);
    card16 = text;
    // batch 16 fits, so the largest batch is at least 16; train_oom.py's 128 must not fit (below).
    assert.ok(maxBatch >= 16 && maxBatch < 128, `largest batch ${maxBatch} should be in [16, 128)`);
  });

  test("the card's numbers equal the CLI's for train.py's settings", (t) => {
    if (!card16) return t.skip('needs the card from the hover test');
    // train.py: yolov8n.yaml, imgsz=640, batch=16, data=coco128.yaml; the fake GPU's total memory.
    const cli = cliEstimate(['yolov8n', '--gpu', RTX_3060.name, '--imgsz', '640', '--batch', '16', '--data', 'coco128.yaml']);
    const est = cli.estimates[0]!;
    assert.equal(est.batch, 16);
    // The decisive figure first, in the words every surface uses; the other totals below.
    assert.ok(card16.includes(needsPhrase(est, cli.gpu!.totalBytes, cli.margin)), card16);
    for (const t of otherTotals(est)) assert.ok(card16.includes(`${t.label.toLowerCase()} ${formatBytes(t.bytes)}`), `${t.label} ${formatBytes(t.bytes)} in\n${card16}`);
    assert.equal(maxBatch, cli.maxBatch);
    // The three largest terms, in bytes as the rest of the UI writes them.
    const top = card16.match(/^Largest terms: (.*)$/m)?.[1] ?? '';
    const terms = Object.entries(est.bytes).filter(([k]) => !['allocated', 'reserved', 'device'].includes(k));
    const largest = terms.sort((a, b) => b[1] - a[1]).slice(0, 3);
    for (const [k, v] of largest) assert.ok(top.includes(formatBytes(v)), `Largest terms has ${k} = ${formatBytes(v)}: ${top}`);
  });

  test('the sidebar lists train_oom.py, never opened, with its verdict (worst first)', async () => {
    await openViewContainer(s.page, 'YOLO Memory');
    const side = await webviewFrame(s.page, '#sb-ws', { timeoutMs: 60_000 });
    const oom = side.locator('ul.entries button.entry', { hasText: 'train_oom.py' });
    await oom.locator('.codicon.v-oom').waitFor({ timeout: 90_000 });
    const text = (await oom.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Out of memory/, text);
    assert.match(text, /needs .* of .* usable/, text);
    // worst first: the launch that does not fit heads the list
    const first = (await side.locator('ul.entries button.entry').first().innerText()).replace(/\s+/g, ' ');
    assert.match(first, /train_oom\.py/, first);
    assert.ok(!(await s.page.locator('.tab', { hasText: 'train_oom.py' }).count()), 'train_oom.py was not opened');
    await s.screenshot('sidebar-launches');
    await s.page.keyboard.press('Control+Shift+E');
  });

  test('a YOLOv5 argparse script: hovering the --batch-size default shows a yolov5s card', async () => {
    await openFile(s.page, 'train_v5.py');
    // Case matters: the card says "Largest batch that fits"; the diagnostic that can share the
    // hover says "largest batch that fits" and may show before the card does.
    const text = await hoverUntil(s.page, '"--batch-size"', '64', /Largest batch that fits|could not estimate/);
    await s.screenshot('hover-yolov5-argparse');
    assert.match(text, /yolov5s/, text);
    assert.match(text, /batch 64 (fits|fits, but tight|does not fit)/, text);
  });

  test('an Ultralytics config YAML: hovering `batch: 32` shows the card for batch 32', async () => {
    await openFile(s.page, 'train.yaml');
    const text = await hoverUntil(s.page, 'batch: 32', '32', /Largest batch that fits/);
    await s.screenshot('hover-config-yaml');
    assert.match(text, /yolov8n/, text);
    assert.match(text, /batch 32 fits/, text);
    assert.match(text, new RegExp(`Largest batch that fits: ${maxBatch}(?!\\d)`), 'same model, imgsz and GPU as train.py: same largest batch');
  });

  test('batch=128 gets a "will not fit" warning and the quick fix sets the largest batch', async (t) => {
    if (!maxBatch) return t.skip('needs the largest batch from the hover test');
    await openFile(s.page, 'train_oom.py');
    const squiggle = s.page.locator('.editor-instance .squiggly-warning').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
    const text = await hoverUntil(s.page, 'batch=128)', '128', /will not fit/);
    assert.match(text, new RegExp(`batch 128 will not fit on ${RTX_3060.name}`), text);
    assert.match(text, new RegExp(`largest batch that fits: ${maxBatch}(?!\\d)`), text);
    await s.screenshot('diagnostic-batch128');
    await s.page.mouse.move(5, 5);
    await s.page.keyboard.press('Escape');
    await applyQuickFix(s.page, 'batch=128)', '128', `Set batch to ${maxBatch}`);
    await s.page.locator('.editor-instance .view-line', { hasText: `batch=${maxBatch}` }).waitFor();
    assert.match((await editorLine(s.page, 'model.train(')) ?? '', new RegExp(`batch=${maxBatch}\\)`));
    // The fixed batch fits, so the warning goes away.
    await squiggle.waitFor({ state: 'detached', timeout: 60_000 });
    await s.screenshot('quickfix-applied');
    // Hover, status bar and sidebar all say "fits" with the same figure against the same usable VRAM.
    const cli = cliEstimate(['yolov8n', '--gpu', RTX_3060.name, '--imgsz', '640', '--batch', String(maxBatch), '--data', 'coco128.yaml']);
    const est = cli.estimates[0]!;
    assert.equal(est.fits, true, 'the CLI agrees the recommended batch fits');
    const phrase = needsPhrase(est, cli.gpu!.totalBytes, cli.margin); // "needs F of U usable"
    const [need, usable] = [...phrase.matchAll(/(\d[\d.]* [KMG]iB)/g)].map((m) => m[1]!);
    const card = await hoverUntil(s.page, `batch=${maxBatch})`, String(maxBatch), /fits/);
    assert.ok(card.includes(`batch ${maxBatch} fits`) && card.includes(phrase), card);
    await s.page.mouse.move(5, 5);
    await s.page.keyboard.press('Escape');
    const status = s.page.locator(`.part.statusbar [id$=".yoloMemory.status"]`, { hasText: `b${maxBatch} needs` });
    await status.waitFor({ timeout: 60_000 });
    assert.equal(((await status.textContent()) ?? '').trim(), `b${maxBatch} needs ${need} of ${usable}`);
    assert.equal(await status.locator('.codicon-pass').count(), 1, 'the status bar shows the pass codicon');
    const tone = await status.evaluate((el) => el.closest('.statusbar-item')?.className ?? '');
    assert.doesNotMatch(tone, /warning|error/, `no warning colour on the recommended batch: ${tone}`);
    await openViewContainer(s.page, 'YOLO Memory');
    const side = await webviewFrame(s.page, '#sb-active', { timeoutMs: 60_000 });
    const active = side.locator('.sb-section', { has: side.locator('#sb-active') });
    await active.locator('button.entry', { hasText: 'train_oom.py' }).locator('.codicon.v-fits').waitFor({ timeout: 60_000 });
    const sideText = (await active.innerText()).replace(/\s+/g, ' ');
    assert.ok(sideText.includes('Fits') && sideText.includes(`${phrase}`), sideText);
    await s.screenshot('quickfix-all-agree');
    assert.deepEqual(s.webviewErrors(), [], 'no console errors from the webviews');
  });
});
