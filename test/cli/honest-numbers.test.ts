// Numbers that say what they are: the largest batch is searched as far as the GPU allows (and said
// to be a lower bound where the search stops first), a need above the GPU is shown with how far
// over, "no batch fits" in words, the pose and OBB label assigner counted, no assigner note for a
// classifier, one device figure deciding the verdict, and every ONNX node in its module's group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { largestFittingBatch, searchLimitPerGpu } from '../../src/core/max-batch';
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

test('yolov8n at imgsz 320 on an H200: the true largest batch, past the old 4096 cap; the next one does not fit', async () => {
  const r = await analyze({ model: 'yolov8n', imgsz: 320, batch: [16], gpu: gpu('h200') });
  assert.ok(r.maxBatch! > 4096, `maxBatch ${r.maxBatch}`);
  assert.equal(r.maxBatchAtLeast, false);
  assert.equal(await fitsAt(r, 'yolov8n', 320, r.maxBatch!), true);
  assert.equal(await fitsAt(r, 'yolov8n', 320, r.maxBatch! + 1), false);
  const text = await cli('estimate', 'yolov8n', '--gpu', 'h200', '--imgsz', '320');
  assert.equal(text.code, EXIT_OK);
  assert.match(text.out, new RegExp(`^largest batch that fits with a 10% margin: ${r.maxBatch}$`, 'm'));
});

test('the search stops only at the exact-arithmetic limit, and then says "at least"', () => {
  // a GPU where everything fits: the answer is the limit, flagged as a lower bound
  const all = largestFittingBatch(() => true, 1, 640);
  assert.deepEqual(all, { batch: searchLimitPerGpu(640), atLimit: true, limit: searchLimitPerGpu(640) });
  assert.equal(searchLimitPerGpu(640), 32768);
  assert.equal(searchLimitPerGpu(8192), 4096);
  // a threshold anywhere below the limit is found exactly, for any GPU count
  for (const [cut, gpus] of [[1, 1], [4205, 1], [15982, 1], [32767, 1], [4205, 4], [12, 8]] as const) {
    const s = largestFittingBatch((b) => b <= cut, gpus, 640);
    assert.equal(s.batch, Math.floor(cut / gpus) * gpus, `cut ${cut}, ${gpus} GPUs`);
    assert.equal(s.atLimit, false);
  }
  assert.deepEqual(largestFittingBatch(() => false, 2, 640), { batch: 0, atLimit: false, limit: 2 * 32768 });
});

test('a need above the GPU is shown as the need and how far over, not as the card', async () => {
  const r = await analyze({ model: 'yolov8x', batch: [16], gpu: flagGpu(12) });
  const e = r.estimates[0];
  assert.equal(e.fits, false);
  assert.ok(e.neededDevice > 12 * GIB * 0.9);
  const text = (await cli('estimate', 'yolov8x', '--gpu-memory', '12GiB')).out;
  const over = (e.neededDevice - 12 * GIB * 0.9) / GIB;
  assert.match(text, new RegExp(`^  needs ${(e.neededDevice / GIB).toFixed(2)} GiB on the device: ${over.toFixed(2)} GiB over the 10\\.80 GiB usable \\(12\\.00 GiB less the 10% margin\\)$`, 'm'));
});

test('"no batch fits" in words, never "largest batch that fits: 0"', async () => {
  const text = (await cli('estimate', 'yolov8x', '--gpu-memory', '1GiB')).out;
  assert.match(text, /^no batch fits at imgsz 640 with a 10% margin: not even batch 1$/m);
  assert.doesNotMatch(text, /largest batch that fits[^\n]*: 0$/m);
});

test('pose and OBB count their label assigner (non-zero, like detection and segmentation)', async () => {
  const terms: Record<string, number> = {};
  for (const m of ['yolov8n', 'yolov8n-seg', 'yolov8n-pose', 'yolov8n-obb', 'yolo11n-pose', 'yolo11n-obb']) {
    const r = await analyze({ model: m, batch: [16], objectsPerImage: 8, gpu: flagGpu(24) });
    terms[m] = r.estimates[0].bytes.lossAndAssigner;
  }
  for (const [m, bytes] of Object.entries(terms)) assert.ok(bytes > 32 * 2 ** 20, `${m}: loss + assigner ${bytes}`);
  // the assigner's (B, boxes, anchors) work grows with the boxes per image
  const dense = await analyze({ model: 'yolov8n-pose', batch: [16], objectsPerImage: 64, gpu: flagGpu(24) });
  assert.ok(dense.estimates[0].bytes.lossAndAssigner > 4 * terms['yolov8n-pose']!);
});

test('a classifier gets no "boxes per image" note; a detector does', async () => {
  const cls = await analyze({ model: 'yolov8n-cls', batch: [16], gpu: flagGpu(12) });
  assert.ok(!cls.assumptions.some((a) => a.includes('label assigner')), cls.assumptions.join('\n'));
  const det = await analyze({ model: 'yolov8n', batch: [16], gpu: flagGpu(12) });
  assert.ok(det.assumptions.some((a) => a.includes('boxes per image assumed for the label assigner')));
});

test('the verdict and the max batch follow neededDevice (bytes.device is what nvidia-smi shows)', async () => {
  const r = await analyze({ model: 'yolov8n', batch: [16, 64], gpu: flagGpu(12) });
  const usable = 12 * GIB * 0.9;
  for (const e of r.estimates) {
    assert.ok(e.bytes.device >= e.neededDevice, 'nvidia-smi shows at least what is needed');
    assert.equal(e.fits, e.neededDevice <= usable && (e.validationDevice ?? 0) <= usable);
  }
  for (const p of r.curve) assert.equal(p.fits, p.device <= usable && p.batch <= r.maxBatch!, `b${p.batch}`);
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
