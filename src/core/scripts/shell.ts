// Reads training command lines: `yolo [task] train key=value ...` (Ultralytics CLI) and
// `python train.py --batch-size 16 ...` (YOLOv5, also under torchrun / torch.distributed.run).
// Works on shell scripts, Markdown code blocks and notebook `!` lines. Tokens keep their source
// offsets through quotes and `\` line continuations, so each value maps back to its exact text.

import type { Fragment, Locator } from './text';
import { SETTING_KEYS, type SettingKey, type TrainingRun, type TrainingSettings } from './types';
import { deviceGpuCount, makeSetting, setSetting, type Lit, type SettingSite, type Value } from './values';

interface Token {
  /** The word after quote removal and escapes. */
  value: string;
  /** Fragment offsets of the raw token. */
  start: number;
  end: number;
  /** Fragment offset of each character of `value`. */
  offsets: number[];
  /** Whether any part was quoted (a quoted word is never an operator or assignment). */
  quoted: boolean;
}

const ULTRALYTICS_TASKS = new Set(['detect', 'segment', 'classify', 'pose', 'obb']);
const ULTRALYTICS_KEYS: Record<string, SettingKey> = {
  batch: 'batch', imgsz: 'imgsz', epochs: 'epochs', data: 'data', optimizer: 'optimizer',
  amp: 'amp', workers: 'workers', cache: 'cache', device: 'device', model: 'model',
};
/** YOLOv5 train.py flags (argparse also accepts the `--batch` prefix of `--batch-size`). */
const YOLOV5_FLAGS: Record<string, SettingKey | 'weights' | 'cfg'> = {
  '--batch-size': 'batch', '--batch_size': 'batch', '--batch': 'batch', '-b': 'batch',
  '--imgsz': 'imgsz', '--img': 'imgsz', '--img-size': 'imgsz', '--img_size': 'imgsz',
  '--epochs': 'epochs', '--data': 'data', '--optimizer': 'optimizer', '--workers': 'workers',
  '--cache': 'cache', '--device': 'device', '--model': 'model', '--weights': 'weights', '--cfg': 'cfg',
};
const INT_KEYS = new Set<SettingKey>(['batch', 'imgsz', 'epochs', 'workers']);

/** Splits text into commands of tokens, following quotes, escapes and line continuations. */
export function tokenizeShell(text: string): Token[][] {
  const commands: Token[][] = [];
  let cmd: Token[] = [];
  const st: { tok: Token | null } = { tok: null };
  const endToken = () => {
    if (st.tok) cmd.push(st.tok);
    st.tok = null;
  };
  const endCommand = () => {
    endToken();
    if (cmd.length) commands.push(cmd);
    cmd = [];
  };
  const current = (rawStart: number): Token => (st.tok ??= { value: '', start: rawStart, end: rawStart, offsets: [], quoted: false });
  const push = (t: Token, ch: string, at: number) => {
    t.value += ch;
    t.offsets.push(at);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    // Line continuation: `\`, PowerShell's backtick or cmd's `^` right before the newline.
    if ((c === '\\' || c === '`' || c === '^') && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      endToken();
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === '\n' || c === '\r' || c === ';' || c === '|' || c === '&') {
      endCommand();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endToken();
      i++;
      continue;
    }
    if (c === '#' && !st.tok) {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    const t = current(i);
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      const stop = close === -1 ? text.length : close;
      t.quoted = true;
      for (let j = i + 1; j < stop; j++) {
        if (c === '"' && text[j] === '\\' && j + 1 < stop && '"\\$`'.includes(text[j + 1])) j++;
        push(t, text[j], j);
      }
      i = Math.min(stop + 1, text.length);
    } else if (c === '\\' && i + 1 < text.length) {
      push(t, text[i + 1], i + 1);
      i += 2;
    } else {
      push(t, c, i);
      i++;
    }
    t.end = i;
  }
  endCommand();
  return commands;
}

