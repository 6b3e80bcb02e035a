// `yolo-mem scan FILE... [--json]`: the training launches in scripts, notebooks, READMEs, shell /
// PowerShell / cmd files, Makefiles, Dockerfiles and GitHub workflows, each with the estimate the
// extension would show. The same path as the extension: the document-kind registry picks the
// reader (src/core/scripts/kinds.ts), scanScriptAsync reads the runs (notebooks as whole notebooks),
// optionsForRun turns each run into estimator options with the default settings, analyze() estimates.
//
// Exit codes: 0 every file was read, 1 a file could not be read (its entry has `error`), 2 bad usage.

import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { analyze } from '../core/analyze';
import { parseMemorySize } from '../core/gpu/memory-size';
import { findGpuPreset, GPU_PRESETS, presetToGpuInfo } from '../core/gpu/presets';
import type { AnalysisResult, GpuInfo } from '../core/result';
import { documentKind, type DocumentKindName } from '../core/scripts/kinds';
import { MAX_NOTEBOOK_CHARS, MAX_SCRIPT_CHARS } from '../core/scripts/scan';
import { scanScriptAsync, scriptFileRuns } from '../core/scripts';
import type { ScriptScan, TrainingRun } from '../core/scripts/types';
import { deviceGpuCount } from '../core/scripts/values';
import { optionsForRun } from '../extension/run-options';
import { readSettings } from '../extension/settings';
import { detectGpu } from './gpu';

export const SCAN_USAGE = `usage: yolo-mem scan FILE... [--json] [--no-estimate] [--gpu NAME | --gpu-memory SIZE]

  Finds YOLO training launches in Python scripts, notebooks (.ipynb), Markdown, shell, PowerShell,
  .bat/.cmd, Makefiles, Dockerfiles, GitHub Actions workflows and training-argument YAMLs, and
  estimates each as the editor extension does (its default settings).
  --json          one JSON array: [{ file, kind, runs: [{ line, cell, model, batch, imgsz, data, gpus, estimate }] }]
  --no-estimate   read the launches only
  --gpu NAME / --gpu-memory SIZE   the GPU to plan for (else nvidia-smi's; without a GPU there is no fit verdict)

exit codes: 0 ok, 1 a file could not be read, 2 bad usage`;

export interface ScanRunReport {
  /** 1-based line in the raw file: the batch setting's, else the launch's first line. */
  line: number;
  /** Notebooks: the cell (index in the notebook's cells) and the 1-based line inside it. */
  cell: { index: number; line: number } | null;
  model: string | null;
  /** As written: -1 or a fraction in (0, 1) is AutoBatch. */
  batch: number | null;
  imgsz: number | null;
  data: string | null;
  /** GPUs the run trains on (DDP world size); null when its device is not known from the text. */
  gpus: number | null;
  estimate: {
    ok: boolean;
    /** Why there is no estimate (ok false). */
    reason: string | null;
    /** ok: the batch estimated, the device memory it needs, and whether that fits the GPU. */
    batch?: number;
    neededBytes?: number;
    fits?: boolean | null;
    /** What the numbers rest on that the text does not say. */
    assumed?: string[];
    /** batch=-1 / a fraction: the batch AutoBatch is predicted to pick on the GPU (null without a GPU). */
    autoBatch?: number | null;
  };
}

export interface ScanFileReport {
  file: string;
  kind: DocumentKindName | null;
  runs: ScanRunReport[];
  notes: string[];
  /** The file could not be read (missing, not a kind the reader knows, too large). */
  error?: string;
}

export interface ScanOptions {
  estimate: boolean;
  gpu: GpuInfo | null;
}

