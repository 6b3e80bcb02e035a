// The panel shows what the CLI prints: yolov8n at imgsz 640 planned for a 12 GiB GPU, once through
// `dist/cli.js --json` (a separate process) and once the way the extension builds its request from
// default settings and the gpu.memory setting, rendered by the panel's view model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { analyze } from '../../src/core/analyze';
import { parseMemorySize } from '../../src/core/gpu';
import { optionsForModel } from '../../src/extension/run-options';
import { readSettings } from '../../src/extension/settings';
import { buildHeader } from '../../webview/panel/viewModel';
import { breakdownOf } from '../../webview/shared/memory';
import { formatBytes } from '../../webview/shared/format';

const built = existsSync('dist/cli.js') ? false : 'dist/cli.js not built (npm run build)';

test('panel numbers equal `yolo-mem estimate yolov8n --gpu-memory 12GiB --json`', { skip: built }, async () => {
  const cli = JSON.parse(execFileSync(process.execPath, ['dist/cli.js', 'estimate', 'yolov8n', '--gpu-memory', '12GiB', '--json'], { encoding: 'utf8', env: { PATH: '/nonexistent' } }));
  const settings = readSettings({ get: (k: string) => (k === 'gpu.memory' ? '12GiB' : undefined) } as never, { trusted: true }).settings;
  const gpu = { name: '12GiB GPU', totalBytes: parseMemorySize('12GiB'), source: 'setting' };
  const panelResult = await analyze(optionsForModel('yolov8n', settings, gpu));
  const header = buildHeader({ options: { model: 'yolov8n' }, result: panelResult, resultSeq: 0, busy: false, error: null })!;

  const want = cli.estimates[0];
  const got = panelResult.estimates[0];
  assert.equal(got.batch, want.batch);
  assert.equal(got.imgsz, 640);
  assert.deepEqual(got.bytes, want.bytes);
  assert.equal(panelResult.maxBatch, cli.maxBatch);
  assert.equal(header.maxBatch.value, cli.maxBatch);
  assert.equal(header.device.text, formatBytes(want.bytes.device));
  assert.equal(header.reserved.text, formatBytes(want.bytes.reserved));
  assert.equal(header.params.value, cli.model.params);
  const segments = breakdownOf(got.bytes).segments;
  for (const s of segments) {
    const key = s.key as keyof typeof want.bytes;
    if (key in want.bytes) assert.equal(s.bytes, want.bytes[key], `breakdown ${String(key)}`);
  }
});
