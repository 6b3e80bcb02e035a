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

/** Ultralytics Detect(nc, reg_max, end2end, ch) training forward of one branch (`prefix` '' for the
 *  one-to-many cv2/cv3, 'one2one_' for the end-to-end copy); returns the per-level outputs.
 *  `legacy` selects the YOLOv8 class branch (Conv 3x3, Conv 3x3); YOLO11/26 (legacy False) use
 *  DWConv 3x3 -> Conv 1x1 twice. reg_max 1 (YOLO26) means 4 box channels and no DFL module. */
export function detect(e: Emitter, xs: number[], path: string, nc: number, ch: number[], legacy: boolean, regMax = REG_MAX, prefix = ''): number[] {
  const c2 = Math.max(16, Math.floor(ch[0] / 4), regMax * 4);
  const c3 = Math.max(ch[0], Math.min(nc, 100));
  const levels = xs.map((x, i) => {
    if (channels(e, x) !== ch[i]) throw new LayerError(`${path} level ${i} was built for ${ch[i]} channels but receives ${channels(e, x)}`);
    const box = branch(e, x, `${path}.${prefix}cv2.${i}`, ch[i], c2, 4 * regMax);
    let cls: number;
    if (legacy) cls = branch(e, x, `${path}.${prefix}cv3.${i}`, ch[i], c3, nc);
    else {
      const p = `${path}.${prefix}cv3.${i}`;
      let y = conv(e, dwconv(e, x, `${p}.0.0`, ch[i], ch[i], 3), `${p}.0.1`, ch[i], c3, 1);
      y = conv(e, dwconv(e, y, `${p}.1.0`, c3, c3, 3), `${p}.1.1`, c3, c3, 1);
      cls = e.b.inModule({ path: `${p}.2` }, () => e.b.conv2d(y, nc, { k: 1, bias: true, name: `${p}.2` }));
    }
    return e.b.inModule({ path }, () => e.b.cat([box, cls], 1, `${path}.cat`));
  });
  // DFL: a frozen Conv2d(reg_max, 1, 1) used only when decoding boxes at inference (nn.Identity when
  // reg_max is 1). Its parameters count in the model's size; the ops are inference-only.
  if (regMax > 1 && prefix === '') {
    e.b.inModule({ path: `${path}.dfl` }, () =>
      e.b.inferenceOnly(() => {
        const anchors = levels.reduce((s, l) => s + e.b.shape(l)[2] * e.b.shape(l)[3], 0);
        const bins = e.b.constant([e.b.batch, regMax, 4, anchors], 'float32', `${path}.dfl.input`);
        e.b.conv2d(bins, 1, { k: 1, bias: false, trainable: false, name: `${path}.dfl.conv` });
      }),
    );
  }
  return levels;
}

/** Per-level extra outputs of Segment/Pose/OBB: branch -> view(B, c, -1) -> cat on anchors. */
function extraOutputs(e: Emitter, xs: number[], path: string, ch: number[], hidden: number, cout: number, prefix = ''): number {
  const B = e.b.batch;
  const flat = xs.map((x, i) => {
    const y = branch(e, x, `${path}.${prefix}cv4.${i}`, ch[i], hidden, cout);
    return e.b.inModule({ path }, () => e.b.reshape(y, [B, cout, -1], `${path}.view`));
  });
  return e.b.inModule({ path }, () => e.b.cat(flat, 2, `${path}.cat`));
}

export interface HeadArgs {
  type: string;
  args: (number | boolean | string | null | unknown[])[];
  nc: number;
  legacy: boolean;
  /** The YAML's reg_max (16 unless set). */
  regMax?: number;
  /** The YAML's end2end: a one-to-one copy of every branch runs on detached features (YOLO26, v10). */
  end2end?: boolean;
}

