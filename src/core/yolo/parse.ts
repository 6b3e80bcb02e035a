// Model YAML text -> ArchSpec. Reads both formats:
//  - Ultralytics (YOLOv5u, v8, 11): `nc`, `scales:` {letter: [depth, width, max_channels]}, `kpt_shape`,
//    `backbone:` and `head:` lists of [from, repeats, module, args]. As in Ultralytics'
//    yaml_model_load/guess_model_scale, the scale letter comes from the file name (yolov8n.yaml is
//    yolov8.yaml at scale n); without one, the first scale is used.
//  - YOLOv5 v7.0 (classic, anchor-based): `depth_multiple`, `width_multiple`, `anchors`.
// Every failure is a one-line YoloArchError naming the file and, where there is one, the row.

// YAML 1.2 core schema: like PyYAML's safe_load for what model files use (True/False, null, numbers),
// and unlike YAML 1.1 it does not read the scale key `n:` as a boolean.
import { parseDocument } from 'yaml';
import { KNOWN_MODULES, ULTRALYTICS_UNMODELLED, V5_MODULES } from './modules';
import { YoloArchError, type ActKind, type ArchRow, type ArchSpec, type ArgValue } from './types';

/** YAML aliases are never needed by model files; a low cap stops "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 16;
/** Model YAMLs are a few KB; anything this large is not one. */
const MAX_TEXT_CHARS = 1_000_000;
/** Args nest at most two deep in real files (anchors: list of lists). */
/** Upper bound of a scale's depth and width multiples (released models: depth 1.0, width 1.5). */
export const MAX_MULTIPLE = 8;
const MAX_ARG_DEPTH = 4;
/** More rows than any real YOLO (P6 models have ~35); bounds the work a hostile file can ask for. */
const MAX_ROWS = 1000;
/** Repeats beyond this are not a real model; they would only make the graph huge. */
const MAX_REPEATS = 100;

export interface ParseOptions {
  /** Force a scale letter instead of reading it from the file name. */
  scale?: string;
  /** Model name to report (default: the file's stem). */
  name?: string;
}

/** Ultralytics' guess_model_scale: the letter after "yolo<digits>" / "yolov<digits>" in the file stem. */
export function guessModelScale(fileName: string): string {
  const m = /yolo(e-)?v?\d+([nslmx])/.exec(fileStem(fileName));
  return m ? m[2] : '';
}

export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.(ya?ml|pt)$/i, '');
}

