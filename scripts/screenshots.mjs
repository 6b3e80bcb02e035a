// `node scripts/screenshots.mjs [--out docs/images] [--model <fixture .onnx | built-in name>]`:
// the README's screenshots, taken in a real VS Code (the e2e harness: code-server with the packaged
// .vsix, Chromium at 1400x900, the fake 12 GiB RTX 3060 nvidia-smi), in the Dark Modern, Light
// Modern and High Contrast themes:
//   panel-<theme>.png      the Analyze Model Memory panel, wide (memory tab: verdict, breakdown, curve)
//   panel-<theme>-500.png  the same panel 500 px wide (the default side-by-side width reflows)
//   sidebar-<theme>.png    the YOLO Memory sidebar with train.py as the active editor
//   hover-<theme>.png      the hover card over batch=16 in train.py
// Every shot waits for the rendered content it shows (never a timer) and checks the theme took.
// The model defaults to the fixture yolov8n-640-dynamic-batch.onnx from test/data/models,
// else the built-in yolov8n picked from the quick pick.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';
import { installCodeServer } from './e2e/install-code-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function fail(message) {
  console.error(`screenshots: ${message}`);
  process.exit(1);
}

const harness = tsxRequire('../test/e2e/harness.ts', import.meta.url);
const wb = tsxRequire('../test/e2e/workbench.ts', import.meta.url);

const out = resolve(root, option('--out') ?? join('docs', 'images'));
// yolov8n-640-static.onnx would do too, but a static batch-1 export shows its GFLOPs divided by the
// batch (src/core/model-source.ts, reported); the dynamic export shows the same memory numbers.
const FIXTURE = 'yolov8n-640-dynamic-batch.onnx';
const model = option('--model') ?? (harness.hasFixtures && existsSync(join(harness.fixturesDir, 'models', FIXTURE)) ? FIXTURE : 'yolov8n');
const isFixture = model.endsWith('.onnx');
const THEMES = [
  { tag: 'dark', setting: 'Default Dark Modern', bodyClass: 'vs-dark' },
  { tag: 'light', setting: 'Default Light Modern', bodyClass: 'vs' },
  { tag: 'hc', setting: 'Default High Contrast', bodyClass: 'hc-black' },
];
/** train.py as a reader would write it (the e2e copy's first line talks about the tests). */
const TRAIN_PY = `from ultralytics import YOLO

model = YOLO("yolov8n.yaml")
results = model.train(data="coco128.yaml", epochs=100, imgsz=640, batch=16)
`;
/** README images are shown about 900 px wide; bigger files only slow the page down. */
const MAX_BYTES = 400 * 1024;

async function waitForTheme(page, bodyClass) {
  await page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls), bodyClass, { timeout: 30_000 });
}

/** Saves `clip` of the page (a rectangle in CSS pixels, clamped to the window) as `name`. */
async function shot(page, name, clip) {
  const vp = page.viewportSize();
  const x = Math.max(0, Math.floor(clip.x));
  const y = Math.max(0, Math.floor(clip.y));
  const rect = { x, y, width: Math.min(vp.width - x, Math.ceil(clip.width)), height: Math.min(vp.height - y, Math.ceil(clip.height)) };
  const file = join(out, name);
  await page.screenshot({ path: file, clip: rect, animations: 'disabled', caret: 'hide' });
  const size = statSync(file).size;
  console.log(`${file}: ${rect.width}x${rect.height}, ${(size / 1024).toFixed(0)} KB`);
  if (size > MAX_BYTES) fail(`${name} is ${(size / 1024).toFixed(0)} KB, over ${MAX_BYTES / 1024} KB: crop it further`);
}

async function box(locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element has no box (not visible)');
  return b;
}

async function hoverShot(s, tag) {
  const page = s.page;
  await wb.hoverUntil(page, 'batch=16)', '16', /Largest batch that fits/);
  const hover = await box(page.locator('.monaco-hover').filter({ hasText: 'Largest batch that fits' }).last());
  const editor = await box(page.locator('.editor-instance .monaco-editor').first());
  // From the editor's top-left corner (line numbers and the script) to the card's far corner.
  const top = Math.min(hover.y, editor.y);
  await shot(page, `hover-${tag}.png`, { x: editor.x, y: top, width: hover.x + hover.width + 12 - editor.x, height: hover.y + hover.height + 12 - top });
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await page.locator('.monaco-hover').filter({ hasText: 'Largest batch that fits' }).waitFor({ state: 'hidden' });
}

