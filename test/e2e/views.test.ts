// The two webviews in a real VS Code: the memory panel opened from the palette on a fixture ONNX
// export (its layer table has rows), the sidebar (workspace models, the GPU from nvidia-smi), and
// a corrupt .onnx, which must give a readable one-line error instead of a stack trace.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, RTX_3060, type Session } from './harness';
import { commandLabel, openViewContainer, runCommand, waitForActivation, webviewFrame } from './workbench';

const MODEL = 'yolov8n-640-static.onnx';

describe('memory panel and sidebar', { timeout: 300_000 }, () => {
  let s: Session;
  before(async () => {
    s = await startSession({
      name: 'views',
      models: [MODEL],
      // Not a protobuf at all: the reader must refuse it with a message, not crash.
      files: { 'broken.onnx': Buffer.from('this is not an ONNX model\n') },
    });
    // A workspace with an .onnx activates the extension without opening anything.
    await waitForActivation(s.page);
  });
  after(async () => {
    await s?.close();
  });

  async function analyzeFromPalette(file: string) {
    await runCommand(s.page, commandLabel(/Analyze Model Memory/));
    const row = s.page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first();
    await row.waitFor();
    await row.click();
  }

  test('"Analyze Model Memory" on an ONNX export opens the panel with a per-layer table', async () => {
    await analyzeFromPalette(MODEL);
    const panel = await webviewFrame(s.page, '#model-name', { hasText: /yolov8n/i, timeoutMs: 90_000 });
    await panel.locator('#verdict').filter({ hasText: /\S/ }).waitFor({ timeout: 90_000 });
    await panel.locator('#tab-layers').click();
    const rows = panel.locator('#layers-body tr.layer-row');
    await rows.first().waitFor({ timeout: 60_000 });
    const n = await rows.count();
    await s.screenshot('panel-layers');
    assert.ok(n > 5, `expected the layer table to list many layers, got ${n}`);
    assert.equal(await panel.locator('#error').isVisible(), false, 'no error banner for a valid model');
  });

  test('the sidebar lists the workspace models and shows the GPU', async () => {
    await openViewContainer(s.page, 'YOLO Memory');
    const side = await webviewFrame(s.page, '#sb-gpu', { timeoutMs: 60_000 });
    await side.locator('.sb-section', { hasText: RTX_3060.name }).waitFor({ timeout: 60_000 });
    await side.locator('#sb-ws').waitFor();
    const workspace = await side.locator('.sb-section', { has: side.locator('#sb-ws') }).innerText();
    await s.screenshot('sidebar');
    assert.ok(workspace.includes(MODEL), `workspace section:\n${workspace}`);
  });

  test('a corrupt .onnx gives a readable one-line error', async () => {
    await analyzeFromPalette('broken.onnx');
    const panel = await webviewFrame(s.page, '#error-text', { hasText: /\S/, timeoutMs: 90_000 });
    const text = (await panel.locator('#error-text').innerText()).trim();
    await s.screenshot('corrupt-onnx');
    assert.ok(text.length > 10, `error text: ${text}`);
    assert.ok(!text.includes('\n'), `one line: ${text}`);
    assert.doesNotMatch(text, /\bat .+:\d+:\d+\)?$|TypeError|undefined/m, `no stack trace or internal error: ${text}`);
  });
});
