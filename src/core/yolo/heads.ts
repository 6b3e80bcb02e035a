// The heads' training forwards (ultralytics/nn/modules/head.py 8.3.x; YOLOv5 v7.0 models/yolo.py):
// what each returns in training mode is what the loss reads, so the returned tensors become HeadInfo.
//   Detect   per level cat(cv2[i](x), cv3[i](x)) -> (B, 4*reg_max + nc, h, w); no DFL decode in training
//   Segment  proto(x[0]); mask coefficients cat(cv4[i](x).view(B, nm, -1)); then Detect
//   Pose     keypoints cat(cv4[i](x).view(B, nk, -1), -1); then Detect
//   OBB      angle = (sigmoid(cat(cv4[i](x).view(B, ne, -1))) - 0.25) * pi; then Detect
//   Classify linear(dropout(pool(conv(x)).flatten(1)))
//   YOLOv5   per level m[i](x).view(B, na, no, h, w).permute(0, 1, 3, 4, 2).contiguous()

import type { HeadInfo, Task } from '../graph/types';
import { LayerError, channels, conv, dwconv, proto, type Emitter } from './blocks';

/** DFL bins per box side in every Ultralytics Detect head. */
export const REG_MAX = 16;
/** Hidden width of Classify's conv (EfficientNet-B0's, hard-coded in Ultralytics). */
export const CLASSIFY_HIDDEN = 1280;
/** Segment heads' mask coefficients per anchor when the YAML gives none. */
export const DEFAULT_NM = 32;

function strides(e: Emitter, levels: number[]): number[] {
  const h = e.b.imgsz[0];
  return levels.map((l) => h / e.b.shape(l)[2]);
}

/** One per-level branch: Conv 3x3 -> Conv 3x3 -> Conv2d 1x1 with bias (Detect's cv2, the cv4s). */
function branch(e: Emitter, x: number, path: string, cin: number, c: number, cout: number): number {
  const y = conv(e, conv(e, x, `${path}.0`, cin, c, 3), `${path}.1`, c, c, 3);
  return e.b.inModule({ path: `${path}.2` }, () => e.b.conv2d(y, cout, { k: 1, bias: true, name: `${path}.2` }));
}

/** Ultralytics Detect(nc, ch) training forward; returns the per-level outputs. `legacy` selects the
 *  YOLOv8 class branch (Conv 3x3, Conv 3x3); YOLO11 (legacy False) uses DWConv 3x3 -> Conv 1x1 twice. */
export function detect(e: Emitter, xs: number[], path: string, nc: number, ch: number[], legacy: boolean): number[] {
  const c2 = Math.max(16, Math.floor(ch[0] / 4), REG_MAX * 4);
  const c3 = Math.max(ch[0], Math.min(nc, 100));
  const levels = xs.map((x, i) => {
    if (channels(e, x) !== ch[i]) throw new LayerError(`${path} level ${i} was built for ${ch[i]} channels but receives ${channels(e, x)}`);
    const box = branch(e, x, `${path}.cv2.${i}`, ch[i], c2, 4 * REG_MAX);
    let cls: number;
    if (legacy) cls = branch(e, x, `${path}.cv3.${i}`, ch[i], c3, nc);
    else {
      const p = `${path}.cv3.${i}`;
      let y = conv(e, dwconv(e, x, `${p}.0.0`, ch[i], ch[i], 3), `${p}.0.1`, ch[i], c3, 1);
      y = conv(e, dwconv(e, y, `${p}.1.0`, c3, c3, 3), `${p}.1.1`, c3, c3, 1);
      cls = e.b.inModule({ path: `${p}.2` }, () => e.b.conv2d(y, nc, { k: 1, bias: true, name: `${p}.2` }));
    }
    return e.b.inModule({ path }, () => e.b.cat([box, cls], 1, `${path}.cat`));
  });
  // DFL: a frozen Conv2d(16, 1, 1) used only when decoding boxes at inference. Its 16 parameters count
  // in the model's size; the ops are marked inference-only so training memory ignores them.
  e.b.inModule({ path: `${path}.dfl` }, () =>
    e.b.inferenceOnly(() => {
      const anchors = levels.reduce((s, l) => s + e.b.shape(l)[2] * e.b.shape(l)[3], 0);
      const bins = e.b.constant([e.b.batch, REG_MAX, 4, anchors], 'float32', `${path}.dfl.input`);
      e.b.conv2d(bins, 1, { k: 1, bias: false, trainable: false, name: `${path}.dfl.conv` });
    }),
  );
  return levels;
}

/** Per-level extra outputs of Segment/Pose/OBB: branch -> view(B, c, -1) -> cat on anchors. */
function extraOutputs(e: Emitter, xs: number[], path: string, ch: number[], hidden: number, cout: number): number {
  const B = e.b.batch;
  const flat = xs.map((x, i) => {
    const y = branch(e, x, `${path}.cv4.${i}`, ch[i], hidden, cout);
    return e.b.inModule({ path }, () => e.b.reshape(y, [B, cout, -1], `${path}.view`));
  });
  return e.b.inModule({ path }, () => e.b.cat(flat, 2, `${path}.cat`));
}

export interface HeadArgs {
  type: string;
  args: (number | boolean | string | null | unknown[])[];
  nc: number;
  legacy: boolean;
}

