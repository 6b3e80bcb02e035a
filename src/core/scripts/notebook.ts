// Jupyter notebooks: the code cells are joined into one Python text (later cells see the
// variables of earlier ones, as when the notebook runs top to bottom); `!` lines and `%%bash`
// cells are read as shell. Positions map back both to the .ipynb file's text (through the JSON
// string escapes) and to the cell, which is what VS Code's notebook editor shows.

import type { Fragment, Segment } from './text';

/** A JSON value with the offsets of its text; strings are decoded only when asked. */
type JNode =
  | { t: 'obj'; entries: Array<[string, JNode]>; start: number; end: number }
  | { t: 'arr'; items: JNode[]; start: number; end: number }
  | { t: 'str'; start: number; end: number }
  | { t: 'lit'; start: number; end: number };

const MAX_JSON_DEPTH = 256;

class JsonSpans {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): JNode {
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected text after the JSON value');
    return v;
  }

  private fail(what: string): never {
    throw new Error(`not a valid notebook: ${what} at offset ${this.i}`);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }

  private value(depth: number): JNode {
    if (depth > MAX_JSON_DEPTH) this.fail('JSON nested too deeply');
    this.ws();
    const start = this.i;
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      const entries: Array<[string, JNode]> = [];
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return { t: 'obj', entries, start, end: this.i };
      }
      for (;;) {
        this.ws();
        if (this.s[this.i] !== '"') this.fail('expected a string key');
        const k = this.string();
        this.ws();
        if (this.s[this.i++] !== ':') this.fail("expected ':'");
        entries.push([decodeJsonString(this.s, k.start).value, this.value(depth + 1)]);
        this.ws();
        const d = this.s[this.i++];
        if (d === '}') return { t: 'obj', entries, start, end: this.i };
        if (d !== ',') this.fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      this.i++;
      const items: JNode[] = [];
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return { t: 'arr', items, start, end: this.i };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        const d = this.s[this.i++];
        if (d === ']') return { t: 'arr', items, start, end: this.i };
        if (d !== ',') this.fail("expected ',' or ']'");
      }
    }
    if (c === '"') return this.string();
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) this.fail('unexpected character');
    this.i += m[0].length;
    return { t: 'lit', start, end: this.i };
  }

  private string(): JNode {
    const start = this.i;
    // Jump from quote to quote (native indexOf: notebooks are mostly long output strings); a quote
    // preceded by an odd number of backslashes is escaped.
    let at = start + 1;
    for (;;) {
      const q = this.s.indexOf('"', at);
      if (q < 0) {
        this.i = this.s.length;
        return this.fail('unterminated string');
      }
      let slashes = 0;
      while (this.s.charCodeAt(q - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) {
        this.i = q + 1;
        return { t: 'str', start, end: this.i };
      }
      at = q + 1;
    }
  }
}

/** Decodes the JSON string whose opening quote is at `start`, with the file offset of each unit. */
export function decodeJsonString(s: string, start: number): { value: string; offsets: number[]; widths: number[] } {
  let value = '';
  const offsets: number[] = [];
  const widths: number[] = [];
  const esc: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  let i = start + 1;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === '\\') {
      const e = s[i + 1];
      if (e === 'u') {
        value += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
        offsets.push(i);
        widths.push(6);
        i += 6;
      } else {
        value += esc[e] ?? e;
        offsets.push(i);
        widths.push(2);
        i += 2;
      }
    } else {
      value += s[i];
      offsets.push(i);
      widths.push(1);
      i++;
    }
  }
  return { value, offsets, widths };
}

function get(o: JNode | undefined, key: string): JNode | undefined {
  return o?.t === 'obj' ? o.entries.find(([k]) => k === key)?.[1] : undefined;
}

export interface NotebookCell {
  /** Index in the notebook's `cells` (markdown cells count too, as in VS Code). */
  index: number;
  /** Offset of the cell's first unit in the joined text. */
  start: number;
  length: number;
}

