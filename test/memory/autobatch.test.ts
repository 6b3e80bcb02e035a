// AutoBatch prediction (src/core/autobatch.ts, docs/memory-model.md "AutoBatch"): Ultralytics 8.4's
// arithmetic on a profile, checked against numpy's polyfit on the public profile of
// ultralytics#4679 (YOLOv8s @640 on a T4), and the modelled profile feeding analyze().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { AUTOBATCH_DEFAULT_FRACTION, autoBatchFraction, autoBatchPick, predictAutoBatch, profileReserved } from '../../src/core/autobatch';
import { findGpuPreset, presetToGpuInfo } from '../../src/core/gpu/presets';
import { openModel } from '../../src/core/model-source';

/** ultralytics#4679: memory_reserved() in GB at batch 1..16, as the AutoBatch log printed it. */
const MEASURED_4679 = [0.654, 0.757, 1.223, 2.208, 4.154].map((gb, i) => ({ batch: 2 ** i, reservedBytes: gb }));

test('batch=-1 is 60 % of the memory, a fraction is itself, a plain batch is not AutoBatch', () => {
  assert.equal(autoBatchFraction(-1), AUTOBATCH_DEFAULT_FRACTION);
  assert.equal(autoBatchFraction(0.7), 0.7);
  assert.equal(autoBatchFraction(16), null);
  assert.equal(autoBatchFraction(1), null);
});

test("AutoBatch's pick on the #4679 profile equals numpy's: polyfit slope 0.23799, intercept 0.32367", () => {
  // np.polyfit([1,2,4,8,16], [...], 1) = [0.23798925, 0.32366667]; int((14.5 * 0.6 - p[1]) / p[0]) = 35, at 0.9: 53
  const p = autoBatchPick(MEASURED_4679, 14.5, 16.1, 0.6)!;
  assert.ok(Math.abs(p.slopeBytes - 0.23798925) < 1e-7, String(p.slopeBytes));
  assert.ok(Math.abs(p.interceptBytes - 0.32366667) < 1e-7, String(p.interceptBytes));
  assert.equal(p.batch, 35);
  assert.equal(autoBatchPick(MEASURED_4679, 14.5, 16.1, 0.9)!.batch, 53);
});

test('a probe that ran out of memory: fitted without it, and the pick stays below it', () => {
  const withOom = MEASURED_4679.map((p) => (p.batch === 16 ? { ...p, reservedBytes: null } : p));
  // numpy on the first four: int((14.5 * 0.6 - 0.354) / 0.2284) = 36, above the failed 16 → 8
  assert.equal(autoBatchPick(withOom, 14.5, 16.1, 0.6)!.batch, 8);
  // readings that do not grow are dropped; none usable → no pick (AutoBatch raises)
  assert.equal(autoBatchPick([{ batch: 1, reservedBytes: null }, { batch: 2, reservedBytes: null }], 14.5, 16.1, 0.6), null);
  // the clamp: never above 1024, never below the first usable probe
  assert.equal(autoBatchPick([{ batch: 1, reservedBytes: 0.001 }, { batch: 2, reservedBytes: 0.002 }], 80, 81, 0.6)!.batch, 1024);
  assert.equal(autoBatchPick([{ batch: 1, reservedBytes: 10 }, { batch: 2, reservedBytes: 14 }], 14.5, 16.1, 0.6)!.batch, 1);
});

test('the modelled profile grows with the batch and adds the detect-loss envelope', async () => {
  const src = await openModel('yolov8s');
  const r1 = profileReserved(src.build(1, 640, 0), true, 0);
  const r8 = profileReserved(src.build(8, 640, 0), true, 0);
  assert.ok(r8 > r1, `${r1} → ${r8}`);
  // profile_ops: b * anchors * 6 * (max_num_obj + 2 * nc) * 4 bytes; anchors at 640 = 80² + 40² + 20² = 8400, nc = 80
  const g = src.build(8, 640, 0);
  assert.equal(profileReserved(g, true, 32) - profileReserved(g, true, 0), 8 * 8400 * 6 * (32 + 160) * 4);
});

test('analyze() with AutoBatch on a T4: the estimate is at the predicted pick, and the note says what it needs', async () => {
  const gpu = presetToGpuInfo(findGpuPreset('t4')!);
  const r = await analyze({ model: 'yolov8s', imgsz: 640, autoBatchFraction: 0.6, gpu, objectsPerImage: 8 });
  assert.ok(r.autoBatch, 'autoBatch in the result');
  assert.equal(r.estimates[0].batch, r.autoBatch!.batch);
  assert.deepEqual(r.autoBatch!.profile.map((p) => p.batch), [1, 2, 4, 8, 16], 'a GPU under 16 GiB probes 1..16');
  const src = await openModel('yolov8s');
  const direct = predictAutoBatch({ build: (b) => src.build(b, 640, 0), amp: true, fraction: 0.6, gpu, maxNumObj: 32 })!;
  assert.equal(r.autoBatch!.batch, direct.batch);
  assert.match(r.assumptions[0], new RegExp(`^AutoBatch will pick ≈${direct.batch} on this GPU .*; training at ${direct.batch} needs [\\d.]+ GiB, which (fits|does not fit)`));
  // a larger fraction picks a larger batch
  const r9 = await analyze({ model: 'yolov8s', imgsz: 640, autoBatchFraction: 0.9, gpu, objectsPerImage: 8 });
  assert.ok(r9.autoBatch!.batch > r.autoBatch!.batch);
});

test('without a GPU AutoBatch cannot be predicted: the batch given is shown and the note says why', async () => {
  const r = await analyze({ model: 'yolov8n', imgsz: 320, batch: [16], autoBatchFraction: 0.6, gpu: null });
  assert.equal(r.autoBatch, null);
  assert.equal(r.estimates[0].batch, 16);
  assert.ok(r.assumptions.some((a) => /no GPU is known, so batch 16 is shown/.test(a)));
});

test("a marker on batch=0.9 when AutoBatch's pick will not fit by the estimate, with a fix to the largest batch", async () => {
  const { autoBatchProblem } = await import('../../src/extension/autobatch-diagnostics');
  const { scanScriptAsync } = await import('../../src/core/scripts');
  const src = 'from ultralytics import YOLO\nYOLO("yolov8s.yaml").train(data="d.yaml", imgsz=640, batch=0.9)\n';
  const run = (await scanScriptAsync(src, 'python')).runs[0];
  const gpu = { name: 'GPU with 8.0 GiB', totalBytes: 8 * 2 ** 30, source: 'flag' };
  // A 30 % safety margin: 5.6 GiB usable, below what training at AutoBatch's 90 % pick needs.
  const r = await analyze({ model: 'yolov8s', imgsz: 640, autoBatchFraction: 0.9, gpu, margin: 0.3, objectsPerImage: 8 });
  assert.equal(r.estimates[0].verdict, 'does-not-fit', 'the pick does not fit with a 30 % margin');
  const p = autoBatchProblem(run, r)!;
  assert.match(p.message, new RegExp(`^AutoBatch will pick ≈${r.autoBatch!.batch} on GPU with 8.0 GiB; training at ${r.autoBatch!.batch} needs`));
  assert.deepEqual(p.range, run.settings.batch!.range);
  assert.equal(p.fix?.batch, r.maxBatch);
  // With the default 10 % margin the same pick fits: no marker.
  const ok = await analyze({ model: 'yolov8s', imgsz: 640, autoBatchFraction: 0.9, gpu, objectsPerImage: 8 });
  assert.notEqual(ok.estimates[0].verdict, 'does-not-fit');
  assert.equal(autoBatchProblem(run, ok), null);
});
