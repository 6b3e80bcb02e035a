// The image size a training run really uses. Ultralytics' trainer takes the model's largest stride,
// at least 32 (`gs = max(int(model.stride.max()), 32)`, ultralytics/engine/trainer.py), and
// check_imgsz (ultralytics/utils/checks.py) rounds imgsz up to a multiple of it with a warning:
// `imgsz=1000` trains at 1024, a P6 model (strides 8-64) at `imgsz=2720` trains at 2752.
import type { ModelSource } from './model-source';

/** The smallest stride Ultralytics rounds to (its trainer's floor). */
export const MIN_GRID_STRIDE = 32;

/** The model's largest output stride, at least 32: the head's strides, read from a probe graph
 *  (batch 1, imgsz 640, a multiple of every YOLO stride). Classifiers have no strided head: 32. */
export function gridStride(source: ModelSource): number {
  const probe = source.build(1, source.fixedImgsz ?? 640, 0);
  const strides = (probe.head?.strides ?? []).filter((s) => Number.isFinite(s) && s > 0);
  return Math.max(MIN_GRID_STRIDE, ...strides.map((s) => Math.round(s)));
}

/** imgsz rounded up to a multiple of `stride`, as check_imgsz does (never below one stride). */
export function roundToStride(imgsz: number, stride: number): number {
  return Math.max(stride, Math.ceil(imgsz / stride) * stride);
}

/** The note check_imgsz's warning corresponds to, or null when the size is already a multiple. */
export function strideNote(requested: number, stride: number): string | null {
  const rounded = roundToStride(requested, stride);
  return rounded === requested ? null : `imgsz ${requested} is not a multiple of the model's max stride ${stride}: updated to ${rounded} (as Ultralytics does)`;
}
