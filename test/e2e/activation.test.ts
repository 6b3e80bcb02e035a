// Smoke test in a real VS Code: the packaged extension installs, activates when a Python file
// opens, shows its status-bar item and contributes its command to the palette.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, type Session } from './harness';
import { closeQuickInput, commandLabel, openFile, paletteRows, statusItems, waitForActivation } from './workbench';

describe('activation', { timeout: 180_000 }, () => {
  let s: Session;
  before(async () => {
    s = await startSession({ name: 'activation' });
  });
  after(async () => {
    await s?.close();
  });

  test('opening a training script activates the extension and shows its status-bar item', async () => {
    await openFile(s.page, 'train.py');
    await waitForActivation(s.page);
    const items = await statusItems(s.page);
    assert.ok(items.length >= 1, 'expected at least one status-bar item from the extension');
    await s.screenshot('activated');
  });

  test('"Analyze Model Memory" is in the command palette', async () => {
    const label = commandLabel(/Analyze Model Memory/);
    const rows = await paletteRows(s.page, label);
    await s.screenshot('palette');
    await closeQuickInput(s.page);
    assert.ok(rows.some((r) => r.includes(label)), `palette rows: ${rows.join(' | ')}`);
  });
});
