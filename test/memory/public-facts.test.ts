// Public facts the estimate must agree with (MEMORY-FACTS.md): YOLOv5 v7.0's README lists batch
// sizes that train at 640 on a V100-16GB (n 128, s 64, m 40, l 24, x 16). A tool that called those
// "does not fit" would send users to smaller batches for nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { findGpuPreset, presetToGpuInfo } from '../../src/core/gpu';

test('YOLOv5 README batch sizes fit a V100-16GB at 640 with AMP', async () => {
  const v100 = presetToGpuInfo(findGpuPreset('V100 16GB')!);
  for (const [model, batch] of [['yolov5n', 128], ['yolov5s', 64], ['yolov5m', 40], ['yolov5l', 24], ['yolov5x', 16]] as const) {
    const r = await analyze({ model, batch: [batch], imgsz: 640, amp: true, optimizer: 'sgd', gpu: v100, margin: 0 });
    const e = r.estimates[0];
    // the README's batches ran: the central estimate fits (the verdict may be 'tight': they are
    // the largest that worked, at the edge where the band's upper bound is above the card)
    assert.notEqual(e.verdict, 'does-not-fit', `${model} batch ${batch}: device ${e.neededDevice} > ${v100.totalBytes}`);
    // and the largest batch that may fit is not wildly above what the README found to work (within 2x)
    assert.ok(r.maxBatchTight! < 2 * batch, `${model}: max batch ${r.maxBatchTight}`);
  }
});