export interface NotebookText {
  /** Code cells joined by newlines; positions map to the file through `frag.segments`. */
  frag: Fragment;
  /** The same text with `!`/`%` lines and shell cells blanked (same length). */
  python: string;
  /** The same text with only `!` lines (the `!` blanked) and `%%bash` cells kept. */
  shell: string;
  cells: NotebookCell[];
  language: string;
}

const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');

/** Reads a notebook's code cells; throws a one-line Error when it is not notebook JSON. */
export function readNotebook(fileText: string): NotebookText {
  const root = new JsonSpans(fileText).parse();
  const cells = get(root, 'cells');
  if (cells?.t !== 'arr') throw new Error('not a valid notebook: no "cells" list');
  const langNode = get(get(get(root, 'metadata'), 'kernelspec'), 'language') ?? get(get(get(root, 'metadata'), 'language_info'), 'name');
  const language = langNode?.t === 'str' ? decodeJsonString(fileText, langNode.start).value : 'python';
  let text = '';
  let python = '';
  let shell = '';
  const segments: Segment[] = [];
  const out: NotebookCell[] = [];
  cells.items.forEach((cell, index) => {
    const type = get(cell, 'cell_type');
    if (type?.t !== 'str' || decodeJsonString(fileText, type.start).value !== 'code') return;
    const src = get(cell, 'source');
    const parts = src?.t === 'arr' ? src.items.filter((x) => x.t === 'str') : src?.t === 'str' ? [src] : [];
    const cellStart = text.length;
    let cellText = '';
    for (const p of parts) {
      const d = decodeJsonString(fileText, p.start);
      // Runs of plain characters map one to one; each escape is its own one-unit segment.
      for (let k = 0; k < d.value.length; ) {
        const from = cellStart + cellText.length + k;
        if (d.widths[k] !== 1) {
          segments.push({ from, to: d.offsets[k], length: 1, width: d.widths[k] });
          k++;
          continue;
        }
        let n = 1;
        while (k + n < d.value.length && d.widths[k + n] === 1 && d.offsets[k + n] === d.offsets[k] + n) n++;
        segments.push({ from, to: d.offsets[k], length: n });
        k += n;
      }
      cellText += d.value;
    }
    out.push({ index, start: cellStart, length: cellText.length });
    text += `${cellText}\n`;
    const lines = cellText.split('\n');
    const shellCell = /^%%(bash|sh|shell|script\s+(ba)?sh)\b/.test(lines[0] ?? '');
    if (shellCell) {
      python += `${blank(cellText)}\n`;
      shell += `${[blank(lines[0]), ...lines.slice(1)].join('\n')}\n`;
      return;
    }
    const py: string[] = [];
    const sh: string[] = [];
    // IPython joins a line ending in `\` with the next before running it: a `!cmd \` goes on in
    // lines that carry no `!` of their own.
    let continued = false;
    for (const line of lines) {
      const m = /^(\s*)([!%])/.exec(line);
      if (continued) {
        py.push(blank(line));
        sh.push(line);
      } else if (m && m[2] === '!') {
        py.push(blank(line));
        sh.push(`${m[1]} ${line.slice(m[0].length)}`);
      } else if (m && /^%run\s/.test(line.slice(m[1].length))) {
        // `%run train.py --batch 16` runs the script with those arguments, as `python train.py` would.
        py.push(blank(line));
        sh.push(`${m[1]}    ${line.slice(m[0].length + 3)}`);
      } else if (m) {
        py.push(blank(line));
        sh.push(blank(line));
      } else {
        py.push(line);
        sh.push(blank(line));
      }
      continued = (continued || m?.[2] === '!') && /\\\s*$/.test(line);
    }
    python += `${py.join('\n')}\n`;
    shell += `${sh.join('\n')}\n`;
  });
  return { frag: { text, segments: segments.length ? segments : [{ from: 0, to: 0, length: 0 }] }, python, shell, cells: out, language };
}
