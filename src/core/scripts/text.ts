// Offsets and positions. Each reader works on a "fragment" of text (a whole file, a Markdown code
// block, the code cells of a notebook joined together) and reports spans in the fragment's own
// offsets; the fragment's segments map them back to the file, and the file's line starts turn them
// into VS Code positions. All offsets count UTF-16 code units, like JS strings and VS Code.

import type { Position, Range } from './types';

export function lineStarts(text: string): number[] {
  // Text without carriage returns (most files, every notebook JSON): native indexOf per line.
  if (text.indexOf('\r') < 0) {
    const out = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
    return out;
  }
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export function positionAt(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

export function offsetAt(starts: number[], pos: Position): number {
  const line = Math.max(0, Math.min(pos.line, starts.length - 1));
  return starts[line] + pos.character;
}

/** `length` units at fragment offset `from` are the same units at file offset `to`. */
export interface Segment {
  from: number;
  to: number;
  length: number;
  /** For a one-unit segment decoded from an escape (`\\"` in JSON): how many file units it spans. */
  width?: number;
}

export interface Fragment {
  text: string;
  /** Sorted by `from`; gaps (joins between blocks) map to the nearest segment. */
  segments: Segment[];
}

export function wholeFile(text: string): Fragment {
  return { text, segments: [{ from: 0, to: 0, length: text.length }] };
}

function segmentFor(segments: Segment[], offset: number): Segment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].from <= offset) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo];
}

/** File offset of fragment offset `offset`. An end offset maps through the unit before it. */
export function toFileOffset(frag: Fragment, offset: number, isEnd = false): number {
  if (isEnd && offset > 0) {
    const seg = segmentFor(frag.segments, offset - 1);
    if (seg.width !== undefined) return seg.to + seg.width;
    return seg.to + Math.min(offset - 1 - seg.from, Math.max(seg.length - 1, 0)) + 1;
  }
  const seg = segmentFor(frag.segments, offset);
  return seg.to + Math.min(Math.max(offset - seg.from, 0), seg.length);
}

/** Turns fragment spans into file ranges and source text. */
export interface Locator {
  range(start: number, end: number): Range;
  text(start: number, end: number): string;
  /** 1-based file line of a fragment offset, for messages. */
  line(offset: number): number;
}

export function makeLocator(fileText: string, frag: Fragment, starts = lineStarts(fileText)): Locator {
  return {
    range: (start, end) => ({ start: positionAt(starts, toFileOffset(frag, start)), end: positionAt(starts, toFileOffset(frag, end, true)) }),
    text: (start, end) => frag.text.slice(start, end),
    line: (offset) => positionAt(starts, toFileOffset(frag, offset)).line + 1,
  };
}

export function containsPosition(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}
