import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ultralyticsModule } from '../../src/core/shape/index';

test('torch scope names map to Ultralytics module paths', () => {
  assert.deepEqual(ultralyticsModule('/model.22/cv2.0/cv2.0.0/conv/Conv'), { index: 22, path: 'model.22.cv2.0.0.conv' });
  assert.deepEqual(ultralyticsModule('/model.10/m/m.0/attn/qkv/conv/Conv'), { index: 10, path: 'model.10.m.0.attn.qkv.conv' });
  assert.deepEqual(ultralyticsModule('/model.2/m.0/cv1/act/Mul'), { index: 2, path: 'model.2.m.0.cv1.act' });
  assert.deepEqual(ultralyticsModule('/model.24/m.0/Conv'), { index: 24, path: 'model.24.m.0' });
  assert.deepEqual(ultralyticsModule('/model.22/Concat_3'), { index: 22, path: 'model.22' });
  assert.deepEqual(ultralyticsModule('/model.22/dfl/conv/Conv'), { index: 22, path: 'model.22.dfl.conv' });
});

test('names outside model.N scopes map to null', () => {
  assert.equal(ultralyticsModule('Identity_0'), null);
  assert.equal(ultralyticsModule('/Constant'), null);
  assert.equal(ultralyticsModule('/backbone/conv/Conv'), null);
  assert.equal(ultralyticsModule(''), null);
});
