// Reads the GPUs from nvidia-smi's CSV query. The query is the machine-readable form
// (`--format=csv,noheader,nounits`, sizes in MiB), run without a shell so that the executable path,
// which may come from a setting, is never interpreted. Every way it can fail is a typed state
// with a one-line message, so the UI can say what happened instead of showing "unknown GPU".

import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolveExecutable } from './executable';

export interface NvidiaGpu {
  /** nvidia-smi's index (PCI bus order). */
  index: number;
  name: string;
  totalBytes: number;
  /** null where nvidia-smi prints "[N/A]" / "[Not Supported]". */
  usedBytes: number | null;
  freeBytes: number | null;
  driverVersion: string;
  /** Present when the query asked for it (CUDA_VISIBLE_DEVICES names GPUs by UUID). */
  uuid?: string;
}

export type NvidiaSmiFailure =
  | { state: 'not-found'; message: string; executable: string }
  | { state: 'driver-not-loaded'; message: string }
  | { state: 'no-gpu'; message: string }
  | { state: 'garbage'; message: string; firstLine: string }
  | { state: 'timeout'; message: string; timeoutMs: number }
  | { state: 'error'; message: string; exitCode: number | null; stderrFirstLine: string };

export type NvidiaSmiResult = { state: 'ok'; gpus: NvidiaGpu[]; notes: string[] } | NvidiaSmiFailure;

export const BASE_FIELDS = ['index', 'name', 'memory.total', 'memory.used', 'memory.free', 'driver_version'] as const;

