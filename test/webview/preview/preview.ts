// Renders both webviews standalone in headless Chromium under the real CSP, with sample data (or
// the estimator's output with --model=NAME), and saves PNGs: a look at the UI without VS Code.
// Not a test; run after a build:
//   node --import tsx test/webview/preview/preview.ts [outDir] [--theme=light|dark|hc] [--width=N] [--model=yolov8n] [--data=ds/data.yaml] [--cache=ram|disk] [--error]
// Prints console errors (CSP violations included).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { AnalyzeOptions } from '../../../src/core/options';
import type { PanelState, SidebarState } from '../../../src/protocol/webview';
import { sampleResult } from '../sample';
import { browserUnavailable, CHROMIUM, fakeVsCodeApi, serveWebviews } from './harness';
import type { THEMES } from './themes';

const GIB = 1024 ** 3;
const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const outDir = args.find((a) => !a.startsWith('--')) ?? '/tmp/yolo-preview';
const theme = (flag('theme') ?? 'dark') as keyof typeof THEMES;
const width = Number(flag('width') ?? 1100);

function sidebarState(device: number, maxBatch: number | null): SidebarState {
  return {
    gpus: [{ name: 'NVIDIA GeForce RTX 4060', index: 0, totalBytes: 8 * GIB, usedBytes: 1.2 * GIB, freeBytes: 6.8 * GIB, source: 'nvidia-smi', driverVersion: '550.54' }],
    gpuMessage: null,
    active: { id: 'file:///ws/train.py#L12', label: 'train.py:12', detail: "model.train(data='coco.yaml', batch=16)", kind: 'script', model: 'yolov8n.pt', batch: 16, imgsz: 640, verdict: 'fits', deviceBytes: device, vramBytes: 8 * GIB, maxBatch },
    workspace: [
      { id: 'a', label: 'yolov8n-640-static.onnx', detail: 'models/yolov8n-640-static.onnx', kind: 'model', model: 'models/yolov8n-640-static.onnx', batch: 16, imgsz: 640, verdict: 'fits', deviceBytes: 3.6 * GIB, vramBytes: 8 * GIB, maxBatch: 36 },
      { id: 'b', label: 'train_big.py:40', detail: 'yolo11x batch=64', kind: 'script', model: 'yolo11x.pt', batch: 64, imgsz: 1280, verdict: 'oom', deviceBytes: 61 * GIB, vramBytes: 8 * GIB, maxBatch: 4 },
      { id: 'c', label: 'custom.yaml', detail: 'cfg/custom.yaml', kind: 'yaml', model: 'cfg/custom.yaml', batch: 32, imgsz: 640, verdict: 'tight', deviceBytes: 6.9 * GIB, vramBytes: 8 * GIB, maxBatch: 33 },
      { id: 'd', label: 'broken.onnx', detail: 'models/broken.onnx', kind: 'model', model: 'models/broken.onnx', batch: null, imgsz: null, verdict: 'error', deviceBytes: null, vramBytes: null, maxBatch: null, message: 'Not an ONNX file: bad protobuf at offset 12' },
    ],
    updatedAt: Date.now(),
  };
}

async function main(): Promise<void> {
  const why = browserUnavailable();
  if (why) throw new Error(why);
  mkdirSync(outDir, { recursive: true });
  const cache = flag('cache');
  const options: AnalyzeOptions = {
    model: flag('model') ?? 'yolov8n.pt',
    batch: [16],
    imgsz: 640,
    gpu: { name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * GIB, source: 'preset' },
    // --data (with --model) shows the Dataset section for a real dataset scan.
    ...(flag('data') ? { data: flag('data'), cwd: process.cwd() } : {}),
    ...(cache === 'ram' || cache === 'disk' ? { cache } : {}),
  };
  const result = flag('model') ? await (await import('../../../src/core/analyze')).analyze(options) : sampleResult({ layers: Number(flag('layers') ?? 120) });
  const panel: PanelState = { options, result, resultSeq: 0, busy: false, error: args.includes('--error') ? { message: 'Worker crashed: out of memory while reading model.onnx', hasLog: true } : null };
  const served = await serveWebviews(theme);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  let problems = 0;
  try {
    for (const [kind, w, reply] of [
      ['panel', width, { type: 'panelState', state: panel }],
      ['sidebar', 300, { type: 'sidebarState', state: sidebarState(result.estimates[0]!.bytes.device, result.maxBatch) }],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: w, height: 900 } });
      await page.addInitScript(fakeVsCodeApi(reply));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') {
          problems++;
          console.log(`[${kind}] ${m.type()}: ${m.text()}`);
        }
      });
      page.on('pageerror', (e) => {
        problems++;
        console.log(`[${kind}] page error: ${e.message}`);
      });
      await page.goto(`${served.base}/${kind}.html`);
      await page.waitForTimeout(700);
      await page.screenshot({ path: join(outDir, `${kind}-${theme}.png`), fullPage: true });
      if (kind === 'panel') {
        await page.click('#tab-layers');
        await page.waitForTimeout(200);
        await page.click('tr.layer-row >> nth=4');
        await page.waitForTimeout(200);
        await page.screenshot({ path: join(outDir, `panel-layers-${theme}.png`), fullPage: true });
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await served.close();
  }
  console.log(`${problems} console problems; screenshots in ${outDir}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
