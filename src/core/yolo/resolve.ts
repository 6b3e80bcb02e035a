// ArchSpec -> ResolvedModel: the rules of Ultralytics' `parse_model` (ultralytics/nn/tasks.py, 8.3.x)
// and of YOLOv5 v7.0's `parse_model` (models/yolo.py), applied row by row:
//   repeats   n = max(round(n * depth), 1) if n > 1 else n       (Python's round: halves to even)
//   channels  c2 = make_divisible(min(c2, max_channels) * width, 8)  unless c2 == nc
//             (YOLOv5 v7.0: make_divisible(c2 * width_multiple, 8) unless c2 == na * (nc + 5))
//   C2f, C3, C3k2, C2PSA, C2fPSA take n as their third argument and are built once.
//   C3k2 marks the model as non-legacy (YOLO11's Detect class branch uses depthwise convs) and, at
//   scales m/l/x, forces its c3k argument to True.
//   Concat sums its inputs' channels; Detect/Segment/Pose/OBB get the list of input channels;
//   Segment's prototype width is scaled like a channel count.
// Pruning (pruneRatio = r in [0, 0.9]): every channel count that the YAML gives (after width scaling,
// Segment's prototype width included) is multiplied by (1 - r) and rounded up to a multiple of 8, as
// a channel-pruned model keeps hardware-friendly widths. Widths derived inside blocks (hidden widths,
// the Detect branches' c2/c3) follow from the pruned inputs; fixed constants (Classify's 1280,
// reg_max) are not pruned.

import { HEAD_TYPES, ULTRALYTICS_RULES, V5_RULES, typeName } from './modules';
import { show } from './parse';
import { YoloArchError, type ArchSpec, type ArgValue, type ResolvedLayer, type ResolvedModel } from './types';

export const MAX_PRUNE_RATIO = 0.9;

/** Python 3's round(): ties go to the even neighbour (round(2.5) == 2), which parse_model relies on. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Ultralytics' make_divisible: the smallest multiple of `divisor` that is >= x. */
export function makeDivisible(x: number, divisor = 8): number {
  return Math.ceil(x / divisor) * divisor;
}

/** Channels after pruning: (1 - r) of c, rounded up to a multiple of 8 (never below 8). */
export function pruneChannels(c: number, r: number): number {
  if (r <= 0) return c;
  // the epsilon keeps float noise (80 * 0.9 = 72.00000000000001) from adding a whole step of 8
  return Math.max(8, Math.ceil((c * (1 - r)) / 8 - 1e-9) * 8);
}

export function rowName(spec: ArchSpec, i: number): string {
  return i < spec.backboneRows ? `backbone[${i}]` : `head[${i - spec.backboneRows}]`;
}

