// Hard limits of the checkpoint reader. Each is far above what a real YOLO checkpoint needs (a
// YOLOv8x best.pt has ~700 zip entries and a data.pkl under 1 MiB) and bounds the memory and work
// a hostile file can ask for.

/** Zip entries: one per tensor storage plus a few records. */
export const MAX_ZIP_ENTRIES = 200_000;
/** The central directory is read in one piece; 200k entries of ~80 bytes fit well within this. */
export const MAX_CENTRAL_DIRECTORY_BYTES = 32 * 2 ** 20;
/** Entry names: `<archive>/data/<key>`; real ones are < 100 characters. */
export const MAX_ENTRY_NAME = 1024;
/** data.pkl after inflating: the object structure only, never tensor bytes. */
export const MAX_PICKLE_BYTES = 64 * 2 ** 20;
/** A legacy (PyTorch < 1.6) file keeps its pickles before the tensor bytes: at most this much is read. */
export const MAX_LEGACY_PREFIX = 64 * 2 ** 20;
/** Pickle machine: values on the stack, open MARKs, memo entries. */
export const MAX_STACK = 1_000_000;
export const MAX_MARKS = 10_000;
export const MAX_MEMO = 1_000_000;
/** One string or bytes value; a str longer than this is not part of a model's description. */
export const MAX_STRING_BYTES = 16 * 2 ** 20;
/** LONG / LONG1 / LONG4 integers: byte length (torch's are ≤ 8). */
export const MAX_LONG_BYTES = 64;
/** Container nesting when the decoded values are walked (a YOLO checkpoint nests < 30 deep). */
export const MAX_WALK_DEPTH = 200;
/** Values visited by one walk of the decoded tree (shared references would otherwise multiply). */
export const MAX_WALK_NODES = 5_000_000;
/** Tensor rank and dims: shapes of real tensors. */
export const MAX_TENSOR_RANK = 16;