/** Emits the head row and returns the HeadInfo the loss needs. */
export function emitHead(e: Emitter, xs: number[], path: string, h: HeadArgs, v5: boolean): HeadInfo {
  const a = h.args;
  const ch = a[a.length - 1] as number[];
  const nc = a[0] as number;
  if (v5) return v5Head(e, xs, path, h.type, a);
  switch (h.type) {
    case 'Detect': {
      const levels = detect(e, xs, path, nc, ch, h.legacy);
      return v8Info(e, 'detect', nc, levels, 0);
    }
    case 'Segment': {
      const nm = a[1] as number;
      const npr = a[2] as number;
      const p = proto(e, xs[0], `${path}.proto`, ch[0], npr, nm);
      const mc = extraOutputs(e, xs, path, ch, Math.max(Math.floor(ch[0] / 4), nm), nm);
      const levels = detect(e, xs, path, nc, ch, h.legacy);
      return { ...v8Info(e, 'segment', nc, levels, nm), proto: p, maskCoefficients: mc };
    }
    case 'Pose': {
      const kpt = a[1] as number[];
      const nk = kpt[0] * kpt[1];
      const kp = extraOutputs(e, xs, path, ch, Math.max(Math.floor(ch[0] / 4), nk), nk);
      const levels = detect(e, xs, path, nc, ch, h.legacy);
      return { ...v8Info(e, 'pose', nc, levels, nk), kptShape: [...kpt], keypoints: kp };
    }
    case 'OBB': {
      const ne = a[1] as number;
      const raw = extraOutputs(e, xs, path, ch, Math.max(Math.floor(ch[0] / 4), ne), ne);
      const angle = e.b.inModule({ path }, () => {
        const s = e.b.act('sigmoid', raw, 'sigmoid', `${path}.sigmoid`);
        return e.b.scale(e.b.scale(s, 'sub', `${path}.sub`), 'mul', `${path}.mul`);
      });
      const levels = detect(e, xs, path, nc, ch, h.legacy);
      return { ...v8Info(e, 'obb', nc, levels, ne), angle };
    }
    case 'Classify':
      return classify(e, xs, path, a as number[]);
    default:
      throw new LayerError(`${path}: ${h.type} is not a head`);
  }
}

function v8Info(e: Emitter, task: Task, nc: number, levels: number[], extra: number): HeadInfo {
  return { style: 'v8', task, nc, regMax: REG_MAX, strides: strides(e, levels), levels, anchorsPerCell: 1, extraChannels: extra };
}

/** Classify(c1, c2, k, s, p, g): Conv(c1, 1280, k, s, p, g) -> AdaptiveAvgPool2d(1) -> flatten ->
 *  Dropout(p=0.0, a no-op) -> Linear(1280, c2). Returns the logits (B, c2), what the loss reads. */
function classify(e: Emitter, xs: number[], path: string, a: number[]): HeadInfo {
  const [c1, c2, k, s, p, g] = a as [number, number, number, number, number | null, number];
  let x = xs[0];
  if (xs.length > 1) x = e.b.inModule({ path }, () => e.b.cat(xs, 1, `${path}.cat`));
  const y = conv(e, x, `${path}.conv`, c1, CLASSIFY_HIDDEN, k, s, p, g);
  const logits = e.b.inModule({ path }, () => {
    const pooled = e.b.adaptiveAvgPool2d(y, [1, 1], `${path}.pool`);
    const flat = e.b.reshape(pooled, [e.b.batch, CLASSIFY_HIDDEN], `${path}.flatten`);
    return e.b.linear(e.b.dropout(flat, 0, `${path}.drop`), c2, true, `${path}.linear`);
  });
  return { style: 'classify', task: 'classify', nc: c2, regMax: 0, strides: [], levels: [logits], anchorsPerCell: 0, extraChannels: 0 };
}

/** YOLOv5 v7.0 Detect(nc, anchors, ch) / Segment(nc, anchors, nm, npr, ch) training forward. */
function v5Head(e: Emitter, xs: number[], path: string, type: string, a: unknown[]): HeadInfo {
  const nc = a[0] as number;
  const anchors = a[1] as number[][];
  const ch = a[a.length - 1] as number[];
  const na = anchors[0].length / 2;
  const isSeg = type === 'Segment';
  const nm = isSeg ? (a[2] as number) : 0;
  const no = nc + 5 + nm;
  if (anchors.length !== xs.length) throw new LayerError(`${path}: ${anchors.length} anchor levels for ${xs.length} inputs`);
  let p: number | undefined;
  if (isSeg) p = proto(e, xs[0], `${path}.proto`, ch[0], a[3] as number, nm, 'v5');
  const B = e.b.batch;
  const levels = xs.map((x, i) => {
    if (channels(e, x) !== ch[i]) throw new LayerError(`${path} level ${i} was built for ${ch[i]} channels but receives ${channels(e, x)}`);
    const y = e.b.inModule({ path: `${path}.m.${i}` }, () => e.b.conv2d(x, na * no, { k: 1, bias: true, name: `${path}.m.${i}` }));
    if (i === 0) {
      // the registered `anchors` buffer (nl x na x 2 floats) belongs to this head
      e.b.ops[e.b.ops.length - 1].buffers += anchors.length * na * 2;
    }
    return e.b.inModule({ path }, () => {
      const [, , ny, nx] = e.b.shape(y);
      const v = e.b.reshape(y, [B, na, no, ny, nx], `${path}.view`);
      return e.b.contiguousCopy(e.b.permute(v, [0, 1, 3, 4, 2], `${path}.permute`), `${path}.contiguous`);
    });
  });
  const info: HeadInfo = {
    style: 'v5',
    task: isSeg ? 'segment' : 'detect',
    nc,
    regMax: 0,
    strides: levels.map((l) => e.b.imgsz[0] / e.b.shape(l)[2]),
    levels,
    anchorsPerCell: na,
    extraChannels: nm,
  };
  if (p !== undefined) info.proto = p;
  return info;
}
