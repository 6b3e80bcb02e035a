// validateOptions(): every analyze() option bounded with a one-line message naming it, and every
// request it lets through answered by analyze() quickly (no allocation sized by the input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../src/core/analyze';
import type { AnalyzeOptions } from '../../src/core/options';
import { checkImgsz, OPTION_LIMITS, OptionsError, validateOptions } from '../../src/core/validate';

function refused(o: Partial<AnalyzeOptions>): string {
  try {
    validateOptions({ model: 'yolov8n', ...o } as AnalyzeOptions);
  } catch (e) {
    assert.ok(e instanceof OptionsError, `expected OptionsError, got ${e}`);
    assert.ok(!e.message.includes('\n'));
    return e.message;
  }
  assert.fail(`accepted ${JSON.stringify(o)}`);
}

test('nonsense options are refused with one line naming the option', () => {
  assert.equal(refused({ imgsz: 1e9 }), 'imgsz must be a whole number from 32 to 8192, got 1000000000');
  assert.equal(refused({ imgsz: 16 }), 'imgsz must be a whole number from 32 to 8192, got 16');
  assert.equal(refused({ imgsz: NaN }), 'imgsz must be a whole number from 32 to 8192, got NaN');
  assert.equal(refused({ batch: [1e9] }), 'batch must be a whole number from 1 to 32768, got 1000000000');
  assert.equal(refused({ batch: [0] }), 'batch must be a whole number from 1 to 32768, got 0');
  assert.equal(refused({ batch: [-3] }), 'batch must be a whole number from 1 to 32768, got -3');
  assert.equal(refused({ batch: [2.5] }), 'batch must be a whole number from 1 to 32768, got 2.5');
  assert.equal(refused({ batch: 16 as unknown as number[] }), 'batch must be a list of batch sizes, got 16');
  assert.equal(refused({ batch: new Array(65).fill(8) }), 'batch lists at most 64 sizes, got 65');
  assert.equal(refused({ gpus: 1e9 }), 'gpus must be a whole number from 1 to 1024, got 1000000000');
  assert.equal(refused({ margin: 2 }), 'margin must be a number from 0 to 1 (exclusive), got 2');
  assert.equal(refused({ margin: -0.1 }), 'margin must be a number from 0 to 1 (exclusive), got -0.1');
  assert.equal(refused({ objectsPerImage: 1e9 }), 'objectsPerImage must be a whole number from 0 to 10000, got 1000000000');
  assert.equal(refused({ curveMax: 1e9 }), 'curveMax must be a whole number from 1 to 32768, got 1000000000');
  assert.equal(refused({ pruneRatio: 5 }), 'pruneRatio must be a number from 0 to 0.9, got 5');
  assert.equal(refused({ datasetImages: 1e20 }), 'datasetImages must be a whole number from 0 to 10000000000, got 100000000000000000000');
  assert.equal(refused({ epochs: -1 }), 'epochs must be a whole number from 0 to 1000000, got -1');
  assert.equal(refused({ amp: 'yes' as unknown as boolean }), "amp must be true or false, got 'yes'");
  assert.equal(refused({ optimizer: 'lion' as 'sgd' }), "optimizer must be one of auto, sgd, adam, adamw, got 'lion'");
  assert.equal(refused({ deployPrecision: 'int4' as 'int8' }), "deployPrecision must be one of fp32, fp16, int8, got 'int4'");
  assert.equal(refused({ gpu: { name: 'x', totalBytes: -1, source: 'flag' } }), "gpu memory must be a positive number of bytes up to 1 PiB, got -1 for 'x'");
  assert.equal(refused({ gpu: { name: 'x', totalBytes: 1e30, source: 'flag' } }), "gpu memory must be a positive number of bytes up to 1 PiB, got 1e+30 for 'x'");
  assert.equal(refused({ imgsz: 8192, batch: [32768] }), 'batch 32768 at imgsz 8192 is 2199.0 billion pixels per step; the limit is 274.9 billion (byte counts would no longer be exact)');
  assert.equal(refused({ imgsz: 8192, curveMax: 4097 }), 'batch 4097 at imgsz 8192 is 274.9 billion pixels per step; the limit is 274.9 billion (byte counts would no longer be exact)');
  assert.equal(refused({ model: '' }), "model must be a path or a built-in name, got ''");
  assert.equal(refused({ model: 'a\0b' }), 'model is not a usable path (contains a NUL byte)');
  assert.equal(checkImgsz(640, 'm.onnx'), 640);
  assert.throws(() => checkImgsz(2 ** 63, 'm.onnx'), { message: 'm.onnx: image size must be a whole number from 32 to 8192, got 9223372036854776000' });
  assert.throws(() => checkImgsz(0, 'm.onnx'), { message: 'm.onnx: image size must be a whole number from 32 to 8192, got 0' });
});

