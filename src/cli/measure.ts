// `yolo-mem measure`: runs real Ultralytics training steps with the user's Python (probe/measure.py)
// for each batch, each in a fresh process, and prints what was measured beside the estimate.
//
//   yolo-mem measure <model> --batch N[,N...] [--imgsz N] [--data D.yaml] [--python PATH]
//                    [--device 0|cpu] [--amp | --no-amp] [--optimizer NAME] [--objects-per-image N]
//                    [--sweep LO..HI] [--steps N] [--timeout SECONDS] [--json]
//
// Exit codes: 0 every batch measured (fitting or out of memory: both are results), 1 the probe could
// not measure (no Python, missing modules, no GPU, an error), 2 bad usage.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../core/analyze';
import type { AnalysisResult, Estimate } from '../core/result';
import { discoverGpus } from '../core/gpu';
import { formatMiB } from '../core/gpu/memory-size';
import { resolvePython } from '../core/measure/python';
import { runProbe, type BatchMeasurement, type ProbeSettings } from '../core/measure/run-probe';
import { compareMeasurement, type ComparisonRow } from '../core/measure/compare';
import { bisectLargestFit } from '../core/measure/bisect';
import type { CliIo } from './cli';

export const MEASURE_USAGE = `usage: yolo-mem measure <model> --batch N[,N...] [--imgsz N] [--data DATA.yaml] [--python PATH]
                         [--device 0|cpu] [--amp | --no-amp] [--optimizer NAME] [--objects-per-image N]
                         [--sweep LO..HI] [--steps N] [--timeout SECONDS] [--json]

  Runs a few real Ultralytics training steps and one validation pass per batch, each in a fresh
  Python process (torch + ultralytics needed), and prints the memory measured beside the estimate.
  Runs go to a temporary folder that is removed. Out of memory is a result, not an error.
  --sweep LO..HI   find the largest batch that fits by bisection (each trial its own process)
  --device cpu     run on the CPU: reports the process's peak resident memory (sampled), not GPU memory

exit codes: 0 measured (fits or out of memory), 1 could not measure, 2 bad usage`;

class UsageError extends Error {}

export interface MeasureArgs {
  settings: ProbeSettings;
  batches: number[];
  sweep: [number, number] | null;
  python: string | null;
  json: boolean;
  timeoutMs: number;
}

function posInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive whole number, got ${v ?? 'nothing'}`);
  return n;
}

export function parseMeasureArgs(rest: string[]): MeasureArgs {
  let model: string | undefined;
  const s: Partial<ProbeSettings> = {};
  let batches: number[] = [];
  let sweep: [number, number] | null = null;
  let python: string | null = null;
  let json = false;
  let timeoutMs = 15 * 60_000;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const next = () => inline ?? rest[++i];
    switch (flag) {
      case '--batch':
        batches = String(next() ?? '').split(',').map((v) => posInt(flag, v));
        break;
      case '--imgsz':
        s.imgsz = posInt(flag, next());
        if (s.imgsz % 32 !== 0) throw new UsageError(`--imgsz must be a multiple of 32 (the model's largest stride), got ${s.imgsz}`);
        break;
      case '--data': {
        const v = next();
        if (!v) throw new UsageError('--data needs a dataset YAML path');
        s.data = v;
        break;
      }
      case '--python': {
        const v = next();
        if (!v) throw new UsageError('--python needs a path to a Python interpreter');
        python = v;
        break;
      }
      case '--device': {
        const v = String(next() ?? '').toLowerCase();
        if (!/^(cpu|\d+)$/.test(v)) throw new UsageError(`--device must be cpu or a GPU index (0, 1, ...), got ${v || 'nothing'}`);
        s.device = v;
        break;
      }
      case '--amp':
        s.amp = true;
        break;
      case '--no-amp':
        s.amp = false;
        break;
      case '--optimizer': {
        const v = String(next() ?? '');
        if (!/^(auto|SGD|Adam|AdamW|NAdam|RAdam|RMSProp|Adamax|MuSGD|sgd|adam|adamw)$/.test(v)) throw new UsageError(`--optimizer: unknown optimizer '${v}'`);
        s.optimizer = v;
        break;
      }
      case '--objects-per-image': {
        const v = Number(next());
        if (!Number.isInteger(v) || v < 0 || v > 1000) throw new UsageError('--objects-per-image needs a whole number in [0, 1000]');
        s.objectsPerImage = v;
        break;
      }
      case '--steps': {
        const v = posInt(flag, next());
        if (v < 2) throw new UsageError('--steps must be at least 2 (a first step and a steady one)');
        s.steps = v;
        break;
      }
      case '--timeout':
        timeoutMs = posInt(flag, next()) * 1000;
        break;
      case '--sweep': {
        const m = /^(\d+)\.\.(\d+)$/.exec(String(next() ?? ''));
        if (!m || Number(m[1]) < 1 || Number(m[2]) < Number(m[1])) throw new UsageError('--sweep needs a range LO..HI with 1 <= LO <= HI, e.g. 8..256');
        sweep = [Number(m[1]), Number(m[2])];
        break;
      }
      case '--json':
        json = true;
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        if (model !== undefined) throw new UsageError(`unexpected argument '${flag}'`);
        model = flag;
    }
  }
  if (!model) throw new UsageError('missing <model>');
  if (batches.length === 0 && !sweep) throw new UsageError('give --batch N[,N...] or --sweep LO..HI');
  if (batches.length > 0 && sweep) throw new UsageError('give --batch or --sweep, not both');
  return {
    settings: { model, imgsz: s.imgsz ?? 640, amp: s.amp ?? true, optimizer: s.optimizer ?? 'auto', device: s.device ?? '0', data: s.data, objectsPerImage: s.objectsPerImage, steps: s.steps },
    batches,
    sweep,
    python,
    json,
    timeoutMs,
  };
}

