// Runs probe/measure.py for one batch in a fresh Python process and collects its messages. The
// child gets its own process group (POSIX) so Cancel and the timeout end the whole tree: Python,
// and any dataloader workers or nvidia-smi it started; on Windows `taskkill /T` does the same.
import { spawn, spawnSync } from 'node:child_process';
import { LineSplitter, parseProbeLine, type MeasuredPhase, type PhaseMemory, type ProbeDevice, type ProbeMessage, type ProbeVersions } from './protocol';

export interface ProbeSettings {
  model: string;
  imgsz: number;
  amp: boolean;
  optimizer: string;
  /** '0', '1', 'cpu', ... as Ultralytics' `device=`. */
  device: string;
  data?: string;
  objectsPerImage?: number;
  steps?: number;
  valBatches?: number;
}

export type BatchOutcome = 'fits' | 'oom' | 'error' | 'cancelled' | 'timeout';

export interface BatchMeasurement {
  batch: number;
  outcome: BatchOutcome;
  /** The phase that ran out of memory (outcome 'oom'). */
  oomPhase: string | null;
  /** What the probe said, or why it did not finish. */
  message: string;
  phases: Partial<Record<MeasuredPhase, PhaseMemory>>;
  versions: ProbeVersions | null;
  device: ProbeDevice | null;
  missing?: string[];
}

export interface RunProbeOptions {
  python: string;
  probePath: string;
  batch: number;
  settings: ProbeSettings;
  /** Default 15 minutes: model build, dataset scan and a few steps of a large model on a slow GPU. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onMessage?: (m: ProbeMessage) => void;
  onStderr?: (text: string) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 15 * 60_000;

export function probeArgs(probePath: string, batch: number, s: ProbeSettings): string[] {
  const args = [probePath, '--model', s.model, '--batch', String(batch), '--imgsz', String(s.imgsz), '--device', s.device, s.amp ? '--amp' : '--no-amp', '--optimizer', s.optimizer];
  if (s.data) args.push('--data', s.data);
  if (s.objectsPerImage !== undefined) args.push('--objects-per-image', String(s.objectsPerImage));
  if (s.steps !== undefined) args.push('--steps', String(s.steps));
  if (s.valBatches !== undefined) args.push('--val-batches', String(s.valBatches));
  return args;
}

/** Ends a child and everything it started. */
export function killTree(pid: number): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL'); // the group the detached child leads
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export function runProbe(o: RunProbeOptions): Promise<BatchMeasurement> {
  const m: BatchMeasurement = { batch: o.batch, outcome: 'error', oomPhase: null, message: '', phases: {}, versions: null, device: null };
  return new Promise((resolve) => {
    if (o.signal?.aborted) {
      resolve({ ...m, outcome: 'cancelled', message: 'cancelled' });
      return;
    }
    let settled = false;
    let ended: BatchOutcome | null = null;
    let gotResult = false;
    const child = spawn(o.python, probeArgs(o.probePath, o.batch, o.settings), {
      cwd: o.cwd,
      env: { ...(o.env ?? process.env), PYTHONUNBUFFERED: '1' },
      detached: process.platform !== 'win32',
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stop = (why: 'cancelled' | 'timeout') => {
      if (ended || settled) return;
      ended = why;
      if (child.pid !== undefined) killTree(child.pid);
    };
    const timer = setTimeout(() => stop('timeout'), o.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    const onAbort = () => stop('cancelled');
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const handle = (msg: ProbeMessage) => {
      o.onMessage?.(msg);
      switch (msg.type) {
        case 'hello':
          m.versions = msg.versions;
          m.device = msg.device;
          break;
        case 'phase':
          m.phases[msg.phase] = msg.memory;
          break;
        case 'result':
          gotResult = true;
          m.outcome = msg.outcome;
          m.oomPhase = msg.oomPhase;
          m.message = msg.message;
          break;
        case 'error':
          m.outcome = 'error';
          m.message = msg.message;
          if (msg.missing) m.missing = msg.missing;
          break;
        case 'progress':
          break;
      }
    };
    const lines = new LineSplitter(
      (line) => {
        try {
          handle(parseProbeLine(line));
        } catch (e) {
          o.onStderr?.(`[probe] ignored a line: ${(e as Error).message}\n`);
        }
      },
      () => o.onStderr?.('[probe] ignored an over-long line\n'),
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => lines.push(c));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => o.onStderr?.(c));

    const finish = (code: number | null, err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      lines.end();
      // a probe that exits leaves no children behind either (dataloader workers, nvidia-smi)
      if (child.pid !== undefined && process.platform !== 'win32') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* group already empty */
        }
      }
      if (ended === 'cancelled') resolve({ ...m, outcome: 'cancelled', message: 'cancelled' });
      else if (ended === 'timeout') resolve({ ...m, outcome: 'timeout', message: `no result within ${Math.round((o.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS) / 1000)} s; the probe was stopped` });
      else if (err) resolve({ ...m, outcome: 'error', message: `could not start ${o.python}: ${err.message}` });
      else if (!gotResult && m.outcome !== 'error') resolve({ ...m, outcome: 'error', message: `the probe exited with code ${code} without a result (see the log)` });
      else if (!gotResult && !m.message) resolve({ ...m, message: `the probe exited with code ${code} without a result (see the log)` });
      else resolve(m);
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}