export function resolveArch(spec0: ArchSpec, pruneRatio = 0, nc?: number): ResolvedModel {
  if (nc !== undefined && !(Number.isSafeInteger(nc) && nc >= 1 && nc <= 1_000_000)) {
    throw new YoloArchError(`nc must be a positive integer, got ${show(nc)}`);
  }
  const spec: ArchSpec = nc === undefined || nc === spec0.nc ? spec0 : { ...spec0, nc, notes: [...(spec0.notes ?? []), `nc ${spec0.nc} replaced by ${nc}`] };
  if (!(typeof pruneRatio === 'number' && pruneRatio >= 0 && pruneRatio <= MAX_PRUNE_RATIO)) {
    throw new YoloArchError(`pruneRatio must be a number from 0 to ${MAX_PRUNE_RATIO}, got ${show(pruneRatio)}`);
  }
  const rules = spec.format === 'v5' ? V5_RULES : ULTRALYTICS_RULES;
  const isV5 = spec.format === 'v5';
  const chIn = spec.channels ?? 3;
  const ch: number[] = [];
  const strides: number[] = [];
  const layers: ResolvedLayer[] = [];
  const notes: string[] = [...(spec.notes ?? [])];
  let legacy = true;
  const na = typeof spec.anchors === 'number' ? spec.anchors : spec.anchors ? spec.anchors[0].length / 2 : 0;
  const v5no = na * (spec.nc + 5);
  const last = spec.rows.length - 1;

  spec.rows.forEach((row, i) => {
    const where = `${spec.file}: ${rowName(spec, i)}`;
    const fail = (msg: string): never => {
      throw new YoloArchError(`${where}: ${msg}`);
    };
    const [from, n0, module] = row;
    const rule = rules.get(module);
    if (!rule) fail(`unknown module '${module}'`);
    const type = typeName(module);

    // `from`: -1 is the previous row (the image for row 0); other negatives count back from this row
    const froms = Array.isArray(from) ? from : [from];
    const inputs = froms.map((f) => {
      if (i === 0) {
        if (f !== -1) fail(`the first row must read the image ('from' -1), got ${show(from)}`);
        return -1;
      }
      const abs = f < 0 ? i + f : f;
      if (abs < 0 || abs >= i) fail(`'from' index ${f} does not name an earlier row (this is row ${i})`);
      return abs;
    });
    const chOf = (k: number) => (k === -1 ? chIn : ch[k]);
    if (rule !== 'concat' && rule !== 'head' && rule !== 'multi' && rule !== 'detrhead' && inputs.length !== 1) fail(`${type} takes one input, 'from' lists ${inputs.length}`);
    if ((rule === 'head' || rule === 'detrhead') && !Array.isArray(from)) fail(`${type} needs a list of input rows in 'from'`);
    if (HEAD_TYPES.has(type) && i !== last) fail(`${type} must be the last row`);
    if (i === last && !HEAD_TYPES.has(type)) fail(`the last row must be a Detect, Segment, Pose, OBB or Classify head (or their YOLO26 forms), got '${module}'`);

    const args = row[3].map((a) => resolveString(a, spec));
    let n = n0 > 1 ? Math.max(pyRound(n0 * spec.depth), 1) : n0;
    let c1 = chOf(inputs[0]);
    let c2 = c1;
    let out: ArgValue[];

    const scaleCh = (c: number): number =>
      pruneChannels(isV5 ? makeDivisible(c * spec.width, 8) : makeDivisible((spec.maxChannels === null ? c : Math.min(c, spec.maxChannels)) * spec.width, 8), pruneRatio);

    switch (rule) {
      case 'base':
      case 'repeat': {
        const a0 = args[0];
        if (!isPosInt(a0)) fail(`${type} output channels (first argument) must be a positive integer, got ${show(a0)}`);
        c2 = a0 as number;
        if (isV5 ? c2 !== v5no : c2 !== spec.nc) c2 = scaleCh(c2);
        if (type === 'C2fAttn') {
          // parse_model: heads = max(round(min(nh, max_channels // 2 // 32)) * width, 1) when nh > 1;
          // embed channels = int(c2 * e), whatever the YAML's ec says
          const nh = args[2];
          if (isPosInt(nh) && (nh as number) > 1) {
            const cap = spec.maxChannels === null ? (nh as number) : Math.floor(Math.floor(spec.maxChannels / 2) / 32);
            args[2] = Math.trunc(Math.max(pyRound(Math.min(nh as number, cap)) * spec.width, 1));
          }
          const ex = args.length > 6 ? (args[6] as number) : 0.5;
          args[1] = Math.trunc(c2 * ex);
          if (isPosInt(args[2]) && (args[1] as number) % (args[2] as number)) fail(`C2fAttn hidden channels ${args[1]} must be divisible by its ${args[2]} heads`);
        }
        const rest = args.slice(1);
        out = rule === 'repeat' ? [c1, c2, n, ...rest] : [c1, c2, ...rest];
        if (rule === 'repeat') n = 1;
        if (type === 'C3k2') {
          legacy = false;
          // Python's `scale in "mlx"` is also true for an empty scale
          if (spec.scale === '' || 'mlx'.includes(spec.scale)) {
            while (out.length < 4) out.push(false);
            out[3] = true;
          }
        }
        if (type === 'C2fCIB') legacy = false;
        if (type === 'A2C2f') {
          legacy = false;
          // parse_model (8.4): at scales l and x, A2C2f gets residual=True, mlp_ratio=1.2
          if (spec.scale === 'l' || spec.scale === 'x') out.push(true, 1.2);
        }
        out = normalizeArgs(type, out, row[3], fail);
        break;
      }
      case 'concat': {
        c2 = inputs.reduce((s, k) => s + chOf(k), 0);
        out = normalizeArgs(type, args, row[3], fail);
        const d = out[0] as number;
        if (d !== 1 && d !== -3) fail(`Concat along dimension ${d} is not supported (only channels, dimension 1)`);
        break;
      }
      case 'upsample':
        out = normalizeArgs(type, args, row[3], fail);
        if (out[0] !== null) fail('Upsample to a fixed size is not supported; use scale_factor');
        if (out[1] === null) fail('Upsample needs a scale_factor');
        break;
      case 'head': {
        const chs = inputs.map(chOf);
        const sigName = isV5 ? `v5${type}` : type;
        if (isV5) {
          // Detect(nc, anchors, ch) / Segment(nc, anchors, nm, npr, ch); `anchors: 3` means 3 per level
          out = [...args];
          if (isPosInt(out[1])) {
            const k = out[1] as number;
            out[1] = Array.from({ length: inputs.length }, () => Array.from({ length: 2 * k }, (_, j) => j));
          }
          if (!Array.isArray(out[1]) || out[1].length !== inputs.length) {
            fail(`${type} needs one anchor list per input level (${inputs.length}), got ${show(args[1])}`);
          }
          out = padDefaults(sigName, out, row[3], fail);
          if (type === 'Segment' && isPosInt(out[3])) out[3] = pruneChannels(makeDivisible((out[3] as number) * spec.width, 8), pruneRatio);
        } else {
          out = padDefaults(sigName, args, row[3], fail);
          if ((type === 'Segment' || type === 'Segment26') && isPosInt(out[2])) out[2] = scaleCh(out[2] as number);
        }
        out = checkArgs(sigName, [...out, chs], fail);
        break;
      }
      case 'raw':
        out = normalizeArgs(type, args, row[3], fail);
        break;
      case 'cblinear': {
        out = normalizeArgs(type, [c1, ...args], row[3], fail);
        c2 = (out[1] as number[]).reduce((s, c) => s + c, 0);
        break;
      }
      case 'multi':
        c2 = chOf(inputs[inputs.length - 1]);
        out = normalizeArgs(type, args, row[3], fail);
        break;
      case 'hg': {
        if (!isPosInt(args[1])) fail(`${type} output channels (second argument) must be a positive integer, got ${show(args[1])}`);
        c2 = args[1] as number;
        out = [c1, ...args];
        if (type === 'HGBlock') {
          while (out.length < 4) out.push(3);
          out.splice(4, 0, n);
          n = 1;
        }
        out = normalizeArgs(type, out, row[3], fail);
        break;
      }
      case 'aifi':
        out = normalizeArgs(type, [c1, ...args], row[3], fail);
        break;
      case 'resnetlayer': {
        out = normalizeArgs(type, args, row[3], fail);
        c2 = out[3] ? (out[1] as number) : (out[1] as number) * (out[5] as number);
        break;
      }
      case 'detrhead': {
        const chs = inputs.map(chOf);
        out = normalizeArgs(type, [args[0], chs, ...args.slice(1)], row[3], fail);
        break;
      }
    }

    // downsampling of this row's output: Conv-like rows multiply by their stride, Upsample divides
    const inStride = Math.max(...inputs.map((k) => (k === -1 ? 1 : strides[k])));
    let rowStride = inStride;
    if ((type === 'Conv' || type === 'DWConv' || type === 'Focus' || type === 'GhostConv' || type === 'SCDown' || type === 'GhostBottleneck') && isPosInt(out![3])) rowStride = inStride * (out![3] as number);
    else if (type === 'Upsample' && typeof out![1] === 'number') rowStride = inStride / (out![1] as number);
    strides.push(rowStride);
    const group = i < spec.backboneRows ? 'backbone' : i === last ? 'head' : 'neck';
    layers.push({ index: i, from, inputs, type, n, args: out!, c1, c2, group });
    ch.push(c2);
  });

  if (pruneRatio > 0) notes.push(`channels pruned by ${Math.round(pruneRatio * 1000) / 10}% (rounded up to multiples of 8)`);
  return { spec, layers, legacyHead: legacy, pruneRatio, notes, maxStride: Math.max(32, ...strides.filter(Number.isFinite)) };
}

