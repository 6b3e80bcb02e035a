// What Ultralytics' AutoBatch will pick for `batch=-1` / `batch=0.7`, predicted with this project's
// memory model instead of run on the GPU. Follows ultralytics/utils/autobatch.py and
// utils/torch_utils.py profile_ops() of Ultralytics 8.4.190 (see docs/memory-model.md, "AutoBatch"):
//
// - the trainer calls check_train_batch_size(model, imgsz, amp, batch, max_num_obj): fraction is
//   the batch when 0 < batch < 1, else 0.6;
// - the profile: for b in [1, 2, 4, 8, 16] (GPUs under 16 GiB) or [1 ... 64], a deep copy of the model
//   in train mode runs forward + sum(outputs).backward() on a float32 input that requires grad, under
//   autocast when AMP is on, after empty_cache(); the reading is memory_reserved(); detection adds a
//   loss envelope of b * anchors * 6 * (max_num_obj + 2 * nc) * 4 bytes (max_num_obj = 4 x the most
//   labels one training image has);
// - readings outside (0, total) or not increasing are dropped, a line is fitted through the rest
//   (np.polyfit deg 1), and b = int((available * fraction - intercept) / slope), clamped to
//   [first usable probe, 1024] and below the first probe that ran out of memory;
// - available = memory_reserved() + cudaMemGetInfo free: the GPU's total minus the CUDA context
//   (and minus other processes, which a plan for the GPU does not know of).

import { numel } from './graph/builder';
import type { TrainGraph } from './graph/types';
import { CachingAllocatorModel } from './memory/allocator';
import { cudaContext } from './memory/context';
import { convBackwardWorkspace, convWorkspaceBytes, parameterTensors } from './memory/estimate';
import { tensorDtypes } from './memory/precision';
import { traceStep } from './memory/step';

/** Ultralytics' default fraction of GPU memory for `batch=-1` (check_train_batch_size). */
export const AUTOBATCH_DEFAULT_FRACTION = 0.6;
/** AutoBatch's upper clamp (autobatch.py: "the 1024 safe maximum"). */
export const AUTOBATCH_MAX = 1024;
const GIB = 2 ** 30;

export interface AutoBatchInput {
  /** Builds the training graph at a batch (ModelSource.build at the run's imgsz). */
  build: (batch: number) => TrainGraph;
  amp: boolean;
  /** The fraction of available memory AutoBatch aims at (0.6 for batch=-1). */
  fraction: number;
  gpu: { name: string; totalBytes: number };
  /** 4 x the most labels on one training image (DetectionTrainer.auto_batch); 0 for classify. */
  maxNumObj: number;
}

export interface AutoBatchPrediction {
  /** The batch AutoBatch is predicted to pick. */
  batch: number;
  fraction: number;
  /** What AutoBatch reads as available: total minus the CUDA context. */
  availableBytes: number;
  /** The profile: memory_reserved() after forward + backward at each probed batch (null: out of memory). */
  profile: Array<{ batch: number; reservedBytes: number | null }>;
  /** The linear fit through the usable readings, in bytes: reserved ≈ slope * batch + intercept. */
  slopeBytes: number;
  interceptBytes: number;
}

/** The fraction AutoBatch uses for a `batch` setting, or null when the batch is a plain number. */
export function autoBatchFraction(batch: number): number | null {
  if (batch > 0 && batch < 1) return batch;
  if (batch === -1 || batch === 0) return AUTOBATCH_DEFAULT_FRACTION;
  return null;
}