/** Emits the head row and returns the HeadInfo the loss needs. */
export function emitHead(e: Emitter, xs: number[], path: string, h: HeadArgs, v5: boolean): HeadInfo {
  const a = h.args;
  if (v5) return v5Head(e, xs, path, h.type, a);
  if (h.type === 'Classify') return classify(e, xs, path, a as number[]);
  const regMax = h.regMax ?? REG_MAX;
  const shared = h.type === 'Segment26' ? proto26(e, xs, path, a) : h.type === 'Segment' ? proto(e, xs[0], `${path}.proto`, (a[a.length - 1] as number[])[0], a[2] as number, a[1] as number) : undefined;
  const first = e.b.ops.length;
  const many = detectFamily(e, xs, path, h, regMax, '', shared);
  // Detect.forward (8.4.x): the one-to-one branch reads x.detach(), so it trains only its own copy of
  // the head; Segment hands it proto.detach(). fuse() keeps only the one-to-one branch of an
  // end-to-end head: the one-to-many ops are marked train-only (not in the deployed model).
  if (h.end2end) {
    markTrainOnly(e, first);
    const detached = xs.map((x, i) => e.b.inModule({ path }, () => e.b.detach(x, `${path}.detach.${i}`)));
    const protoDetached = many.proto === undefined ? undefined : e.b.inModule({ path }, () => e.b.detach(many.proto!, `${path}.proto.detach`));
    many.one2one = detectFamily(e, detached, path, h, regMax, 'one2one_', protoDetached);
  }
  if (h.type === 'Pose26') {
    // fuse() drops the flow and the sigma convs of the branch it keeps
    for (const op of e.b.ops) if (op.name?.includes(`${path}.${h.end2end ? 'one2one_' : ''}cv4_sigma.`)) op.attrs.trainOnly = true;
    const f = e.b.ops.length;
    realNvp(e, path);
    markTrainOnly(e, f);
  }
  return many;
}

/** Marks the ops emitted since `from` as training-only: fuse() removes them from the deployed model. */
function markTrainOnly(e: Emitter, from: number): void {
  // the DFL module is shared by both branches and stays in the fused model
  for (let i = from; i < e.b.ops.length; i++) if (!e.b.ops[i].name.includes('.dfl.')) e.b.ops[i].attrs.trainOnly = true;
}

/** One branch (one-to-many or one-to-one) of a Detect-family head. */
function detectFamily(e: Emitter, xs: number[], path: string, h: HeadArgs, regMax: number, prefix: string, protoT: number | undefined): HeadInfo {
  const a = h.args;
  const ch = a[a.length - 1] as number[];
  const nc = a[0] as number;
  switch (h.type) {
    case 'Detect': {
      const levels = detect(e, xs, path, nc, ch, h.legacy, regMax, prefix);
      return v8Info(e, 'detect', nc, levels, 0, regMax);
    }
    case 'Segment':
    case 'Segment26': {
      const nm = a[1] as number;
      const mc = extraOutputs(e, xs, path, ch, Math.max(Math.floor(ch[0] / 4), nm), nm, prefix);
      const levels = detect(e, xs, path, nc, ch, h.legacy, regMax, prefix);
      return { ...v8Info(e, 'segment', nc, levels, nm, regMax), proto: protoT!, maskCoefficients: mc };
    }
    case 'Pose': {
      const kpt = a[1] as number[];
      const nk = kpt[0] * kpt[1];
      const kp = extraOutputs(e, xs, path, ch, Math.max(Math.floor(ch[0] / 4), nk), nk, prefix);
      const levels = detect(e, xs, path, nc, ch, h.legacy, regMax, prefix);
      return { ...v8Info(e, 'pose', nc, levels, nk, regMax), kptShape: [...kpt], keypoints: kp };
    }
    case 'Pose26': {
      const kpt = a[1] as number[];
      const { keypoints, sigma } = pose26Outputs(e, xs, path, ch, kpt, prefix);
      const levels = detect(e, xs, path, nc, ch, h.legacy, regMax, prefix);
      return { ...v8Info(e, 'pose', nc, levels, kpt[0] * kpt[1], regMax), kptShape: [...kpt], keypoints, keypointSigma: sigma };
    }
    case 'OBB':
    case 'OBB26': {
      const ne = a[1] as number;
      const raw = extraOutputs(e, xs, path, ch, Math.max(Math.floor(ch[0] / 4), ne), ne, prefix);
      // OBB: (sigmoid(raw) - 0.25) * pi; OBB26 returns the raw angle logits
      const angle =
        h.type === 'OBB26'
          ? raw
          : e.b.inModule({ path }, () => {
              const s = e.b.act('sigmoid', raw, 'sigmoid', `${path}.sigmoid`);
              return e.b.scale(e.b.scale(s, 'sub', `${path}.sub`), 'mul', `${path}.mul`);
            });
      const levels = detect(e, xs, path, nc, ch, h.legacy, regMax, prefix);
      return { ...v8Info(e, 'obb', nc, levels, ne, regMax), angle };
    }
    default:
      throw new LayerError(`${path}: ${h.type} is not a head`);
  }
}

/** Proto26(ch, c_, nm, nc) (block.py, 8.4.x): P4/P5 refined to ch[0] by 1x1 Convs, upsampled (nearest)
 *  to P3 and added; feat_fuse Conv 3x3 to c_; then Proto(c_, c_, nm). In training a semantic branch
 *  (Conv 3x3, Conv 3x3, Conv2d 1x1 to nc) runs on the fused P3 features too (its loss is part of
 *  SegmentLoss26). */
