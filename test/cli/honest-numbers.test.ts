// Numbers that say what they are: the largest batch is searched as far as the GPU allows (and said
// to be a lower bound where the search stops first), a need above the GPU is shown with how far
// over, "no batch fits" in words, the pose and OBB label assigner counted, no assigner note for a
// classifier, one device figure deciding the verdict, and every ONNX node in its module's group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { findGpuPreset, presetToGpuInfo } from '../../src/core/gpu/presets';
import { main, EXIT_OK } from '../../src/cli/cli';
import type { AnalysisResult } from '../../src/core/result';
import { fixtureModel } from '../helpers/fixtures';

const GIB = 2 ** 30;
const gpu = (name: string) => presetToGpuInfo(findGpuPreset(name)!);
const flagGpu = (gib: number) => ({ name: `GPU with ${gib} GiB`, totalBytes: gib * GIB, source: 'flag' });

async function cli(...argv: string[]) {
  let out = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (out += s), env: { PATH: '/nonexistent' } });
  return { code, out };
}

/** Whether `batch` fits, by the same analyze() rule (neededDevice and validation against the margin). */
async function fitsAt(r: AnalysisResult, model: string, imgsz: number, batch: number): Promise<boolean> {
  const one = await analyze({ model, imgsz, batch: [batch], gpu: r.gpu!, curveMax: 1 });
  return one.estimates[0].fits === true;
}

/** Whether `batch` may fit: its central estimate fits (verdict 'fits' or 'tight'). */
async function mayFitAt(r: AnalysisResult, model: string, imgsz: number, batch: number): Promise<boolean> {
  const one = await analyze({ model, imgsz, batch: [batch], gpu: r.gpu!, curveMax: 1 });
  return one.estimates[0].verdict !== 'does-not-fit';
}

test('yolov8n at imgsz 256 on an H200: the true largest batch, past the old 4096 cap; the next one does not fit', async () => {
  const r = await analyze({ model: 'yolov8n', imgsz: 256, batch: [16], gpu: gpu('h200') });
  // the largest batch that may fit (central estimate) is past the old cap; the largest that surely
  // fits (its upper bound) is smaller; each is exact: the next batch does not
  assert.ok(r.maxBatchTight! > 4096, `maxBatchTight ${r.maxBatchTight}`);
  assert.equal(r.maxBatchAtLeast, false);
  assert.equal(await mayFitAt(r, 'yolov8n', 256, r.maxBatchTight!), true);
  assert.equal(await mayFitAt(r, 'yolov8n', 256, r.maxBatchTight! + 1), false);
  assert.equal(await fitsAt(r, 'yolov8n', 256, r.maxBatch!), true);
  assert.equal(await fitsAt(r, 'yolov8n', 256, r.maxBatch! + 1), false);
  const text = await cli('estimate', 'yolov8n', '--gpu', 'h200', '--imgsz', '256');
  assert.equal(text.code, EXIT_OK);
  assert.match(text.out, new RegExp(`^largest batch that fits with a 10% margin: ${r.maxBatch} \\(surely: its upper bound fits\\)$`, 'm'));
  assert.match(text.out, new RegExp(`^largest batch that may fit: ${r.maxBatchTight} `, 'm'));
});

test('the verdict and the max batch follow neededDevice (bytes.device is what nvidia-smi shows)', async () => {
  const r = await analyze({ model: 'yolov8n', batch: [16, 64], gpu: flagGpu(12) });
  const usable = 12 * GIB * 0.9;
  for (const e of r.estimates) {
    assert.ok(e.bytes.device >= e.neededDevice, 'nvidia-smi shows at least what is needed');
    // the central estimate decides 'does-not-fit'; 'fits' also needs the band's upper bound to fit
    assert.equal(e.verdict !== 'does-not-fit', e.neededDevice <= usable && (e.validationDevice ?? 0) <= usable);
    if (e.fits) assert.ok(e.upper.device <= usable);
  }
  for (const p of r.curve) if (p.fits) assert.ok(p.device <= usable && p.batch <= r.maxBatch!, `b${p.batch}`);
});

test('every node of an ONNX export is grouped with its module, and Detect shows all its levels', async () => {
  const r = await analyze({ model: fixtureModel('yolov8n-dynamic.onnx'), batch: [2], imgsz: 640, gpu: flagGpu(12) });
  const head = r.layers.filter((l) => l.module === 22);
  assert.ok(head.length > 200, `${head.length} nodes in module 22`);
  assert.deepEqual([...new Set(head.map((l) => l.group))], ['head']);
  const levels = head.filter((l) => l.moduleOutput && !l.inferenceOnly).map((l) => l.outputShape);
  assert.deepEqual(levels, [[2, 144, 80, 80], [2, 144, 40, 40], [2, 144, 20, 20]]);
  const text = (await cli('estimate', fixtureModel('yolov8n-dynamic.onnx'), '--gpu-memory', '12GiB', '--batch', '2')).out;
  assert.match(text, /^ {5}22 +\S+ +\[2,144,80,80\] \[2,144,40,40\] \[2,144,20,20\] /m);
  const builtin = (await cli('estimate', 'yolov8n', '--gpu-memory', '12GiB', '--batch', '2')).out;
  assert.match(builtin, /^ {5}22 +Detect +\[2,144,80,80\] \[2,144,40,40\] \[2,144,20,20\] /m);
});

test('the max batch in words is the same on every surface', async () => {
  const { maxBatchText } = await import('../../src/core/max-batch');
  const { statusForResult } = await import('../../src/extension/status-text');
  assert.equal(maxBatchText({ maxBatch: null, estimates: [] }), null);
  assert.equal(maxBatchText({ maxBatch: 0, estimates: [{ imgsz: 1280 }] }), 'no batch fits at imgsz 1280');
  assert.equal(maxBatchText({ maxBatch: 32768, maxBatchAtLeast: true, estimates: [{ imgsz: 64 }] }), '≥ 32768');
  assert.equal(maxBatchText({ maxBatch: 4205, maxBatchAtLeast: false, estimates: [{ imgsz: 320 }] }), '4205');
  const none = await analyze({ model: 'yolov8x', batch: [16], gpu: flagGpu(1) });
  assert.equal(none.maxBatch, 0);
  const tip = statusForResult(none).tooltip;
  assert.match(tip, /^no batch fits at imgsz 640$/m);
  assert.doesNotMatch(tip, /Largest batch that fits: 0/);
});
