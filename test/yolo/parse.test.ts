// YAML reading: parse_model's arithmetic (Python rounding, make_divisible, scale from file name) and
// the one-line errors for malformed files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { YoloArchError, buildFromYamlFile, buildFromYamlText, guessModelScale, makeDivisible, parseArchYaml, prepareYaml, pruneChannels, pyRound } from '../../src/core/yolo/index';
import { totals } from './helpers';

const SCALES = 'scales:\n  n: [0.33, 0.25, 1024]\n  s: [0.33, 0.50, 1024]\n';
const BB = '  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, Conv, [128, 3, 2]]\n  - [-1, 3, C2f, [128, True]]\n';
const model = (bb = BB, head = '  - [-1, 1, Classify, [nc]]\n', top = '') => `nc: 10\n${top}${SCALES}backbone:\n${bb}head:\n${head}`;

function error(text: string, file = 'm.yaml'): string {
  try {
    buildFromYamlText(text, file, { batch: 1, imgsz: 64 });
  } catch (e) {
    assert.ok(e instanceof YoloArchError, `expected YoloArchError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `error must be one line: ${JSON.stringify(e.message)}`);
    assert.ok(!/\bat .*\.ts:\d+/.test(e.message), 'no stack frames in the message');
    return e.message;
  }
  assert.fail('expected an error');
}

describe('parse_model arithmetic', () => {
  it("Python's round: halves go to the even neighbour", () => {
    assert.deepEqual([0.5, 1.5, 2.5, 3.5, 0.99, 1.98, 2.01, 3.99, 4.02].map(pyRound), [0, 2, 2, 4, 1, 2, 2, 4, 4]);
  });

  it('make_divisible rounds up to a multiple of 8; pruning keeps multiples of 8', () => {
    assert.deepEqual([16, 17, 24.5, 0.1].map((x) => makeDivisible(x)), [16, 24, 32, 8]);
    assert.equal(pruneChannels(80, 0.1), 72);
    assert.equal(pruneChannels(64, 0.3), 48);
    assert.equal(pruneChannels(16, 0.9), 8);
    assert.equal(pruneChannels(64, 0), 64);
  });

  it('scale letter from the file name, as guess_model_scale', () => {
    assert.equal(guessModelScale('yolov8n.yaml'), 'n');
    assert.equal(guessModelScale('/a/b/yolo11x-seg.yaml'), 'x');
    assert.equal(guessModelScale('yolov5su.yaml'), 's');
    assert.equal(guessModelScale('custom.yaml'), '');
  });

  it('default scale is the first one, with a note; a named scale must exist', () => {
    const spec = parseArchYaml(model(), 'custom.yaml');
    assert.equal(spec.scale, 'n');
    assert.match(spec.notes!.join(' '), /scale 'n' assumed/);
    assert.equal(parseArchYaml(model(), 'yolov8s.yaml').width, 0.5);
    assert.equal(error(model(), 'yolov8x.yaml'), "yolov8x.yaml: scale 'x' is not in scales (n, s)");
  });

  it('repeats and channels are scaled; C2f takes n inside; Classify keeps nc', () => {
    const m = prepareYaml(model(), 'yolov8n.yaml');
    assert.deepEqual(m.layers.map((l) => [l.type, l.c1, l.c2, l.n]), [
      ['Conv', 3, 16, 1],
      ['Conv', 16, 32, 1],
      ['C2f', 32, 32, 1],
      ['Classify', 32, 10, 1],
    ]);
    assert.deepEqual(m.layers[2].args, [32, 32, 1, true, 1, 0.5]);
    assert.deepEqual(m.layers.map((l) => l.group), ['backbone', 'backbone', 'backbone', 'head']);
  });

  it('C3k2 forces c3k at scales m/l/x and makes the Detect head non-legacy', () => {
    const y = (s: string) => `nc: 80\nscales:\n  n: [0.5, 0.25, 1024]\n  m: [0.5, 1.0, 512]\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 2, C3k2, [64, False, 0.25]]\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, Conv, [64, 3, 2]]\nhead:\n  - [[1, 2, 3], 1, Detect, [nc]]\n${s}`;
    const n = prepareYaml(y(''), 'yolo11n.yaml');
    const m = prepareYaml(y(''), 'yolo11m.yaml');
    assert.equal(n.layers[1].args[3], false);
    assert.equal(m.layers[1].args[3], true);
    assert.equal(n.legacyHead, false);
  });

  it('reads `activation:` for every Conv', () => {
    const g = buildFromYamlText(model(BB, undefined, 'activation: nn.LeakyReLU(0.1)\n'), 'yolov8n.yaml', { batch: 1, imgsz: 64 });
    assert.ok(g.ops.some((o) => o.kind === 'leaky_relu'));
    assert.ok(!g.ops.some((o) => o.kind === 'silu'));
  });

  it('resolves nc, kpt_shape and Python literals in args', () => {
    const y = `nc: 3\nkpt_shape: [5, 2]\n${SCALES}backbone:\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, nn.Upsample, [None, 2, 'nearest']]\nhead:\n  - [[1, 2], 1, Pose, [nc, kpt_shape]]\n`;
    const m = prepareYaml(y, 'yolov8n-pose.yaml');
    assert.deepEqual(m.layers[3].args, [null, 2, 'nearest']);
    assert.deepEqual(m.layers[4].args, [3, [5, 2], [16, 16]]);
  });
});

describe('malformed YAML gives one-line errors', () => {
  it('unknown module, naming the file and the row', () => {
    assert.equal(error(model(BB + '  - [-1, 1, Foo, [1]]\n')), "m.yaml: backbone[3], line 9: unknown module 'Foo'");
    assert.equal(error(model(BB, '  - [-1, 1, nn.Bar, []]\n')), "m.yaml: head[0], line 10: unknown module 'nn.Bar'");
  });

  it('wrong argument types', () => {
    assert.equal(error(model('  - [-1, 1, Conv, [64, abc, 2]]\n')), "m.yaml: backbone[0]: Conv argument 'k' must be a positive integer, got 'abc'");
    assert.equal(error(model('  - [-1, 1, Conv, [x]]\n')), "m.yaml: backbone[0]: Conv output channels (first argument) must be a positive integer, got 'x'");
    assert.match(error(model('  - [-1, 1, Conv, [64, 3, 2, 1, 1, 1, True, 5]]\n')), /backbone\[0\]: Conv got too many arguments/);
    assert.match(error(model('  - [-1, 1.5, Conv, [64]]\n')), /backbone\[0\]: repeats must be an integer/);
    assert.match(error(model('  - [-1, 1, Conv, 64]\n')), /backbone\[0\]: args must be a list/);
    assert.match(error(model('  - [-1, 1, Conv]\n')), /backbone\[0\]: expected \[from, repeats, module, args\]/);
    assert.match(error(model(BB + '  - [-1, 1, nn.Upsample, [None, 2, cubic]]\n')), /Upsample argument 'mode' must be 'nearest' or 'bilinear'/);
    assert.match(error(model(BB, undefined, 'kpt_shape: [17, 5]\n')), /kpt_shape must be \[keypoints, 2 or 3\]/);
    assert.match(error('backbone: []\nhead: []\n'), /^m\.yaml: nc must be a positive integer/);
    assert.match(error(model(BB, undefined, 'activation: os.system("x")\n')), /activation .* is not supported/);
  });

  it('bad from index', () => {
    assert.equal(error(model(BB + '  - [7, 1, Conv, [64]]\n')), "m.yaml: backbone[3]: 'from' index 7 does not name an earlier row (this is row 3)");
    assert.match(error(model(BB + '  - [-9, 1, Conv, [64]]\n')), /'from' index -9 does not name an earlier row/);
    assert.match(error(model('  - [0, 1, Conv, [64]]\n')), /backbone\[0\]: the first row must read the image/);
    assert.match(error(model(BB + '  - [[-1, x], 1, Concat, [1]]\n')), /'from' must be an integer or a list of integers/);
  });

  it('structure: head must be last, shapes must agree, channels must match', () => {
    assert.match(error(model(BB + '  - [-1, 1, Classify, [10]]\n')), /backbone\[3\]: Classify must be the last row/);
    assert.match(error(model(BB, '  - [-1, 1, Conv, [64]]\n')), /head\[0\]: the last row must be a Detect, Segment, Pose, OBB or Classify head/);
    assert.match(error(model(BB + '  - [[-1, 0], 1, Concat, [1]]\n')), /backbone\[3\] \(Concat\): cat shapes .* differ on axis 2/);
    assert.match(error(model('  - [-1, 1, Conv, [64, 3, 2]]\n  - [-1, 1, C3k, [32, 32]]\n')), /backbone\[1\] \(C3k\): .*built for 32 input channels but receives 16/);
  });

  it('alias bomb', () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    assert.match(error(bomb + model()), /^m\.yaml: invalid YAML: too many alias references/);
  });

  it('deep nesting', () => {
    assert.equal(error('nc: 1\nx: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n'), 'm.yaml: invalid YAML: nesting too deep');
    assert.equal(error(model('  - [-1, 1, Conv, [[[[[[64]]]]]]]\n')), 'm.yaml: backbone[0]: args nested too deeply');
  });

  it('invalid YAML syntax, duplicate keys, non-mapping documents', () => {
    assert.match(error('nc: 80\nbackbone: [[-1, 1, Conv, [64]\n'), /^m\.yaml: invalid YAML: .*line \d+/);
    assert.match(error('nc: 80\nnc: 3\n'), /^m\.yaml: invalid YAML: Map keys must be unique/);
    assert.equal(error('just text'), 'm.yaml: expected a mapping with nc, backbone and head at the top level');
    assert.equal(error(''), 'm.yaml: expected a mapping with nc, backbone and head at the top level');
  });

  it('build options are checked', () => {
    assert.throws(() => buildFromYamlText(model(), 'm.yaml', { batch: 0, imgsz: 64 }), /batch must be an integer/);
    assert.throws(() => buildFromYamlText(model(), 'm.yaml', { batch: 1, imgsz: -5 }), /imgsz must be an integer/);
    assert.throws(() => buildFromYamlText(model(), 'm.yaml', { batch: 1, imgsz: 64, pruneRatio: 0.95 }), /pruneRatio must be a number from 0 to 0.9/);
    assert.throws(() => buildFromYamlText(model(), 'm.yaml', { batch: 1, imgsz: 64, nc: 0 }), /nc must be a positive integer/);
  });

  it('files: missing, directory', () => {
    assert.throws(() => buildFromYamlFile('/nonexistent/dir/yolov8n.yaml', { batch: 1, imgsz: 64 }), (e: Error) => e.message === 'yolov8n.yaml: file not found');
    assert.throws(() => buildFromYamlFile(import.meta.dirname, { batch: 1, imgsz: 64 }), /: is a folder, not a file$/);
  });

  it('a small valid model still builds after all that', () => {
    const g = buildFromYamlText(model(), 'yolov8n-cls.yaml', { batch: 2, imgsz: 64 });
    assert.equal(g.task, 'classify');
    assert.deepEqual(g.tensors[g.head!.levels[0]].shape, [2, 10]);
    assert.ok(totals(g).params > 0);
  });
});
