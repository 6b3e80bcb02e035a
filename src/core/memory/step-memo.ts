// Step estimates remembered across analyses of the same opened model.
//
// Why: a what-if change in the panel, a hover after an edit, and the quick fix each run a full
// analysis, and most of its work does not depend on the batch the user asked: the max-batch search
// and the memory-vs-batch curve evaluate the same ~25 batch sizes every time. Tracing one of them
// (building the training graph and its loss, then recording the step's allocations) costs ~5 ms for
// yolov8n; with an assumed dataset density each batch size has its own boxes per image, so the
// trace scaler (batch-scaling.ts) cannot stand in for most of them. Remembered steps make a repeat
// analysis cost the replay-free bookkeeping only.
//
// Correctness: a key names every input of one evaluation (see analyze.ts `evaluate`), and a model
// source never changes once opened (the worker opens a new one when the file changes), so a hit is the
// step that would be computed. Entries are held per source in a WeakMap: a source dropped by the
// worker's cache takes its steps with it.

/** Most remembered steps per opened model: a few image sizes' searches and curves. */
export const STEPS_PER_SOURCE = 256;

export class StepMemo<T> {
  private readonly bySource = new WeakMap<object, Map<string, T>>();

  constructor(private readonly limit = STEPS_PER_SOURCE) {}

  get(source: object, key: string): T | undefined {
    const steps = this.bySource.get(source);
    const hit = steps?.get(key);
    if (steps && hit !== undefined) {
      // most recently used last, so the oldest entry is the first to go
      steps.delete(key);
      steps.set(key, hit);
    }
    return hit;
  }

  set(source: object, key: string, value: T): void {
    let steps = this.bySource.get(source);
    if (!steps) this.bySource.set(source, (steps = new Map()));
    steps.delete(key);
    steps.set(key, value);
    while (steps.size > this.limit) steps.delete(steps.keys().next().value!);
  }
}
