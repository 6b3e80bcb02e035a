// Named constants of the memory model, each with where its value comes from (docs/memory-model.md).

/** bytes per (image x ground-truth box x anchor) cell alive at the TaskAlignedAssigner's peak.
 *  Counted from ultralytics/utils/tal.py (8.3.x): select_candidates_in_gts' (b*n, anchors, 4) deltas
 *  plus two (b*n, anchors, 2) temporaries, then get_box_metrics' overlaps, bbox_scores, the gathered
 *  scores, two pow temporaries and align_metric (fp32) with two bool masks: ~9 fp32 values per cell.
 *  Consistent with PR #25240's 1.52 GB at batch 16, 300 boxes/image, 8,400 anchors (37.7 B/cell). */
export const ASSIGNER_BYTES_PER_CELL = 36;

/** bytes per (image x anchor x class) at the assigner's get_targets peak: an int64 (B, A, nc) zeros
 *  tensor scattered with the labels, the repeated bool foreground mask, its `> 0` bool copy, and the
 *  int64 torch.where result (ultralytics/utils/tal.py, get_targets): 8 + 1 + 1 + 8 bytes. */
export const ASSIGNER_BYTES_PER_SCORE = 18;

/** Default boxes per image when the dataset is unknown: COCO averages 7.3 objects per image
 *  (860k boxes / 118k images); the fixtures' ground truth uses 8. */
export const DEFAULT_OBJECTS_PER_IMAGE = 8;

/** cuBLAS workspace: Ultralytics' init_seeds(deterministic=True) sets CUBLAS_WORKSPACE_CONFIG=":4096:8",
 *  8 buffers of 4096 KiB per handle, allocated through the caching allocator on first use. */
export const CUBLAS_WORKSPACE_BYTES = 8 * 4096 * 1024;

/** cuBLASLt workspace: PyTorch (2.x) runs a Linear's matmul + bias through cuBLASLt, whose workspace
 *  is sized like cuBLAS's and also comes from the caching allocator. Seen on an H100 with torch 2.11:
 *  a second 32 MiB block once a Linear ran (docs/gpu-measurements.md). */
export const CUBLASLT_WORKSPACE_BYTES = CUBLAS_WORKSPACE_BYTES;

// The CUDA context (outside the allocator) depends on the GPU: see context.ts.

/** Ultralytics' nominal batch size: gradients accumulate over round(64 / batch) steps. */
export const NOMINAL_BATCH = 64;

/** Validation runs at 2x the training batch (Ultralytics' build_dataloader for val). */
export const VALIDATION_BATCH_FACTOR = 2;

/** Default safety margin of VRAM kept free when deciding "fits". */
export const DEFAULT_MARGIN = 0.1;

/** Ultralytics' optimizer=auto: above this many iterations SGD, else AdamW. */
export const AUTO_OPTIMIZER_ITERATIONS = 10_000;

/** DDP's Reducer copies gradients into flat bucket tensors of bucket_cap_mb = 25 MiB each (the first
 *  bucket is 1 MiB); with gradient_as_bucket_view=False (PyTorch's default, and Ultralytics') the
 *  buckets are extra memory the size of all gradients (torch/nn/parallel/distributed.py). */
export const DDP_BUCKET_BYTES = 25 * 2 ** 20;
