// The probe's JSON lines (probe/measure.py → CLI / extension host), parsed and validated. Each line
// is one message; a line that is too long, not JSON or not one of these shapes is refused with a
// one-line reason, never trusted.

export const MAX_LINE_CHARS = 16_384;

export type MeasurePhase = 'setup' | 'first_step' | 'steady' | 'validation';
export const MEASURED_PHASES = ['first_step', 'steady', 'validation'] as const;
export type MeasuredPhase = (typeof MEASURED_PHASES)[number];

export interface ProbeVersions {
  python?: string;
  torch?: string;
  cuda?: string | null;
  ultralytics?: string;
}

export interface ProbeDevice {
  type: 'cuda' | 'cpu';
  name: string;
  index?: number;
  totalBytes?: number;
  driver?: string | null;
}

/** Memory read at the end of one phase. CUDA: the allocator's figures and nvidia-smi's; CPU: the
 *  sampled peak resident set of the whole process (and its value when training started). */
export interface PhaseMemory {
  maxAllocatedBytes?: number;
  reservedBytes?: number;
  maxReservedBytes?: number;
  nvidiaSmiBytes?: number | null;
  cpuPeakRssBytes?: number;
  cpuRssBaselineBytes?: number | null;
}

export type ProbeMessage =
  | { type: 'hello'; protocol: number; versions: ProbeVersions; device: ProbeDevice | null }
  | { type: 'progress'; phase: MeasurePhase; message: string }
  | { type: 'phase'; phase: MeasuredPhase; memory: PhaseMemory }
  | { type: 'result'; batch: number; outcome: 'fits' | 'oom'; oomPhase: MeasurePhase | null; message: string; steps: number }
  | { type: 'error'; message: string; missing?: string[] };

const PHASES: MeasurePhase[] = ['setup', 'first_step', 'steady', 'validation'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function str(o: Obj, key: string, max = 2000): string {
  const v = o[key];
  if (!isStr(v)) throw new Error(`"${key}" must be a string`);
  return v.length > max ? v.slice(0, max) + '…' : v;
}

function optStr(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isStr(v)) throw new Error(`"${key}" must be a string`);
  return v.slice(0, 200);
}

function bytesField(o: Obj, key: string, nullable: boolean): number | null | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (v === null && nullable) return null;
  if (!isCount(v)) throw new Error(`"${key}" must be a whole number of bytes`);
  return v;
}

function phaseMemory(v: unknown): PhaseMemory {
  if (!isObj(v)) throw new Error('"memory" must be an object');
  const m: PhaseMemory = {};
  for (const k of ['maxAllocatedBytes', 'reservedBytes', 'maxReservedBytes', 'cpuPeakRssBytes'] as const) {
    const b = bytesField(v, k, false);
    if (b !== undefined && b !== null) m[k] = b;
  }
  for (const k of ['nvidiaSmiBytes', 'cpuRssBaselineBytes'] as const) {
    const b = bytesField(v, k, true);
    if (b !== undefined) m[k] = b;
  }
  if (m.maxAllocatedBytes === undefined && m.cpuPeakRssBytes === undefined) throw new Error('"memory" holds neither a GPU nor a CPU figure');
  return m;
}

function device(v: unknown): ProbeDevice | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) throw new Error('"device" must be an object');
  const type = v.type;
  if (type !== 'cuda' && type !== 'cpu') throw new Error('"device.type" must be cuda or cpu');
  const d: ProbeDevice = { type, name: str(v, 'name', 200) };
  if (isCount(v.index)) d.index = v.index;
  if (isCount(v.totalBytes)) d.totalBytes = v.totalBytes;
  const driver = optStr(v, 'driver');
  if (driver !== undefined) d.driver = driver;
  return d;
}

function phase(v: unknown, allowed: readonly string[]): MeasurePhase {
  if (!isStr(v) || !allowed.includes(v)) throw new Error(`phase must be one of ${allowed.join(', ')}`);
  return v as MeasurePhase;
}

/** Parses one line from the probe; throws an Error with a one-line reason when it is not a valid message. */
export function parseProbeLine(line: string): ProbeMessage {
  if (line.length > MAX_LINE_CHARS) throw new Error(`probe line longer than ${MAX_LINE_CHARS} characters`);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new Error(`probe line is not JSON: ${line.slice(0, 80)}`);
  }
  if (!isObj(raw)) throw new Error('probe line is not a JSON object');
  switch (raw.type) {
    case 'hello': {
      const versions: ProbeVersions = {};
      if (isObj(raw.versions)) {
        for (const k of ['python', 'torch', 'ultralytics'] as const) {
          const s = optStr(raw.versions, k);
          if (s !== undefined) versions[k] = s;
        }
        const cuda = optStr(raw.versions, 'cuda');
        versions.cuda = cuda ?? null;
      }
      const protocol = raw.protocol;
      if (!isCount(protocol)) throw new Error('"protocol" must be a whole number');
      return { type: 'hello', protocol, versions, device: device(raw.device) };
    }
    case 'progress':
      return { type: 'progress', phase: phase(raw.phase, PHASES), message: str(raw, 'message', 500) };
    case 'phase':
      return { type: 'phase', phase: phase(raw.phase, MEASURED_PHASES) as MeasuredPhase, memory: phaseMemory(raw.memory) };
    case 'result': {
      const outcome = raw.outcome;
      if (outcome !== 'fits' && outcome !== 'oom') throw new Error('"outcome" must be fits or oom');
      if (!isCount(raw.batch) || raw.batch === 0) throw new Error('"batch" must be a positive whole number');
      const oomPhase = raw.oomPhase === null || raw.oomPhase === undefined ? null : phase(raw.oomPhase, PHASES);
      if (outcome === 'oom' && oomPhase === null) throw new Error('an out-of-memory result needs "oomPhase"');
      return { type: 'result', batch: raw.batch, outcome, oomPhase, message: str(raw, 'message', 500), steps: isCount(raw.steps) ? raw.steps : 0 };
    }
    case 'error': {
      const missing = Array.isArray(raw.missing) ? raw.missing.filter(isStr).map((s) => s.slice(0, 100)).slice(0, 10) : undefined;
      return { type: 'error', message: str(raw, 'message', 1000).split('\n')[0], ...(missing ? { missing } : {}) };
    }
    default:
      throw new Error(`unknown probe message type ${JSON.stringify(raw.type)?.slice(0, 40)}`);
  }
}

/** Splits a byte stream into lines; a line growing past MAX_LINE_CHARS without a newline is cut
 *  off and reported, so a runaway probe cannot grow the host's memory. */
export class LineSplitter {
  private buf = '';
  constructor(private readonly onLine: (line: string) => void, private readonly onOverflow: () => void) {}
  push(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      if (line.trim()) this.onLine(line);
    }
    if (this.buf.length > MAX_LINE_CHARS) {
      this.buf = '';
      this.onOverflow();
    }
  }
  end(): void {
    if (this.buf.trim()) this.onLine(this.buf);
    this.buf = '';
  }
}
