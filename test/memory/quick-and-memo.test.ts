// The panel's verdict-first answer (options.quick) and the steps remembered across analyses
// (memory/step-memo.ts) must give the numbers a full, fresh analysis gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/core/analyze';
import { openModel } from '../../src/core/model-source';

const GPU = { name: 'NVIDIA GeForce RTX 3060', totalBytes: 12 * 2 ** 30, source: 'preset' as const };

test('a quick analysis has the full analysis\'s verdict at the asked batch, no search, and says it is partial', async () => {
  const full = await analyze({ model: 'yolov8s', batch: [24], gpu: GPU }, { source: await openModel('yolov8s') });
  const quick = await analyze({ model: 'yolov8s', batch: [24], gpu: GPU, quick: true }, { source: await openModel('yolov8s') });
  assert.equal(quick.partial, true);
  assert.equal(full.partial, undefined);
  assert.equal(quick.maxBatch, null);
  assert.equal(quick.maxBatchTight, null);
  assert.ok(full.maxBatch !== null && full.maxBatch > 0);
  assert.deepEqual(quick.curve.map((p) => p.batch), [24]);
  assert.deepEqual(quick.estimates, full.estimates);
  assert.deepEqual(quick.layers, full.layers);
  assert.ok(full.curve.length > 5);
});

test('a repeat analysis of the same opened model (remembered steps) equals one on a freshly opened model', async () => {
  const source = await openModel('yolo11n-seg');
  await analyze({ model: 'yolo11n-seg', batch: [16], gpu: GPU, imgsz: 512 }, { source });
  // a different asked batch: the search and the curve come from memory, the asked batch may not
  const again = await analyze({ model: 'yolo11n-seg', batch: [40], gpu: GPU, imgsz: 512 }, { source });
  const fresh = await analyze({ model: 'yolo11n-seg', batch: [40], gpu: GPU, imgsz: 512 }, { source: await openModel('yolo11n-seg') });
  assert.deepEqual(again, fresh);
  // another GPU changes the cap applied to remembered steps, never the remembered step itself
  const small = { ...GPU, name: 'NVIDIA GeForce RTX 3050', totalBytes: 4 * 2 ** 30 };
  const onSmall = await analyze({ model: 'yolo11n-seg', batch: [40], gpu: small, imgsz: 512 }, { source });
  const back = await analyze({ model: 'yolo11n-seg', batch: [40], gpu: GPU, imgsz: 512 }, { source });
  assert.deepEqual(back, fresh);
  assert.notDeepEqual(onSmall.estimates[0]!.bytes, fresh.estimates[0]!.bytes);
});