export function nvidiaSmiArgs(withUuid: boolean): string[] {
  const fields = withUuid ? [...BASE_FIELDS, 'uuid'] : [...BASE_FIELDS];
  return [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'];
}

const MIB = 2 ** 20;
/** nvidia-smi answers in well under a second; a hung driver can block it for minutes. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** One CSV row is ~100 bytes; 256 KiB holds far more GPUs than one machine has. */
export const MAX_OUTPUT_BYTES = 256 * 1024;

// Texts nvidia-smi prints (on stdout, with exit 9 / 18 / 6) when it cannot answer.
const DRIVER_PATTERNS = [/couldn't communicate with the NVIDIA driver/i, /Failed to initialize NVML/i, /NVML.*(driver|library).*mismatch/i];
const NO_DEVICE_PATTERN = /No devices were found/i;

function firstLine(text: string): string {
  return printable(text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? '');
}

/** Control characters (a binary printed by a broken driver stack) become '?': the line ends up in
 *  the status bar, a hover and the log, where NULs and escape sequences do damage. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

function mib(field: string): number | null {
  return /^\d+(\.\d+)?$/.test(field) ? Math.round(Number(field) * MIB) : null;
}

/**
 * Parses `--format=csv,noheader,nounits` output: one GPU per line,
 * e.g. `0, NVIDIA GeForce RTX 3090, 24576, 1024, 23300, 550.54.15`.
 * The name is taken as everything between the index and the trailing numeric fields, so a name
 * with a comma still parses. Returns null (garbage) when no line is a GPU row.
 */
export function parseNvidiaSmiCsv(stdout: string, withUuid: boolean): { gpus: NvidiaGpu[]; notes: string[] } | null {
  const gpus: NvidiaGpu[] = [];
  const notes: string[] = [];
  const tail = withUuid ? 5 : 4; // memory.total, memory.used, memory.free, driver_version[, uuid]
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const f = line.split(',').map((s) => s.trim());
    if (f.length < 2 + tail || !/^\d+$/.test(f[0])) {
      notes.push(`ignored a line nvidia-smi printed that is not a GPU row: "${printable(line.slice(0, 120))}"`);
      continue;
    }
    const rest = f.slice(f.length - tail);
    const name = f.slice(1, f.length - tail).join(', ');
    const total = mib(rest[0]);
    if (total === null || total <= 0 || !name) {
      notes.push(`ignored GPU ${f[0]}: memory.total is "${rest[0]}"`);
      continue;
    }
    const gpu: NvidiaGpu = {
      index: Number(f[0]),
      name,
      totalBytes: total,
      usedBytes: mib(rest[1]),
      freeBytes: mib(rest[2]),
      driverVersion: rest[3],
    };
    if (withUuid) gpu.uuid = rest[4];
    gpus.push(gpu);
  }
  return gpus.length ? { gpus, notes } : null;
}

/** Maps what the process printed and how it ended to a result, without running anything. */
export function classifyNvidiaSmiOutput(stdout: string, stderr: string, exitCode: number | null, withUuid: boolean): NvidiaSmiResult {
  const both = `${stdout}\n${stderr}`;
  if (DRIVER_PATTERNS.some((p) => p.test(both))) {
    const line = both.split(/\r?\n/).map((l) => l.trim()).find((l) => DRIVER_PATTERNS.some((p) => p.test(l))) ?? firstLine(both);
    return { state: 'driver-not-loaded', message: printable(line) };
  }
  if (NO_DEVICE_PATTERN.test(both)) return { state: 'no-gpu', message: 'nvidia-smi: No devices were found' };
  if (exitCode !== 0) {
    const errLine = firstLine(stderr) || firstLine(stdout);
    return {
      state: 'error',
      exitCode,
      stderrFirstLine: errLine,
      message: `nvidia-smi exited with code ${exitCode}${errLine ? `: ${errLine}` : ''}`,
    };
  }
  const parsed = parseNvidiaSmiCsv(stdout, withUuid);
  if (!parsed) {
    const line = firstLine(stdout);
    return { state: 'garbage', firstLine: line, message: `nvidia-smi printed something that is not its CSV output: "${line.slice(0, 120)}"` };
  }
  return { state: 'ok', gpus: parsed.gpus, notes: parsed.notes };
}

export interface NvidiaSmiOptions {
  /** Executable name or path; default "nvidia-smi" looked up on PATH. */
  executable?: string;
  /** Environment for the child (its PATH is used to find the executable). Default process.env. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Also ask for `uuid` (needed to honour CUDA_VISIBLE_DEVICES=GPU-...). */
  withUuid?: boolean;
  signal?: AbortSignal;
}

/** Runs the nvidia-smi query once. Never throws: failures come back as states. */
export function queryNvidiaSmi(opts: NvidiaSmiOptions = {}): Promise<NvidiaSmiResult> {
  const executable = opts.executable || 'nvidia-smi';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const withUuid = opts.withUuid ?? false;
  // an absolute path from PATH's absolute entries, run from a neutral folder (gpu/executable.ts)
  const resolved = resolveExecutable(executable, opts.env ?? process.env);
  if (resolved === null) {
    return Promise.resolve({ state: 'not-found', executable, message: `${executable} was not found (is the NVIDIA driver installed and nvidia-smi on PATH?)` });
  }
  return new Promise((resolve) => {
    execFile(
      resolved,
      nvidiaSmiArgs(withUuid),
      { timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, env: opts.env ?? process.env, signal: opts.signal, encoding: 'utf8', cwd: tmpdir() },
      (err, stdout, stderr) => {
        if (!err) return resolve(classifyNvidiaSmiOutput(stdout, stderr, 0, withUuid));
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number };
        if (e.code === 'ENOENT') {
          return resolve({ state: 'not-found', executable, message: `${executable} was not found (is the NVIDIA driver installed and nvidia-smi on PATH?)` });
        }
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return resolve({ state: 'garbage', firstLine: firstLine(stdout), message: `nvidia-smi printed more than ${MAX_OUTPUT_BYTES} bytes; that is not its CSV output` });
        }
        if (e.name === 'AbortError' || e.code === 'ABORT_ERR') {
          return resolve({ state: 'error', exitCode: null, stderrFirstLine: '', message: 'nvidia-smi query was cancelled' });
        }
        if (e.killed) {
          return resolve({ state: 'timeout', timeoutMs, message: `nvidia-smi did not answer within ${timeoutMs / 1000} s (the driver may be hung)` });
        }
        if (typeof e.code === 'number') return resolve(classifyNvidiaSmiOutput(stdout, stderr, e.code, withUuid));
        if (e.signal) {
          return resolve({ state: 'error', exitCode: null, stderrFirstLine: firstLine(stderr), message: `nvidia-smi was killed by ${e.signal}` });
        }
        // EACCES (not executable), EISDIR, ...: the OS refused to start it.
        return resolve({ state: 'error', exitCode: null, stderrFirstLine: '', message: `could not run ${executable}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim() });
      },
    );
  });
}