/** Strings in args are names or Python literals (Ultralytics: locals()[a] or ast.literal_eval(a)). */
function resolveString(a: ArgValue, spec: ArchSpec): ArgValue {
  if (typeof a !== 'string') return a;
  switch (a) {
    case 'nc':
      return spec.nc;
    case 'kpt_shape':
      return spec.kptShape ?? a;
    case 'anchors':
      return spec.anchors ?? a;
    case 'None':
      return null;
    case 'True':
      return true;
    case 'False':
      return false;
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a.trim())) return Number(a);
  return a;
}

type ArgKind = 'int' | 'posint' | 'int?' | 'num' | 'num?' | 'bool' | 'intlist' | 'kpt' | 'anchors' | 'chlist' | 'mode' | 'intorpair' | 'poslist' | 'idxlist' | 'pad' | 'posint?';
interface Sig {
  names: string[];
  kinds: ArgKind[];
  /** Python defaults of the trailing arguments (for heads: of those before `ch`). */
  defaults: ArgValue[];
}

/** Constructor signatures (with the Python defaults) of every supported module, as parse_model calls
 *  them (c1, c2 and n inserted). Extra arguments are an error, as they are a TypeError in Python. */
const SIGS: Record<string, Sig> = {
  Conv: sig(['c1', 'c2', 'k', 's', 'p', 'g', 'd', 'act'], ['posint', 'posint', 'posint', 'posint', 'int?', 'posint', 'posint', 'bool'], [1, 1, null, 1, 1, true]),
  DWConv: sig(['c1', 'c2', 'k', 's', 'd', 'act'], ['posint', 'posint', 'posint', 'posint', 'posint', 'bool'], [1, 1, 1, true]),
  Focus: sig(['c1', 'c2', 'k', 's', 'p', 'g', 'act'], ['posint', 'posint', 'posint', 'posint', 'int?', 'posint', 'bool'], [1, 1, null, 1, true]),
  Bottleneck: sig(['c1', 'c2', 'shortcut', 'g', 'k', 'e'], ['posint', 'posint', 'bool', 'posint', 'intorpair', 'num'], [true, 1, [3, 3], 0.5]),
  SPP: sig(['c1', 'c2', 'k'], ['posint', 'posint', 'intlist'], [[5, 9, 13]]),
  // 8.4.x: SPPF(c1, c2, k=5, n=3, shortcut=False) (YOLO26 passes n and shortcut)
  SPPF: sig(['c1', 'c2', 'k', 'n', 'shortcut'], ['posint', 'posint', 'posint', 'posint', 'bool'], [5, 3, false]),
  Classify: sig(['c1', 'c2', 'k', 's', 'p', 'g'], ['posint', 'posint', 'posint', 'posint', 'int?', 'posint'], [1, 1, null, 1]),
  C2f: sig(['c1', 'c2', 'n', 'shortcut', 'g', 'e'], ['posint', 'posint', 'posint', 'bool', 'posint', 'num'], [1, false, 1, 0.5]),
  C3: sig(['c1', 'c2', 'n', 'shortcut', 'g', 'e'], ['posint', 'posint', 'posint', 'bool', 'posint', 'num'], [1, true, 1, 0.5]),
  // 8.4.x: C3k2(c1, c2, n, c3k, e, attn, g, shortcut); attn (YOLO26) makes each inner block Bottleneck + PSABlock
  C3k2: sig(['c1', 'c2', 'n', 'c3k', 'e', 'attn', 'g', 'shortcut'], ['posint', 'posint', 'posint', 'bool', 'num', 'bool', 'posint', 'bool'], [1, false, 0.5, false, 1, true]),
  C2PSA: sig(['c1', 'c2', 'n', 'e'], ['posint', 'posint', 'posint', 'num'], [1, 0.5]),
  C2fPSA: sig(['c1', 'c2', 'n', 'e'], ['posint', 'posint', 'posint', 'num'], [1, 0.5]),
  C2: sig(['c1', 'c2', 'n', 'shortcut', 'g', 'e'], ['posint', 'posint', 'posint', 'bool', 'posint', 'num'], [1, true, 1, 0.5]),
  GhostConv: sig(['c1', 'c2', 'k', 's', 'g', 'act'], ['posint', 'posint', 'posint', 'posint', 'posint', 'bool'], [1, 1, 1, true]),
  C3Ghost: sig(['c1', 'c2', 'n', 'shortcut', 'g', 'e'], ['posint', 'posint', 'posint', 'bool', 'posint', 'num'], [1, true, 1, 0.5]),
  GhostBottleneck: sig(['c1', 'c2', 'k', 's'], ['posint', 'posint', 'posint', 'posint'], [3, 1]),
  SCDown: sig(['c1', 'c2', 'k', 's'], ['posint', 'posint', 'posint', 'posint'], []),
  PSA: sig(['c1', 'c2', 'e'], ['posint', 'posint', 'num'], [0.5]),
  C2fCIB: sig(['c1', 'c2', 'n', 'shortcut', 'lk', 'g', 'e'], ['posint', 'posint', 'posint', 'bool', 'bool', 'posint', 'num'], [1, false, false, 1, 0.5]),
  v10Detect: sig(['nc', 'ch'], ['posint', 'chlist'], []),
  A2C2f: sig(
    ['c1', 'c2', 'n', 'a2', 'area', 'residual', 'mlp_ratio', 'e', 'g', 'shortcut'],
    ['posint', 'posint', 'posint', 'bool', 'int', 'bool', 'num', 'num', 'posint', 'bool'],
    [1, true, 1, false, 2.0, 0.5, 1, true],
  ),
  C3k: sig(['c1', 'c2', 'n', 'shortcut', 'g', 'e', 'k'], ['posint', 'posint', 'posint', 'bool', 'posint', 'num', 'posint'], [1, true, 1, 0.5, 3]),
  PSABlock: sig(['c', 'attn_ratio', 'num_heads', 'shortcut'], ['posint', 'num', 'posint', 'bool'], [0.5, 4, true]),
  Attention: sig(['dim', 'num_heads', 'attn_ratio'], ['posint', 'posint', 'num'], [8, 0.5]),
  Proto: sig(['c1', 'c_', 'c2'], ['posint', 'posint', 'posint'], [256, 32]),
  Concat: sig(['dimension'], ['int'], [1]),
  Upsample: sig(['size', 'scale_factor', 'mode'], ['int?', 'num?', 'mode'], [null, null, 'nearest']),
  Detect: sig(['nc', 'ch'], ['posint', 'chlist'], []),
  Segment: sig(['nc', 'nm', 'npr', 'ch'], ['posint', 'posint', 'posint', 'chlist'], [32, 256]),
  Pose: sig(['nc', 'kpt_shape', 'ch'], ['posint', 'kpt', 'chlist'], [[17, 3]]),
  OBB: sig(['nc', 'ne', 'ch'], ['posint', 'posint', 'chlist'], [1]),
  // YOLOv9 / YOLOv3u / YOLOv6 rows (blocks-gelan.ts)
  RepNCSPELAN4: sig(['c1', 'c2', 'c3', 'c4', 'n'], ['posint', 'posint', 'posint', 'posint', 'posint'], [1]),
  ELAN1: sig(['c1', 'c2', 'c3', 'c4'], ['posint', 'posint', 'posint', 'posint'], []),
  ADown: sig(['c1', 'c2'], ['posint', 'posint'], []),
  AConv: sig(['c1', 'c2'], ['posint', 'posint'], []),
  SPPELAN: sig(['c1', 'c2', 'c3', 'k'], ['posint', 'posint', 'posint', 'posint'], [5]),
  CBLinear: sig(['c1', 'c2s', 'k', 's', 'p', 'g'], ['posint', 'poslist', 'posint', 'posint', 'int?', 'posint'], [1, 1, null, 1]),
  CBFuse: sig(['idx'], ['idxlist'], []),
  Identity: sig([], [], []),
  MaxPool2d: sig(['kernel_size', 'stride', 'padding'], ['posint', 'posint?', 'int'], [null, 0]),
  ZeroPad2d: sig(['padding'], ['pad'], []),
  ConvTranspose2d: sig(['c1', 'c2', 'kernel_size', 'stride', 'padding'], ['posint', 'posint', 'posint', 'posint', 'int'], [1, 0]),
  // RT-DETR rows (blocks-rtdetr.ts, head-rtdetr.ts)
  HGStem: sig(['c1', 'cm', 'c2'], ['posint', 'posint', 'posint'], []),
  HGBlock: sig(['c1', 'cm', 'c2', 'k', 'n', 'lightconv', 'shortcut'], ['posint', 'posint', 'posint', 'posint', 'posint', 'bool', 'bool'], [3, 6, false, false]),
  RepC3: sig(['c1', 'c2', 'n', 'e'], ['posint', 'posint', 'posint', 'num'], [3, 1.0]),
  AIFI: sig(['c1', 'cm', 'num_heads'], ['posint', 'posint', 'posint'], [2048, 8]),
  ResNetLayer: sig(['c1', 'c2', 's', 'is_first', 'n', 'e'], ['posint', 'posint', 'posint', 'bool', 'posint', 'posint'], [1, false, 1, 4]),
  RTDETRDecoder: sig(['nc', 'ch', 'hd', 'nq', 'ndp', 'nh', 'ndl', 'd_ffn'], ['posint', 'chlist', 'posint', 'posint', 'posint', 'posint', 'posint', 'posint'], [256, 300, 4, 8, 6, 1024]),
  // YOLO-World v2 (blocks-world.ts)
  C2fAttn: sig(['c1', 'c2', 'n', 'ec', 'nh', 'gc', 'shortcut', 'g', 'e'], ['posint', 'posint', 'posint', 'posint', 'posint', 'posint', 'bool', 'posint', 'num'], [1, 128, 1, 512, false, 1, 0.5]),
  WorldDetect: sig(['nc', 'embed', 'with_bn', 'ch'], ['posint', 'posint', 'bool', 'chlist'], [512, false]),
  Segment26: sig(['nc', 'nm', 'npr', 'ch'], ['posint', 'posint', 'posint', 'chlist'], [32, 256]),
  Pose26: sig(['nc', 'kpt_shape', 'ch'], ['posint', 'kpt', 'chlist'], [[17, 3]]),
  OBB26: sig(['nc', 'ne', 'ch'], ['posint', 'posint', 'chlist'], [1]),
  v5Detect: sig(['nc', 'anchors', 'ch'], ['posint', 'anchors', 'chlist'], []),
  v5Segment: sig(['nc', 'anchors', 'nm', 'npr', 'ch'], ['posint', 'anchors', 'posint', 'posint', 'chlist'], [32, 256]),
};

