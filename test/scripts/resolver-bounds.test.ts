// Bounds on the Python reader's name resolver: the scope walk, the work a value may take, and
// recursion over nested assignment targets. Each input here once crashed or hung the reader
// (docs/reliability.md); each must now finish with the value unknown and a reason (the step counts
// bound the work, not a clock: the unbounded versions never finished).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPythonParser } from '../../src/core/scripts/python-parser';
import { MAX_FILE_STEPS, MAX_VALUE_STEPS } from '../../src/core/scripts/python';
import { scanScript } from '../../src/core/scripts/scan';

before(async () => {
  await initPythonParser();
});

const py = (src: string) => scanScript(src, 'python');

test('a file whose parse root is an ERROR node: names resolve to unknown, the scope walk ends', async () => {
  // The scope walk stopped at type 'module'; this file's root is ERROR, and the walk looped,
  // growing its scope list until V8 ran out of heap (the fuzz's 78-byte reproducer has this shape).
  const src = `fro[,'"""m\nBATCH = 8\nmodel.train(batch=BATCH)\n`;
  const parser = await initPythonParser();
  const tree = parser.parse(src)!;
  assert.equal(tree.rootNode.type, 'ERROR', 'the grammar now parses this input differently: find another ERROR-rooted input');
  tree.delete();
  const scan = py(src);
  assert.equal(scan.runs.length, 1);
  assert.equal(scan.runs[0].settings.batch!.value, null);
  assert.equal(scan.runs[0].settings.batch!.note, 'BATCH is not assigned in this file');
  assert.match(scan.notes.join('\n'), /syntax errors/);
});

/** `x0 = 1; x1 = [x0, x0, ...]; ...`: each level multiplies the work by `width`. */
function fanOut(levels: number, width: number, first: string, wrap: (names: string[]) => string): string {
  const lines = [`v0 = ${first}`];
  for (let i = 1; i <= levels; i++) lines.push(`v${i} = ${wrap(Array<string>(width).fill(`v${i - 1}`))}`);
  return lines.join('\n') + '\n';
}

test('names that each stand for several others stop at the step budget, not after width ** depth steps', () => {
  // 10 ** 8 evaluations without the budget; 8 levels of 10 is well inside the depth bound.
  const src = fanOut(8, 10, '1', (n) => `[${n.join(', ')}]`) + `YOLO('n.pt').train(data='d', batch=v8)\n`;
  const b = py(src).runs[0].settings.batch!;
  assert.equal(b.value, null);
  assert.equal(b.note, `the value takes more than ${MAX_VALUE_STEPS.toLocaleString('en-US')} steps to follow`);
});

test('**dicts merged from the same dict many times stop at the budget instead of growing the entry list', () => {
  // The entry list grew tenfold per level (10 ** 10 entries here, inside the depth bound): V8
  // aborts the process on such an array, it does not throw.
  const src = fanOut(10, 10, `{'batch': 8}`, (n) => `{${n.map((x) => `**${x}`).join(', ')}}`) + `YOLO('n.pt').train(data='d', **v10)\n`;
  const run = py(src).runs[0];
  assert.equal(run.settings.batch, undefined);
  assert.match(run.notes.join('\n'), /^\*\*v10: the value takes more than [\d,]+ steps to follow; the settings it holds are unknown$/m);
});

test('a modest fan-out still resolves', () => {
  const src = fanOut(3, 3, `{'batch': 8}`, (n) => `{${n.map((x) => `**${x}`).join(', ')}}`) + `YOLO('n.pt').train(data='d', **v3)\n`;
  assert.equal(py(src).runs[0].settings.batch!.value, 8);
});

test('the whole file has a step budget too, with a note, and values read before it keep theirs', () => {
  const calls = Math.ceil(MAX_FILE_STEPS / MAX_VALUE_STEPS) + 5;
  const src = `YOLO('n.pt').train(data='d', batch=4)\n` + fanOut(6, 10, '1', (n) => `[${n.join(', ')}]`) + `YOLO('n.pt').train(data='d', batch=v6)\n`.repeat(calls);
  const scan = py(src);
  assert.equal(scan.runs.length, calls + 1);
  assert.equal(scan.runs[0].settings.batch!.value, 4);
  assert.match(scan.notes.join('\n'), /the script takes more than [\d,]+ steps to follow; values not read by then are unknown/);
  assert.equal(scan.runs[calls].settings.batch!.note, 'the script takes too many steps to follow');
});

test('deeply nested loop and unpacking targets do not overflow the stack', () => {
  const depth = 20_000;
  const loop = py(`for ${'['.repeat(depth)}a${']'.repeat(depth)} in y:\n    YOLO('n.pt').train(data='d', batch=a)\n`);
  assert.equal(loop.runs[0].settings.batch!.note, 'a is a loop variable');
  const nest = (leaf: string) => `[${leaf}, `.repeat(depth) + leaf + ']'.repeat(depth);
  const unpack = py(`${nest('a')} = ${nest('1')}\nYOLO('n.pt').train(data='d', batch=a)\n`);
  assert.equal(unpack.runs[0].settings.batch!.value, null);
  assert.match(unpack.runs[0].settings.batch!.note!, /^a is unpacked from /);
  // Shallow unpacking still pairs names with values.
  assert.equal(py(`[a, [b, c]] = [1, [2, 3]]\nYOLO('n.pt').train(data='d', batch=c)\n`).runs[0].settings.batch!.value, 3);
});

test('a scope first read when a value runs out of budget is still read whole for later values', () => {
  // Bindings are collected once per scope, on the first lookup there, and collecting reads
  // subscript keys (`args['imgsz'] = 320`). Here that first lookup is `args` at the end of a long
  // list in f(); sweeping the list's length puts it on the last step of the budget for one of them.
  // Read on what was left of that budget, the key was unknown and cached as "args is changed".
  const half = Math.floor(MAX_VALUE_STEPS / 2);
  for (let k = half - 3; k <= half + 1; k++) {
    const src = `args = {'batch': 8}\nargs['imgsz'] = 320\ndef f():\n    w = 1\n    YOLO('n.pt').train(data='d', batch=[${Array<string>(k).fill('w').join(', ')}, args])\nYOLO('n.pt').train(data='d', **args)\n`;
    const runs = py(src).runs;
    assert.equal(runs[1].settings.imgsz?.value, 320, `list of ${k}: ${runs[1].notes.join('; ')}`);
  }
});
