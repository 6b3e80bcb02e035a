// ResolvedModel + (batch, imgsz) -> TrainGraph, and the entry points that go from YAML text, a YAML
// file or a built-in name to a graph. The forward is Ultralytics' BaseModel._predict_once: each row
// reads the previous row's output or the rows named in `from`, in order.

import { existsSync } from 'node:fs';
import { NotRegularFileError, readRegularFileSync } from '../fs/regular-file';
import { GraphBuilder, GraphError } from '../graph/builder';
import type { TrainGraph } from '../graph/types';
import { LayerError, bottleneck, c2f, c2fpsa, c2psa, c3, c3k, c3k2, conv, dwconv, focus, attention, psaBlock, proto, spp, sppf, type Emitter } from './blocks';
import { MULTI_IO_TYPES, emitGelanModule, emitMultiRow } from './blocks-gelan';
import { emitRtdetrModule } from './blocks-rtdetr';
import { emitWorldModule, setWorldTextCount, worldDetect } from './blocks-world';
import { DETR_DEFAULT_GT_PER_IMAGE, emitRtdetrHead } from './head-rtdetr';
import { resolveBuiltin } from './builtin';
import { a2c2f } from './blocks-a2';
import { c2fcib, psa, scdown } from './blocks-v10';
import { c2, c3Ghost, ghostBottleneck, ghostConv } from './blocks-ghost';
import { emitHead, REG_MAX } from './heads';
import { parseArchYaml } from './parse';
import { resolveArch, rowName } from './resolve';
import { YoloArchError, type ArchSpec, type ArgValue, type BuildOptions, type ResolvedLayer, type ResolvedModel } from './types';

/** Ultralytics rounds imgsz up to a multiple of the model's largest stride (check_imgsz). */
export const MAX_STRIDE = 32;
const MAX_IMGSZ = 8192;
const MAX_BATCH = 65536;

/** Model YAMLs are small; refuse to read anything that cannot be one. */
const MAX_YAML_BYTES = 1_000_000;

export function buildFromYamlText(text: string, fileName: string, opts: BuildOptions): TrainGraph {
  const spec = parseArchYaml(text, fileName);
  return buildGraph(resolveArch(spec, opts.pruneRatio ?? 0, opts.nc), opts, 'yaml');
}

export function buildFromYamlFile(path: string, opts: BuildOptions): TrainGraph {
  return buildFromYamlText(readYamlFile(path), path, opts);
}