export function parseArchYaml(text: string, fileName: string, opts: ParseOptions = {}): ArchSpec {
  const file = fileName.split(/[\\/]/).pop() || fileName;
  const fail = (msg: string): never => {
    throw new YoloArchError(`${file}: ${msg}`);
  };
  if (typeof text !== 'string') fail('not a text file');
  if (text.length > MAX_TEXT_CHARS) fail(`file too large for a model YAML (${text.length} characters)`);

  let data: unknown;
  // 1-based line of row i of a section, for error messages (null when the YAML has no positions)
  let lineOf: (section: string, i: number) => number | null = () => null;
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    lineOf = (section, i) => {
      const seq = doc.get(section, true) as { items?: { range?: [number, number, number] }[] } | undefined;
      const off = seq?.items?.[i]?.range?.[0];
      return typeof off === 'number' ? text.slice(0, off).split('\n').length : null;
    };
    if (doc.errors.length) {
      const msg = firstLine(doc.errors[0].message);
      fail(/call stack/i.test(msg) ? 'invalid YAML: nesting too deep' : `invalid YAML: ${msg}`);
    }
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof YoloArchError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/call stack/i.test(msg)) fail('invalid YAML: nesting too deep');
    if (/alias/i.test(msg)) fail(`invalid YAML: too many alias references (more than ${MAX_ALIAS_COUNT})`);
    fail(`invalid YAML: ${firstLine(msg)}`);
  }
  if (!isPlainObject(data)) fail('expected a mapping with nc, backbone and head at the top level');
  const d = data as Record<string, unknown>;

  const nc = d.nc;
  if (!isInt(nc) || nc < 1 || nc > 1_000_000) fail(`nc must be a positive integer, got ${show(nc)}`);

  const isV5 = d.anchors !== undefined;
  let depth = 1;
  let width = 1;
  let maxChannels: number | null = null;
  let scale = '';
  const notes: string[] = [];
  if (d.scales !== undefined && d.scales !== null) {
    if (!isPlainObject(d.scales) || Object.keys(d.scales).length === 0) fail('scales must map a letter to [depth, width, max_channels]');
    const scales = d.scales as Record<string, unknown>;
    for (const [k, v] of Object.entries(scales)) {
      if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => isNum(x) && x > 0)) {
        fail(`scales.${k} must be [depth, width, max_channels] (positive numbers), got ${show(v)}`);
      }
    }
    scale = opts.scale ?? guessModelScale(fileName);
    if (!scale) {
      scale = Object.keys(scales)[0];
      notes.push(`no scale letter in the file name: scale '${scale}' assumed (the first in scales:), as Ultralytics does`);
    }
    const s = scales[scale] as number[] | undefined;
    if (!s) fail(`scale '${scale}' is not in scales (${Object.keys(scales).join(', ')})`);
    [depth, width, maxChannels] = s!;
  } else {
    const dm = d.depth_multiple ?? 1;
    const wm = d.width_multiple ?? 1;
    if (!isNum(dm) || dm <= 0) fail(`depth_multiple must be a positive number, got ${show(dm)}`);
    if (!isNum(wm) || wm <= 0) fail(`width_multiple must be a positive number, got ${show(wm)}`);
    depth = dm as number;
    width = wm as number;
    scale = opts.scale ?? guessModelScale(fileName);
  }
  // Released models use depth <= 1.0 and width <= 1.5; a multiple of 1e3 made every repeat a
  // thousand blocks and the build ran for minutes before the op budget. Refuse it by name.
  if (depth > MAX_MULTIPLE) fail(`depth multiple ${depth} is beyond any model (at most ${MAX_MULTIPLE})`);
  if (width > MAX_MULTIPLE) fail(`width multiple ${width} is beyond any model (at most ${MAX_MULTIPLE})`);

  let kptShape: number[] | undefined;
  if (d.kpt_shape !== undefined && d.kpt_shape !== null) {
    const k = d.kpt_shape as unknown[];
    if (!Array.isArray(k) || k.length !== 2 || !isInt(k[0]) || k[0] < 1 || k[0] > 10000 || (k[1] !== 2 && k[1] !== 3)) {
      fail(`kpt_shape must be [keypoints, 2 or 3], got ${show(k)}`);
    }
    kptShape = [k[0] as number, k[1] as number];
  }

  let anchors: number[][] | number | undefined;
  if (isV5) {
    const a = d.anchors;
    if (isInt(a) && a >= 1 && a <= 100) {
      // `anchors: 3` = three anchors per level, sizes left to YOLOv5's autoanchor
      anchors = a as number;
    } else if (
      Array.isArray(a) &&
      a.length > 0 &&
      a.length <= 10 &&
      a.every((l) => Array.isArray(l) && l.length >= 2 && l.length % 2 === 0 && l.length === (a[0] as unknown[]).length && l.every(isNum))
    ) {
      anchors = a as number[][];
    } else {
      fail(`anchors must be a list of levels, each an even-length list of numbers of the same length, got ${show(a)}`);
    }
  }

  let act: ActKind = 'silu';
  let actAlpha: number | undefined;
  if (d.activation !== undefined && d.activation !== null) {
    const parsed = parseActivation(d.activation);
    if (!parsed) fail(`activation ${show(d.activation)} is not supported (nn.SiLU(), nn.ReLU(), nn.LeakyReLU(a), nn.Hardswish(), nn.GELU(), nn.Sigmoid(), nn.Tanh())`);
    act = parsed!.act;
    actAlpha = parsed!.alpha;
  }

  const channels = d.ch ?? d.channels;
  if (channels !== undefined && channels !== null && (!isInt(channels) || channels < 1 || channels > 64)) {
    fail(`ch must be a small positive integer, got ${show(channels)}`);
  }

  const regMax = d.reg_max ?? 16;
  if (!isInt(regMax) || regMax < 1 || regMax > 64) fail(`reg_max must be an integer from 1 to 64, got ${show(regMax)}`);
  const end2end = d.end2end ?? false;
  if (typeof end2end !== 'boolean') fail(`end2end must be True or False, got ${show(end2end)}`);

  const backbone = readRows(d.backbone, 'backbone', fail, isV5, lineOf);
  const head = readRows(d.head, 'head', fail, isV5, lineOf);
  if (backbone.length === 0) fail('backbone must be a non-empty list of [from, repeats, module, args] rows');
  if (backbone.length + head.length > MAX_ROWS) fail(`too many rows (${backbone.length + head.length}, at most ${MAX_ROWS})`);

  const spec: ArchSpec = {
    name: opts.name ?? fileStem(fileName),
    file,
    format: isV5 ? 'v5' : 'scales',
    nc: nc as number,
    scale,
    depth,
    width,
    maxChannels,
    act,
    backboneRows: backbone.length,
    rows: [...backbone, ...head],
  };
  if (actAlpha !== undefined) spec.actAlpha = actAlpha;
  if (kptShape) spec.kptShape = kptShape;
  if (anchors !== undefined) spec.anchors = anchors;
  if (isInt(channels)) spec.channels = channels as number;
  if (!isV5 && regMax !== 16) spec.regMax = regMax as number;
  if (!isV5 && end2end) spec.end2end = true;
  // a file with end2end/reg_max keys was written for 8.4.x (YOLO26); others keep the 8.3.x blocks the
  // first tables follow (the two differ only in SPPF's cv1 activation)
  if (!isV5 && (d.end2end !== undefined || d.reg_max !== undefined)) spec.codeVersion = '8.4';
  if (notes.length) spec.notes = notes;
  return spec;
}

