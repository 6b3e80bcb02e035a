// yolo-mem: the estimator on the command line. `main(argv, io)` does nothing at import time.
//
//   yolo-mem estimate <model> [--imgsz N] [--batch N[,N...]] [--amp | --no-amp]
//                             [--optimizer sgd|adam|adamw|auto] [--gpu-memory SIZE] [--gpus N] [--json]
//                             [--margin F] [--objects-per-image N] [--prune R] [--layers]
//                             [--data DATA.yaml] [--workers N] [--cache ram|disk]
//
// Exit codes: 0 ok, 1 the model could not be analysed (one-line reason on stderr), 2 bad usage.

import { analyze } from '../core/analyze';
import type { AnalyzeOptions, OptimizerChoice } from '../core/options';
import type { AnalysisResult, GpuInfo } from '../core/result';
import { parseMemorySize } from '../core/gpu/memory-size';
import { findGpuPreset, GPU_PRESETS, nearestGpuNames, presetToGpuInfo } from '../core/gpu/presets';
import { detectGpu } from './gpu';
import { formatReport } from './format';
import { measureMain } from './measure';
import { scanMain } from './scan';
import { commandHelp, PROGRAM_HELP, wantsHelp } from './help';
import { runModels } from './models';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_ANALYSIS_FAILED = 1;
export const EXIT_USAGE = 2;

export const USAGE = `usage: yolo-mem estimate <model> [--imgsz N] [--batch N[,N...]] [--amp | --no-amp]
                          [--optimizer sgd|adam|adamw|auto] [--gpu-memory SIZE | --gpu NAME] [--gpus N]
                          [--json] [--margin F] [--objects-per-image N] [--prune R] [--layers]
                          [--data DATA.yaml] [--workers N] [--cache ram|disk|false]
       yolo-mem models [--json]

  <model>   a .onnx file, a model .yaml, a .pt checkpoint (best.pt: read, never run), or a built-in name
            (yolov8n, yolov8n.pt, yolo11s-seg, yolov5s, ...); a .pt that exists as a file is always read
  --gpu-memory SIZE   plan for a GPU of this size (e.g. 24GiB, 16GB, 12288MiB) instead of asking nvidia-smi
  --gpu NAME          plan for a known GPU model (e.g. h100, a100-80gb, t4, 4090): its memory, CUDA context and AMP rule
  --data DATA.yaml    read the dataset: boxes per image for the label assigner, host RAM for cache/loaders

       yolo-mem scan FILE... [--json]   training launches in scripts, notebooks, READMEs, shell files (scan --help)
       yolo-mem measure <model> --batch N   real training steps on this machine's GPU (measure --help)

\`yolo-mem estimate --help\` explains every option; \`yolo-mem models\` lists the built-in model names.
exit codes: 0 ok, 1 the model could not be analysed, 2 bad usage`;

class UsageError extends Error {}

