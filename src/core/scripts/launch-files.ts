// Files that hold shell commands inside another syntax: Makefile recipes, Dockerfile RUN / CMD /
// ENTRYPOINT, and GitHub Actions `run:` steps. Each is cut into fragments of shell text (their
// segments map back to the file) plus the variables the file sets around them (make `VAR = ...`,
// Docker `ENV` / `ARG`, workflow `env:`), which the shell reader expands like its own.

import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { ShellVars } from './shell';
import type { Fragment, Segment } from './text';

export interface ShellParts {
  frags: Fragment[];
  vars: ShellVars;
}

interface Line {
  start: number;
  text: string;
  eol: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /[^\r\n]*(\r\n|\r|\n|$)/g;
  for (let m = re.exec(text); m && m[0].length; m = re.exec(text)) {
    out.push({ start: m.index, text: m[0].slice(0, m[0].length - m[1].length), eol: m[1] });
    if (re.lastIndex >= text.length) break;
  }
  return out;
}

/** One fragment from (file offset, text) pieces laid end to end. */
function fragmentOf(pieces: Array<{ at: number; text: string }>): Fragment {
  let text = '';
  const segments: Segment[] = [];
  for (const p of pieces) {
    segments.push({ from: text.length, to: p.at, length: p.text.length });
    text += p.text;
  }
  return { text, segments: segments.length ? segments : [{ from: 0, to: 0, length: 0 }] };
}

const unquote = (v: string) => v.trim().replace(/^(['"])(.*)\1$/s, '$2');

/**
 * Makefile: `NAME = value` (also `:=`, `?=`, `::=`, and `export NAME = value`) are variables; lines
 * starting with a tab are recipe lines, read as shell with make's `@` / `-` / `+` prefixes blanked.
 * `$(NAME)` / `${NAME}` expand from the variables (shell.ts expandAll), `$$` is a literal `$`.
 */
export function makefileParts(text: string): ShellParts {
  const vars: ShellVars = new Map();
  const pieces: Array<{ at: number; text: string }> = [];
  splitLines(text).forEach((l, n) => {
    const v = /^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,2}=|\?=|\+=|=)\s*(.*?)\s*$/.exec(l.text);
    if (v && !l.text.startsWith('\t')) {
      vars.set(v[1], { value: v[2], line: n + 1 });
      return;
    }
    if (!l.text.startsWith('\t')) return;
    const prefix = /^\t[@+-]*/.exec(l.text)![0].length;
    // `$$VAR` is the shell's own `$VAR` once make is done with the line.
    pieces.push({ at: l.start + prefix, text: l.text.slice(prefix).replace(/\$\$/g, ' $') + (l.eol || '\n') });
  });
  return { frags: pieces.length ? [fragmentOf(pieces)] : [], vars };
}

/**
 * Dockerfile: `ENV A=b` / `ENV A b` / `ARG A=b` are variables; `RUN`, `CMD` and `ENTRYPOINT` are
 * commands. Their JSON exec form (`CMD ["python", "train.py", "--batch", "16"]`) is read by blanking
 * the brackets and commas between the quoted words, which keeps every offset.
 */
export function dockerfileParts(text: string): ShellParts {
  const vars: ShellVars = new Map();
  const frags: Fragment[] = [];
  const lines = splitLines(text);
  for (let n = 0; n < lines.length; n++) {
    const l = lines[n];
    const m = /^\s*(RUN|CMD|ENTRYPOINT|ENV|ARG)\s+/i.exec(l.text);
    if (!m) continue;
    // The instruction goes on while its lines end in `\`.
    const pieces = [{ at: l.start + m[0].length, text: l.text.slice(m[0].length) + (l.eol || '\n') }];
    while (/\\\s*$/.test(lines[n].text) && n + 1 < lines.length) {
      n++;
      pieces.push({ at: lines[n].start, text: lines[n].text + (lines[n].eol || '\n') });
    }
    const op = m[1].toUpperCase();
    if (op === 'ENV' || op === 'ARG') {
      const body = pieces.map((p) => p.text).join('').replace(/\\\r?\n/g, ' ').trim();
      const pairs = [...body.matchAll(/([A-Za-z_]\w*)=("[^"]*"|'[^']*'|\S*)/g)];
      if (pairs.length) for (const p of pairs) vars.set(p[1], { value: unquote(p[2]), line: n + 1 });
      else {
        const legacy = /^([A-Za-z_]\w*)\s+(.*)$/.exec(body);
        if (legacy) vars.set(legacy[1], { value: unquote(legacy[2]), line: n + 1 });
      }
      continue;
    }
    const frag = fragmentOf(pieces);
    if (/^\s*\[/.test(frag.text)) {
      // Exec form: only what is inside the quotes is a word.
      let inQuote = false;
      let out = '';
      for (let i = 0; i < frag.text.length; i++) {
        const c = frag.text[i];
        if (c === '"' && frag.text[i - 1] !== '\\') inQuote = !inQuote;
        out += !inQuote && (c === '[' || c === ']' || c === ',') ? ' ' : c;
      }
      frag.text = out;
    }
    frags.push(frag);
  }
  return { frags, vars };
}

/**
 * GitHub Actions: every `run:` value under `jobs.*.steps` is a shell script; `env:` maps (workflow,
 * job and step) set variables. A block scalar (`run: |`) keeps its lines, indentation removed.
 */
export function workflowParts(text: string): ShellParts {
  const vars: ShellVars = new Map();
  const frags: Fragment[] = [];
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false });
  } catch {
    return { frags, vars };
  }
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const visit = (node: YamlNode | null | undefined, depth: number): void => {
    if (!node || depth > 64) return;
    if (isSeq(node)) for (const it of node.items) visit(it as YamlNode, depth + 1);
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const value = pair.value as YamlNode | null;
      if (key === 'env' && isMap(value)) {
        for (const e of value.items) {
          if (isPair(e) && isScalar(e.key) && isScalar(e.value) && e.value.range) vars.set(String(e.key.value), { value: String(e.value.value), line: lineOf(e.value.range[0]) });
        }
      } else if (key === 'run' && isScalar(value) && typeof value.value === 'string' && value.range) {
        frags.push(runFragment(text, value.range[0], value.range[1], value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED'));
      } else visit(value, depth + 1);
    }
  };
  visit(doc.contents as YamlNode, 0);
  return { frags, vars };
}

/** The shell text of one `run:` value: a one-line scalar as it stands, a block's lines dedented. */
function runFragment(text: string, start: number, end: number, block: boolean): Fragment {
  if (!block) {
    const raw = text.slice(start, end);
    const q = /^(['"])(.*)\1$/s.exec(raw);
    return q ? fragmentOf([{ at: start + 1, text: q[2] }]) : fragmentOf([{ at: start, text: raw }]);
  }
  // The header line (`|`, `|-`, `>`) ends at the first newline; the body follows.
  const nl = text.indexOf('\n', start);
  if (nl < 0 || nl >= end) return fragmentOf([]);
  const body = splitLines(text.slice(nl + 1, end)).map((l) => ({ ...l, start: l.start + nl + 1 }));
  const indent = Math.min(...body.filter((l) => l.text.trim()).map((l) => /^ */.exec(l.text)![0].length));
  return fragmentOf(body.map((l) => ({ at: l.start + Math.min(indent, l.text.length), text: l.text.slice(Math.min(indent, l.text.length)) + (l.eol || '\n') })));
}
