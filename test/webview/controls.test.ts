import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFields, valuesFromOptions } from '../../webview/panel/controls';
import { applyPatch } from '../../src/extension/panel/applyPatch';
import { sampleResult } from './sample';

const GIB = 1024 ** 3;

test('controls show the options, the result filling in defaults', () => {
  const r = sampleResult();
  const v = valuesFromOptions({ model: 'yolov8n.pt', batch: [32], margin: 0.15, pruneRatio: 0.25 }, r);
  assert.equal(v.batch, '32');
  assert.equal(v.imgsz, '640');
  assert.equal(v.vram, '8');
  assert.equal(v.margin, '15');
  assert.equal(v.prune, '25');
  assert.equal(v.amp, true);
  assert.equal(valuesFromOptions({ model: 'x', gpu: null }, r).vram, '', 'an explicit "no GPU" wins over the result');
});

test('reading the controls round-trips to a patch', () => {
  const v = valuesFromOptions({ model: 'x', batch: [32], imgsz: 1280, amp: false, optimizer: 'adamw', gpus: 2, margin: 0.2, objectsPerImage: 50, pruneRatio: 0.3, deployPrecision: 'fp16', gpu: { name: 'A', totalBytes: 24 * GIB, source: 'setting' } }, null);
  const { patch, errors } = readFields(v);
  assert.deepEqual(errors, {});
  assert.deepEqual(patch, { batch: 32, imgsz: 1280, amp: false, optimizer: 'adamw', gpuTotalBytes: 24 * GIB, gpus: 2, margin: 0.2, objectsPerImage: 50, pruneRatio: 0.3, deployPrecision: 'fp16' });
});

test('bad text gives a per-field error and leaves the field out of the patch', () => {
  const v = valuesFromOptions({ model: 'x' }, null);
  const { patch, errors } = readFields({ ...v, batch: '0', imgsz: 'abc', margin: '95', vram: '-3', gpus: '1.5' });
  assert.ok(errors.batch && errors.imgsz && errors.margin && errors.vram && errors.gpus);
  assert.equal(patch.batch, undefined);
  assert.equal(patch.imgsz, undefined);
  assert.equal(patch.margin, undefined);
  assert.equal('gpuTotalBytes' in patch, false);
});

test('under DDP the batch must divide by the GPU count', () => {
  const v = valuesFromOptions({ model: 'x' }, null);
  const { errors, patch } = readFields({ ...v, batch: '30', gpus: '4' });
  assert.match(errors.batch ?? '', /multiple of the GPU count/);
  assert.equal(patch.batch, undefined);
  assert.equal(readFields({ ...v, batch: '32', gpus: '4' }).errors.batch, undefined);
});

test('an empty VRAM field means "no GPU"; an empty objects field means the default; a comma decimal is accepted', () => {
  const v = valuesFromOptions({ model: 'x' }, null);
  assert.equal(readFields({ ...v, objects: '' }).patch.objectsPerImage, null);
  assert.equal('objectsPerImage' in applyPatch({ model: 'x', objectsPerImage: 50 }, { objectsPerImage: null }), false);
  assert.equal(readFields({ ...v, vram: '' }).patch.gpuTotalBytes, null);
  assert.equal(readFields({ ...v, vram: '7,5' }).patch.gpuTotalBytes, 7.5 * GIB);
});

test('applyPatch changes only what the patch names and never the model', () => {
  const gpu = { name: 'NVIDIA RTX 4060', totalBytes: 8 * GIB, source: 'nvidia-smi' };
  const o = { model: 'a.onnx', batch: [16, 32], gpu };
  const same = applyPatch(o, { gpuTotalBytes: 8 * GIB, batch: 32 });
  assert.equal(same.model, 'a.onnx');
  assert.equal(same.gpu, gpu, 'same size keeps the detected GPU');
  assert.deepEqual(same.batch, [32]);
  const bigger = applyPatch(o, { gpuTotalBytes: 24 * GIB });
  assert.deepEqual(bigger.gpu, { name: '24 GiB GPU (what-if)', totalBytes: 24 * GIB, source: 'setting' });
  assert.equal(applyPatch(o, { gpuTotalBytes: null }).gpu, null);
  assert.deepEqual(o.batch, [16, 32], 'input not mutated');
});