async function sidebarShot(s, tag) {
  const page = s.page;
  await wb.openViewContainer(page, 'YOLO Memory');
  // The activity-bar click leaves a tooltip under the mouse.
  await page.mouse.move(700, 450);
  const side = await wb.webviewFrame(page, '#sb-gpu', { timeoutMs: 60_000 });
  await side.locator('.sb-section', { hasText: harness.RTX_3060.name }).waitFor({ timeout: 60_000 });
  // The active editor's entry (train.py) and, with a fixture, the workspace model, each with its verdict.
  const ready = [side.locator('.sb-section', { has: side.locator('#sb-active') }).locator('button.entry', { hasText: 'train.py' }).locator('.codicon.v-fits')];
  if (isFixture) ready.push(side.locator('ul.entries button.entry', { hasText: model }).locator('.codicon.v-fits'));
  for (const r of ready) await r.waitFor({ timeout: 60_000 });
  const part = await box(page.locator('.part.sidebar'));
  // Down to the end of the content, not the empty rest of the column.
  const last = await box(side.locator('.sb-section').last());
  await shot(page, `sidebar-${tag}.png`, { x: part.x, y: part.y, width: part.width, height: Math.min(part.height, last.y + last.height + 16 - part.y) });
}

async function openPanel(s) {
  const page = s.page;
  // With no editor open the command asks which model; the active script's run would win otherwise.
  await wb.runCommand(page, 'View: Close All Editors');
  await page.locator('.tab').first().waitFor({ state: 'detached' });
  await wb.runCommand(page, wb.commandLabel(/Analyze Model Memory/));
  const input = page.locator('.quick-input-widget input');
  await input.fill(model);
  const exact = isFixture ? new RegExp(`${model.replace(/[.]/g, '\\.')}$`) : new RegExp(`^${model}$`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first().click();
  const name = model.replace(/\.onnx$/, '');
  const panel = await wb.webviewFrame(page, '#model-name', { hasText: name, timeoutMs: 90_000 });
  await panel.locator('#verdict.verdict-fits, #verdict.verdict-tight, #verdict.verdict-oom').waitFor({ timeout: 90_000 });
  await panel.locator('#curve svg.curve-chart').waitFor();
  await panel.locator('#breakdown svg.breakdown-bar').waitFor();
  return panel;
}

async function panelShot(s, panel, tag) {
  const page = s.page;
  // The memory tab (header, controls, breakdown, curve) is about 1,000 px tall, more than the
  // editor area of a 900 px window: grow the window just enough that the curve is not cut off,
  // take the editor area, and put the window back.
  const doc = () => panel.locator('body').evaluate(() => ({ scroll: document.documentElement.scrollHeight, client: document.documentElement.clientHeight }));
  const before = await doc();
  const vp = page.viewportSize();
  if (before.scroll > before.client) {
    await page.setViewportSize({ width: vp.width, height: vp.height + before.scroll - before.client });
    for (let i = 0; i < 50; i++) {
      const now = await doc();
      if (now.client >= now.scroll) break;
      await page.waitForTimeout(100); // the webview's iframe follows the window size a frame or two later
    }
  }
  const editor = await box(page.locator('.part.editor'));
  await shot(page, `panel-${tag}.png`, editor);
  // The same panel 500 px wide: shrink the window by what the editor area has beyond 500 px.
  const tall = page.viewportSize();
  await page.setViewportSize({ width: Math.round(tall.width - (editor.width - 500)), height: tall.height });
  for (let i = 0; i < 50; i++) {
    const w = await panel.locator('body').evaluate(() => document.documentElement.clientWidth);
    if (w <= 500) break;
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(300); // the charts redraw at the new width after a 100 ms debounce
  await shot(page, `panel-${tag}-500.png`, await box(page.locator('.part.editor')));
  await page.setViewportSize(vp);
}

async function run() {
  installCodeServer({ quiet: true });
  // Package once for both sessions.
  process.env.E2E_VSIX ||= harness.resolveVsix();
  mkdirSync(out, { recursive: true });
  console.log(`model: ${model}`);
  for (const theme of THEMES) {
    await harness.withSession(
      {
        name: `screenshots-${theme.tag}`,
        files: { 'train.py': TRAIN_PY },
        settings: { 'workbench.colorTheme': theme.setting, 'editor.minimap.enabled': false },
      },
      async (s) => {
        await waitForTheme(s.page, theme.bodyClass);
        await wb.openFile(s.page, 'train.py');
        // Cursor to the empty last line: on line 1 it would highlight the word under it.
        await s.page.keyboard.press('Control+End');
        await wb.waitForActivation(s.page);
        // The script's verdict in the status bar means the GPU has been read.
        await s.page.locator('.part.statusbar [id$=".yoloMemory.status"]', { hasText: 'b16' }).waitFor({ timeout: 60_000 });
        // Only now does the model arrive in the workspace: a workspace .onnx whose first estimate
        // starts before nvidia-smi has answered keeps "No GPU to check" (reported race in
        // src/extension/documents.ts analyzeModelFile), which is not what the README should show.
        if (isFixture) copyFileSync(join(harness.fixturesDir, 'models', model), join(s.workspace, model));
        await hoverShot(s, theme.tag);
        await sidebarShot(s, theme.tag);
        const panel = await openPanel(s);
        await panelShot(s, panel, theme.tag);
      },
    );
  }
}

run().catch((e) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
