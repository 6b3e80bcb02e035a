// "Measure on This GPU" in a real VS Code, with a fake probe standing in for Python (no GPU or
// Python here): yoloMemory.python.path names a small script that runs test/fixtures/measure/
// fake-probe.mjs, which prints recorded probe lines. Everything else is the real code path: the
// command, the runner's process group, the JSON-lines parser, the progress notification, the panel.
//   command → progress → measured beside estimated in the panel
//   Cancel ends the probe and the process it started (checked with the pids, no orphan)
//   an out-of-memory result is shown as a result, not an error

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { repoRoot, startSession, RTX_3060, type Session } from './harness';
import { commandLabel, notifications, openFile, runCommand, waitForActivation, webviewFrame } from './workbench';

const FAKE_PROBE = join(repoRoot, 'test', 'fixtures', 'measure', 'fake-probe.mjs');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('measure on this GPU (fake probe)', { timeout: 300_000 }, () => {
  let s: Session;
  let panel: FrameLocator;
  const mode = (m: string) => writeFileSync(join(s.workspace, 'fake-probe-mode.txt'), m);

  let pyDir = '';
  /** The fake probe's pids, ended in after() should a failing test leave them running. */
  const started: number[] = [];
  before(async () => {
    // a stand-in for the Python interpreter: drops the probe path, runs the fake probe with the rest
    pyDir = mkdtempSync(join(tmpdir(), 'fake-python-'));
    const py = join(pyDir, 'python3');
    writeFileSync(py, `#!/bin/sh\nshift\nexec '${process.execPath}' '${FAKE_PROBE}' "$@"\n`);
    chmodSync(py, 0o755);
    s = await startSession({ name: 'measure', gpu: RTX_3060, settings: { 'yoloMemory.python.path': py }, files: { 'fake-probe-mode.txt': 'fits 300' } });
  });
  after(async () => {
    await s?.close();
    for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
    if (pyDir) rmSync(pyDir, { recursive: true, force: true });
  });

  async function measureYolov8n(): Promise<void> {
    await runCommand(s.page, commandLabel(/Measure on This GPU/));
    const input = s.page.locator('.quick-input-widget input');
    await input.fill('yolov8n');
    const row = s.page.locator('.quick-input-list .monaco-list-row').filter({ has: s.page.locator('.label-name', { hasText: /^yolov8n$/ }) });
    await row.first().click();
  }

  test('command → progress notification → measured beside estimated in the panel', async () => {
    await openFile(s.page, 'train.py');
    await waitForActivation(s.page);
    await measureYolov8n();
    // the progress notification names the run while the fake probe replays (300 ms a line)
    await s.page.locator('.notification-toast', { hasText: /Measuring yolov8n at batch 16/ }).first().waitFor({ timeout: 60_000 });
    panel = await webviewFrame(s.page, '#measured', { timeoutMs: 90_000 });
    await panel.locator('#measured-body [data-status="fits"]').waitFor({ timeout: 60_000 });
    const status = (await panel.locator('#measured-body .measured-status').textContent()) ?? '';
    assert.match(status, /Fits — fits at batch 16/);
    assert.match(status, /NVIDIA H100 80GB HBM3, driver 580\.159\.04; torch 2\.11\.0\+cu130, ultralytics 8\.4\.190/);
    // the steady phase's reserved figure: measured 410 MiB (429,916,160 B) beside the estimate, with its error
    const steady = panel.locator('tr[data-phase="steady"][data-figure="reserved"] td');
    const cells = await steady.allInnerTexts();
    assert.equal(cells[2], '410 MiB');
    assert.match(cells[3], /\d/); // the estimate for yolov8n at batch 16
    assert.match(cells[4], /^[+-]\d+\.\d%$/);
    await s.page.locator('.notification-toast', { hasText: /batch 16 fits — measured/ }).first().waitFor({ timeout: 30_000 });
    await s.screenshot('measured');
  });

  test('Cancel ends the probe and the processes it started', async () => {
    mode('hang');
    await measureYolov8n();
    // the fake probe reports its pid and its child's as progress, which the panel shows
    const running = panel.locator('#measured-body [data-status="running"]', { hasText: /pids \d+ \d+/ });
    await running.waitFor({ timeout: 60_000 });
    const [, a, b] = /pids (\d+) (\d+)/.exec((await running.textContent()) ?? '')!;
    const pids = [Number(a), Number(b)];
    started.push(...pids);
    assert.ok(pids.every(alive), 'probe running');
    const toast = s.page.locator('.notification-toast', { hasText: /Measuring yolov8n at batch 16/ }).first();
    await toast.hover();
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await panel.locator('#measured-body [data-status="cancelled"]').waitFor({ timeout: 30_000 });
    // the kill is synchronous; wait (bounded by the test's timeout) for the kernel to reap
    while (pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!pids.some(alive), `left running: ${pids.filter(alive).join(', ')}`);
  });

  test('out of memory is a result, not an error', async () => {
    mode('oom');
    await measureYolov8n();
    await panel.locator('#measured-body [data-status="oom"]').waitFor({ timeout: 60_000 });
    assert.match((await panel.locator('#measured-body .measured-status').textContent()) ?? '', /Out of memory — did not fit at batch 16, in phase steady/);
    await s.page.locator('.notification-toast', { hasText: /did not fit at batch 16, in phase steady/ }).first().waitFor({ timeout: 30_000 });
    const texts = await notifications(s.page);
    assert.ok(!texts.some((t) => /could not measure/i.test(t)), texts.join(' | '));
    await s.screenshot('oom');
  });
});
