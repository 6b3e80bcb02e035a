// Hard limits of the reader. They protect the extension host's worker from pathological files;
// each one is well above what any YOLO export needs.

/** Protobuf messages (and so ONNX files with inline weights) cannot exceed 2 GiB: the format's
 *  lengths are signed 32-bit. Bigger models must use external data. */
export const MAX_FILE_BYTES = 2 ** 31;
/** YOLO exports have a few hundred nodes (yolov8n with dynamic shapes: 499; RT-DETR: a few
 *  thousand); 100,000 is far beyond any real vision model. Above it the node list alone cost
 *  hundreds of MB and the analysis minutes (a 1,000,000-node chain); the training graph has its own
 *  bound (graph/builder.ts MAX_GRAPH_OPS). */
export const MAX_NODES = 100_000;
/** ONNX tensors in vision models have rank ≤ 6; 16 leaves room and bounds the per-dim work. */
export const MAX_RANK = 16;
/** Protobuf nesting depth (subgraphs in If/Loop nest graphs); guards the recursive decoder. */
export const MAX_DEPTH = 64;
/** Tensors with at most this many elements have their values decoded at parse time (shape
 *  subgraphs need them: Reshape targets, Slice bounds, Resize scales). Larger ones never are. */
export const MAX_DECODED_ELEMENTS = 64;