/** Reads one file's launches (and estimates them when asked). Never throws: problems are `error`. */
export async function scanFile(file: string, opts: ScanOptions, cache = new Map<string, Promise<AnalysisResult>>()): Promise<ScanFileReport> {
  const kind = documentKind(file);
  if (!kind) return { file, kind: null, runs: [], notes: [], error: `${file}: not a file kind yolo-mem scan reads (a Python, notebook, Markdown, shell, PowerShell, .bat, Makefile, Dockerfile, workflow or YAML file)` };
  let text: string;
  try {
    const st = await stat(file);
    const limit = kind.reader === 'notebook' ? MAX_NOTEBOOK_CHARS : MAX_SCRIPT_CHARS;
    if (!st.isFile()) throw new Error('not a file');
    // UTF-8 is at most 4 bytes a char: a file over 4x the limit cannot be under it.
    if (st.size > limit * 4) throw new Error(`${(st.size / 2 ** 20).toFixed(1)} MB is over the ${limit / 2 ** 20} MB limit for reading training settings`);
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { file, kind: kind.name, runs: [], notes: [], error: `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message.split('\n')[0]}` };
  }
  const ctx = kind.reader === 'python' || kind.reader === 'yaml' ? {} : { scriptRuns: scriptFileRuns(dirname(resolve(file))) };
  const scan = await scanScriptAsync(text, kind.reader, undefined, ctx);
  return { file, kind: kind.name, runs: await reportRuns(scan, file, opts, cache), notes: scan.notes };
}

async function reportRuns(scan: ScriptScan, file: string, opts: ScanOptions, cache: Map<string, Promise<AnalysisResult>>): Promise<ScanRunReport[]> {
  const settings = readSettings({ get: () => undefined }, { trusted: true }).settings;
  const dir = dirname(resolve(file));
  const exists = async (p: string) => (await stat(p).catch(() => undefined))?.isFile() ?? false;
  // The model files and datasets the runs name, looked up beside the file as the extension does.
  const found = new Map<string, string>();
  const datasets = new Set<string>();
  for (const run of scan.runs) {
    const m = run.settings.model?.value;
    if (m && /\.(onnx|ya?ml)$/i.test(m)) {
      const p = isAbsolute(m) ? m : join(dir, m);
      if (await exists(p)) found.set(m, p);
    }
    const d = run.settings.data?.value?.trim();
    if (d) {
      const p = isAbsolute(d) ? d : resolve(dir, d);
      if (await exists(p)) datasets.add(p);
    }
  }
  return Promise.all(
    scan.runs.map(async (run): Promise<ScanRunReport> => {
      const report = runReport(run);
      if (!opts.estimate) return report;
      const r = optionsForRun(run, settings, opts.gpu, (spec) => found.get(spec), { dir, fileExists: (p) => datasets.has(p) });
      if (!r.ok) return { ...report, estimate: { ok: false, reason: r.reason } };
      const key = JSON.stringify(r.value.options);
      let pending = cache.get(key);
      if (!pending) cache.set(key, (pending = analyze(r.value.options)));
      try {
        const result = await pending;
        const e = result.estimates[0];
        const auto = result.autoBatch !== undefined ? { autoBatch: result.autoBatch?.batch ?? null } : {};
        return { ...report, estimate: { ok: true, reason: null, batch: e.batch, neededBytes: e.neededDevice, fits: e.fits, assumed: r.value.assumed, ...auto } };
      } catch (err) {
        return { ...report, estimate: { ok: false, reason: (err as Error).message.split('\n')[0] } };
      }
    }),
  );
}

/** What a run says, in the report's terms (no estimate yet). */
export function runReport(run: TrainingRun): ScanRunReport {
  const s = run.settings;
  const at = s.batch ? s.batch.range.start : run.range.start;
  let cell: ScanRunReport['cell'] = null;
  if (s.batch?.cell) cell = { index: s.batch.cell.index, line: s.batch.cell.range.start.line + 1 };
  else if (run.cell !== undefined && run.cellRange) cell = { index: run.cell, line: run.cellRange.start.line + 1 };
  const device = s.device ? s.device.value : '';
  return {
    line: at.line + 1,
    cell,
    model: s.model?.value ?? null,
    batch: s.batch?.value ?? null,
    imgsz: s.imgsz?.value ?? null,
    data: s.data?.value ?? null,
    gpus: deviceGpuCount(device),
    estimate: { ok: false, reason: 'not estimated (--no-estimate)' },
  };
}

