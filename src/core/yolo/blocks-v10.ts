// YOLOv10's blocks (ultralytics/nn/modules/block.py, 8.4.x), emitted as their training forward's ops:
//   SCDown(c1, c2, k, s)      Conv 1x1 c1->c2, then a depthwise Conv k x k stride s without activation
//   CIB(c1, c2, shortcut, e, lk)  DW 3x3, 1x1 to 2c_, RepVGGDW(2c_) (lk) or DW 3x3, 1x1 to c2, DW 3x3;
//                             plus x when shortcut and c1 == c2
//   RepVGGDW(ed)              SiLU(DW 7x7 (no act) + DW 3x3 (no act)); fuse() folds the 3x3 into the
//                             7x7, so the 3x3 branch is training-only (not in the deployed model)
//   C2fCIB(c1, c2, n, shortcut, lk, g, e)  a C2f whose inner modules are CIB(c, c, shortcut, e=1, lk)
//   PSA(c1, c2, e)            split (c, c); b + Attention(b) (YOLO11's, heads max(c // 64, 1)); b + FFN;
//                             cv2(cat(a, b)) — one PSABlock of C2PSA

import { LayerError, c2fLikeBlock, conv, psaBlock, type Emitter } from './blocks';

export function scdown(e: Emitter, x: number, path: string, c1: number, c2: number, k: number, s: number): number {
  const y = conv(e, x, `${path}.cv1`, c1, c2, 1, 1);
  return conv(e, y, `${path}.cv2`, c2, c2, k, s, null, c2, 1, false);
}

export function repvggdw(e: Emitter, x: number, path: string, ed: number): number {
  const a = conv(e, x, `${path}.conv`, ed, ed, 7, 1, 3, ed, 1, false);
  const first = e.b.ops.length;
  const b = conv(e, x, `${path}.conv1`, ed, ed, 3, 1, 1, ed, 1, false);
  for (let i = first; i < e.b.ops.length; i++) e.b.ops[i].attrs.trainOnly = true; // folded by fuse()
  return e.b.inModule({ path }, () => e.b.act(e.act, e.b.binary('add', a, b, 'add', `${path}.add`), 'SiLU', `${path}.act`));
}

export function cib(e: Emitter, x: number, path: string, c1: number, c2: number, shortcut = true, ex = 0.5, lk = false): number {
  const c_ = Math.trunc(c2 * ex);
  const p = `${path}.cv1`;
  let y = conv(e, x, `${p}.0`, c1, c1, 3, 1, null, c1);
  y = conv(e, y, `${p}.1`, c1, 2 * c_, 1);
  y = lk ? repvggdw(e, y, `${p}.2`, 2 * c_) : conv(e, y, `${p}.2`, 2 * c_, 2 * c_, 3, 1, null, 2 * c_);
  y = conv(e, y, `${p}.3`, 2 * c_, c2, 1);
  y = conv(e, y, `${p}.4`, c2, c2, 3, 1, null, c2);
  return shortcut && c1 === c2 ? e.b.inModule({ path }, () => e.b.binary('add', x, y, 'add', `${path}.add`)) : y;
}

export function c2fcib(e: Emitter, x: number, path: string, c1: number, c2: number, n = 1, shortcut = false, lk = false, g = 1, ex = 0.5): number {
  void g; // CIB takes no groups argument (C2fCIB passes none)
  const c = Math.trunc(c2 * ex);
  return c2fLikeBlock(e, x, path, c1, c2, c, n, (y, i) => cib(e, y, `${path}.m.${i}`, c, c, shortcut, 1.0, lk));
}

export function psa(e: Emitter, x: number, path: string, c1: number, c2: number, ex = 0.5): number {
  if (c1 !== c2) throw new LayerError(`${path} (PSA) needs equal input and output channels, got ${c1} and ${c2}`);
  const c = Math.trunc(c1 * ex);
  const h = conv(e, x, `${path}.cv1`, c1, 2 * c, 1, 1);
  const [a, b0] = e.b.inModule({ path }, () => e.b.split(h, [c, c], 1, `${path}.split`));
  // PSA's own attn/ffn have PSABlock's layout (x + attn(x), x + ffn(x)); module paths differ only in name
  const b = psaBlock(e, b0, path, c, 0.5, Math.max(Math.floor(c / 64), 1));
  const cat = e.b.inModule({ path }, () => e.b.cat([a, b], 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv2`, 2 * c, c1, 1);
}
