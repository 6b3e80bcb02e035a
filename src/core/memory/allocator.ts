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

interface Block {
  segment: number;
  offset: number;
  size: number;
  free: boolean;
  small: boolean;
}

export class CachingAllocatorModel {
  private blocks: Block[] = [];
  private live = new Map<number, Block>();
  private nextHandle = 1;
  reserved = 0;
  allocated = 0;
  peakAllocated = 0;
  private segments = 0;

  /** Allocates `bytes`; returns a handle for `free`. Zero-byte tensors take no block. */
  malloc(bytes: number): number {
    const handle = this.nextHandle++;
    if (bytes <= 0) return handle;
    const size = roundSize(bytes);
    const small = size <= K_SMALL_SIZE;
    let best: Block | null = null;
    for (const b of this.blocks) {
      if (b.free && b.small === small && b.size >= size && (best === null || b.size < best.size)) best = b;
    }
    if (best === null) {
      const seg = segmentSize(size);
      best = { segment: this.segments++, offset: 0, size: seg, free: true, small };
      this.blocks.push(best);
      this.reserved += seg;
    }
    const remaining = best.size - size;
    if (small ? remaining >= K_MIN_BLOCK_SIZE : remaining > K_SMALL_SIZE) {
      const rest: Block = { segment: best.segment, offset: best.offset + size, size: remaining, free: true, small };
      best.size = size;
      this.blocks.splice(this.blocks.indexOf(best) + 1, 0, rest);
    }
    best.free = false;
    this.live.set(handle, best);
    this.allocated += best.size;
    if (this.allocated > this.peakAllocated) this.peakAllocated = this.allocated;
    return handle;
  }

  free(handle: number): void {
    const b = this.live.get(handle);
    if (!b) return;
    this.live.delete(handle);
    this.allocated -= b.size;
    b.free = true;
    // merge with free neighbours of the same segment (blocks are kept in segment/offset order)
    let i = this.blocks.indexOf(b);
    const next = this.blocks[i + 1];
    if (next && next.free && next.segment === b.segment) {
      b.size += next.size;
      this.blocks.splice(i + 1, 1);
    }
    const prev = this.blocks[i - 1];
    if (prev && prev.free && prev.segment === b.segment) {
      prev.size += b.size;
      this.blocks.splice(i, 1);
      i--;
    }
  }
}