function sig(names: string[], kinds: ArgKind[], defaults: ArgValue[]): Sig {
  return { names, kinds, defaults };
}

/** Fills in the Python defaults of missing trailing arguments. For heads, `ch` is not counted
 *  (parse_model appends it afterwards). */
function padDefaults(type: string, args: ArgValue[], yamlArgs: ArgValue[], fail: (m: string) => never): ArgValue[] {
  const s = SIGS[type];
  const label = type.replace(/^v5/, '');
  const count = s.names.length - (s.kinds[s.kinds.length - 1] === 'chlist' ? 1 : 0);
  if (args.length > count) fail(`${label} got too many arguments: ${show(yamlArgs)}`);
  const firstDefault = count - s.defaults.length;
  const a = [...args];
  while (a.length < count) {
    const k = a.length;
    if (k < firstDefault) fail(`${label} needs its '${s.names[k]}' argument`);
    a.push(s.defaults[k - firstDefault]);
  }
  return a;
}

/** Checks a module's complete argument list against its constructor signature. */
function checkArgs(type: string, args: ArgValue[], fail: (m: string) => never): ArgValue[] {
  const s = SIGS[type];
  const label = type.replace(/^v5/, '');
  return args.map((v, k) => checkKind(v, s.kinds[k], `${label} argument '${s.names[k]}'`, fail));
}

