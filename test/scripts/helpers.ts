// Test helpers for the script reader: ranges computed independently (by string search), so the
// corpus states each expected range as the exact text it must cover.
import assert from 'node:assert/strict';
import type { Range, ScriptScan, Setting, SettingKey, TrainingRun } from '../../src/core/scripts/types';

/** Range of the `nth` occurrence of `needle` in `src` (0-based lines, UTF-16 characters). */
export function rangeOf(src: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = src.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`test bug: "${needle}" #${nth} not in source`);
  }
  const pos = (off: number) => {
    const before = src.slice(0, off);
    const line = before.split('\n').length - 1;
    return { line, character: off - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(at), end: pos(at + needle.length) };
}

/**
 * Range of the marked part of `context`: rangeIn(src, 'batch=«8»') is the range of `8` in the first
 * `batch=8`. Without marks, the whole needle.
 */
export function rangeIn(src: string, context: string, nth = 0): Range {
  const a = context.indexOf('«');
  if (a < 0) return rangeOf(src, context, nth);
  const b = context.indexOf('»');
  const plain = context.replace('«', '').replace('»', '');
  const whole = rangeOf(src, plain, nth);
  const inner = context.slice(a + 1, b);
  const before = plain.slice(0, a);
  const lines = before.split('\n');
  const startLine = whole.start.line + lines.length - 1;
  const startChar = lines.length > 1 ? lines[lines.length - 1].length : whole.start.character + a;
  const innerLines = inner.split('\n');
  const endLine = startLine + innerLines.length - 1;
  const endChar = innerLines.length > 1 ? innerLines[innerLines.length - 1].length : startChar + inner.length;
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

export function markedText(context: string): string {
  const a = context.indexOf('«');
  return a < 0 ? context : context.slice(a + 1, context.indexOf('»'));
}

/** [value, the value token's text, or a context with the token marked «like this», occurrence (default 0)] */
export type Expect = [unknown, string, number?];

export interface RunExpect {
  kind: TrainingRun['kind'];
  settings: Partial<Record<SettingKey, Expect>>;
  /** Keys the run must not have. */
  absent?: SettingKey[];
}

export function checkRuns(scan: ScriptScan, src: string, expected: RunExpect[]): void {
  assert.deepEqual(
    scan.runs.map((r) => r.kind),
    expected.map((r) => r.kind),
    `run kinds (notes: ${JSON.stringify(scan.notes)})`,
  );
  expected.forEach((exp, i) => {
    const run = scan.runs[i];
    for (const [key, [value, text, nth]] of Object.entries(exp.settings) as Array<[SettingKey, Expect]>) {
      const s = run.settings[key] as Setting<unknown> | undefined;
      assert.ok(s, `run ${i}: ${key} missing; has ${Object.keys(run.settings).join(',')}`);
      assert.deepEqual(s.value, value, `run ${i}: ${key} value (note: ${s.note ?? ''})`);
      assert.equal(s.raw, markedText(text), `run ${i}: ${key} raw`);
      assert.deepEqual(s.range, rangeIn(src, text, nth ?? 0), `run ${i}: ${key} range`);
    }
    for (const key of exp.absent ?? []) assert.equal(run.settings[key], undefined, `run ${i}: ${key} should be absent`);
  });
}
