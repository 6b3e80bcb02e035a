// The blocks of the YOLOv8 P6 and Ghost variants (ultralytics/nn/modules/{block,conv}.py, 8.4.x):
//   C2(c1, c2, n, shortcut, g, e)   a, b = cv1(x).chunk(2); cv2(cat(m(a), b)); m = n 3x3-3x3 Bottlenecks (e=1)
//   GhostConv(c1, c2, k, s, g, act) y = cv1(x) (to c2 // 2); cat(y, cv2(y)) with cv2 a depthwise 5x5 Conv
//   GhostBottleneck(c1, c2, k, s)   GhostConv 1x1 -> (DWConv k, s when s == 2) -> GhostConv 1x1 (no act), + x
//                                   (stride 2: + DWConv -> Conv 1x1 shortcut)
//   C3Ghost(c1, c2, n, shortcut, g, e)  a C3 whose inner modules are GhostBottleneck(c_, c_)

import { bottleneck, c3Like, conv, dwconv, type Emitter } from './blocks';

export function c2(e: Emitter, x: number, path: string, c1: number, c2out: number, n = 1, shortcut = true, g = 1, ex = 0.5): number {
  const c = Math.trunc(c2out * ex);
  const h = conv(e, x, `${path}.cv1`, c1, 2 * c, 1, 1);
  const [a0, b] = [...e.b.inModule({ path }, () => e.b.chunk(h, 2, 1, `${path}.chunk`))];
  let a = a0;
  for (let i = 0; i < n; i++) a = bottleneck(e, a, `${path}.m.${i}`, c, c, shortcut, g, [3, 3], 1.0);
  const cat = e.b.inModule({ path }, () => e.b.cat([a, b], 1, `${path}.cat`));
  return conv(e, cat, `${path}.cv2`, 2 * c, c2out, 1);
}

export function ghostConv(e: Emitter, x: number, path: string, c1: number, c2out: number, k = 1, s = 1, g = 1, act = true): number {
  const c_ = Math.floor(c2out / 2);
  const y = conv(e, x, `${path}.cv1`, c1, c_, k, s, null, g, 1, act);
  const z = conv(e, y, `${path}.cv2`, c_, c_, 5, 1, null, c_, 1, act);
  return e.b.inModule({ path }, () => e.b.cat([y, z], 1, `${path}.cat`));
}

export function ghostBottleneck(e: Emitter, x: number, path: string, c1: number, c2out: number, k = 3, s = 1): number {
  const c_ = Math.floor(c2out / 2);
  let y = ghostConv(e, x, `${path}.conv.0`, c1, c_, 1, 1);
  if (s === 2) y = dwconv(e, y, `${path}.conv.1`, c_, c_, k, s, 1, false);
  y = ghostConv(e, y, `${path}.conv.2`, c_, c2out, 1, 1, 1, false);
  const sc = s === 2 ? conv(e, dwconv(e, x, `${path}.shortcut.0`, c1, c1, k, s, 1, false), `${path}.shortcut.1`, c1, c2out, 1, 1, null, 1, 1, false) : x;
  return e.b.inModule({ path }, () => e.b.binary('add', y, sc, 'add', `${path}.add`));
}

export function c3Ghost(e: Emitter, x: number, path: string, c1: number, c2out: number, n = 1, shortcut = true, g = 1, ex = 0.5): number {
  void shortcut;
  void g;
  const c_ = Math.trunc(c2out * ex);
  return c3Like(e, x, path, c1, c2out, c_, n, (y, i) => ghostBottleneck(e, y, `${path}.m.${i}`, c_, c_));
}