test('sensible options pass unchanged; imgsz is rounded up to the stride as Ultralytics does', () => {
  const o: AnalyzeOptions = { model: 'yolov8n', imgsz: 640, batch: [8, 16], gpus: 2, margin: 0.1, objectsPerImage: 8, pruneRatio: 0.5, amp: true, optimizer: 'sgd', gpu: { name: 'T4', totalBytes: 16e9, source: 'flag' } };
  assert.deepEqual(validateOptions(o), { options: o, notes: [] });
  assert.deepEqual(validateOptions({ model: 'yolov8n', imgsz: 600 }), { options: { model: 'yolov8n', imgsz: 608 }, notes: ["imgsz 600 is not a multiple of the model's max stride 32: updated to 608 (as Ultralytics does)"] });
});

const anything = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 2 ** 53, 2 ** 63, 1e308), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));

test('property: any option values either pass within the limits or give one OptionsError line', () => {
  fc.assert(
    fc.property(
      fc.record({ imgsz: anything, batch: fc.oneof(fc.array(anything, { maxLength: 4 }), anything), gpus: anything, margin: anything, objectsPerImage: anything, curveMax: anything, pruneRatio: anything, datasetImages: anything, epochs: anything }, { requiredKeys: [] }),
      (o) => {
        let r: ReturnType<typeof validateOptions>;
        try {
          r = validateOptions({ model: 'yolov8n', ...(o as object) } as AnalyzeOptions);
        } catch (e) {
          assert.ok(e instanceof OptionsError, String(e));
          assert.ok(!e.message.includes('\n') && e.message.length < 200);
          return;
        }
        const v = r.options;
        if (v.imgsz !== undefined) assert.ok(Number.isInteger(v.imgsz) && v.imgsz % 32 === 0 && v.imgsz >= 32 && v.imgsz <= 8192);
        for (const b of v.batch ?? []) assert.ok(Number.isInteger(b) && b >= 1 && b <= OPTION_LIMITS.batch[1]);
        if (v.gpus !== undefined) assert.ok(Number.isInteger(v.gpus) && v.gpus >= 1);
        if (v.margin !== undefined) assert.ok(v.margin >= 0 && v.margin < 1);
      },
    ),
    { numRuns: 3000 },
  );
});

test('the extremes validateOptions lets through are answered by analyze() in exact integers', async () => {
  // A built-in model at the largest image size and batch, on a 1 PiB GPU: arithmetic, never allocation.
  const h0 = process.memoryUsage().heapUsed;
  const r = await analyze(validateOptions({ model: 'yolov8x', imgsz: 8192, batch: [4096], objectsPerImage: 10_000, curveMax: 4096, gpu: { name: 'huge', totalBytes: 2 ** 50, source: 'flag' } }).options);
  for (const [k, v] of Object.entries(r.estimates[0].bytes)) assert.ok(Number.isSafeInteger(v), `${k} = ${v} is not an exact integer`);
  for (const p of r.curve) assert.ok(Number.isSafeInteger(p.device), `curve b${p.batch}: ${p.device}`);
  assert.ok(r.estimates[0].bytes.device > 2 ** 40);
  assert.ok(process.memoryUsage().heapUsed - h0 < 512 * 2 ** 20, 'heap growth under 512 MiB');
  const small = await analyze(validateOptions({ model: 'yolov8n', imgsz: 32, batch: [1], gpus: 1024 }).options);
  assert.ok(small.estimates[0].bytes.device > 0);
});
