// The caching-allocator model against the rules of CUDACachingAllocator.cpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachingAllocatorModel, roundSize, segmentSize } from '../../src/core/memory/allocator';

const MiB = 2 ** 20;

test('requests round up to 512 B', () => {
  assert.equal(roundSize(1), 512);
  assert.equal(roundSize(512), 512);
  assert.equal(roundSize(513), 1024);
});

test('segment sizes: 2 MiB small pool, 20 MiB for 1-10 MiB, 2 MiB-rounded above', () => {
  assert.equal(segmentSize(4096), 2 * MiB);
  assert.equal(segmentSize(3 * MiB), 20 * MiB);
  assert.equal(segmentSize(11 * MiB + 1), 12 * MiB);
});

test('small tensors share one 2 MiB segment; freed blocks are reused', () => {
  const a = new CachingAllocatorModel();
  const hs = Array.from({ length: 100 }, () => a.malloc(1000));
  assert.equal(a.reserved, 2 * MiB);
  assert.equal(a.allocated, 100 * 1024);
  hs.forEach((h) => a.free(h));
  assert.equal(a.allocated, 0);
  a.malloc(100 * 1024);
  assert.equal(a.reserved, 2 * MiB); // merged free blocks serve a bigger request
});

test('a 3 MiB request takes a 20 MiB segment, later mid-size requests fill it', () => {
  const a = new CachingAllocatorModel();
  a.malloc(3 * MiB);
  a.malloc(5 * MiB);
  a.malloc(5 * MiB);
  assert.equal(a.reserved, 20 * MiB);
  a.malloc(8 * MiB); // 13 MiB used, 7 MiB left: does not fit
  assert.equal(a.reserved, 40 * MiB);
});

test('reserved never shrinks and peak allocated is tracked', () => {
  const a = new CachingAllocatorModel();
  const h = a.malloc(50 * MiB);
  a.free(h);
  assert.equal(a.reserved, 50 * MiB);
  assert.equal(a.peakAllocated, 50 * MiB);
  a.malloc(30 * MiB); // reuses the cached 50 MiB block (remainder > 1 MiB is split off)
  assert.equal(a.reserved, 50 * MiB);
  assert.equal(a.allocated, 30 * MiB);
});
