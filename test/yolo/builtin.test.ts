// Built-in architectures by name: naming rules, and their sizes against the official tables (which
// quote fused models: Conv+BN folded, GFLOPs at 640 counted over conv/linear layers) and against the
// model summaries Ultralytics prints for the same architectures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBuiltin, builtinName, listBuiltins, resolveBuiltin } from '../../src/core/yolo/index';
import { totals } from './helpers';

/** Official tables: [fused params (M), GFLOPs at 640]. */
const OFFICIAL_DETECT: Record<string, [number, number]> = {
  yolov8n: [3.2, 8.7],
  yolov8s: [11.2, 28.6],
  yolov8m: [25.9, 78.9],
  yolov8l: [43.7, 165.2],
  yolov8x: [68.2, 257.8],
  yolo11n: [2.6, 6.5],
  yolo11s: [9.4, 21.5],
  yolo11m: [20.1, 68.0],
  yolo11l: [25.3, 86.9],
  yolo11x: [56.9, 194.9],
  yolov5n: [1.9, 4.5],
  yolov5s: [7.2, 16.5],
  yolov5m: [21.2, 49.0],
  yolov5l: [46.5, 109.1],
  yolov5x: [86.7, 205.7],
  yolov5nu: [2.6, 7.7],
  yolov5su: [9.1, 24.0],
  yolov5mu: [25.1, 64.2],
  yolov5lu: [53.2, 135.0],
  yolov5xu: [97.2, 246.4],
};

/** Unfused parameter counts Ultralytics prints when building these from their YAMLs (nc = 80). */
const SUMMARY_PARAMS: Record<string, number> = {
  yolov8n: 3_157_200,
  yolov8s: 11_166_560,
  yolov8m: 25_902_640,
  yolov8l: 43_691_520,
  yolov8x: 68_229_648,
  yolo11n: 2_624_080,
  yolo11s: 9_458_752,
  yolo11m: 20_114_688,
  yolo11l: 25_372_160,
  yolo11x: 56_966_176,
  'yolo11n-seg': 2_876_848,
  'yolo11s-seg': 10_113_248,
  'yolo11m-seg': 22_420_896,
  'yolo11l-seg': 27_678_368,
  'yolo11x-seg': 62_142_656,
  'yolo11n-pose': 2_908_507,
  'yolo11s-pose': 9_948_811,
  'yolo11m-pose': 20_973_273,
  'yolo11l-pose': 26_230_745,
  'yolo11x-pose': 58_889_881,
  'yolo11n-obb': 2_695_747,
  'yolo11s-obb': 9_744_931,
  'yolo11m-obb': 20_963_523,
  'yolo11l-obb': 26_220_995,
  'yolo11x-obb': 58_875_331,
  'yolo11n-cls': 1_633_584,
  'yolo11s-cls': 5_545_488,
  'yolo11m-cls': 10_455_696,
  'yolo11l-cls': 12_937_104,
  'yolo11x-cls': 28_458_544,
  'yolov8n-seg': 3_409_968,
  yolov5s: 7_235_389,
};

