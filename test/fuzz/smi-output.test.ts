// nvidia-smi output that is not text: whatever it prints, the message shown to the user is one
// printable line (found by the reliability corpus: 2 KiB of binary came back as NULs and escapes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyNvidiaSmiOutput, parseNvidiaSmiCsv } from '../../src/core/gpu/nvidia-smi';

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

test('binary garbage gives a printable one-line message', () => {
  const r = classifyNvidiaSmiOutput('\u0000\u001f>]|\u001b[31mboom\u0007\n', '', 0, false);
  assert.ok(r.state === 'garbage');
  assert.equal(r.message, 'nvidia-smi printed something that is not its CSV output: "??>]|?[31mboom?"');
  const e = classifyNvidiaSmiOutput('', '\u0000bad\u0001\n', 3, false);
  assert.ok(e.state === 'error');
  assert.equal(e.message, 'nvidia-smi exited with code 3: ?bad?');
});

test('any output, any exit code: never throws, message is one printable line, notes too', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.option(fc.integer({ min: 0, max: 255 })), fc.boolean(), (stdout, stderr, code, uuid) => {
      const r = classifyNvidiaSmiOutput(stdout, stderr, code, uuid);
      if (r.state !== 'ok') assert.ok(!CONTROL.test(r.message), JSON.stringify(r.message));
      const parsed = parseNvidiaSmiCsv(stdout, uuid);
      for (const n of parsed?.notes ?? []) assert.ok(!CONTROL.test(n), JSON.stringify(n));
      for (const g of parsed?.gpus ?? []) assert.ok(Number.isFinite(g.totalBytes) && g.totalBytes > 0);
    }),
    { numRuns: 2000 },
  );
});
