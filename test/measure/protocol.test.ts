// The probe's JSON-lines protocol: every message shape, and refusal of anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineSplitter, MAX_LINE_CHARS, parseProbeLine } from '../../src/core/measure/protocol';

const root = join(import.meta.dirname, '..', '..');

test('every line of the recorded real CPU run and of the GPU fixtures parses', () => {
  for (const f of ['test/data/measure/cpu-yolov8n-b2-imgsz160.jsonl', 'test/fixtures/measure/gpu-fits.jsonl', 'test/fixtures/measure/gpu-oom.jsonl']) {
    const lines = readFileSync(join(root, f), 'utf8').split('\n').filter((l) => l.trim());
    const msgs = lines.map(parseProbeLine);
    assert.equal(msgs[0].type, 'hello', f);
    assert.equal(msgs.at(-1)!.type, 'result', f);
  }
});

test('a phase line keeps its figures; a result line its outcome and phase', () => {
  const p = parseProbeLine('{"type":"phase","phase":"steady","memory":{"maxAllocatedBytes":10,"reservedBytes":20,"maxReservedBytes":20,"nvidiaSmiBytes":null}}');
  assert.deepEqual(p, { type: 'phase', phase: 'steady', memory: { maxAllocatedBytes: 10, reservedBytes: 20, maxReservedBytes: 20, nvidiaSmiBytes: null } });
  const r = parseProbeLine('{"type":"result","batch":8,"outcome":"oom","oomPhase":"validation","message":"did not fit at batch 8, in phase validation","steps":4}');
  assert.equal(r.type === 'result' && r.oomPhase, 'validation');
});

test('malformed lines are refused with a one-line reason', () => {
  const bad: [string, RegExp][] = [
    ['not json', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"type":"shout"}', /unknown probe message type/],
    ['{"type":"phase","phase":"warp","memory":{"maxAllocatedBytes":1}}', /phase must be one of/],
    ['{"type":"phase","phase":"steady","memory":{"maxAllocatedBytes":-1}}', /whole number of bytes/],
    ['{"type":"phase","phase":"steady","memory":{}}', /neither a GPU nor a CPU figure/],
    ['{"type":"result","batch":8,"outcome":"oom","oomPhase":null,"message":"x"}', /needs "oomPhase"/],
    ['{"type":"result","batch":0,"outcome":"fits","message":"x"}', /positive whole number/],
    ['{"type":"hello","protocol":"1"}', /protocol/],
    ['x'.repeat(MAX_LINE_CHARS + 1), /longer than/],
  ];
  for (const [line, re] of bad) assert.throws(() => parseProbeLine(line), re, line.slice(0, 40));
});

test('an error message keeps its first line only and its missing modules', () => {
  const e = parseProbeLine(JSON.stringify({ type: 'error', message: 'missing Python modules: torch\nmore', missing: ['torch'] }));
  assert.deepEqual(e, { type: 'error', message: 'missing Python modules: torch', missing: ['torch'] });
});

test('the line splitter joins chunks and drops a line that grows past the bound', () => {
  const lines: string[] = [];
  let overflows = 0;
  const s = new LineSplitter((l) => lines.push(l), () => overflows++);
  s.push('{"a":');
  s.push('1}\r\n\n{"b"');
  s.push(':2}\n');
  s.push('y'.repeat(MAX_LINE_CHARS + 5));
  s.push('tail\n');
  s.end();
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', 'tail']);
  assert.equal(overflows, 1);
});
