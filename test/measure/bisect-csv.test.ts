// The sweep's bisection and the calibration-CSV row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bisectLargestFit } from '../../src/core/measure/bisect';
import { CALIBRATION_CSV_HEADER, measurementCsvRow } from '../../src/core/measure/export-csv';
import type { BatchMeasurement } from '../../src/core/measure/run-probe';

test('bisection finds the largest fitting batch for every threshold in 1..100, each batch tried once', async () => {
  for (let limit = 0; limit <= 100; limit++) {
    const tried: number[] = [];
    const r = await bisectLargestFit(1, 100, async (b) => {
      tried.push(b);
      return b <= limit;
    });
    assert.equal(r.largest, limit === 0 ? null : limit, `limit ${limit}`);
    assert.equal(new Set(tried).size, tried.length, `limit ${limit}: a batch tried twice`);
    assert.ok(tried.length <= 14, `limit ${limit}: ${tried.length} trials`);
  }
});

test('bisection stops when a trial has no answer (error or cancel) and keeps what it knew', async () => {
  const r = await bisectLargestFit(2, 64, async (b) => (b >= 16 ? null : true));
  assert.equal(r.stopped, true);
  assert.equal(r.largest, 8);
  await assert.rejects(bisectLargestFit(0, 4, async () => true), /sweep range/);
});

test('a measurement exports as one row with the calibration header\'s columns', () => {
  const m: BatchMeasurement = {
    batch: 16, outcome: 'oom', oomPhase: 'validation', message: '',
    versions: { torch: '2.11.0', ultralytics: '8.4.190', cuda: '13.0' },
    device: { type: 'cuda', name: 'NVIDIA GeForce RTX 4090, "OC"', totalBytes: 24 * 2 ** 30, driver: '580' },
    phases: { first_step: { maxAllocatedBytes: 1, reservedBytes: 2 ** 30, maxReservedBytes: 2 ** 30 }, steady: { maxAllocatedBytes: 1, reservedBytes: 3 * 2 ** 29, maxReservedBytes: 3 * 2 ** 29 } },
  };
  const row = measurementCsvRow(m, { model: 'yolov8n-seg', imgsz: 640, amp: true, optimizer: 'auto', device: '0', data: 'coco.yaml' }, 'local-1');
  const header = CALIBRATION_CSV_HEADER.split(',');
  // split on commas outside quotes
  const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')).slice(0, header.length);
  assert.equal(cells.length, header.length);
  const get = (k: string) => cells[header.indexOf(k)];
  assert.equal(get('gpu_name'), '"NVIDIA GeForce RTX 4090, ""OC"""');
  assert.equal(get('gpu_memory'), '24.0');
  assert.equal(get('task'), 'segment');
  assert.equal(get('gpu_mem_epoch1'), '1.000');
  assert.equal(get('gpu_mem_max'), '1.500');
  assert.equal(get('outcome'), 'oom');
  assert.equal(get('oom_phase'), 'validation');
  assert.throws(() => measurementCsvRow({ ...m, outcome: 'cancelled' }, { model: 'x', imgsz: 640, amp: true, optimizer: 'auto', device: '0' }, 'id'), /only a finished measurement/);
});
