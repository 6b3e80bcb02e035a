// A parser for the Python literals that Ultralytics writes into ONNX metadata (str() of dicts,
// lists, tuples, strings, numbers, True/False/None). It never evaluates anything; on any syntax it
// does not know it returns undefined and the caller keeps the raw string.
//   "{0: 'person', 1: 'bicycle'}"  → { '0': 'person', '1': 'bicycle' }
//   "[640, 640]"                  → [640, 640]
//   "{'task': 'detect', 'half': False, 'lr0': 0.01}"

export type PyValue = null | boolean | number | string | PyValue[] | { [k: string]: PyValue };

export function parsePyLiteral(src: string): PyValue | undefined {
  const p = new Parser(src);
  try {
    const v = p.value();
    p.ws();
    return p.i === src.length ? v : undefined;
  } catch {
    return undefined;
  }
}

const MAX_DEPTH = 32;

class Parser {
  i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private bad(): never {
    throw new SyntaxError(`unexpected input at ${this.i}`);
  }

  value(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.bad();
    if (c === '{' || c === '[' || c === '(') return this.container(c);
    if (c === "'" || c === '"') return this.str();
    const m = /^(?:[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)|True|False|None)/.exec(this.s.slice(this.i));
    if (!m) this.bad();
    this.i += m[0].length;
    const t = m[0];
    if (t === 'True') return true;
    if (t === 'False') return false;
    if (t === 'None') return null;
    if (/inf$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/nan$/.test(t)) return NaN;
    return Number(t);
  }

  private container(open: string): PyValue {
    if (++this.depth > MAX_DEPTH) this.bad();
    const close = open === '{' ? '}' : open === '[' ? ']' : ')';
    this.i++;
    const list: PyValue[] = [];
    const dict: [string, PyValue][] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        break;
      }
      const v = this.value();
      if (open === '{') {
        this.ws();
        if (this.s[this.i] !== ':') this.bad();
        this.i++;
        dict.push([typeof v === 'string' ? v : JSON.stringify(v), this.value()]);
      } else list.push(v);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.bad();
    }
    this.depth--;
    return open === '{' ? Object.fromEntries(dict) : list;
  }

  private str(): string {
    const q = this.s[this.i++];
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === q) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
      if (e in simple) out += simple[e];
      else if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = this.s.slice(this.i, this.i + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.bad();
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += len;
      } else out += '\\' + (e ?? '');
    }
    this.bad();
  }
}