/** Reads a model YAML with one-line errors (missing file, directory, too large). */
export function readYamlFile(path: string): string {
  const name = path.split(/[\\/]/).pop() || path;
  try {
    // regular files only: a FIFO or a link to /dev/zero would block or never end (fs/regular-file.ts)
    return readRegularFileSync(path, MAX_YAML_BYTES, 'file').toString('utf8');
  } catch (e) {
    if (e instanceof NotRegularFileError) {
      throw new YoloArchError(`${name}: ${e.code === 'EFBIG' ? `file too large for a model YAML (${e.message.replace(/^file too large \(|\)$/g, '')})` : e.message}`);
    }
    throw new YoloArchError(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export function buildBuiltin(name: string, opts: BuildOptions): TrainGraph {
  const spec = resolveBuiltin(name);
  if (!spec) throw new YoloArchError(`unknown built-in model '${name}' (try yolov8n, yolo11s-seg, yolov5su, yolov5s, ...)`);
  return buildGraph(resolveArch(spec, opts.pruneRatio ?? 0, opts.nc), opts, 'builtin');
}

/** Parses and resolves once; the result can be built at several (batch, imgsz) with buildGraph. */
export function prepareYaml(text: string, fileName: string, pruneRatio = 0, nc?: number): ResolvedModel {
  return resolveArch(parseArchYaml(text, fileName), pruneRatio, nc);
}

export function prepareBuiltin(name: string, pruneRatio = 0, nc?: number): ResolvedModel | null {
  const spec = resolveBuiltin(name);
  return spec ? resolveArch(spec, pruneRatio, nc) : null;
}

/** A model argument as the CLI and the extension receive it: a model YAML path, or a built-in name
 *  (with or without .pt/.yaml). A YAML file that exists wins over a built-in of the same name. */
export function prepareModel(model: string, opts: { pruneRatio?: number; nc?: number } = {}): { model: ResolvedModel; source: 'yaml' | 'builtin' } {
  const isYamlPath = /\.ya?ml$/i.test(model);
  if (isYamlPath && existsSync(model)) return { model: prepareYaml(readYamlFile(model), model, opts.pruneRatio ?? 0, opts.nc), source: 'yaml' };
  const builtin = prepareBuiltin(model, opts.pruneRatio ?? 0, opts.nc);
  if (builtin) return { model: builtin, source: 'builtin' };
  if (isYamlPath) return { model: prepareYaml(readYamlFile(model), model, opts.pruneRatio ?? 0, opts.nc), source: 'yaml' };
  throw new YoloArchError(`'${model}' is neither a model YAML nor a built-in model (try yolov8n, yolo11s-seg, yolov5su, yolov5s, ...)`);
}

function checkSize(spec: ArchSpec, opts: BuildOptions, maxStride: number): { batch: number; hw: [number, number]; notes: string[] } {
  const notes: string[] = [];
  const batch = opts.batch;
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_BATCH) throw new YoloArchError(`batch must be an integer from 1 to ${MAX_BATCH}, got ${batch}`);
  const raw = typeof opts.imgsz === 'number' ? [opts.imgsz, opts.imgsz] : opts.imgsz;
  if (!Array.isArray(raw) || raw.length !== 2 || !raw.every((v) => Number.isSafeInteger(v) && v >= 1 && v <= MAX_IMGSZ)) {
    throw new YoloArchError(`imgsz must be an integer from 1 to ${MAX_IMGSZ}, got ${JSON.stringify(opts.imgsz)}`);
  }
  const hw = raw.map((v) => Math.max(maxStride, Math.ceil(v / maxStride) * maxStride)) as [number, number];
  if (hw[0] !== raw[0] || hw[1] !== raw[1]) notes.push(`imgsz ${raw.join('x')} is not a multiple of the max stride ${maxStride}: updated to ${hw.join('x')} (as Ultralytics does)`);
  void spec;
  return { batch, hw, notes };
}

/** Builds the training graph of a resolved model at one batch size and image size. */
export function buildGraph(model: ResolvedModel, opts: BuildOptions, source = 'yaml', extend?: (b: GraphBuilder) => void): TrainGraph {
  return buildGraphWithOutputs(model, opts, source, extend).graph;
}

/** Like buildGraph, plus the output tensor ids of every row (a head's: its per-level outputs), for
 *  per-layer views and checks against a framework's layer-by-layer shapes. */
export function buildGraphWithOutputs(
  model: ResolvedModel,
  opts: BuildOptions,
  source = 'yaml',
  /** Runs on the builder after the model, before finish(): where the caller appends the loss. */
  extend?: (b: GraphBuilder) => void,
): { graph: TrainGraph; outputs: number[][] } {
  const spec = model.spec;
  const { batch, hw, notes } = checkSize(spec, opts, model.maxStride ?? MAX_STRIDE);
  const headLayer = model.layers[model.layers.length - 1];
  const task = taskOf(headLayer.type);
  const b = new GraphBuilder(spec.name, source, task, batch, hw, opts.channels ?? spec.channels ?? 3);
  const e: Emitter = { b, act: spec.act, lenientHeads: model.pruneRatio > 0, v5: spec.format === 'v5', notes: b.notes, v84: spec.codeVersion === '8.4' };
  b.notes.push(...model.notes, ...notes);
  b.backboneEnd = spec.backboneRows - 1;
  const input = b.addInput();
  setWorldTextCount(b, spec.nc); // YOLO-World: one text prompt per class
  const outs: number[][] = [];
  const one = (k: number) => (k === -1 ? input : single(outs[k], k));

  for (const layer of model.layers) {
    const ref = { index: layer.index, path: `model.${layer.index}`, type: layer.type, group: layer.group };
    try {
      b.inModule(ref, () => {
        if (layer.group === 'head') {
          const xs = layer.inputs.map(one);
          const info =
            layer.type === 'RTDETRDecoder'
              ? emitRtdetrHead(e, xs, ref.path, rtdetrArgs(layer.args), opts.gtPerImage ?? DETR_DEFAULT_GT_PER_IMAGE)
              : layer.type === 'WorldDetect'
                ? worldDetect(e, xs, ref.path, layer.args[0] as number, layer.args[1] as number, layer.args[2] as boolean, layer.args[3] as number[])
                : emitHead(
                    e,
                    xs,
                    ref.path,
                    // v10Detect = Detect(nc, end2end=True) with the light (depthwise) class branch
                    layer.type === 'v10Detect'
                      ? { type: 'Detect', args: layer.args, nc: spec.nc, legacy: false, regMax: REG_MAX, end2end: true }
                      : { type: layer.type, args: layer.args, nc: spec.nc, legacy: model.legacyHead, regMax: spec.regMax ?? REG_MAX, end2end: spec.end2end ?? false },
                    spec.format === 'v5',
                  );
          b.head = info;
          outs.push(info.style === 'classify' ? info.levels : [...info.levels]);
          return;
        }
        if (MULTI_IO_TYPES.has(layer.type)) {
          outs.push(emitMultiRow(e, layer.type, layer.args, layer.inputs.map((k) => (k === -1 ? [input] : outs[k])), ref.path));
          return;
        }
        outs.push([emitLayer(e, layer, layer.inputs.map(one), ref.path)]);
      });
    } catch (err) {
      if (err instanceof LayerError || err instanceof GraphError) {
        throw new YoloArchError(`${spec.file}: ${rowName(spec, layer.index)} (${layer.type}): ${err.message}`);
      }
      throw err;
    }
  }
  extend?.(b);
  return { graph: b.finish(), outputs: outs };
}

/** RTDETRDecoder(nc, ch, hd, nq, ndp, nh, ndl, d_ffn) as resolved; nd (denoising queries) keeps its default 100. */
function rtdetrArgs(a: ArgValue[]): { nc: number; ch: number[]; hd: number; nq: number; ndp: number; nh: number; ndl: number; dFfn: number; nd: number } {
  const n = (i: number) => a[i] as number;
  return { nc: n(0), ch: a[1] as number[], hd: n(2), nq: n(3), ndp: n(4), nh: n(5), ndl: n(6), dFfn: n(7), nd: 100 };
}

function single(ts: number[], k: number): number {
  if (ts.length !== 1) throw new LayerError(`row ${k} has ${ts.length} outputs; only a head's outputs can be lists`);
  return ts[0];
}

function taskOf(type: string): TrainGraph['task'] {
  switch (type) {
    case 'Segment':
    case 'Segment26':
      return 'segment';
    case 'Pose':
    case 'Pose26':
      return 'pose';
    case 'OBB':
    case 'OBB26':
      return 'obb';
    case 'Classify':
      return 'classify';
    default:
      return 'detect';
  }
}

/** A non-head row: its module, repeated `n` times in an nn.Sequential when parse_model left n outside. */
function emitLayer(e: Emitter, layer: ResolvedLayer, xs: number[], path: string): number {
  if (layer.type === 'Concat') return e.b.cat(xs, layer.args[0] as number, `${path}.cat`);
  let x = xs[0];
  for (let r = 0; r < layer.n; r++) {
    const p = layer.n > 1 ? `${path}.${r}` : path;
    x = emitModule(e, layer.type, layer.args, x, p);
  }
  return x;
}

function emitModule(e: Emitter, type: string, a: ArgValue[], x: number, p: string): number {
  const num = (i: number) => a[i] as number;
  const bool = (i: number) => a[i] as boolean;
  switch (type) {
    case 'Conv':
      return conv(e, x, p, num(0), num(1), num(2), num(3), a[4] as number | null, num(5), num(6), bool(7));
    case 'DWConv':
      return dwconv(e, x, p, num(0), num(1), num(2), num(3), num(4), bool(5));
    case 'Focus':
      return focus(e, x, p, num(0), num(1), num(2), num(3), a[4] as number | null, num(5), bool(6));
    case 'Bottleneck':
      return bottleneck(e, x, p, num(0), num(1), bool(2), num(3), a[4] as [number, number], num(5));
    case 'SPP':
      return spp(e, x, p, num(0), num(1), a[2] as number[]);
    case 'SPPF':
      return sppf(e, x, p, num(0), num(1), num(2), num(3), bool(4));
    case 'C2f':
      return c2f(e, x, p, num(0), num(1), num(2), bool(3), num(4), num(5));
    case 'C3':
      return c3(e, x, p, num(0), num(1), num(2), bool(3), num(4), num(5));
    case 'C3k2':
      return c3k2(e, x, p, num(0), num(1), num(2), bool(3), num(4), num(6), bool(7), bool(5));
    case 'C3k':
      return c3k(e, x, p, num(0), num(1), num(2), bool(3), num(4), num(5), num(6));
    case 'C2':
      return c2(e, x, p, num(0), num(1), num(2), bool(3), num(4), num(5));
    case 'GhostConv':
      return ghostConv(e, x, p, num(0), num(1), num(2), num(3), num(4), bool(5));
    case 'C3Ghost':
      return c3Ghost(e, x, p, num(0), num(1), num(2), bool(3), num(4), num(5));
    case 'GhostBottleneck':
      return ghostBottleneck(e, x, p, num(0), num(1), num(2), num(3));
    case 'SCDown':
      return scdown(e, x, p, num(0), num(1), num(2), num(3));
    case 'PSA':
      return psa(e, x, p, num(0), num(1), num(2));
    case 'C2fCIB':
      return c2fcib(e, x, p, num(0), num(1), num(2), bool(3), bool(4), num(5), num(6));
    case 'A2C2f':
      return a2c2f(e, x, p, num(0), num(1), num(2), bool(3), num(4), bool(5), num(6), num(7), num(8), bool(9));
    case 'C2PSA':
      return c2psa(e, x, p, num(0), num(1), num(2), num(3));
    case 'C2fPSA':
      return c2fpsa(e, x, p, num(0), num(1), num(2), num(3));
    case 'PSABlock':
      return psaBlock(e, x, p, num(0), num(1), num(2), bool(3));
    case 'Attention':
      return attention(e, x, p, num(0), num(1), num(2));
    case 'Proto':
      return proto(e, x, p, num(0), num(1), num(2), e.v5 ? 'v5' : 'ultralytics');
    case 'Upsample':
      return e.b.upsample(x, num(1), a[2] as 'nearest' | 'bilinear', `${p}.upsample`);
    default: {
      const y = emitGelanModule(e, type, a, x, p) ?? emitRtdetrModule(e, type, a, x, p) ?? emitWorldModule(e, type, a, x, p);
      if (y === null) throw new LayerError(`module ${type} cannot be built here`);
      return y;
    }
  }
}
