// Replays Ultralytics' AutoBatch profile through the memory model, for the public cross-check in
// docs/memory-model.md ("A public cross-check: AutoBatch's profiles"). AutoBatch (utils/autobatch.py
// + utils/torch_utils.py profile_ops) runs, per batch size, forward + y.sum().backward() under AMP on
// a deep copy of the model in train mode, with a float32 input, and reads memory_reserved(); no loss,
// optimizer, EMA or validation. Usage: node --import tsx scripts/autobatch-crosscheck.ts
import { openModel } from '../src/core/model-source';
import { CachingAllocatorModel } from '../src/core/memory/allocator';
import { traceStep } from '../src/core/memory/step';
import { convBackwardWorkspace, convWorkspaceBytes, parameterTensors } from '../src/core/memory/estimate';
import { tensorDtypes } from '../src/core/memory/precision';
import { numel } from '../src/core/graph/builder';

const CASES: Array<{ model: string; imgsz: number; label: string }> = [
  { model: 'yolov8s', imgsz: 640, label: 'YOLOv8s @640 (ultralytics#4679, T4)' },
  { model: 'yolov8n', imgsz: 480, label: 'YOLOv8n @480 (ultralytics#1451, RTX 4090)' },
];

(async () => {
  for (const c of CASES) {
    const source = await openModel(c.model);
    const row: string[] = [];
    const gb: number[] = [];
    for (const batch of [1, 2, 4, 8, 16]) {
      const g = source.build(batch, c.imgsz, 0);
      const dtypes = tensorDtypes(g, 'amp');
      const alloc = new CachingAllocatorModel();
      const t = parameterTensors(g);
      [...t.params, ...t.buffers].forEach((b) => alloc.malloc(b)); // the profiled copy
      const input = alloc.malloc(numel(g.tensors[g.input].shape) * 4);
      const trace = traceStep(g, { precision: 'amp', gradsPersist: false, assignerBytes: 0, optimizerTempBytes: 0, convWorkspace: convWorkspaceBytes(g, dtypes), convBackwardWorkspace: convBackwardWorkspace(g, dtypes), training: true });
      const live = new Map<string, number>();
      for (const e of trace.events) {
        if (e.kind === 'alloc') live.set(e.id, alloc.malloc(e.bytes));
        else if (e.kind === 'free' && live.has(e.id)) {
          alloc.free(live.get(e.id)!);
          live.delete(e.id);
        }
      }
      alloc.free(input);
      gb.push(alloc.reserved / 1e9);
      row.push((alloc.reserved / 1e9).toFixed(3));
    }
    console.log(`${c.label}: ${row.join(' | ')} | slope 8->16 per image ${((gb[4] - gb[3]) / 8).toFixed(3)} GB`);
  }
})();
