import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNvidiaSmiCsv } from '../../src/core/gpu/nvidia-smi';
import { applyVisibleDevices, visibleDevicesNeedUuid } from '../../src/core/gpu/visible-devices';
import { pickGpu } from '../../src/core/gpu/discover';
import { SMI_FIXTURES } from '../helpers/fake-nvidia-smi';

const gpus = parseNvidiaSmiCsv(readFileSync(join(SMI_FIXTURES, 'four-a100-uuid.csv'), 'utf8'), true)!.gpus;
const idx = (v: string | undefined) => applyVisibleDevices(gpus, v).visible.map((g) => g.index);

test('unset means every GPU; empty means none', () => {
  assert.deepEqual(idx(undefined), [0, 1, 2, 3]);
  assert.deepEqual(idx(''), []);
  assert.match(applyVisibleDevices(gpus, '').notes[0], /empty/);
});

test('indices keep the listed order (CUDA renumbers from 0)', () => {
  assert.deepEqual(idx('2,0'), [2, 0]);
  assert.deepEqual(idx(' 1 , 3 '), [1, 3]);
});

test('CUDA stops at the first unusable entry, keeping the ones before', () => {
  assert.deepEqual(idx('1,7,2'), [1]);
  assert.match(applyVisibleDevices(gpus, '1,7,2').notes[0], /"7" is not a GPU/);
  assert.deepEqual(idx('-1'), []);
  assert.deepEqual(idx('0,0,1'), [0]);
  assert.deepEqual(idx('MIG-abc'), []);
});

test('UUIDs and unique UUID prefixes; ambiguous prefixes stop the list', () => {
  assert.deepEqual(idx('GPU-9d2c7b44-1a3e-4c6f-8e12-7b5f0c3e2d02'), [1]);
  assert.deepEqual(idx('GPU-3f6a'), [0]);
  assert.deepEqual(idx('GPU-'), []);
  assert.equal(visibleDevicesNeedUuid('GPU-3f6a,1'), true);
  assert.equal(visibleDevicesNeedUuid('0,1'), false);
  assert.equal(visibleDevicesNeedUuid(undefined), false);
});

test('pickGpu: requested index, out of range, most free', () => {
  assert.deepEqual(pickGpu(gpus, 2), { cudaIndex: 2 });
  assert.equal(pickGpu(gpus, 9).cudaIndex, null);
  assert.match(pickGpu(gpus, 9).note!, /device 9 is not visible: training sees 4 GPUs/);
  assert.deepEqual(pickGpu(gpus), { cudaIndex: 1 });
  assert.deepEqual(pickGpu([]), { cudaIndex: null });
});
