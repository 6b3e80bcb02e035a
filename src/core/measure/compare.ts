// Measured beside estimated, figure by figure. Each measured figure is set against the estimate's
// figure of the same meaning (see MemoryBytes in ../result.ts):
//   torch.cuda.max_memory_allocated  ↔ bytes.allocated
//   torch.cuda.memory_reserved       ↔ bytes.reserved      (Ultralytics' GPU_mem column)
//   nvidia-smi, this process         ↔ bytes.device
//   nvidia-smi during validation     ↔ validationDevice
// A CPU run has no counterpart in the estimate (it models a CUDA device), so its rows carry the
// measured figure only.
import type { Estimate } from '../result';
import type { MeasuredPhase } from './protocol';
import type { BatchMeasurement } from './run-probe';

export interface ComparisonRow {
  phase: MeasuredPhase;
  /** 'allocated' | 'reserved' | 'nvidia-smi' | 'cpu-peak-rss' */
  figure: string;
  measuredBytes: number;
  estimatedBytes: number | null;
  /** (estimated - measured) / measured: negative = the estimate is low. */
  error: number | null;
}

export function compareMeasurement(m: BatchMeasurement, est: Estimate | null): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const push = (phase: MeasuredPhase, figure: string, measured: number | null | undefined, estimated: number | null) => {
    if (measured === undefined || measured === null) return;
    const e = estimated !== null && measured > 0 ? (estimated - measured) / measured : null;
    rows.push({ phase, figure, measuredBytes: measured, estimatedBytes: estimated, error: e });
  };
  for (const phase of ['first_step', 'steady', 'validation'] as const) {
    const p = m.phases[phase];
    if (!p) continue;
    const train = phase !== 'validation';
    if (p.maxAllocatedBytes !== undefined) {
      push(phase, 'allocated', p.maxAllocatedBytes, train && est ? est.bytes.allocated : null);
      push(phase, 'reserved', p.reservedBytes, train && est ? est.bytes.reserved : null);
      push(phase, 'nvidia-smi', p.nvidiaSmiBytes, est ? (train ? est.bytes.device : est.validationDevice) : null);
    } else {
      push(phase, 'cpu-peak-rss', p.cpuPeakRssBytes, null);
    }
  }
  return rows;
}

/** The figure that decides out-of-memory on the device: the largest the run reached in any phase
 *  (nvidia-smi when read, else reserved + the estimate's CUDA context is not assumed: reserved). */
export function measuredPeakBytes(m: BatchMeasurement): { bytes: number; figure: string } | null {
  let best: { bytes: number; figure: string } | null = null;
  for (const p of Object.values(m.phases)) {
    if (!p) continue;
    const cand = p.nvidiaSmiBytes ? { bytes: p.nvidiaSmiBytes, figure: 'nvidia-smi' } : p.maxReservedBytes !== undefined ? { bytes: p.maxReservedBytes, figure: 'reserved' } : p.cpuPeakRssBytes !== undefined ? { bytes: p.cpuPeakRssBytes, figure: 'cpu-peak-rss' } : null;
    if (cand && (!best || cand.bytes > best.bytes)) best = cand;
  }
  return best;
}