const OPTIMIZERS: OptimizerChoice[] = ['auto', 'sgd', 'adam', 'adamw'];

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive whole number, got ${v ?? 'nothing'}`);
  return n;
}

export function parseArgs(argv: string[]): { options: AnalyzeOptions; json: boolean; layers: boolean; gpuMemory: number | null; gpuPreset: GpuInfo | null } {
  const [cmd, ...rest] = argv;
  if (cmd !== 'estimate') throw new UsageError(cmd ? `unknown command '${cmd}'` : 'missing command');
  let model: string | undefined;
  const options: Partial<AnalyzeOptions> = {};
  let json = false;
  let layers = false;
  let gpuMemory: number | null = null;
  let gpuPreset: GpuInfo | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const next = () => inline ?? rest[++i];
    switch (flag) {
      case '--imgsz':
        // not a multiple of the model's stride: the core rounds up with a note, as Ultralytics does
        options.imgsz = positiveInt(flag, next());
        break;
      case '--batch': {
        const v = String(next() ?? '');
        // -1 or a fraction in (0, 1): Ultralytics' AutoBatch, predicted on the GPU (src/core/autobatch.ts)
        if (v === '-1' || /^0?\.\d+$/.test(v)) options.autoBatchFraction = v === '-1' ? 0.6 : Number(v);
        else options.batch = v.split(',').map((x) => positiveInt(flag, x));
        break;
      }
      case '--amp':
        options.amp = true;
        break;
      case '--no-amp':
        options.amp = false;
        break;
      case '--optimizer': {
        const v = String(next() ?? '').toLowerCase() as OptimizerChoice;
        if (!OPTIMIZERS.includes(v)) throw new UsageError(`--optimizer must be one of ${OPTIMIZERS.join(', ')}`);
        options.optimizer = v;
        break;
      }
      case '--gpu-memory': {
        const v = next();
        try {
          gpuMemory = parseMemorySize(String(v ?? ''));
        } catch (e) {
          throw new UsageError(`--gpu-memory: ${(e as Error).message}`);
        }
        break;
      }
      case '--gpu': {
        const v = String(next() ?? '');
        const p = findGpuPreset(v);
        if (!p) {
          const near = nearestGpuNames(v);
          const hint = near.length ? `; nearest: ${near.join(', ')}` : `; known: ${[...new Set(GPU_PRESETS.map((g) => g.aliases[0]))].join(', ')}`;
          throw new UsageError(`--gpu: unknown GPU '${v}'${hint} (or use --gpu-memory SIZE)`);
        }
        gpuPreset = presetToGpuInfo(p);
        break;
      }
      case '--gpus':
        options.gpus = positiveInt(flag, next());
        break;
      case '--margin': {
        const v = Number(next());
        if (!(v >= 0 && v < 1)) throw new UsageError('--margin must be a fraction in [0, 1), e.g. 0.1');
        options.margin = v;
        break;
      }
      case '--objects-per-image': {
        const v = Number(next());
        if (!Number.isInteger(v) || v < 0) throw new UsageError('--objects-per-image needs a whole number >= 0');
        options.objectsPerImage = v;
        break;
      }
      case '--prune': {
        const v = Number(next());
        if (!(v >= 0 && v <= 0.9)) throw new UsageError('--prune must be a ratio in [0, 0.9]');
        options.pruneRatio = v;
        break;
      }
      case '--data': {
        const v = next();
        if (!v) throw new UsageError('--data needs a dataset YAML path');
        options.data = v;
        break;
      }
      case '--workers': {
        const v = Number(next());
        if (!Number.isInteger(v) || v < 0) throw new UsageError('--workers needs a whole number >= 0');
        options.workers = v;
        break;
      }
      case '--cache': {
        const v = String(next() ?? '').toLowerCase();
        if (v !== 'ram' && v !== 'disk' && v !== 'false') throw new UsageError('--cache must be ram, disk or false');
        options.cache = v === 'false' ? false : v;
        break;
      }
      case '--json':
        json = true;
        break;
      case '--layers':
        layers = true;
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        if (model !== undefined) throw new UsageError(`unexpected argument '${flag}'`);
        model = flag;
    }
  }
  if (!model) throw new UsageError('missing <model>');
  if (gpuMemory !== null && gpuPreset !== null) throw new UsageError('give --gpu-memory or --gpu, not both');
  return { options: { ...options, model }, json, layers, gpuMemory, gpuPreset };
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'scan') return scanMain(argv.slice(1), io);
  if (argv[0] === 'measure') return measureMain(argv.slice(1), io);
  if (argv.length === 0) {
    io.stdout(PROGRAM_HELP + '\n');
    return EXIT_USAGE;
  }
  if (wantsHelp(argv)) {
    // `yolo-mem --help`, `yolo-mem help [command]`, `yolo-mem <command> ... --help`
    const cmd = argv[0] === 'help' ? argv[1] : argv[0];
    const text = cmd === undefined || cmd.startsWith('-') ? PROGRAM_HELP : commandHelp(cmd);
    if (text === null) {
      io.stderr(`yolo-mem: unknown command '${cmd}'\n${PROGRAM_HELP}\n`);
      return EXIT_USAGE;
    }
    io.stdout(text + '\n');
    return EXIT_OK;
  }
  if (argv[0] === 'models') return runModels(argv.slice(1), io);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`yolo-mem: ${e.message}\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  let result: AnalysisResult;
  try {
    let gpu: GpuInfo | null = null;
    if (parsed.gpuMemory !== null) gpu = { name: `GPU with ${(parsed.gpuMemory / 2 ** 30).toFixed(1)} GiB`, totalBytes: parsed.gpuMemory, source: 'flag' };
    else if (parsed.gpuPreset !== null) gpu = parsed.gpuPreset;
    else gpu = await detectGpu(io.env);
    result = await analyze({ ...parsed.options, gpu });
  } catch (e) {
    io.stderr(`yolo-mem: ${oneLine(e)}\n`);
    return EXIT_ANALYSIS_FAILED;
  }
  io.stdout(parsed.json ? JSON.stringify(result) + '\n' : formatReport(result, { allLayers: parsed.layers }));
  return EXIT_OK;
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

if (require.main === module) {
  // `yolo-mem ... | head` closes the pipe early: that is the reader's choice, not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw e;
  });
  main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`yolo-mem: internal error: ${oneLine(e)}\n`);
      process.exitCode = EXIT_ANALYSIS_FAILED;
    },
  );
}
