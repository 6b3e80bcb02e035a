// .pt checkpoints in a real VS Code: a workspace holding only a runs/…/best.pt activates the
// extension; "Analyze Model Memory" on it opens the panel with the checkpoint's architecture (the
// parameter check and the train_args notes under Assumptions); the hover in a script that trains
// from it; the sidebar lists it; a checkpoint whose pickle asks for os.system gets a one-line
// refusal and nothing runs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pickle, torchZip } from '../checkpoint/writers';
import { startSession, type Session } from './harness';
import { commandLabel, hoverUntil, openFile, openViewContainer, runCommand, waitForActivation, webviewFrame } from './workbench';

const BEST = readFileSync(join(__dirname, '..', 'data', 'checkpoints', 'det-nc3-best.pt'));
const MARKER = '/tmp/yolo-mem-e2e-checkpoint-MARKER';

describe('.pt checkpoints', { timeout: 300_000 }, () => {
  let s: Session;
  before(async () => {
    s = await startSession({
      name: 'checkpoint',
      files: {
        'runs/detect/train/weights/best.pt': BEST,
        // fine-tuning from the checkpoint: no imgsz, so Ultralytics (and the estimate) take its 160
        'finetune.py': 'from ultralytics import YOLO\nmodel = YOLO("runs/detect/train/weights/best.pt")\nmodel.train(data="coco128.yaml", epochs=3, batch=8)\n',
        'evil.pt': Buffer.from(torchZip(new Pickle().proto(2).global('os', 'system').op('(').str(`touch ${MARKER}`).op('t').op('R').stop())),
      },
    });
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

  test('"Analyze Model Memory" on best.pt: the checkpoint, its parameters checked, its train_args noted', async () => {
    await analyzeFromPalette('best.pt');
    const panel = await webviewFrame(s.page, '#model-name', { hasText: /best/i, timeoutMs: 90_000 });
    await panel.locator('#verdict').filter({ hasText: /\S/ }).waitFor({ timeout: 90_000 });
    await panel.locator('#tab-notes').click();
    const notes = panel.locator('#notes');
    await notes.filter({ hasText: /train_args/ }).waitFor({ timeout: 30_000 });
    const text = await notes.innerText();
    await s.screenshot('checkpoint-notes');
    assert.match(text, /best\.pt: its 3,011,433 parameters match the architecture built from its yaml/);
    assert.match(text, /imgsz 160 from best\.pt's train_args/);
    assert.equal(await panel.locator('#error').isVisible(), false);
  });

  test('hovering batch=8 in a script that trains from runs/…/best.pt: the checkpoint at its imgsz', async () => {
    await openFile(s.page, 'finetune.py');
    const text = await hoverUntil(s.page, 'batch=8)', '8', /Largest batch that fits/);
    await s.screenshot('checkpoint-hover');
    assert.match(text, /\bbest\b/, text);
    assert.match(text, /imgsz 160/, text);
    assert.match(text, /batch 8 /, text);
  });

  test('the sidebar lists the workspace checkpoints', async () => {
    await openViewContainer(s.page, 'YOLO Memory');
    const side = await webviewFrame(s.page, '#sb-ws', { timeoutMs: 60_000 });
    const section = side.locator('.sb-section', { has: side.locator('#sb-ws') });
    await section.filter({ hasText: 'best.pt' }).waitFor({ timeout: 60_000 });
    assert.match(await section.innerText(), /best\.pt/);
  });

  test('evil.pt: a one-line refusal naming os.system, and nothing ran', async () => {
    // with a script in the editor, Analyze Model Memory would analyse it instead of offering the picker
    await runCommand(s.page, 'View: Close All Editors');
    await analyzeFromPalette('evil.pt');
    const panel = await webviewFrame(s.page, '#error-text', { hasText: /\S/, timeoutMs: 90_000 });
    const text = (await panel.locator('#error-text').innerText()).trim();
    assert.match(text, /evil\.pt: pickle at byte \d+: refused the global 'os\.system'/);
    assert.ok(!text.includes('\n'), text);
    assert.equal(existsSync(MARKER), false);
  });
});