function proto26(e: Emitter, xs: number[], path: string, a: HeadArgs['args']): number {
  const ch = a[a.length - 1] as number[];
  const nc = a[0] as number;
  const nm = a[1] as number;
  const npr = a[2] as number;
  const p = `${path}.proto`;
  let feat = xs[0];
  for (let i = 1; i < xs.length; i++) {
    const r = conv(e, xs[i], `${p}.feat_refine.${i - 1}`, ch[i], ch[0], 1);
    feat = e.b.inModule({ path: p }, () => {
      let u = r;
      for (let k = 0; k < i; k++) u = e.b.upsample(u, 2, 'nearest', `${p}.interpolate`);
      return e.b.binary('add', feat, u, 'add', `${p}.add`);
    });
  }
  const fused = conv(e, feat, `${p}.feat_fuse`, ch[0], npr, 3);
  const out = proto(e, fused, p, npr, npr, nm);
  // the semantic branch is training-only (Proto26.fuse sets semseg = None)
  const first = e.b.ops.length;
  const s1 = conv(e, conv(e, feat, `${p}.semseg.0`, ch[0], npr, 3), `${p}.semseg.1`, npr, npr, 3);
  e.b.inModule({ path: `${p}.semseg.2` }, () => e.b.conv2d(s1, nc, { k: 1, bias: true, name: `${p}.semseg.2` }));
  markTrainOnly(e, first);
  return out;
}

/** Pose26's keypoint branch: cv4 (Conv 3x3, Conv 3x3) shared by cv4_kpts (1x1 to nk) and, in
 *  training, cv4_sigma (1x1 to 2 per keypoint: the RLE loss's sigmas). */
function pose26Outputs(e: Emitter, xs: number[], path: string, ch: number[], kpt: number[], prefix: string): { keypoints: number; sigma: number } {
  const B = e.b.batch;
  const nk = kpt[0] * kpt[1];
  const ns = kpt[0] * 2;
  const c4 = Math.max(Math.floor(ch[0] / 4), kpt[0] * (kpt[1] + 2));
  const k: number[] = [];
  const s: number[] = [];
  xs.forEach((x, i) => {
    const f = conv(e, conv(e, x, `${path}.${prefix}cv4.${i}.0`, ch[i], c4, 3), `${path}.${prefix}cv4.${i}.1`, c4, c4, 3);
    const kp = e.b.inModule({ path: `${path}.${prefix}cv4_kpts.${i}` }, () => e.b.conv2d(f, nk, { k: 1, bias: true, name: `${path}.${prefix}cv4_kpts.${i}` }));
    const sg = e.b.inModule({ path: `${path}.${prefix}cv4_sigma.${i}` }, () => e.b.conv2d(f, ns, { k: 1, bias: true, name: `${path}.${prefix}cv4_sigma.${i}` }));
    k.push(e.b.inModule({ path }, () => e.b.reshape(kp, [B, nk, -1], `${path}.view`)));
    s.push(e.b.inModule({ path }, () => e.b.reshape(sg, [B, ns, -1], `${path}.view`)));
  });
  return {
    keypoints: e.b.inModule({ path }, () => e.b.cat(k, 2, `${path}.cat`)),
    sigma: e.b.inModule({ path }, () => e.b.cat(s, 2, `${path}.cat`)),
  };
}

/** RealNVP flow of Pose26 (block.py, 8.4.x): 6 coupling layers, each a scale net and a translation
 *  net of Linear(2, 64) -> SiLU -> Linear(64, 64) -> SiLU -> Linear(64, 2) (-> Tanh for scale): 53,784
 *  trainable parameters, run by the RLE loss on the positive keypoints (its activations are modelled
 *  with the loss). Here only its parameters enter the graph. */
export const REALNVP_NETS = 12;
function realNvp(e: Emitter, path: string): void {
  e.b.inModule({ path: `${path}.flow_model` }, () =>
    e.b.inferenceOnly(() => {
      for (let i = 0; i < REALNVP_NETS; i++) {
        let x = e.b.constant([1, 2], 'float32', `${path}.flow_model.in`);
        x = e.b.linear(x, 64, true, `${path}.flow_model.${i}.0`);
        x = e.b.linear(x, 64, true, `${path}.flow_model.${i}.2`);
        e.b.linear(x, 2, true, `${path}.flow_model.${i}.4`);
      }
    }),
  );
}

function v8Info(e: Emitter, task: Task, nc: number, levels: number[], extra: number, regMax = REG_MAX): HeadInfo {
  return { style: 'v8', task, nc, regMax, strides: strides(e, levels), levels, anchorsPerCell: 1, extraChannels: extra };
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