class UsageError extends Error {}

function parseScanArgs(argv: string[]): { files: string[]; json: boolean; estimate: boolean; gpu: GpuInfo | null | undefined } {
  const files: string[] = [];
  let json = false;
  let estimate = true;
  let gpu: GpuInfo | null | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const next = () => inline ?? argv[++i];
    if (flag === '--json') json = true;
    else if (flag === '--no-estimate') estimate = false;
    else if (flag === '--gpu') {
      const v = String(next() ?? '');
      const p = findGpuPreset(v);
      if (!p) throw new UsageError(`--gpu: unknown GPU '${v}'; known: ${GPU_PRESETS.map((g) => g.aliases[0]).join(', ')} (or use --gpu-memory SIZE)`);
      gpu = presetToGpuInfo(p);
    } else if (flag === '--gpu-memory') {
      try {
        const bytes = parseMemorySize(String(next() ?? ''));
        gpu = { name: `GPU with ${(bytes / 2 ** 30).toFixed(1)} GiB`, totalBytes: bytes, source: 'flag' };
      } catch (e) {
        throw new UsageError(`--gpu-memory: ${(e as Error).message}`);
      }
    } else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
    else files.push(a);
  }
  if (!files.length) throw new UsageError('scan needs at least one FILE');
  return { files, json, estimate, gpu };
}

export interface ScanIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/** `yolo-mem scan ...`; argv is what follows `scan`. */
export async function scanMain(argv: string[], io: ScanIo): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.stdout(SCAN_USAGE + '\n');
    return 0;
  }
  let args: ReturnType<typeof parseScanArgs>;
  try {
    args = parseScanArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`yolo-mem scan: ${e.message}\n${SCAN_USAGE}\n`);
    return 2;
  }
  const gpu = args.gpu !== undefined ? args.gpu : args.estimate ? await detectGpu(io.env) : null;
  const cache = new Map<string, Promise<AnalysisResult>>();
  const reports: ScanFileReport[] = [];
  for (const f of args.files) reports.push(await scanFile(f, { estimate: args.estimate, gpu }, cache));
  if (args.json) io.stdout(JSON.stringify(reports) + '\n');
  else io.stdout(reports.map(formatFile).join(''));
  for (const r of reports) if (r.error) io.stderr(`yolo-mem scan: ${r.error}\n`);
  return reports.some((r) => r.error) ? 1 : 0;
}

function formatFile(r: ScanFileReport): string {
  if (r.error) return '';
  const head = `${r.file} (${r.kind}): ${r.runs.length === 0 ? 'no training launch' : `${r.runs.length} training launch${r.runs.length > 1 ? 'es' : ''}`}\n`;
  return head + r.runs.map((x) => {
    const where = x.cell ? `cell ${x.cell.index + 1}, line ${x.cell.line}` : `line ${x.line}`;
    const what = [x.model ?? 'model ?', `batch ${x.batch ?? '?'}`, `imgsz ${x.imgsz ?? '?'}`, ...(x.gpus && x.gpus > 1 ? [`${x.gpus} GPUs`] : [])].join(', ');
    const e = x.estimate;
    const fit = e.fits === true ? ', fits' : e.fits === false ? ', does not fit' : '';
    const verdict = !e.ok
      ? `no estimate: ${e.reason}`
      : e.autoBatch
        ? `AutoBatch will pick ≈${e.autoBatch} on this GPU; training at ${e.autoBatch} needs ${gib(e.neededBytes!)}${fit}`
        : `batch ${e.batch} needs ${gib(e.neededBytes!)}${fit}`;
    return `  ${where}: ${what} — ${verdict}\n`;
  }).join('');
}