/** probe/measure.py beside the bundle (dist/ → ../probe) or the source (src/cli → ../../probe). */
export function findProbe(dir: string = __dirname): string | null {
  for (const p of [join(dir, '..', 'probe', 'measure.py'), join(dir, '..', '..', 'probe', 'measure.py')]) if (existsSync(p)) return p;
  return null;
}

/** The estimator's optimizer names for Ultralytics' choices it models; 'auto' stays auto. */
function estimatorOptimizer(o: string): 'auto' | 'sgd' | 'adam' | 'adamw' {
  const l = o.toLowerCase();
  return l === 'sgd' || l === 'adam' || l === 'adamw' ? l : 'auto';
}

async function estimateFor(a: MeasureArgs, batches: number[]): Promise<{ result: AnalysisResult | null; reason: string | null }> {
  try {
    const s = a.settings;
    const result = await analyze({ model: s.model, imgsz: s.imgsz, amp: s.amp, optimizer: estimatorOptimizer(s.optimizer), batch: batches, data: s.data, objectsPerImage: s.data ? undefined : s.objectsPerImage ?? 8, gpu: null });
    return { result, reason: null };
  } catch (e) {
    return { result: null, reason: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

export interface MeasureReportRow {
  measurement: BatchMeasurement;
  estimate: Estimate | null;
  comparison: ComparisonRow[];
}

const PHASE_LABEL: Record<string, string> = { first_step: 'first step', steady: 'steady', validation: 'validation' };

function pct(e: number | null): string {
  if (e === null) return '';
  return ` (${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)}%)`;
}

export function formatMeasureReport(rows: MeasureReportRow[], estimateNote: string | null, sweep: { largest: number | null } | null): string {
  const out: string[] = [];
  for (const r of rows) {
    const m = r.measurement;
    const dev = m.device ? `${m.device.name}${m.device.driver ? `, driver ${m.device.driver}` : ''}` : 'unknown device';
    const ver = m.versions ? `torch ${m.versions.torch ?? '?'}, ultralytics ${m.versions.ultralytics ?? '?'}` : '';
    out.push(`batch ${m.batch}: ${m.outcome === 'fits' ? 'fits' : m.outcome === 'oom' ? `OUT OF MEMORY — ${m.message}` : `${m.outcome}: ${m.message}`}  [${dev}${ver ? `; ${ver}` : ''}]`);
    if (r.comparison.length) {
      out.push(`  ${'phase'.padEnd(11)} ${'figure'.padEnd(13)} ${'measured'.padStart(11)}   estimate (error)`);
      for (const c of r.comparison) {
        const est = c.estimatedBytes === null ? (c.figure === 'cpu-peak-rss' ? 'n/a (the estimate is for a GPU)' : '—') : `${formatMiB(c.estimatedBytes)}${pct(c.error)}`;
        out.push(`  ${PHASE_LABEL[c.phase].padEnd(11)} ${c.figure.padEnd(13)} ${formatMiB(c.measuredBytes).padStart(11)}   ${est}`);
      }
      const cpu = m.phases.first_step?.cpuRssBaselineBytes;
      if (cpu !== undefined && cpu !== null) out.push(`  (CPU: peak resident memory of the whole process, sampled every 5 ms; ${formatMiB(cpu)} when training started)`);
    }
    if (r.estimate) {
      const e = r.estimate.bytes;
      out.push(`  estimate: allocated ${formatMiB(e.allocated)}, reserved ${formatMiB(e.reserved)}, device ${formatMiB(e.device)}${r.estimate.validationDevice !== null ? `, validation ${formatMiB(r.estimate.validationDevice)}` : ''}`);
    }
  }
  if (estimateNote) out.push(`estimate: not estimable — ${estimateNote}`);
  if (sweep) out.push(sweep.largest === null ? 'sweep: not even the smallest batch fits' : `sweep: largest batch that fits: ${sweep.largest}`);
  return out.join('\n') + '\n';
}

export async function measureMain(rest: string[], io: CliIo, opts: { probePath?: string | null; signal?: AbortSignal } = {}): Promise<number> {
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(MEASURE_USAGE + '\n');
    return 0;
  }
  let a: MeasureArgs;
  try {
    a = parseMeasureArgs(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`yolo-mem: ${e.message}\n${MEASURE_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const probePath = opts.probePath === undefined ? findProbe() : opts.probePath;
  if (!probePath) {
    io.stderr('yolo-mem: probe/measure.py is missing from this installation\n');
    return 1;
  }
  if (a.settings.device !== 'cpu') {
    const found = await discoverGpus({ env: io.env as NodeJS.ProcessEnv });
    if (found.state !== 'ok') {
      io.stderr(`yolo-mem: no NVIDIA GPU found here (nvidia-smi: ${found.state}); nothing to measure on. The estimate follows; --device cpu runs the probe on the CPU.\n`);
      const est = await estimateFor(a, a.batches.length ? a.batches : [a.sweep![0], a.sweep![1]]);
      if (est.result) io.stdout(a.json ? JSON.stringify({ measurements: [], estimate: est.result, noGpu: true }) + '\n' : est.result.estimates.map((e) => `batch ${e.batch}: estimate device ${formatMiB(e.bytes.device)}`).join('\n') + '\n');
      else io.stderr(`yolo-mem: estimate: ${est.reason}\n`);
      return 1;
    }
  }
  const py = resolvePython({ explicit: a.python, pythonExtension: null, which: undefined });
  if (!py) {
    io.stderr('yolo-mem: no Python found (python3 / python on PATH); give --python PATH\n');
    return 1;
  }
  const run = (batch: number) =>
    runProbe({
      python: py.python,
      probePath,
      batch,
      settings: a.settings,
      timeoutMs: a.timeoutMs,
      signal: opts.signal,
      env: io.env as NodeJS.ProcessEnv,
      onStderr: () => {}, // Ultralytics' own log; the extension keeps it in its output channel
      onMessage: (msg) => {
        if (!a.json && msg.type === 'progress') io.stderr(`yolo-mem: ${msg.message}\n`);
      },
    });
  const measurements: BatchMeasurement[] = [];
  let sweepResult: { largest: number | null; trials: { batch: number; fits: boolean }[] } | null = null;
  if (a.sweep) {
    const r = await bisectLargestFit(a.sweep[0], a.sweep[1], async (b) => {
      const m = await run(b);
      measurements.push(m);
      return m.outcome === 'fits' ? true : m.outcome === 'oom' ? false : null;
    });
    sweepResult = { largest: r.largest, trials: r.trials };
  } else {
    for (const b of a.batches) {
      const m = await run(b);
      measurements.push(m);
      if (m.outcome === 'error' || m.outcome === 'cancelled' || m.outcome === 'timeout') break;
    }
  }
  const est = await estimateFor(a, [...new Set(measurements.map((m) => m.batch))].sort((x, y) => x - y));
  const rows: MeasureReportRow[] = measurements.map((m) => {
    const e = est.result?.estimates.find((x) => x.batch === m.batch) ?? null;
    return { measurement: m, estimate: e, comparison: compareMeasurement(m, e) };
  });
  if (a.json) io.stdout(JSON.stringify({ python: py, settings: a.settings, measurements: rows, estimateError: est.reason, sweep: sweepResult }) + '\n');
  else io.stdout(formatMeasureReport(rows, est.reason, sweepResult));
  const failed = measurements.find((m) => m.outcome !== 'fits' && m.outcome !== 'oom');
  if (failed) {
    io.stderr(`yolo-mem: batch ${failed.batch}: ${failed.message}\n`);
    return 1;
  }
  return 0;
}