describe('built-in names', () => {
  it('accepts .pt / .yaml suffixes, paths and any case; rejects unknown names', () => {
    assert.equal(builtinName('yolov8n'), 'yolov8n');
    assert.equal(builtinName('yolov8n.pt'), 'yolov8n');
    assert.equal(builtinName('YOLO11s-seg.yaml'), 'yolo11s-seg');
    assert.equal(builtinName('weights/yolov5su.pt'), 'yolov5su');
    assert.equal(builtinName('yolov5s'), 'yolov5s');
    for (const bad of ['yolov8', 'yolov8q', 'yolov7n', 'yolov5nu-seg', 'yolov5s-pose', 'yolo11n-foo', 'my.pt', '']) {
      assert.equal(builtinName(bad), null, bad);
      assert.equal(resolveBuiltin(bad), null, bad);
    }
  });

  it('lists every family, variant and size once', () => {
    const names = listBuiltins().map((b) => b.name);
    assert.equal(new Set(names).size, names.length);
    // v8 and 11: 5 variants x 5 sizes; v5u: detect; classic v5: detect, seg and cls; YOLO26: 7 variants x 5 sizes;
    // YOLO12: 5 x 5; YOLOv10: n s m b l x; YOLOv8 variants: 7 x 5 (YOLOv9/v3u/v6/RT-DETR/World: families2.test.ts)
    assert.equal(listBuiltins().filter((b) => ['yolov8', 'yolo11', 'yolov5u', 'yolov5', 'yolo26', 'yolo12', 'yolov10', 'yolov8-variants'].includes(b.family)).length, 25 + 25 + 5 + 15 + 35 + 25 + 6 + 35);
    for (const n of names) assert.ok(resolveBuiltin(n), n);
    assert.ok(names.includes('yolo11x-obb') && names.includes('yolov5nu') && names.includes('yolov5x-seg'));
  });

  it('yolov8n.pt is the yolov8n architecture; nc follows the released weights', () => {
    assert.deepEqual(resolveBuiltin('yolov8n.pt'), resolveBuiltin('yolov8n'));
    assert.equal(resolveBuiltin('yolov8n')!.nc, 80);
    assert.equal(resolveBuiltin('yolov8n-pose')!.nc, 1);
    assert.deepEqual(resolveBuiltin('yolov8n-pose')!.kptShape, [17, 3]);
    assert.equal(resolveBuiltin('yolo11n-obb')!.nc, 15);
    assert.equal(resolveBuiltin('yolo11n-cls')!.nc, 1000);
    assert.equal(resolveBuiltin('yolov5s')!.format, 'v5');
    assert.equal(resolveBuiltin('yolov5su')!.format, 'scales');
  });

  it('specs are copies: editing one does not change the next', () => {
    const a = resolveBuiltin('yolov8n')!;
    a.rows[0][3][0] = 999;
    assert.equal(resolveBuiltin('yolov8n')!.rows[0][3][0], 64);
  });
});

describe('built-in sizes', () => {
  for (const [name, [paramsM, gflops]] of Object.entries(OFFICIAL_DETECT)) {
    it(`${name}: fused params and GFLOPs match the official table (${paramsM}M, ${gflops})`, () => {
      const t = totals(buildBuiltin(name, { batch: 1, imgsz: 640 }));
      const p = t.fusedParams / 1e6;
      // the table rounds to 0.1M, so allow that rounding or 0.5 %, whichever is larger
      assert.ok(Math.abs(p - paramsM) <= Math.max(0.05, 0.005 * paramsM) + 1e-9, `${p.toFixed(3)}M vs ${paramsM}M`);
      assert.ok(Math.abs(t.gflops - gflops) / gflops < 0.03, `${t.gflops.toFixed(2)} vs ${gflops} GFLOPs`);
    });
  }

  for (const [name, params] of Object.entries(SUMMARY_PARAMS)) {
    it(`${name}: ${params} unfused parameters at nc=80`, () => {
      assert.equal(totals(buildBuiltin(name, { batch: 1, imgsz: 640, nc: 80 })).params, params);
    });
  }

  it('every built-in builds at 320 and 640 with a head and backbone end', () => {
    for (const b of listBuiltins()) {
      for (const imgsz of [320, 640]) {
        const g = buildBuiltin(b.name, { batch: 2, imgsz });
        assert.equal(g.task, b.task, b.name);
        assert.ok(g.head, b.name);
        assert.equal(g.head!.task, b.task, b.name);
        assert.ok(g.backboneEnd !== null && g.backboneEnd > 0, b.name);
        assert.equal(g.source, 'builtin');
        const strides = b.name.endsWith('-p2') ? [4, 8, 16, 32] : b.name.endsWith('-p6') ? [8, 16, 32, 64] : b.name === 'yolov3-tinyu' ? [16, 32] : [8, 16, 32];
        // a P6 model rounds imgsz up to a multiple of 64 (320 stays, 640 stays)
        if (b.task !== 'classify' && g.head!.style !== 'detr') assert.deepEqual(g.head!.strides, strides, b.name);
      }
    }
  });
});
