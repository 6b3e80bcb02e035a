// Reads training command lines: `yolo [task] train key=value ...` (Ultralytics CLI) and
// `python train.py --batch-size 16 ...` (YOLOv5, also under torchrun / torch.distributed.run).
// Works on shell scripts, Markdown code blocks and notebook `!` lines. Tokens keep their source
// offsets through quotes and `\` line continuations, so each value maps back to its exact text.

import type { Fragment, Locator } from './text';
import type { SettingKey, TrainingRun, TrainingSettings } from './types';
import { makeSetting, setSetting, type Lit, type SettingSite, type Value } from './values';

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

export function scanShell(frag: Fragment, loc: Locator): TrainingRun[] {
  const runs: TrainingRun[] = [];
  const vars = new Map<string, { value: string; line: number; token: Token }>();
  for (let cmd of tokenizeShell(frag.text)) {
    // Prompts pasted from docs: `$ yolo train ...`, `> python train.py`, notebook `!`.
    while (cmd.length && !cmd[0].quoted && ['$', '>', '!', '%'].includes(cmd[0].value)) cmd = cmd.slice(1);
    if (cmd.length && !cmd[0].quoted && /^[!%]./.test(cmd[0].value)) cmd = [{ ...cmd[0], value: cmd[0].value.slice(1), offsets: cmd[0].offsets.slice(1) }, ...cmd.slice(1)];
    // Leading NAME=value words are variable assignments (alone) or the command's environment.
    let k = 0;
    while (k < cmd.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd[k].value) && !cmd[k].quoted) k++;
    if (k === cmd.length) {
      for (const t of cmd) {
        const eq = t.value.indexOf('=');
        if (eq > 0) vars.set(t.value.slice(0, eq), { value: t.value.slice(eq + 1), line: loc.line(t.start), token: t });
      }
      continue;
    }
    if (cmd[0]?.value === 'export') {
      for (const t of cmd.slice(1)) {
        const eq = t.value.indexOf('=');
        if (eq > 0) vars.set(t.value.slice(0, eq), { value: t.value.slice(eq + 1), line: loc.line(t.start), token: t });
      }
      continue;
    }
    const words = cmd.slice(k);
    const run = yoloCommand(words, loc, vars) ?? trainPyCommand(words, loc, vars);
    if (run) runs.push(run);
  }
  return runs;
}

/** `$BATCH` / `${BATCH}` set earlier in the same script; anything else with `$` is unknown. */
function expand(word: string, vars: Map<string, { value: string; line: number }>): { text: string; via?: string } | { unknown: string } {
  if (!word.includes('$')) return { text: word };
  const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(word);
  const name = m?.[1] ?? m?.[2];
  if (name && vars.has(name)) {
    const v = vars.get(name)!;
    return { text: v.value, via: `${name}=${v.value} (line ${v.line})` };
  }
  return { unknown: `${word} is a shell expansion not set in this file` };
}

function valueSite(loc: Locator, frag: { start: number; end: number }, keyRange?: { start: number; end: number }): SettingSite {
  const s: SettingSite = { raw: loc.text(frag.start, frag.end), range: loc.range(frag.start, frag.end) };
  if (keyRange) s.keyRange = loc.range(keyRange.start, keyRange.end);
  return s;
}

function yoloCommand(words: Token[], loc: Locator, vars: Map<string, { value: string; line: number }>): TrainingRun | null {
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
    const sk = ULTRALYTICS_KEYS[key];
    if (!sk) continue;
    // The value's raw text runs from just after the unquoted `=` to the end of the token.
    const valueStart = t.offsets[eq] + 1;
    const site = valueSite(loc, { start: valueStart, end: t.end }, { start: t.offsets[0], end: t.offsets[eq - 1] + 1 });
    const ex = expand(rawValue, vars);
    const v: Value = 'unknown' in ex ? ex : { lit: ultralyticsValue(ex.text), ...(ex.via ? { resolvedFrom: ex.via } : {}) };
    setSetting(settings, sk, makeSetting(sk, v, site));
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

function trainPyCommand(words: Token[], loc: Locator, vars: Map<string, { value: string; line: number }>): TrainingRun | null {
  const notes: string[] = [];
  let i = 0;
  const first = basename(words[0]?.value ?? '');
  if (/^python(\d+(\.\d+)?)?(\.exe)?$/.test(first)) {
    i = 1;
    while (i < words.length && /^-[a-zA-Z]+$/.test(words[i].value) && words[i].value !== '-m') i++;
    if (words[i]?.value === '-m') {
      const mod = words[i + 1]?.value ?? '';
      if (!/^torch\.distributed\.(run|launch)$/.test(mod)) return null;
      i += 2;
      i = skipLauncherOptions(words, i, notes);
    }
  } else if (first === 'torchrun') {
    i = skipLauncherOptions(words, 1, notes);
  } else {
    return null;
  }
  const script = words[i];
  if (!script || !/train\.py$/.test(basename(script.value))) return null;
  const settings: TrainingSettings = {};
  let weights: { value: Value; site: SettingSite } | undefined;
  let cfg: { value: Value; site: SettingSite } | undefined;
  for (let j = i + 1; j < words.length; j++) {
    const t = words[j];
    const eq = t.value.startsWith('-') ? t.value.indexOf('=') : -1;
    const flag = eq > 0 ? t.value.slice(0, eq) : t.value;
    const key = YOLOV5_FLAGS[flag];
    if (!key) continue;
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
    }
    const site = valueSite(loc, valueSpan, keySpan);
    const ex = expand(rawValue, vars);
    let v: Value;
    if ('unknown' in ex) v = ex;
    else if (INT_KEYS.has(key as SettingKey)) v = /^[-+]?\d+$/.test(ex.text.trim()) ? { lit: Number(ex.text) } : { unknown: `${flag} takes an integer, not "${ex.text}"` };
    else v = { lit: ex.text };
    if (!('unknown' in v) && 'via' in ex && ex.via) v.resolvedFrom = ex.via;
    if (key === 'weights') weights = { value: v, site };
    else if (key === 'cfg') cfg = { value: v, site };
    else setSetting(settings, key, makeSetting(key, v, site));
  }
  const cfgGiven = cfg && ('unknown' in cfg.value || (typeof cfg.value.lit === 'string' && cfg.value.lit !== ''));
  const pick = cfgGiven ? cfg : (weights ?? cfg);
  if (pick) setSetting(settings, 'model', makeSetting('model', pick.value, pick.site));
  return {
    kind: 'yolov5-cli',
    range: loc.range(words[0].start, words[words.length - 1].end),
    settings,
    calls: [{ name: basename(script.value), range: loc.range(script.start, script.end) }],
    notes,
  };
}

/** Skips torchrun / torch.distributed.run options; notes the process count (DDP world size). */
function skipLauncherOptions(words: Token[], i: number, notes: string[]): number {
  while (i < words.length && words[i].value.startsWith('-')) {
    const w = words[i].value;
    const eq = w.indexOf('=');
    const name = eq > 0 ? w.slice(0, eq) : w;
    const value = eq > 0 ? w.slice(eq + 1) : words[i + 1]?.value;
    if (/^--nproc[_-]per[_-]node$/.test(name)) notes.push(`DDP with ${value} processes per node: the batch is split across them`);
    i += eq > 0 || ['--standalone', '--use_env', '--use-env', '--no_python', '--no-python', '--module', '-m'].includes(name) ? 1 : 2;
  }
  return i;
}
