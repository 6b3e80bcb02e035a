// Malformed and hostile model YAMLs for the reliability corpus: alias bombs, deep nesting, unknown
// modules, wrong argument types, absurd repeats. Each goes through analyze() and the CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusCase, Expect } from './types';

/** A small valid YOLOv8-style model (two detection levels), analysable end to end. */
export const BASE_YAML = `nc: 2
scales:
  n: [0.33, 0.25, 1024]
backbone:
  - [-1, 1, Conv, [64, 3, 2]]
  - [-1, 1, Conv, [128, 3, 2]]
  - [-1, 3, C2f, [128, True]]
  - [-1, 1, Conv, [256, 3, 2]]
  - [-1, 1, C2f, [256, True]]
  - [-1, 1, SPPF, [256, 5]]
head:
  - [[2, 5], 1, Detect, [nc]]
`;

const row = (r: string) => BASE_YAML.replace('  - [-1, 1, Conv, [128, 3, 2]]', `  - ${r}`);

export function yamlCases(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const add = (id: string, text: string, expect: Expect, note: string, opts: Partial<CorpusCase> = {}) => {
    const file = `${id}.yaml`;
    writeFileSync(join(dir, file), text);
    cases.push({ id, family: opts.family ?? 'yaml', kind: 'model', file, expect, note, ...opts });
  };
  const exact = (m: string): Expect => ({ exit: 1, message: m });
  const re = (p: string): Expect => ({ exit: 1, pattern: p });

  add('yaml-base', BASE_YAML, { exit: 0 }, 'the undamaged model', { family: 'control' });

  // ---- YAML-level attacks
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const p = String.fromCharCode(96 + i);
    laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${new Array(9).fill(`*${p}`).join(',')}]`);
  }
  add('yaml-billion-laughs', laughs.join('\n') + '\n' + BASE_YAML, exact('yaml-billion-laughs.yaml: invalid YAML: too many alias references (more than 16)'), '"billion laughs": 9 levels of 9 aliases (10^9 strings if expanded)', { family: 'yaml-bomb' });
  add('yaml-alias-backbone', BASE_YAML.replace('backbone:\n', 'backbone: &bb\n') + 'neck: [*bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb, *bb]\n', exact('yaml-alias-backbone.yaml: invalid YAML: too many alias references (more than 16)'), '17 aliases of the backbone', { family: 'yaml-bomb' });
  add('yaml-alias-few', BASE_YAML.replace('  n: [0.33, 0.25, 1024]', '  n: &s [0.33, 0.25, 1024]\n  s: *s'), { exit: 0 }, 'one harmless alias', { family: 'yaml-bomb' });
  add('yaml-alias-self', 'a: &a [*a]\n' + BASE_YAML, { exit: 0 }, 'an alias used inside its own anchor, on an unused key', { family: 'yaml-bomb' });
  add('yaml-nested-lists-10000', 'nc: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n', re('^yaml-nested-lists-10000\\.yaml: (invalid YAML: nesting too deep|nc must be a positive integer, got .+)$'), '10,000 nested flow lists', { family: 'yaml-nesting' });
  add('yaml-nested-block-2000', 'nc: 2\nbackbone:\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(2 * i + 2) + '-').join('\n') + ' 1\n', re('^yaml-nested-block-2000\\.yaml: .+$'), '2,000 nested block sequences', { family: 'yaml-nesting' });
  add('yaml-nested-maps-10000', 'x: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n' + BASE_YAML, re('^yaml-nested-maps-10000\\.yaml: invalid YAML: .+$'), '10,000 nested flow mappings beside the model', { family: 'yaml-nesting' });
  add('yaml-args-deep', row('[-1, 1, Conv, [[[[[[64]]]]], 3, 2]]'), exact('yaml-args-deep.yaml: backbone[1]: args nested too deeply'), 'args nested 6 deep', { family: 'yaml-nesting' });
  add('yaml-empty', '', exact('yaml-empty.yaml: expected a mapping with nc, backbone and head at the top level'), 'empty file');
  add('yaml-list', '- 1\n- 2\n', exact('yaml-list.yaml: expected a mapping with nc, backbone and head at the top level'), 'a top-level list');
  add('yaml-binary', '\u0000\u0001\u0002PK\u0003\u0004garbage\uFFFD', re('^yaml-binary\\.yaml: .+$'), 'binary bytes');
  add('yaml-syntax', 'nc: [1, 2\nbackbone: {\n', re('^yaml-syntax\\.yaml: invalid YAML: .+$'), 'unclosed brackets');
  add('yaml-tabs', 'nc: 2\nbackbone:\n\t- [-1, 1, Conv, [64, 3, 2]]\n', re('^yaml-tabs\\.yaml: invalid YAML: .+$'), 'tab indentation');
  add('yaml-duplicate-keys', 'nc: 2\n' + BASE_YAML, re('^yaml-duplicate-keys\\.yaml: invalid YAML: .+$'), 'nc given twice');
  add('yaml-too-large', BASE_YAML + '#'.repeat(1_100_000) + '\n', re('^yaml-too-large\\.yaml: file too large for a model YAML \\(\\d+ (characters|bytes)(, at most \\d+)?\\)$'), 'a 1.1 MB model YAML');

  // ---- top-level keys
  add('yaml-nc-negative', BASE_YAML.replace('nc: 2', 'nc: -5'), exact('yaml-nc-negative.yaml: nc must be a positive integer, got -5'), 'nc -5');
  add('yaml-nc-string', BASE_YAML.replace('nc: 2', 'nc: lots'), exact("yaml-nc-string.yaml: nc must be a positive integer, got 'lots'"), 'nc a string');
  add('yaml-nc-huge', BASE_YAML.replace('nc: 2', 'nc: 1e300'), re('^yaml-nc-huge\\.yaml: nc must be a positive integer, got .+$'), 'nc 1e300');
  add('yaml-nc-missing', BASE_YAML.replace('nc: 2\n', ''), exact('yaml-nc-missing.yaml: nc must be a positive integer, got nothing'), 'no nc');
  add('yaml-no-backbone', 'nc: 2\nhead:\n  - [-1, 1, Conv, [64, 3, 2]]\n', exact('yaml-no-backbone.yaml: backbone must be a non-empty list of [from, repeats, module, args] rows'), 'no backbone');
  add('yaml-backbone-map', 'nc: 2\nbackbone: {a: 1}\n', exact('yaml-backbone-map.yaml: backbone must be a list of [from, repeats, module, args] rows'), 'backbone a mapping');
  add('yaml-scales-bad', BASE_YAML.replace('[0.33, 0.25, 1024]', '[0.33, -1]'), re('^yaml-scales-bad\\.yaml: scales\\.n must be \\[depth, width, max_channels\\] \\(positive numbers\\), got .+$'), 'a scale with two negative entries');
  add('yaml-width-zero', 'nc: 2\ndepth_multiple: 0.33\nwidth_multiple: 0\nanchors: 3\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\nhead: []\n', exact('yaml-width-zero.yaml: width_multiple must be a positive number, got 0'), 'YOLOv5 width 0');
  add('yaml-anchors-bad', 'nc: 2\nanchors: [[1, 2, 3]]\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\nhead: []\n', re('^yaml-anchors-bad\\.yaml: anchors must be a list of levels, .+$'), 'odd-length anchors');
  add('yaml-anchors-huge', 'nc: 2\nanchors: 1000000000\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\nhead: []\n', re('^yaml-anchors-huge\\.yaml: anchors must be .+$'), 'anchors: 10^9');
  add('yaml-kpt-bad', BASE_YAML + 'kpt_shape: [17, 5]\n', exact('yaml-kpt-bad.yaml: kpt_shape must be [keypoints, 2 or 3], got [17,5]'), 'kpt_shape [17, 5]');
  add('yaml-activation-eval', BASE_YAML + 'activation: __import__("os").system("rm -rf /")\n', re('^yaml-activation-eval\\.yaml: activation .+ is not supported .+$'), 'an activation that is code (never evaluated)');
  add('yaml-ch-huge', BASE_YAML + 'ch: 100000\n', exact('yaml-ch-huge.yaml: ch must be a small positive integer, got 100000'), 'ch 100000');

  // ---- rows
  add('yaml-unknown-module', row('[-1, 1, EvilModule, [64]]'), exact("yaml-unknown-module.yaml: backbone[1], line 6: unknown module 'EvilModule'"), 'an unknown module');
  add('yaml-module-number', row('[-1, 1, 42, [64]]'), exact('yaml-module-number.yaml: backbone[1]: module must be a name, got 42'), 'module a number');
  add('yaml-module-dotted', row('[-1, 1, torch.nn.Identity, []]'), re('^yaml-module-dotted\\.yaml: (backbone\\[1\\], line 6: unknown module .+|.+)$'), 'a torch.nn module path (Ultralytics would import it; we refuse)');
  add('yaml-row-short', row('[-1, 1, Conv]'), exact('yaml-row-short.yaml: backbone[1]: expected [from, repeats, module, args], got [-1,1,"Conv"]'), 'a row of 3');
  add('yaml-row-scalar', row('7'), exact('yaml-row-scalar.yaml: backbone[1]: expected [from, repeats, module, args], got 7'), 'a row that is a number');
  add('yaml-from-string', row("['prev', 1, Conv, [64, 3, 2]]"), exact("yaml-from-string.yaml: backbone[1]: 'from' must be an integer or a list of integers, got 'prev'"), 'from a string');
  add('yaml-from-out-of-range', row('[99, 1, Conv, [64, 3, 2]]'), re('^yaml-from-out-of-range\\.yaml: backbone\\[1\\]: .+$'), 'from 99');
  add('yaml-from-negative-far', row('[-50, 1, Conv, [64, 3, 2]]'), re('^yaml-from-negative-far\\.yaml: backbone\\[1\\]: .+$'), 'from -50');
  add('yaml-from-forward', row('[3, 1, Conv, [64, 3, 2]]'), re('^yaml-from-forward\\.yaml: backbone\\[1\\]: .+$'), 'from a later row');
  add('yaml-repeats-huge', row('[-1, 1000000000, Conv, [64, 3, 2]]'), exact('yaml-repeats-huge.yaml: backbone[1]: repeats must be an integer from 1 to 100, got 1000000000'), 'repeats 10^9', { timeMs: 3000 });
  add('yaml-repeats-101', row('[-1, 101, C2f, [128, True]]'), exact('yaml-repeats-101.yaml: backbone[1]: repeats must be an integer from 1 to 100, got 101'), 'repeats 101');
  add('yaml-repeats-zero', row('[-1, 0, Conv, [64, 3, 2]]'), exact('yaml-repeats-zero.yaml: backbone[1]: repeats must be an integer from 1 to 100, got 0'), 'repeats 0');
  add('yaml-repeats-float', row('[-1, 2.5, Conv, [64, 3, 2]]'), exact('yaml-repeats-float.yaml: backbone[1]: repeats must be an integer from 1 to 100, got 2.5'), 'repeats 2.5');
  add('yaml-repeats-string', row("[-1, '3', Conv, [64, 3, 2]]"), exact("yaml-repeats-string.yaml: backbone[1]: repeats must be an integer from 1 to 100, got '3'"), 'repeats a string');
  add('yaml-args-map', row('[-1, 1, Conv, {c: 64}]'), exact('yaml-args-map.yaml: backbone[1]: args must be a list, got {"c":64}'), 'args a mapping');
  add('yaml-args-inf', row('[-1, 1, Conv, [.inf, 3, 2]]'), re('^yaml-args-inf\\.yaml: backbone\\[1\\]: argument .+ is not a finite number$'), 'channels .inf');
  add('yaml-args-many', row(`[-1, 1, Conv, [${new Array(100).fill(1).join(', ')}]]`), exact('yaml-args-many.yaml: backbone[1]: too many args (100)'), '100 args');
  add('yaml-args-string-channels', row("[-1, 1, Conv, ['wide', 3, 2]]"), re('^yaml-args-string-channels\\.yaml: backbone\\[1\\]: .+$'), 'channels a string');
  add('yaml-args-negative-channels', row('[-1, 1, Conv, [-64, 3, 2]]'), re('^yaml-args-negative-channels\\.yaml: backbone\\[1\\]: .+$'), 'channels -64');
  add('yaml-args-huge-channels', row('[-1, 1, Conv, [1e12, 3, 2]]'), { exit: 0 }, 'channels 10^12 (capped by max_channels 1024, so it analyses)');
  add('yaml-args-huge-kernel', row('[-1, 1, Conv, [64, 100001, 2]]'), { exit: 0 }, 'kernel 100001 (padded to keep the size: analysed, no allocation)');
  add('yaml-args-zero-stride', row('[-1, 1, Conv, [64, 3, 0]]'), re('^yaml-args-zero-stride\\.yaml: backbone\\[1\\]: .+$'), 'stride 0');
  add('yaml-args-bool-channels', row('[-1, 1, Conv, [true, 3, 2]]'), re('^yaml-args-bool-channels\\.yaml: backbone\\[1\\]: .+$'), 'channels true');
  add('yaml-too-many-rows', 'nc: 2\nbackbone:\n' + '  - [-1, 1, Conv, [16, 3, 1]]\n'.repeat(1001), exact('yaml-too-many-rows.yaml: too many rows (1001, at most 1000)'), '1001 rows');
  add('yaml-head-unknown', BASE_YAML.replace('Detect, [nc]', 'Detect, [nc, "x", "y"]'), exact('yaml-head-unknown.yaml: head[0]: Detect got too many arguments: ["nc","x","y"]'), 'Detect with junk args');
  add('yaml-concat-mismatch', BASE_YAML.replace('  - [[2, 5], 1, Detect, [nc]]', '  - [[2, 5], 1, Concat, [1]]\n  - [[-1], 1, Detect, [nc]]'), re('^yaml-concat-mismatch\\.yaml: .+$'), 'Concat of two resolutions');
  add('yaml-no-head', BASE_YAML.replace('head:\n  - [[2, 5], 1, Detect, [nc]]\n', ''), exact("yaml-no-head.yaml: backbone[5]: the last row must be a Detect, Segment, Pose, OBB or Classify head (or their YOLO26 forms), got 'SPPF'"), 'a backbone alone');
  return cases;
}
