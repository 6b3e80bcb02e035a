// Files near the size limit (2 MB) that are mostly training commands: the reader finishes and
// returns runs, instead of throwing from handling that many of them at once.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPythonParser } from '../../src/core/scripts/python-parser';
import { MAX_RUNS } from '../../src/core/scripts/python';
import { MAX_SCRIPT_CHARS, scanScript } from '../../src/core/scripts/scan';

before(async () => {
  await initPythonParser();
});

test('a Markdown file with 150,000 shell training lines gives its runs, not a RangeError', () => {
  // The runs were appended with push(...runs): one argument per run, past V8's argument limit.
  const lines = 150_000;
  const text = '```bash\n' + 'yolo train\n'.repeat(lines) + '```\n';
  assert.ok(text.length <= MAX_SCRIPT_CHARS);
  const scan = scanScript(text, 'markdown');
  assert.equal(scan.runs.length, lines);
});

test('argparse parsers count toward the cap on runs, with a note', () => {
  const src = '# YOLOv5 look-alike\n' + Array.from({ length: MAX_RUNS + 5 }, (_, i) => `p${i}.add_argument('--batch-size', default=${i})`).join('\n') + '\n';
  const scan = scanScript(src, 'python');
  assert.equal(scan.runs.length, MAX_RUNS);
  assert.equal(scan.runs[MAX_RUNS - 1].settings.batch!.value, MAX_RUNS - 1);
  assert.match(scan.notes.join('\n'), new RegExp(`only the first ${MAX_RUNS} argument parsers were read`));
});