function readRows(v: unknown, section: string, fail: (m: string) => never, isV5: boolean, lineOf: (section: string, i: number) => number | null = () => null): ArchRow[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`${section} must be a list of [from, repeats, module, args] rows`);
  const rows: ArchRow[] = [];
  (v as unknown[]).forEach((r, i) => {
    const where = `${section}[${i}]`;
    if (!Array.isArray(r) || r.length !== 4) fail(`${where}: expected [from, repeats, module, args], got ${show(r)}`);
    const [from, n, m, args] = r as unknown[];
    if (!(isInt(from) || (Array.isArray(from) && from.length > 0 && from.length <= 64 && from.every(isInt)))) {
      fail(`${where}: 'from' must be an integer or a list of integers, got ${show(from)}`);
    }
    if (!isInt(n) || n < 1 || n > MAX_REPEATS) fail(`${where}: repeats must be an integer from 1 to ${MAX_REPEATS}, got ${show(n)}`);
    if (typeof m !== 'string') fail(`${where}: module must be a name, got ${show(m)}`);
    const known = isV5 ? V5_MODULES : KNOWN_MODULES;
    if (!known.has(m as string)) {
      const line = lineOf(section, i);
      const at = line === null ? where : `${where}, line ${line}`;
      fail(
        !isV5 && ULTRALYTICS_UNMODELLED.has(m as string)
          ? `${at}: module '${m}' is an Ultralytics module this estimator does not model yet`
          : `${at}: unknown module '${m}'`,
      );
    }
    if (!Array.isArray(args)) fail(`${where}: args must be a list, got ${show(args)}`);
    checkArgs(args as unknown[], 1, where, fail);
    rows.push([from as number | number[], n as number, m as string, args as ArgValue[]]);
  });
  return rows;
}

function checkArgs(args: unknown[], depth: number, where: string, fail: (m: string) => never): void {
  if (depth > MAX_ARG_DEPTH) fail(`${where}: args nested too deeply`);
  if (args.length > 64) fail(`${where}: too many args (${args.length})`);
  for (const a of args) {
    if (a === null || typeof a === 'boolean' || typeof a === 'string') continue;
    if (typeof a === 'number') {
      if (!Number.isFinite(a)) fail(`${where}: argument ${show(a)} is not a finite number`);
      continue;
    }
    if (Array.isArray(a)) {
      checkArgs(a, depth + 1, where, fail);
      continue;
    }
    fail(`${where}: argument ${show(a)} must be a number, boolean, string, null or list`);
  }
}

function parseActivation(v: unknown): { act: ActKind; alpha?: number } | null {
  if (typeof v !== 'string') return null;
  const m = /^\s*(?:torch\.)?nn\.(\w+)\(\s*([^)]*)\)\s*$/.exec(v);
  if (!m) return null;
  const arg = m[2].split(',')[0].replace(/^negative_slope\s*=\s*/, '').trim();
  switch (m[1]) {
    case 'SiLU':
      return { act: 'silu' };
    case 'ReLU':
    case 'ReLU6':
      return { act: 'relu' };
    case 'LeakyReLU': {
      const alpha = arg === '' ? 0.01 : Number(arg);
      return Number.isFinite(alpha) ? { act: 'leaky_relu', alpha } : null;
    }
    case 'Hardswish':
      return { act: 'hardswish' };
    case 'GELU':
      return { act: 'gelu' };
    case 'Sigmoid':
      return { act: 'sigmoid' };
    case 'Tanh':
      return { act: 'tanh' };
    default:
      return null;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/:$/, '').trim();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** A short, single-line rendering of a YAML value for error messages. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? `'${v}'` : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  s = s.replace(/\s+/g, ' ');
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