function normalizeArgs(type: string, args: ArgValue[], yamlArgs: ArgValue[], fail: (m: string) => never): ArgValue[] {
  return checkArgs(type, padDefaults(type, args, yamlArgs, fail), fail);
}

function checkKind(v: ArgValue, kind: ArgKind, what: string, fail: (m: string) => never): ArgValue {
  const bad = (want: string): never => fail(`${what} must be ${want}, got ${show(v)}`);
  switch (kind) {
    case 'int':
      return Number.isSafeInteger(v) ? v : bad('an integer');
    case 'posint':
      return isPosInt(v) && (v as number) <= 1_000_000 ? v : bad('a positive integer');
    case 'int?':
      return v === null || (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 1_000_000) ? v : bad('a non-negative integer or None');
    case 'num':
      return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 1000 ? v : bad('a positive number');
    case 'num?':
      return v === null || (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 1000) ? v : bad('a positive number or None');
    case 'bool':
      // Python truthiness of a YAML int (0/1) is accepted as well
      return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : bad('True or False');
    case 'intlist':
      return Array.isArray(v) && v.length > 0 && v.length <= 16 && v.every((x) => isPosInt(x) && (x as number) % 2 === 1) ? v : bad('a list of odd kernel sizes');
    case 'intorpair':
      if (isPosInt(v)) return [v as number, v as number];
      return Array.isArray(v) && v.length === 2 && v.every(isPosInt) ? v : bad('a kernel size or a [k1, k2] pair');
    case 'kpt':
      return Array.isArray(v) && v.length === 2 && isPosInt(v[0]) && (v[1] === 2 || v[1] === 3) ? v : bad('[keypoints, 2 or 3] (kpt_shape)');
    case 'anchors':
      return Array.isArray(v) && v.every((l) => Array.isArray(l) && l.length >= 2 && l.length % 2 === 0 && l.length === (v[0] as ArgValue[]).length && l.every((x) => typeof x === 'number'))
        ? v
        : bad('one even-length list of anchor sizes per level');
    case 'chlist':
      return v;
    case 'posint?':
      return v === null || (isPosInt(v) && (v as number) <= 1_000_000) ? v : bad('a positive integer or None');
    case 'poslist':
      return Array.isArray(v) && v.length > 0 && v.length <= 64 && v.every((x) => isPosInt(x) && (x as number) <= 1_000_000) ? v : bad('a list of positive channel counts');
    case 'idxlist':
      return Array.isArray(v) && v.length > 0 && v.length <= 64 && v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0) ? v : bad('a list of piece indices');
    case 'pad':
      if (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 4096) return v;
      return Array.isArray(v) && v.length === 4 && v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= 4096) ? v : bad('a padding or [left, right, top, bottom]');
    case 'mode':
      return v === 'nearest' || v === 'bilinear' ? v : bad("'nearest' or 'bilinear'");
  }
}

function isPosInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}