/** memory_reserved() after profile_ops' forward + backward at this graph's batch (one iteration). */
export function profileReserved(graph: TrainGraph, amp: boolean, maxNumObj: number): number {
  const precision = amp ? 'amp' : 'fp32';
  const dtypes = tensorDtypes(graph, precision);
  const alloc = new CachingAllocatorModel();
  const t = parameterTensors(graph);
  for (const b of [...t.params, ...t.buffers]) alloc.malloc(b); // the deep-copied model
  // torch.empty(b, ch, imgsz, imgsz) in float32, requires_grad=True: its gradient is made in backward.
  const inputBytes = numel(graph.tensors[graph.input].shape) * 4;
  alloc.malloc(inputBytes);
  const trace = traceStep(graph, {
    precision,
    gradsPersist: false,
    assignerBytes: 0,
    optimizerTempBytes: 0,
    convWorkspace: convWorkspaceBytes(graph, dtypes),
    convBackwardWorkspace: convBackwardWorkspace(graph, dtypes),
    training: true,
  });
  const live = new Map<string, number>();
  for (const e of trace.events) {
    if (e.kind === 'alloc') live.set(e.id, alloc.malloc(e.bytes));
    else if (e.kind === 'free' && live.has(e.id)) {
      alloc.free(live.get(e.id)!);
      live.delete(e.id);
    }
  }
  alloc.malloc(inputBytes); // x.grad, alive when the reading is taken
  let reserved = alloc.reserved;
  const head = graph.head;
  if (maxNumObj > 0 && head && head.style !== 'classify') {
    // profile_ops' loss envelope: anchors from the input size and the model's strides.
    const [h, w] = graph.imgsz;
    const anchors = Math.floor(head.strides.reduce((a, s) => a + (w / s) * (h / s), 0));
    reserved += graph.batch * anchors * 6 * (maxNumObj + 2 * head.nc) * 4;
  }
  return reserved;
}

/** np.polyfit(x, y, 1): least squares slope and intercept. */
function linearFit(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** The batch AutoBatch will pick on this GPU; null when no probe is usable (it then raises). */
export function predictAutoBatch(inp: AutoBatchInput): AutoBatchPrediction | null {
  const total = inp.gpu.totalBytes;
  const available = total - cudaContext(inp.gpu.name).bytes;
  const sizes = total / GIB < 16 ? [1, 2, 4, 8, 16] : [1, 2, 4, 8, 16, 32, 64];
  // A probe whose reading does not fit what the process can get runs out of memory (None).
  const profile = sizes.map((batch) => {
    const r = profileReserved(inp.build(batch), inp.amp, inp.maxNumObj);
    return { batch, reservedBytes: r <= available ? r : null };
  });
  const pick = autoBatchPick(profile, available, total, inp.fraction);
  return pick && { ...pick, fraction: inp.fraction, availableBytes: available, profile };
}

/**
 * AutoBatch's arithmetic on a profile (autobatch.py after profile_ops): drop readings outside
 * (0, total) or not above the previous one, fit a line, solve for `available * fraction`, stay below
 * the first probe that ran out of memory, clamp to [first usable probe, 1024]. Works on any unit.
 */
export function autoBatchPick(
  profile: Array<{ batch: number; reservedBytes: number | null }>,
  available: number,
  total: number,
  fraction: number,
): { batch: number; slopeBytes: number; interceptBytes: number } | null {
  const xs: number[] = [];
  const ys: number[] = [];
  profile.forEach((p, i) => {
    const y = p.reservedBytes;
    const prev = i > 0 ? profile[i - 1].reservedBytes : null;
    if (y !== null && y > 0 && y < total && (i === 0 || prev === null || y > prev)) {
      xs.push(p.batch);
      ys.push(y);
    }
  });
  if (!xs.length) return null;
  const { slope, intercept } = linearFit(xs, ys);
  let b = slope > 0 ? Math.trunc((available * fraction - intercept) / slope) : AUTOBATCH_MAX;
  const oom = profile.findIndex((p) => p.reservedBytes === null && p.batch > xs[0]);
  if (oom > 0 && b >= profile[oom].batch) b = profile[oom - 1].batch;
  b = Math.min(Math.max(b, xs[0]), AUTOBATCH_MAX);
  return { batch: b, slopeBytes: slope, interceptBytes: intercept };
}