/** Ultralytics' smart_value(): none / true / false, numbers, [lists], else the string. */
function ultralyticsValue(s: string): Lit {
  const low = s.toLowerCase();
  if (low === 'none') return null;
  if (low === 'true') return true;
  if (low === 'false') return false;
  if (/^[-+]?\d+$/.test(s)) return Number(s);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)(e[-+]?\d+)?$/i.test(s)) return Number(s);
  // `[0, 1]`, and `0,1` which literal_eval reads as a tuple.
  const bracketed = /^\[(.*)\]$/.exec(s.trim());
  const inner = bracketed ? bracketed[1] : /^-?\d+(\s*,\s*-?\d+)+$/.test(s) ? s : null;
  if (inner !== null) {
    const items = inner.split(',').map((x) => x.trim()).filter((x) => x !== '');
    if (items.every((x) => /^[-+]?\d+(\.\d+)?$/.test(x))) return items.map(Number);
    return items.map((x) => x.replace(/^['"]|['"]$/g, ''));
  }
  return s;
}

const basename = (p: string) => p.replace(/\\/g, '/').split('/').pop() ?? p;

/** Shell variables known at a point of the script: name → value and the 1-based line it was set on. */
export type ShellVars = Map<string, { value: string; line: number }>;

export interface ShellScanOptions {
  /** Variables set outside the shell text (Makefile `VAR = ...`, Dockerfile `ENV`, workflow `env:`). */
  vars?: ShellVars;
  /** The training runs of a Python script a command runs (`python train.py`), when the caller can
   *  read it (script-files.ts): its defaults fill what the command line leaves out, and a script
   *  that trains YOLO makes a bare `python train.py` a launch. Null when not readable. */
  scriptRuns?: ScriptRuns;
}

export type ScriptRuns = (scriptPath: string) => TrainingRun[] | null;

/** `NAME=value` as one word (sh, PowerShell `$NAME=value`, cmd's `set NAME=value` after `set`). */
const ASSIGN_RE = /^\$?(?:env:)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

export function scanShell(frag: Fragment, loc: Locator, opts: ShellScanOptions = {}): TrainingRun[] {
  const runs: TrainingRun[] = [];
  const vars: ShellVars = new Map(opts.vars ?? []);
  const assign = (name: string, value: string, at: number) => vars.set(name, { value: expandAll(value, vars) ?? value, line: loc.line(at) });
  // PowerShell `param([int]$Batch = 16, [string]$Model = "yolov8m.pt")`: the defaults a run without
  // arguments uses (PowerShell names are case-insensitive; both spellings are kept).
  for (const m of frag.text.matchAll(/\[(?:int|string|double|float|long)\]\s*\$([A-Za-z_]\w*)\s*=\s*("[^"\n]*"|'[^'\n]*'|[^\s,)]+)/gi)) {
    const value = m[2].replace(/^(["'])(.*)\1$/, '$2');
    assign(m[1], value, m.index!);
    assign(m[1].toLowerCase(), value, m.index!);
  }
  for (let cmd of tokenizeShell(frag.text)) {
    // Prompts pasted from docs: `$ yolo train ...`, `> python train.py`, `PS> ...`, notebook `!`.
    while (cmd.length && !cmd[0].quoted && ['$', '>', '!', '%', 'PS>', '@'].includes(cmd[0].value)) cmd = cmd.slice(1);
    if (cmd.length && !cmd[0].quoted && /^[!%@]./.test(cmd[0].value) && !/^%[A-Za-z_]\w*%/.test(cmd[0].value)) cmd = [{ ...cmd[0], value: cmd[0].value.slice(1), offsets: cmd[0].offsets.slice(1) }, ...cmd.slice(1)];
    if (!cmd.length) continue;
    const head = cmd[0].value.toLowerCase();
    // cmd.exe comments and `set NAME=value` / `set "NAME=value"` (`set /a` arithmetic included).
    if (head === 'rem' || head.startsWith('::')) continue;
    if (head === 'set' || head === 'export' || head === 'setx' || head === 'declare' || head === 'local') {
      for (const t of cmd.slice(1)) {
        const m = ASSIGN_RE.exec(t.value);
        if (m) assign(m[1], m[2], t.start);
        else if (head === 'setx' && cmd.length >= 3 && t === cmd[1]) assign(t.value, cmd[2].value, t.start);
      }
      continue;
    }
    // PowerShell `$BATCH = 16` (three words) and `$env:CUDA_VISIBLE_DEVICES = "0,1"`.
    if (cmd.length >= 3 && !cmd[0].quoted && /^\$(?:env:)?[A-Za-z_]\w*$/.test(cmd[0].value) && cmd[1].value === '=') {
      assign(cmd[0].value.replace(/^\$(env:)?/, ''), cmd.slice(2).map((t) => t.value).join(' '), cmd[0].start);
      continue;
    }
    // Leading NAME=value words are variable assignments (alone) or the command's environment.
    let k = 0;
    const env = new Map<string, string>();
    while (k < cmd.length && isAssignment(cmd[k])) {
      const m = ASSIGN_RE.exec(cmd[k].value)!;
      env.set(m[1], expandAll(m[2], vars) ?? m[2]);
      k++;
    }
    if (k === cmd.length) {
      for (const t of cmd) {
        const m = ASSIGN_RE.exec(t.value)!;
        assign(m[1], m[2], t.start);
      }
      continue;
    }
    const launch = stripLaunchers(cmd.slice(k), env, vars);
    if (!launch) continue;
    const run = yoloCommand(launch.words, loc, vars) ?? trainPyCommand(launch.words, loc, vars, launch.scriptAt, opts.scriptRuns);
    if (!run) continue;
    // The launcher's first word starts the run (`nohup`, `CUDA_VISIBLE_DEVICES=0,1`, `torchrun`).
    run.range = loc.range(cmd[0].start, cmd[cmd.length - 1].end);
    applyWorldSize(run, launch, loc);
    runs.push(run);
  }
  return runs;
}

/** `NAME=value`, `NAME="a b"`: the name and `=` are written unquoted (a quoted `"A=b"` is a plain word). */
function isAssignment(t: Token): boolean {
  const m = ASSIGN_RE.exec(t.value);
  if (!m) return false;
  const eq = t.value.indexOf('=');
  return !t.quoted || t.offsets[eq] === t.start + eq;
}

/** What launcher prefixes say: the words from the program on, and the process count they start. */
interface Launch {
  words: Token[];
  /** For `deepspeed train.py` / `torchrun train.py`: the script's index in `words` (no interpreter). */
  scriptAt?: number;
  /** Processes started (one per GPU) and the token that says so; null when not said. */
  world?: { count: number; token: Token | null; why: string };
}

const PREFIXES = new Set(['nohup', 'time', 'exec', 'command', 'sudo', 'nice', 'stdbuf', 'unbuffer', 'caffeinate', 'start', 'call', 'uv', 'poetry', 'pipenv', 'conda', 'micromamba']);
const LAUNCHERS = new Set(['torchrun', 'horovodrun', 'deepspeed', 'accelerate', 'srun', 'mpirun', 'mpiexec', 'python-launch']);
const PROGRAM_RE = /^(python(\d+(\.\d+)?)?(\.exe)?|py|yolo(\.exe)?|torchrun|deepspeed|accelerate|horovodrun)$/i;

/**
 * Skips what runs the program rather than being it: `nohup`, `time`, `env A=b`, `uv run`,
 * `srun ...`, `horovodrun -np 4`, `accelerate launch --num_processes 2`, `deepspeed --num_gpus 2`,
 * `torchrun`/`python -m torch.distributed.run --nproc_per_node 2`. Null when no Python or `yolo`
 * program follows.
 */
function stripLaunchers(words: Token[], env: Map<string, string>, vars: ShellVars): Launch | null {
  let i = 0;
  let world: Launch['world'];
  let launcher: string | null = null;
  let multiGpu = false;
  const numberAt = (j: number, t: Token): { n: number; token: Token } | null => {
    const eq = t.value.indexOf('=');
    const raw = eq > 0 ? t.value.slice(eq + 1) : words[j + 1]?.value;
    const text = raw === undefined ? null : expandAll(raw, vars);
    const n = text !== null && /^\d+$/.test(text) ? Number(text) : NaN;
    return Number.isInteger(n) ? { n, token: eq > 0 ? t : words[j + 1] } : null;
  };
  for (let guard = 0; guard < 64 && i < words.length; guard++) {
    const w = basename(words[i].value).toLowerCase();
    if (w === 'env') {
      i++;
      while (i < words.length && (ASSIGN_RE.test(words[i].value) || words[i].value.startsWith('-'))) {
        const m = ASSIGN_RE.exec(words[i].value);
        if (m) env.set(m[1], m[2]);
        i++;
      }
      continue;
    }
    if (PREFIXES.has(w)) {
      i++;
      if (w === 'uv' || w === 'poetry' || w === 'pipenv' || w === 'conda' || w === 'micromamba') {
        // `uv run`, `conda run -n env`: skip to the program.
        while (i < words.length && !PROGRAM_RE.test(basename(words[i].value)) && !/\.py$/i.test(words[i].value)) i++;
      } else {
        while (i < words.length && words[i].value.startsWith('-')) i += /^-(n|-adjustment)$/.test(words[i].value) ? 2 : 1;
      }
      continue;
    }
    if (LAUNCHERS.has(w) || (w.startsWith('python') && /^-[a-zA-Z]*m$/.test(words[i + 1]?.value ?? '') && /^torch\.distributed\.(run|launch)$/.test(words[i + 2]?.value ?? ''))) {
      launcher = w.startsWith('python') ? 'torch.distributed' : w;
      i += w.startsWith('python') ? 3 : w === 'accelerate' && words[i + 1]?.value === 'launch' ? 2 : 1;
      // Options up to the program: the first word that is an interpreter or a .py script.
      for (; i < words.length; i++) {
        const t = words[i];
        if (!t.value.startsWith('-')) {
          if (PROGRAM_RE.test(basename(t.value)) || /\.py$/i.test(t.value)) break;
          continue;
        }
        const name = t.value.split('=')[0];
        if (/^--(nproc[_-]per[_-]node|num[_-]gpus|num[_-]processes|ntasks-per-node|gpus-per-node|gpus-per-task)$|^-(np|n)$/.test(name)) {
          const got = numberAt(i, t);
          if (got) world = { count: got.n, token: got.token, why: `${name} ${got.n}` };
        } else if (name === '--multi_gpu' || name === '--multi-gpu') multiGpu = true;
        else if (name === '--gres' || name === '--gpus') {
          const m = /(?:gpu:)?(\d+)$/.exec(t.value.includes('=') ? t.value.slice(t.value.indexOf('=') + 1) : (words[i + 1]?.value ?? ''));
          if (m) world = { count: Number(m[1]), token: t.value.includes('=') ? t : words[i + 1], why: `${name} ${m[1]}` };
        }
      }
      continue;
    }
    break;
  }
  const rest = words.slice(i);
  if (!rest.length) return null;
  // A launcher that starts one process per visible GPU when not told how many.
  const visible = env.get('CUDA_VISIBLE_DEVICES') ?? vars.get('CUDA_VISIBLE_DEVICES')?.value;
  if (!world && visible && /^\d+(,\d+)*$/.test(visible) && (launcher === 'deepspeed' || (launcher === 'accelerate' && multiGpu))) {
    world = { count: visible.split(',').length, token: null, why: `CUDA_VISIBLE_DEVICES=${visible}` };
  }
  const scriptAt = /\.py$/i.test(rest[0].value) ? 0 : undefined;
  return { words: rest, ...(scriptAt !== undefined ? { scriptAt } : {}), ...(world ? { world } : {}) };
}

/** A launcher's process count is the DDP world size when the command itself names no device list. */
function applyWorldSize(run: TrainingRun, launch: Launch, loc: Locator): void {
  const w = launch.world;
  if (!w || w.count < 1) return;
  run.notes.push(`DDP with ${w.count} processes per node (${w.why}): the batch is split across them`);
  if (run.settings.device?.value && deviceGpuCount(run.settings.device.value) === w.count) return;
  if (run.settings.device && run.settings.device.value !== '') return; // an explicit device wins; the note says both
  const t = w.token;
  const range = t ? loc.range(t.start, t.end) : run.range;
  const device = Array.from({ length: w.count }, (_, k) => String(k)).join(',');
  run.settings.device = { value: device, raw: t ? loc.text(t.start, t.end) : '', range, resolvedFrom: w.why };
}

/**
 * Expands `$NAME`, `${NAME}`, `$(NAME)` (make), `%NAME%` (cmd) and `$env:NAME` (PowerShell) anywhere
 * in a word from variables set earlier; null when any of them is not known here.
 */
export function expandAll(word: string, vars: ShellVars): string | null {
  if (!/[$%]/.test(word)) return word;
  let unknown = false;
  const out = word.replace(/\$\{([A-Za-z_]\w*)\}|\$\(([A-Za-z_]\w*)\)|\$env:([A-Za-z_]\w*)|\$([A-Za-z_]\w*)|%([A-Za-z_]\w*)%/g, (m, a, b, c, d, e) => {
    const name = a ?? b ?? c ?? d ?? e;
    const v = vars.get(name);
    if (!v) {
      unknown = true;
      return m;
    }
    return v.value;
  });
  if (unknown || /\$[({]/.test(out)) return null;
  return out;
}

/** `$BATCH`, `model=yolov8${SIZE}.pt` set earlier in the same script; anything else with `$` is unknown. */
function expand(word: string, vars: ShellVars): { text: string; via?: string } | { unknown: string } {
  if (!/[$%]/.test(word)) return { text: word };
  const text = expandAll(word, vars);
  if (text === null || (text === word && /\$/.test(word))) return { unknown: `${word} is a shell expansion not set in this file` };
  if (text === word) return { text };
  const names = [...word.matchAll(/\$\{?\(?(?:env:)?([A-Za-z_]\w*)|%([A-Za-z_]\w*)%/g)].map((m) => m[1] ?? m[2]);
  const via = names.map((n) => `${n}=${vars.get(n)!.value} (line ${vars.get(n)!.line})`).join(', ');
  return { text, via };
}

function valueSite(loc: Locator, frag: { start: number; end: number }, keyRange?: { start: number; end: number }): SettingSite {
  const s: SettingSite = { raw: loc.text(frag.start, frag.end), range: loc.range(frag.start, frag.end) };
  if (keyRange) s.keyRange = loc.range(keyRange.start, keyRange.end);
  return s;
}

function yoloCommand(words: Token[], loc: Locator, vars: ShellVars): TrainingRun | null {
  if (!words.length || !/^yolo(\.exe)?$/.test(basename(words[0].value))) return null;
  let mode: string | null = null;
  const settings: TrainingSettings = {};
  const notes: string[] = [];
  for (const t of words.slice(1)) {
    const eq = t.value.indexOf('=');
    if (eq <= 0) {
      if (ULTRALYTICS_TASKS.has(t.value)) continue;
      if (!mode) mode = t.value;
      continue;
    }
    const key = t.value.slice(0, eq);
    const rawValue = t.value.slice(eq + 1);
    if (key === 'mode') {
      mode = rawValue;
      continue;
    }
    if (key === 'cfg') notes.push(`cfg=${rawValue}: settings in that file apply too (arguments here take precedence)`);
    keyValueSetting(settings, t, eq, loc, vars);
  }
  if (mode !== 'train') return null;
  if (!settings.model) notes.push('model= is not given: Ultralytics trains its default model (yolo11n.pt in 8.3)');
  return {
    kind: 'cli',
    range: loc.range(words[0].start, words[words.length - 1].end),
    settings,
    calls: [{ name: 'yolo', range: loc.range(words[0].start, words[0].end) }],
    notes,
  };
}

/** An Ultralytics `key=value` word (the `yolo` CLI, and custom scripts that take the same form). */
function keyValueSetting(settings: TrainingSettings, t: Token, eq: number, loc: Locator, vars: ShellVars): boolean {
  const sk = ULTRALYTICS_KEYS[t.value.slice(0, eq)];
  if (!sk) return false;
  // The value's raw text runs from just after the unquoted `=` to the end of the token.
  const valueStart = t.offsets[eq] + 1;
  // `"batch=16"` (a Dockerfile exec form, a quoted word): the value ends before the closing quote.
  const wholeQuoted = /^["']/.test(loc.text(t.start, t.start + 1)) && t.offsets[0] === t.start + 1 && t.offsets.length > eq + 1;
  const valueEnd = wholeQuoted ? t.offsets[t.offsets.length - 1] + 1 : t.end;
  const site = valueSite(loc, { start: valueStart, end: valueEnd }, { start: t.offsets[0], end: t.offsets[eq - 1] + 1 });
  const ex = expand(t.value.slice(eq + 1), vars);
  const v: Value = 'unknown' in ex ? ex : { lit: ultralyticsValue(ex.text), ...(ex.via ? { resolvedFrom: ex.via } : {}) };
  setSetting(settings, sk, makeSetting(sk, v, site));
  return true;
}

/** Scripts whose name says they evaluate, predict or export (YOLOv5's val.py, detect.py, export.py). */
const NOT_TRAINING_RE = /^(val|valid|validate|test|detect|predict|export|infer|inference|benchmarks?|demo|eval|evaluate|track|hubconf|setup)([_.-]|$)/i;

/** Whether a Python entry is a YOLO training run: its name says train, or its arguments name YOLO things. */
function isTrainingEntry(name: string, settings: TrainingSettings, yoloArgs: boolean): boolean {
  const base = name.replace(/\.py$/i, '');
  // A bare `python train.py` says nothing that ties it to YOLO: any project has a train.py.
  if (!yoloArgs) return false;
  if (/train/i.test(base) && !/^(test|val)/i.test(base)) return true;
  if (NOT_TRAINING_RE.test(base)) return false;
  const model = settings.model?.value ?? settings.model?.raw ?? '';
  const data = settings.data?.value ?? settings.data?.raw ?? '';
  return /yolo|rtdetr|\.pt\b/i.test(model) || (/\.ya?ml\b/i.test(data) && (!!settings.batch || !!settings.imgsz));
}

function trainPyCommand(words: Token[], loc: Locator, vars: ShellVars, scriptAt?: number, scriptRuns?: ScriptRuns): TrainingRun | null {
  const notes: string[] = [];
  let i = 0;
  let script: Token | undefined;
  let scriptName: string;
  const first = basename(words[0]?.value ?? '');
  if (scriptAt !== undefined) {
    script = words[scriptAt];
    i = scriptAt;
    scriptName = basename(script.value);
  } else if (/^(python(\d+(\.\d+)?)?(\.exe)?|py)$/i.test(first)) {
    i = 1;
    while (i < words.length && /^-[a-zA-Z]+$/.test(words[i].value) && !/^-[a-zA-Z]*m$/.test(words[i].value)) i++;
    if (/^-[a-zA-Z]*m$/.test(words[i]?.value ?? '')) {
      const mod = words[i + 1]?.value ?? '';
      if (!mod || /^(pip|venv|ultralytics|torch\.distributed\..*|http\.server|jupyter|pytest|unittest)$/.test(mod)) return null;
      script = words[i + 1];
      scriptName = mod.split('.').pop() ?? mod;
      i += 1;
    } else {
      script = words[i];
      if (!script || !/\.py$/i.test(script.value)) return null;
      scriptName = basename(script.value);
    }
  } else if (/\.py$/i.test(first)) {
    script = words[0];
    scriptName = basename(first);
  } else {
    return null;
  }
  const settings: TrainingSettings = {};
  let yoloArgs = false;
  let weights: { value: Value; site: SettingSite } | undefined;
  let cfg: { value: Value; site: SettingSite } | undefined;
  for (let j = i + 1; j < words.length; j++) {
    const t = words[j];
    if (!t.value.startsWith('-')) {
      // Ultralytics-style `model=yolo11n.pt batch=16` passed to a custom script.
      const eq = t.value.indexOf('=');
      if (eq > 0 && keyValueSetting(settings, t, eq, loc, vars)) yoloArgs = true;
      continue;
    }
    const eq = t.value.indexOf('=');
    const flag = eq > 0 ? t.value.slice(0, eq) : t.value;
    const key = YOLOV5_FLAGS[flag];
    if (!key) continue;
    if (key === 'batch' || key === 'imgsz' || key === 'weights' || key === 'cfg' || key === 'data' || key === 'model') yoloArgs = true;
    const keySpan = { start: t.offsets[0], end: eq > 0 ? t.offsets[eq - 1] + 1 : t.end };
    let valueSpan: { start: number; end: number };
    let rawValue: string;
    if (eq > 0) {
      valueSpan = { start: t.offsets[eq] + 1, end: t.end };
      rawValue = t.value.slice(eq + 1);
    } else {
      const next = words[j + 1];
      // argparse takes the next word unless it looks like an option (a negative number is a value).
      const nextIsValue = next && (!next.value.startsWith('-') || /^-\d/.test(next.value));
      if (key === 'cache' && (!nextIsValue || !['ram', 'disk'].includes(next.value))) {
        setSetting(settings, 'cache', makeSetting('cache', { lit: 'ram', resolvedFrom: '--cache without a value means ram' }, valueSite(loc, t, t)));
        continue;
      }
      if (!nextIsValue) {
        notes.push(`${flag} has no value`);
        continue;
      }
      valueSpan = { start: next.start, end: next.end };
      rawValue = next.value;
      j++;
      // `--device 0 1` (nargs='+' in some forks): the following bare numbers belong to the list.
      if (key === 'device') {
        while (words[j + 1] && /^\d+$/.test(words[j + 1].value)) {
          j++;
          rawValue += `,${words[j].value}`;
          valueSpan = { start: valueSpan.start, end: words[j].end };
        }
      }
    }
    const site = valueSite(loc, valueSpan, keySpan);
    const ex = expand(rawValue, vars);
    let v: Value;
    if ('unknown' in ex) v = ex;
    else if (key === 'batch') v = /^[-+]?(\d+|\d*\.\d+)$/.test(ex.text.trim()) ? { lit: Number(ex.text) } : { unknown: `${flag} takes a number, not "${ex.text}"` };
    else if (INT_KEYS.has(key as SettingKey)) v = /^[-+]?\d+$/.test(ex.text.trim()) ? { lit: Number(ex.text) } : { unknown: `${flag} takes an integer, not "${ex.text}"` };
    else v = { lit: ex.text };
    if (!('unknown' in v) && 'via' in ex && ex.via) v.resolvedFrom = ex.via;
    if (key === 'weights') weights = { value: v, site };
    else if (key === 'cfg') cfg = { value: v, site };
    else setSetting(settings, key, makeSetting(key, v, site));
  }
  const cfgGiven = cfg && ('unknown' in cfg.value || (typeof cfg.value.lit === 'string' && cfg.value.lit !== ''));
  const pick = cfgGiven ? cfg : (weights ?? cfg);
  if (pick && !settings.model) setSetting(settings, 'model', makeSetting('model', pick.value, pick.site));
  // The script itself, when readable: its YOLO training run's values for what the command leaves out.
  const own = /\.py$/i.test(script.value) && !script.value.includes('$') ? scriptRuns?.(script.value)?.find((r) => r.kind !== 'dataloader') : undefined;
  if (own) {
    const at = loc.range(script.start, script.end);
    for (const key of SETTING_KEYS) {
      const s = own.settings[key];
      if (settings[key] || !s) continue;
      // Its range is in the other file: here it points at the script's name on the command line.
      const line = s.range.start.line + 1;
      setSetting(settings, key, { value: s.value, raw: loc.text(script.start, script.end), range: at, resolvedFrom: `${scriptName} line ${line}: ${s.raw}`, ...(s.note ? { note: s.note } : {}) } as never);
    }
    notes.push(`values not on the command line are ${scriptName}'s own (${own.kind === 'yolov5-argparse' ? 'its argparse defaults' : 'its training call'})`);
  } else if (!isTrainingEntry(scriptName, settings, yoloArgs)) return null;
  return {
    kind: 'yolov5-cli',
    range: loc.range(words[0].start, words[words.length - 1].end),
    settings,
    calls: [{ name: scriptName, range: loc.range(script.start, script.end) }],
    notes,
  };
}
