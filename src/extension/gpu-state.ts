// Which GPU the estimates are planned against, and its live use for the status bar. Sources, in
// order: the gpu.memory setting (a size or a preset name), then nvidia-smi (run by the worker,
// with the machine-scoped executable setting, at the gpu.index device). Free of vscode.
//
// `planning` excludes live usage (see planningGpu) so that estimates and their cache keys change
// only when the GPU itself changes; `live` carries the latest used/free reading.

import type { AnalysisResult, GpuInfo } from '../core/result';
import type { QueryGpusParams, QueryGpusReply } from '../protocol/worker';
import { planningGpu } from './run-options';
import type { Settings } from './settings';

export interface GpuSnapshot {
  planning: GpuInfo | null;
  live: GpuInfo | null;
  /** GPUs training can see (CUDA order), for "Select GPU…". */
  detected: GpuInfo[];
  /** Why no GPU was detected (no nvidia-smi, driver not loaded, ...); null when detection worked. */
  message: string | null;
}

export interface GpuStateDeps {
  query(params: QueryGpusParams): Promise<QueryGpusReply>;
  settings(): Settings;
  log(line: string): void;
}

export class GpuState {
  private snap: GpuSnapshot;
  private readonly listeners = new Set<(s: GpuSnapshot, planningChanged: boolean) => void>();
  private reading: Promise<void> | undefined;
  /** Settles when the first nvidia-smi reading has been applied (whatever its outcome). */
  private readonly firstReading: Promise<void>;
  private firstReadingDone!: () => void;

  constructor(private readonly deps: GpuStateDeps) {
    // A GPU named in the settings is known before nvidia-smi answers: estimates made in the
    // meantime must not be planned against "no GPU" only to be redone a moment later.
    this.snap = { planning: settingsGpu(deps.settings()), live: null, detected: [], message: 'Reading GPUs…' };
    this.firstReading = new Promise((r) => (this.firstReadingDone = r));
  }

  get snapshot(): GpuSnapshot {
    return this.snap;
  }

  onDidChange(listener: (s: GpuSnapshot, planningChanged: boolean) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Ask nvidia-smi again (one reading at a time) and recompute the planning GPU. */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Resolves once the planning GPU is known: at once when the settings name it, else when the
   *  first nvidia-smi reading lands, or after `maxWaitMs` — a slow nvidia-smi must not hold every
   *  estimate back; a reading that lands later changes the planning GPU and `onDidChange` says so. */
  whenKnown(maxWaitMs: number): Promise<void> {
    if (this.deps.settings().gpu.memoryBytes !== null) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, maxWaitMs)));
    return Promise.race([this.firstReading, timeout]).finally(() => clearTimeout(timer));
  }

  /** Settings changed: recompute from the last reading without running nvidia-smi. */
  recompute(): void {
    this.apply(this.snap.detected, this.snap.live, this.snap.message);
  }

  private async read(): Promise<void> {
    const s = this.deps.settings();
    let detected: GpuInfo[] = [];
    let live: GpuInfo | null = null;
    let message: string | null = null;
    try {
      const r = await this.deps.query({ executable: s.gpu.nvidiaSmiPath, device: s.gpu.index ?? undefined });
      if (r.state === 'ok') {
        detected = r.visible.map((g, i) => toInfo(g, i));
        live = r.cudaIndex === null ? null : detected[r.cudaIndex] ?? null;
        message = r.notes.find((n) => /not visible/.test(n)) ?? (detected.length ? null : 'No GPU visible to training (CUDA_VISIBLE_DEVICES)');
      } else {
        message = r.message;
      }
    } catch (e) {
      message = `Could not read the GPUs: ${(e as Error).message}`;
    }
    if (message && message !== this.snap.message) this.deps.log(`GPU detection: ${message}`);
    this.apply(detected, live, message);
    this.firstReadingDone();
  }

  private apply(detected: GpuInfo[], live: GpuInfo | null, message: string | null): void {
    const planning = settingsGpu(this.deps.settings()) ?? planningGpu(live);
    const before = this.snap.planning;
    this.snap = { planning, live, detected, message };
    const changed = !sameGpu(before, planning);
    if (changed) this.deps.log(`planning GPU: ${planning ? `${planning.name} (${planning.totalBytes} bytes, ${planning.source})` : `none (${message ?? 'not detected'})`}`);
    for (const l of this.listeners) l(this.snap, changed);
  }
}

/** The GPU the memory setting names (a preset or a size), or null when it is left to nvidia-smi. */
function settingsGpu(s: Settings): GpuInfo | null {
  if (s.gpu.memoryBytes === null) return null;
  return s.gpu.presetName
    ? { name: s.gpu.presetName, totalBytes: s.gpu.memoryBytes, source: 'preset' }
    : { name: `${s.gpu.memoryText} GPU`, totalBytes: s.gpu.memoryBytes, source: 'setting' };
}

function toInfo(g: { index: number; name: string; totalBytes: number; usedBytes: number | null; freeBytes: number | null; driverVersion: string }, cudaIndex: number): GpuInfo {
  const info: GpuInfo = { name: g.name, totalBytes: g.totalBytes, source: 'nvidia-smi', index: cudaIndex, driverVersion: g.driverVersion };
  if (g.usedBytes !== null) info.usedBytes = g.usedBytes;
  if (g.freeBytes !== null) info.freeBytes = g.freeBytes;
  return info;
}

export function sameGpu(a: GpuInfo | null, b: GpuInfo | null): boolean {
  if (!a || !b) return a === b;
  return a.name === b.name && a.totalBytes === b.totalBytes && a.source === b.source && a.index === b.index;
}

/** True when a result was computed against another GPU than the current planning one. */
export function staleForGpu(result: AnalysisResult, planning: GpuInfo | null): boolean {
  return !sameGpu(result.gpu, planning);
}
