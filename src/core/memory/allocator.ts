// A model of PyTorch's CUDA caching allocator (c10/cuda/CUDACachingAllocator.cpp), replayed over the
// allocation trace of a training step to get `memory_reserved()` from `memory_allocated()`.
//
// Rules modelled (constants named as in the source):
//  - every request is rounded up to a multiple of kMinBlockSize = 512 B;
//  - requests <= kSmallSize (1 MiB) use the small pool, carved from kSmallBuffer (2 MiB) segments;
//  - requests < kMinLargeAlloc (10 MiB) get a kLargeBuffer (20 MiB) segment when nothing cached fits;
//    larger ones get their own segment rounded up to kRoundLarge (2 MiB);
//  - a cached free block is found best-fit (smallest that fits) in the request's pool;
//  - a block is split when the remainder is >= 512 B (small pool) or > 1 MiB (large pool); freed
//    blocks merge with free neighbours in the same segment;
//  - nothing is returned to the driver (no empty_cache), so reserved only grows.

export const K_MIN_BLOCK_SIZE = 512;
export const K_SMALL_SIZE = 1 << 20;
export const K_SMALL_BUFFER = 2 << 20;
export const K_LARGE_BUFFER = 20 << 20;
export const K_MIN_LARGE_ALLOC = 10 << 20;
export const K_ROUND_LARGE = 2 << 20;

export function roundSize(bytes: number): number {
  return bytes < K_MIN_BLOCK_SIZE ? K_MIN_BLOCK_SIZE : K_MIN_BLOCK_SIZE * Math.ceil(bytes / K_MIN_BLOCK_SIZE);
}

export function segmentSize(rounded: number): number {
  if (rounded <= K_SMALL_SIZE) return K_SMALL_BUFFER;
  if (rounded < K_MIN_LARGE_ALLOC) return K_LARGE_BUFFER;
  return K_ROUND_LARGE * Math.ceil(rounded / K_ROUND_LARGE);
}

interface Segment {
  size: number;
  /** Live blocks carved from this segment. */
  live: number;
}

interface Block {
  seg: Segment;
  size: number;
  free: boolean;
  small: boolean;
  prev: Block | null;
  next: Block | null;
}

/** Free blocks of one pool, sorted by size, for best-fit lookup by binary search. */
class FreeList {
  private items: Block[] = [];

  private lowerBound(size: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].size < size) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(b: Block): void {
    this.items.splice(this.lowerBound(b.size), 0, b);
  }

  remove(b: Block): void {
    let i = this.lowerBound(b.size);
    while (i < this.items.length && this.items[i] !== b) i++;
    if (i < this.items.length) this.items.splice(i, 1);
  }

  /** Smallest free block of at least `size`, removed from the list. */
  take(size: number): Block | null {
    const i = this.lowerBound(size);
    if (i >= this.items.length) return null;
    return this.items.splice(i, 1)[0];
  }
}

export class CachingAllocatorModel {
  private pools = { small: new FreeList(), large: new FreeList() };
  private live = new Map<number, Block>();
  private nextHandle = 1;
  reserved = 0;
  allocated = 0;
  peakAllocated = 0;
  /** Bytes of segments that hold at least one live block: what must stay reserved. */
  private active = 0;
  /** Peak of `active` (including the segment being allocated): the reserved memory the step needs
   *  when the allocator may return fully free cached segments to the driver, as PyTorch does before
   *  reporting out-of-memory (release_cached_blocks, then retry). */
  peakRequired = 0;

  /** Allocates `bytes`; returns a handle for `free`. Zero-byte tensors take no block. */
  malloc(bytes: number): number {
    const handle = this.nextHandle++;
    if (bytes <= 0) return handle;
    const size = roundSize(bytes);
    const small = size <= K_SMALL_SIZE;
    const pool = small ? this.pools.small : this.pools.large;
    let best = pool.take(size);
    if (best === null) {
      const seg = segmentSize(size);
      best = { seg: { size: seg, live: 0 }, size: seg, free: true, small, prev: null, next: null };
      this.reserved += seg;
    }
    const remaining = best.size - size;
    if (small ? remaining >= K_MIN_BLOCK_SIZE : remaining > K_SMALL_SIZE) {
      const rest: Block = { seg: best.seg, size: remaining, free: true, small, prev: best, next: best.next };
      if (best.next) best.next.prev = rest;
      best.next = rest;
      best.size = size;
      pool.add(rest);
    }
    best.free = false;
    if (best.seg.live++ === 0) this.active += best.seg.size;
    if (this.active > this.peakRequired) this.peakRequired = this.active;
    this.live.set(handle, best);
    this.allocated += best.size;
    if (this.allocated > this.peakAllocated) this.peakAllocated = this.allocated;
    return handle;
  }

  free(handle: number): void {
    let b = this.live.get(handle);
    if (!b) return;
    this.live.delete(handle);
    this.allocated -= b.size;
    b.free = true;
    if (--b.seg.live === 0) this.active -= b.seg.size;
    const pool = b.small ? this.pools.small : this.pools.large;
    // merge with free neighbours of the same segment
    const next = b.next;
    if (next && next.free) {
      pool.remove(next);
      b.size += next.size;
      b.next = next.next;
      if (next.next) next.next.prev = b;
    }
    const prev = b.prev;
    if (prev && prev.free) {
      pool.remove(prev);
      prev.size += b.size;
      prev.next = b.next;
      if (b.next) b.next.prev = prev;
      b = prev;
    }
    pool.add(b);
  }
}
