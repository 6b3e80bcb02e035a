// Reads training settings out of Python source with tree-sitter: Ultralytics `YOLO(...).train(...)`
// (also through a model variable, `**args` dicts and Trainer overrides), YOLOv5's `train.run(...)`
// and `argparse` defaults, `DataLoader(batch_size=...)` and `torch.hub.load(...)`.
// Values are followed through simple constants assigned earlier in the same scope (ints, strings,
// bools, arithmetic on them, dict literals, argparse defaults). Anything that depends on run time
// (environment, loops, branches, function arguments) is reported as unknown with the reason.

import type { Node, Parser } from 'web-tree-sitter';
import type { Locator, Fragment } from './text';
import type { CallSite, SettingKey, TrainingRun, TrainingSettings } from './types';
import { isUnknown, makeSetting, setSetting, type Lit, type SettingSite, type Value } from './values';

/** Parsing stops (with partial results) after this long. */
export const PARSE_TIMEOUT_MS = 5000;
/** A script with more training calls than this is generated code; the rest are not read. */
export const MAX_RUNS = 1000;
/** How many names / nested expressions a value may be followed through. */
const MAX_DEPTH = 24;
/**
 * Steps (expressions evaluated, dict entries merged) one setting's value may take. The depth bound
 * does not bound the work: each name may stand for several others (`x2 = [x1, x1, x1]`,
 * `d2 = {**d1, **d1}`), so work and `**` entry lists grow as width ** depth (a 600-byte script took
 * seconds, and the entry list grew until V8 ran out of heap). The reader's tests take at most 28
 * steps per file, except a generated 1,000-run file (about 3,000).
 */
export const MAX_VALUE_STEPS = 10_000;
/** Steps a whole file may take (a step is a few microseconds); past it, values still to be read are unknown, with a note. */
export const MAX_FILE_STEPS = 500_000;

const ULTRALYTICS_CLASSES = new Set(['YOLO', 'RTDETR', 'YOLOWorld', 'YOLOE']);
/** Methods that return the same model object (`YOLO('x.yaml').load('x.pt')`). */
const SAME_MODEL_METHODS = new Set(['load', 'to', 'cuda', 'cpu', 'half', 'float', 'fuse']);

const ULTRALYTICS_KEYS: Record<string, SettingKey> = {
  batch: 'batch', imgsz: 'imgsz', epochs: 'epochs', data: 'data', optimizer: 'optimizer',
  amp: 'amp', workers: 'workers', cache: 'cache', device: 'device', model: 'model',
};
/** YOLOv5 train.py option names (also its `run(**kwargs)` names); weights/cfg handled apart. */
const YOLOV5_KEYS: Record<string, SettingKey> = {
  batch_size: 'batch', batch: 'batch', imgsz: 'imgsz', img: 'imgsz', img_size: 'imgsz', epochs: 'epochs', data: 'data',
  optimizer: 'optimizer', workers: 'workers', cache: 'cache', device: 'device', model: 'model',
};
/** argparse flags of YOLOv5 train.py (and the usual look-alikes). */
const ARGPARSE_FLAGS: Record<string, SettingKey | 'weights' | 'cfg'> = {
  '--batch-size': 'batch', '--batch_size': 'batch', '--batch': 'batch', '-b': 'batch',
  '--imgsz': 'imgsz', '--img': 'imgsz', '--img-size': 'imgsz', '--img_size': 'imgsz', '--image-size': 'imgsz',
  '--epochs': 'epochs', '--data': 'data', '--optimizer': 'optimizer', '--workers': 'workers', '-j': 'workers',
  '--cache': 'cache', '--device': 'device', '--model': 'model', '--weights': 'weights', '--cfg': 'cfg',
};

const SCOPE_TYPES = new Set(['module', 'function_definition', 'class_definition', 'lambda']);

interface Binding {
  name: string;
  /** The statement (for messages and ordering). */
  stmt: Node;
  start: number;
  /** The assigned expression. */
  value?: Node;
  /** Augmented assignment operator (`+=`). */
  op?: string;
  /** For `x['k'] = v`: the key. */
  item?: string;
  /** Bindings whose value is unknowable here (loop variable, import, `with ... as`). */
  why?: string;
  /** `x.update(...)` and similar: the object may have changed. */
  mutated?: boolean;
  /** End offset of `stmt`. */
  end: number;
  /** Enclosing conditional blocks below the scope, as [start, end] offsets: the binding only runs if they do. */
  blocks: Array<[number, number]>;
}

interface SiteValue {
  value: Value;
  site: SettingSite;
}

type Resolved = { node: Node; binding: Binding } | { unknown: string };

interface DictEntry {
  key: string;
  keyNode: Node;
  value: Node;
}
type DictEntries = { entries: DictEntry[] } | { unknown: string };

export interface PythonScan {
  runs: TrainingRun[];
  notes: string[];
}

function fieldText(n: Node | null): string {
  return n ? n.text : '';
}

/** Last name of a dotted callee: `ultralytics.YOLO` → `YOLO`. */
function calleeName(fn: Node | null): string {
  if (!fn) return '';
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'attribute') return fieldText(fn.childForFieldName('attribute'));
  return '';
}

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null);
}

function decodeEscapes(s: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.|\n)/g, (m, e: string) => {
    if (e.length > 1 && (e[0] === 'x' || e[0] === 'u')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return map[e] ?? m;
  });
}

export function scanPython(parser: Parser, frag: Fragment, loc: Locator, timeoutMs = PARSE_TIMEOUT_MS): PythonScan {
  const notes: string[] = [];
  const deadline = Date.now() + timeoutMs;
  parser.reset();
  const tree = parser.parse(frag.text, null, { progressCallback: () => Date.now() > deadline });
  if (!tree) {
    return { runs: [], notes: [`Python parsing took longer than ${timeoutMs / 1000} s and was stopped; no settings were read`] };
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) notes.push('the Python code has syntax errors; settings were read from the parts that parse');
    const reader = new PythonReader(root, loc);
    const runs = reader.read();
    return { runs, notes: [...notes, ...reader.notes] };
  } finally {
    tree.delete();
  }
}

class PythonReader {
  readonly notes: string[] = [];
  private readonly calls: Node[] = [];
  /** Per scope: bindings by name, in source order (lookups must not scan the whole scope). */
  private readonly bindingsByScope = new Map<number, Map<string, Binding[]>>();
  private readonly argparseDests = new Map<string, { value: Value; flag: string; line: number }>();
  /** Work budget (MAX_VALUE_STEPS, MAX_FILE_STEPS): steps of the outermost value being read, and of the file. */
  private valueSteps = 0;
  private fileSteps = 0;
  /** evaluate() / dictEntries() calls on the stack: 0 means the next call starts a new value. */
  private nesting = 0;

  constructor(private readonly root: Node, private readonly loc: Locator) {}

  read(): TrainingRun[] {
    this.collectCalls();
    const runs: TrainingRun[] = [];
    for (const r of this.argparseRuns()) runs.push(r);
    for (const call of this.calls) {
      const fn = call.childForFieldName('function');
      const name = calleeName(fn);
      let run: TrainingRun | null = null;
      if (name === 'train' && fn?.type === 'attribute') run = this.ultralyticsTrain(call, fn);
      else if (/Trainer$/.test(name)) run = this.ultralyticsTrainer(call, name);
      else if (name === 'run' && fn?.type === 'attribute' && fieldText(fn.childForFieldName('object')) === 'train') run = this.yolov5Run(call);
      else if (name === 'DataLoader') run = this.dataLoader(call);
      else if (name === 'load' && fn && /(^|\.)hub\.load$/.test(fn.text)) run = this.torchHub(call);
      if (!run) continue;
      if (runs.length >= MAX_RUNS) {
        this.notes.push(`only the first ${MAX_RUNS} training calls were read`);
        break;
      }
      runs.push(run);
    }
    runs.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return runs;
  }

  // ---- tree walking -------------------------------------------------------------------------

  private collectCalls(): void {
    // One query inside the WebAssembly side, instead of visiting every node from JS.
    for (const n of this.root.descendantsOfType('call')) if (n) this.calls.push(n);
  }

  private range(n: Node) {
    return this.loc.range(n.startIndex, n.endIndex);
  }

  private site(valueNode: Node, keyNode?: Node | null): SettingSite {
    const s: SettingSite = { raw: valueNode.text, range: this.range(valueNode) };
    if (keyNode) s.keyRange = this.range(keyNode);
    return s;
  }

  private callSite(name: string, n: Node): CallSite {
    return { name, range: this.range(n) };
  }

  // ---- scopes and bindings ------------------------------------------------------------------

  private scopeOf(n: Node): Node {
    for (let p = n.parent; p; p = p.parent) if (SCOPE_TYPES.has(p.type)) return p;
    return this.root;
  }

  private bindings(scope: Node, name: string): Binding[] {
    let byName = this.bindingsByScope.get(scope.id);
    if (!byName) {
      // collecting a scope's bindings may evaluate values that look names up in the same scope:
      // a re-entrant call answers "no bindings" (unknown) instead of recursing without end
      if (this.collecting.has(scope.id)) return [];
      this.collecting.add(scope.id);
      // Collection is cached for the whole file, so it must not run on what is left of the budget
      // of the value that happened to trigger it (subscript keys read past it would be recorded as
      // unknowable for every later value): it starts values of its own.
      const outer = { steps: this.valueSteps, nesting: this.nesting };
      this.nesting = 0;
      try {
        byName = this.collectScope(scope);
      } finally {
        this.collecting.delete(scope.id);
        this.valueSteps = outer.steps;
        this.nesting = outer.nesting;
      }
      this.bindingsByScope.set(scope.id, byName);
    }
    return byName.get(name) ?? [];
  }

  private readonly collecting = new Set<number>();

  private collectScope(scope: Node): Map<string, Binding[]> {
    let byName: Map<string, Binding[]>;
    {
      const out: Binding[] = [];
      // The root is the module scope even when it is an ERROR node (a file that does not parse
      // as a module at all); it has no body field, its children are the statements.
      const body = scope.id === this.root.id ? scope : scope.childForFieldName('body');
      if (body) this.collectBindings(body, scope, out);
      out.sort((a, b) => a.start - b.start);
      byName = new Map();
      for (const b of out) {
        const list = byName.get(b.name);
        if (list) list.push(b);
        else byName.set(b.name, [b]);
      }
    }
    return byName;
  }

  private conditionalBlocks(n: Node, scope: Node): Array<[number, number]> {
    const blocks: Array<[number, number]> = [];
    for (let p = n.parent; p && p.id !== scope.id; p = p.parent) {
      // A `with` body always runs; every other block (if/elif/else/for/while/try/except) may not.
      if (p.type === 'block' && p.parent?.type !== 'with_statement' && !(p.parent && SCOPE_TYPES.has(p.parent.type))) blocks.push([p.startIndex, p.endIndex]);
    }
    return blocks;
  }

  private collectBindings(start: Node, scope: Node, out: Binding[]): void {
    const stack: Node[] = [start];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.id !== start.id && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) continue;
      const add = (b: Omit<Binding, 'blocks' | 'start' | 'end'>) =>
        out.push({ ...b, start: b.stmt.startIndex, end: b.stmt.endIndex, blocks: this.conditionalBlocks(b.stmt, scope) });
      if (n.type === 'assignment') {
        let left = n.childForFieldName('left');
        let right = n.childForFieldName('right');
        const targets: Node[] = left ? [left] : [];
        while (right && right.type === 'assignment') {
          left = right.childForFieldName('left');
          if (left) targets.push(left);
          right = right.childForFieldName('right');
        }
        for (const t of targets) this.bindTarget(t, right, n, add, 0);
      } else if (n.type === 'augmented_assignment') {
        const left = n.childForFieldName('left');
        const op = n.childForFieldName('operator');
        if (left?.type === 'identifier') add({ name: left.text, stmt: n, value: n.childForFieldName('right') ?? undefined, op: op?.text.replace('=', '') });
      } else if (n.type === 'for_statement' || n.type === 'for_in_clause') {
        const left = n.childForFieldName('left');
        if (left) for (const id of this.identifiersIn(left)) add({ name: id.text, stmt: n, why: `${id.text} is a loop variable` });
      } else if (n.type === 'as_pattern_target' || n.type === 'named_expression') {
        const id = n.type === 'named_expression' ? n.childForFieldName('name') : named(n)[0];
        if (id?.type === 'identifier') {
          if (n.type === 'named_expression') add({ name: id.text, stmt: n, value: n.childForFieldName('value') ?? undefined });
          else add({ name: id.text, stmt: n, why: `${id.text} is bound by a with/except statement` });
        }
      } else if (n.type === 'import_statement' || n.type === 'import_from_statement') {
        const module = fieldText(n.childForFieldName('module_name'));
        for (const c of named(n)) {
          if (c.type === 'aliased_import') {
            const alias = c.childForFieldName('alias');
            if (alias) add({ name: alias.text, stmt: n, why: `${alias.text} is imported${module ? ` from ${module}` : ''}` });
          } else if (c.type === 'dotted_name' && c.id !== n.childForFieldName('module_name')?.id) {
            const first = named(c)[0];
            if (first) add({ name: first.text, stmt: n, why: `${first.text} is imported${module ? ` from ${module}` : ''}` });
          }
        }
      } else if (n.type === 'call') {
        // `args.update(...)`, `args.setdefault(...)`: the dict may change in ways we do not follow.
        const fn = n.childForFieldName('function');
        const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
        if (obj?.type === 'identifier' && ['update', 'setdefault', 'pop', 'clear', '__setitem__'].includes(calleeName(fn))) {
          add({ name: obj.text, stmt: n, mutated: true, why: `${obj.text}.${calleeName(fn)}() changes it` });
        }
      }
      // namedChildren walks the children once; namedChild(i) re-walks from the first child each call
      const children = n.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) {
        const c = children[i];
        if (c) stack.push(c);
      }
    }
  }

  private bindTarget(t: Node, value: Node | null, stmt: Node, add: (b: Omit<Binding, 'blocks' | 'start' | 'end'>) => void, depth: number): void {
    if (t.type === 'identifier') {
      add({ name: t.text, stmt, value: value ?? undefined });
    } else if ((t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern') && value) {
      const targets = named(t);
      const values = value.type === 'expression_list' || value.type === 'tuple' || value.type === 'list' ? named(value) : null;
      // Pairing targets with values recurses once per nesting level: past MAX_DEPTH (thousands of
      // brackets overflow the stack) the names are still bound, as unknown.
      const pair = values && values.length === targets.length && depth < MAX_DEPTH;
      targets.forEach((sub, i) => {
        if (pair) this.bindTarget(sub, values[i], stmt, add, depth + 1);
        else for (const id of this.identifiersIn(sub)) add({ name: id.text, stmt, why: `${id.text} is unpacked from ${value.text.slice(0, 40)}` });
      });
    } else if (t.type === 'subscript') {
      const obj = t.childForFieldName('value');
      const key = t.childForFieldName('subscript');
      if (obj?.type === 'identifier') {
        const k = key ? this.stringLiteral(key) : null;
        if (k !== null && value) add({ name: obj.text, stmt, value, item: k });
        else add({ name: obj.text, stmt, mutated: true, why: `${obj.text}[${key?.text ?? ''}] is assigned` });
      }
    }
  }

  /** Identifiers under `n` in source order; a loop, not recursion, so deep nesting cannot overflow the stack. */
  private identifiersIn(n: Node): Node[] {
    const out: Node[] = [];
    const stack: Node[] = [n];
    while (stack.length) {
      const c = stack.pop()!;
      if (c.type === 'identifier') {
        out.push(c);
        continue;
      }
      const children = named(c);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return out;
  }

  /** A binding applies to a use when the use is inside every conditional block around it. */
  private certain(b: Binding, use: Node): boolean {
    const [s, e] = [use.startIndex, use.endIndex];
    return b.blocks.every(([bs, be]) => bs <= s && e <= be);
  }

  private paramDefault(scope: Node, name: string): Node | null | undefined {
    if (scope.type !== 'function_definition') return undefined;
    const params = scope.childForFieldName('parameters');
    if (!params) return undefined;
    for (const p of named(params)) {
      if (p.type === 'identifier' && p.text === name) return null;
      if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && fieldText(p.childForFieldName('name')) === name) return p.childForFieldName('value');
      if (p.type === 'typed_parameter' && named(p)[0]?.text === name) return null;
    }
    return undefined;
  }

  /** The last plain binding of `name` visible at `use`, or why there is none we can trust. */
  private lookup(name: string, use: Node): Resolved {
    // Walk out to the root by identity, not by type: a file that does not parse as a module has an
    // ERROR root, and scopeOf(root) is root itself, so stopping at type 'module' never stopped
    // (the scope list grew until V8 ran out of heap). scopeOf() of any other node is a strict
    // ancestor, so this walk ends within the tree's depth.
    const scopes: Node[] = [];
    for (let s: Node = this.scopeOf(use); ; s = this.scopeOf(s)) {
      if (s.type !== 'class_definition' || scopes.length === 0) scopes.push(s);
      if (s.id === this.root.id) break;
    }
    for (const scope of scopes) {
      // The last plain binding that starts before the use and does not contain it (`x = f(x)`
      // reads the previous x); a for statement does bind its loop variable inside its body.
      const all = this.bindings(scope, name);
      const useStart = use.startIndex;
      const useEnd = use.endIndex;
      let last: Binding | undefined;
      for (let k = all.length - 1; k >= 0 && !last; k--) {
        const b = all[k];
        if (b.item !== undefined || b.mutated || b.start >= useStart) continue;
        if (b.start <= useStart && useEnd <= b.end && b.stmt.type !== 'for_statement') continue;
        last = b;
      }
      if (!last) {
        const dflt = this.paramDefault(scope, name);
        if (dflt !== undefined) return { unknown: `${name} is a parameter of ${fieldText(scope.childForFieldName('name'))}()${dflt ? ` (default ${dflt.text})` : ''}: its value depends on the caller` };
        continue;
      }
      if (last.why) return { unknown: last.why };
      if (!this.certain(last, use)) return { unknown: `${name} is assigned conditionally (line ${this.loc.line(last.start)})` };
      if (!last.value) return { unknown: `${name} has no value here` };
      return { node: last.value, binding: last };
    }
    const later = scopes.flatMap((sc) => this.bindings(sc, name)).find((b) => b.start > use.startIndex && b.item === undefined && !b.mutated);
    if (later) return { unknown: `${name} is only assigned after this line (line ${this.loc.line(later.start)})` };
    return { unknown: `${name} is not assigned in this file` };
  }

  // ---- constant evaluation ------------------------------------------------------------------

  private stringLiteral(n: Node): string | null {
    const v = this.evaluate(n, MAX_DEPTH - 1);
    return !isUnknown(v) && typeof v.lit === 'string' ? v.lit : null;
  }

  private describeBinding(b: Binding): string {
    const text = b.stmt.text.replace(/\s+/g, ' ');
    return `${text.length > 80 ? `${text.slice(0, 77)}...` : text} (line ${this.loc.line(b.start)})`;
  }

  /** A `{...}` literal or a `dict(...)` call whose keys and values are all known. */
  private dictLiteral(n: Node, depth: number): Value {
    const d = this.dictEntries(n, depth + 1);
    if ('unknown' in d) return d;
    const obj: { [k: string]: Lit } = {};
    for (const e of d.entries) {
      const v = this.evaluate(e.value, depth + 1);
      if (isUnknown(v)) return v;
      obj[e.key] = v.lit;
    }
    return { lit: obj };
  }

  // ---- work budget --------------------------------------------------------------------------

  /** Counts `n` steps; says why not once a budget is spent (the caller answers unknown). */
  private charge(n: number): string | null {
    this.valueSteps += n;
    this.fileSteps += n;
    return this.overBudget();
  }

  /** Why no more work is done for this value, or null while the budgets last. */
  private overBudget(): string | null {
    if (this.fileSteps > MAX_FILE_STEPS) {
      const note = `the script takes more than ${MAX_FILE_STEPS.toLocaleString('en-US')} steps to follow; values not read by then are unknown`;
      if (!this.notes.includes(note)) this.notes.push(note);
      return 'the script takes too many steps to follow';
    }
    if (this.valueSteps > MAX_VALUE_STEPS) return `the value takes more than ${MAX_VALUE_STEPS.toLocaleString('en-US')} steps to follow`;
    return null;
  }

  /** Runs one step of evaluate() / dictEntries() under the budget; the outermost call starts a new value. */
  private metered<T>(run: () => T, over: (why: string) => T): T {
    if (this.nesting === 0) this.valueSteps = 0;
    const why = this.charge(1);
    if (why) return over(why);
    this.nesting++;
    try {
      return run();
    } finally {
      this.nesting--;
    }
  }

  evaluate(n: Node, depth = 0): Value {
    return this.metered(() => this.evaluateNode(n, depth), (unknown) => ({ unknown }));
  }

  private evaluateNode(n: Node, depth: number): Value {
    if (depth > MAX_DEPTH) return { unknown: 'the value is nested too deeply to follow' };
    switch (n.type) {
      case 'integer': {
        const t = n.text.replace(/_/g, '');
        // Python 3 has no 0-prefixed octal ("010" is a syntax error); Number() reads 0x / 0o / 0b.
        const v = /^0\d+$/.test(t) && /[1-9]/.test(t) ? NaN : Number(t);
        return Number.isFinite(v) ? { lit: v } : { unknown: `${n.text} is not a plain integer` };
      }
      case 'float': {
        const v = Number(n.text.replace(/_/g, ''));
        return Number.isFinite(v) ? { lit: v } : { unknown: `${n.text} is not a plain number` };
      }
      case 'true':
        return { lit: true };
      case 'false':
        return { lit: false };
      case 'none':
        return { lit: null };
      case 'string':
        return this.evalString(n);
      case 'concatenated_string': {
        let s = '';
        for (const part of named(n)) {
          const v = this.evalString(part);
          if (isUnknown(v)) return v;
          s += v.lit as string;
        }
        return { lit: s };
      }
      case 'parenthesized_expression': {
        const inner = named(n)[0];
        return inner ? this.evaluate(inner, depth + 1) : { unknown: 'empty parentheses' };
      }
      case 'unary_operator': {
        const arg = n.childForFieldName('argument');
        const op = fieldText(n.childForFieldName('operator'));
        const v = arg ? this.evaluate(arg, depth + 1) : { unknown: 'missing operand' };
        if (isUnknown(v)) return v;
        if (typeof v.lit !== 'number') return { unknown: `${op} applied to a non-number` };
        const lit = op === '-' ? -v.lit : op === '+' ? v.lit : NaN;
        if (!Number.isFinite(lit)) return { unknown: `${n.text} is not a plain number` };
        return v.resolvedFrom ? { lit, resolvedFrom: v.resolvedFrom } : { lit, sourceRange: this.range(n) };
      }
      case 'binary_operator':
        return this.evalBinary(n, depth);
      case 'list':
      case 'tuple':
      case 'expression_list': {
        const items: Lit[] = [];
        for (const c of named(n)) {
          const v = this.evaluate(c, depth + 1);
          if (isUnknown(v)) return v;
          items.push(v.lit);
        }
        return { lit: items };
      }
      case 'dictionary':
        return this.dictLiteral(n, depth);
      case 'identifier':
        return this.evalName(n, depth);
      case 'attribute':
        return this.evalAttribute(n, depth);
      case 'subscript': {
        const obj = n.childForFieldName('value');
        const key = n.childForFieldName('subscript');
        if (!obj || !key) return { unknown: `${n.text} cannot be read` };
        const o = this.evaluate(obj, depth + 1);
        const k = this.evaluate(key, depth + 1);
        if (isUnknown(o)) return o;
        if (isUnknown(k)) return k;
        if (o.lit && typeof o.lit === 'object' && !Array.isArray(o.lit) && typeof k.lit === 'string' && k.lit in o.lit) return { lit: o.lit[k.lit], resolvedFrom: o.resolvedFrom };
        if (Array.isArray(o.lit) && typeof k.lit === 'number' && o.lit[k.lit] !== undefined) return { lit: o.lit[k.lit], resolvedFrom: o.resolvedFrom };
        return { unknown: `${n.text} is not in the value it indexes` };
      }
      case 'call':
        return this.evalCall(n, depth);
      default:
        return { unknown: `${n.text.length > 40 ? `${n.text.slice(0, 37)}...` : n.text} is computed at run time` };
    }
  }

  private evalString(n: Node): Value {
    const start = n.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '';
    const prefix = start.replace(/['"]+$/, '').toLowerCase();
    if (prefix.includes('b')) return { unknown: 'a bytes literal is not a setting value' };
    if (named(n).some((c) => c.type === 'interpolation')) return { unknown: `the f-string ${n.text} is computed at run time` };
    const body = named(n)
      .filter((c) => c.type === 'string_content')
      .map((c) => c.text)
      .join('');
    return { lit: prefix.includes('r') ? body : decodeEscapes(body), sourceRange: this.range(n) };
  }

  private evalBinary(n: Node, depth: number): Value {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    const op = fieldText(n.childForFieldName('operator'));
    if (!l || !r) return { unknown: `${n.text} cannot be read` };
    const a = this.evaluate(l, depth + 1);
    const b = this.evaluate(r, depth + 1);
    if (op === '/' && !isUnknown(b) && typeof b.lit === 'string') {
      // pathlib join, as YOLOv5 writes its defaults: ROOT / 'yolov5s.pt'. The file name is known
      // even when the folder is only known at run time.
      if (isUnknown(a)) return { lit: b.lit, resolvedFrom: `${n.text} (a path under ${l.text})` };
      if (typeof a.lit === 'string') return { lit: `${a.lit.replace(/\/+$/, '')}/${b.lit}` };
    }
    if (isUnknown(a)) return a;
    if (isUnknown(b)) return b;
    const via = a.resolvedFrom ?? b.resolvedFrom;
    const done = (lit: Lit): Value => (via ? { lit, resolvedFrom: via } : { lit });
    if (typeof a.lit === 'string' && typeof b.lit === 'string' && op === '+') return done(a.lit + b.lit);
    if (typeof a.lit !== 'number' || typeof b.lit !== 'number') return { unknown: `${n.text} is not arithmetic on numbers` };
    const x = a.lit;
    const y = b.lit;
    let v: number;
    switch (op) {
      case '+': v = x + y; break;
      case '-': v = x - y; break;
      case '*': v = x * y; break;
      case '/': v = y === 0 ? NaN : x / y; break;
      case '//': v = y === 0 ? NaN : Math.floor(x / y); break;
      case '%': v = y === 0 ? NaN : ((x % y) + y) % y; break;
      case '**': v = x ** y; break;
      default: return { unknown: `${n.text} uses ${op}` };
    }
    return Number.isFinite(v) ? done(v) : { unknown: `${n.text} is not a finite number` };
  }

  private evalName(n: Node, depth: number): Value {
    const r = this.lookup(n.text, n);
    if ('unknown' in r) return r;
    const v = this.bindingValue(n.text, r, depth);
    if (isUnknown(v)) return v;
    const out: Value = { lit: v.lit, resolvedFrom: v.resolvedFrom ?? this.describeBinding(r.binding) };
    if (v.sourceRange) out.sourceRange = v.sourceRange;
    else if (['integer', 'float', 'true', 'false'].includes(r.node.type) && !r.binding.op) out.sourceRange = this.range(r.node);
    return out;
  }

  /** The value a binding gives its name; `B += 2` combines with the value before it. */
  private bindingValue(name: string, r: { node: Node; binding: Binding }, depth: number): Value {
    const v = this.evaluate(r.node, depth + 1);
    if (isUnknown(v) || !r.binding.op) return v;
    const before = this.lookup(name, r.binding.stmt);
    if ('unknown' in before) return before;
    const prev = this.bindingValue(name, before, depth + 1);
    if (isUnknown(prev)) return prev;
    const stmt = r.binding.stmt.text;
    if (typeof prev.lit === 'string' && typeof v.lit === 'string' && r.binding.op === '+') return { lit: prev.lit + v.lit, resolvedFrom: this.describeBinding(r.binding) };
    if (typeof prev.lit !== 'number' || typeof v.lit !== 'number') return { unknown: `${stmt} is not arithmetic on numbers` };
    const ops: Record<string, (a: number, b: number) => number> = { '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b, '//': (a, b) => Math.floor(a / b) };
    const f = ops[r.binding.op];
    const lit = f ? f(prev.lit, v.lit) : NaN;
    return Number.isFinite(lit) ? { lit, resolvedFrom: this.describeBinding(r.binding) } : { unknown: `${stmt} is not computed here` };
  }

  private evalAttribute(n: Node, depth: number): Value {
    const obj = n.childForFieldName('object');
    const attr = fieldText(n.childForFieldName('attribute'));
    if (obj?.type === 'identifier') {
      const r = this.lookup(obj.text, n);
      if (!('unknown' in r) && r.node.type === 'call' && ['parse_args'].includes(calleeName(r.node.childForFieldName('function')))) {
        const d = this.argparseDests.get(attr);
        if (!d) return { unknown: `${n.text} is not an option defined in this file` };
        if (isUnknown(d.value)) return d.value;
        return { ...d.value, resolvedFrom: `default of ${d.flag} (line ${d.line})` };
      }
    }
    return { unknown: `${n.text} is computed at run time` };
  }

  private evalCall(n: Node, depth: number): Value {
    const fn = n.childForFieldName('function');
    const name = calleeName(fn);
    const args = n.childForFieldName('arguments');
    const pos = args ? named(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment') : [];
    const fnText = fn?.text ?? '';
    if (/^os\.(getenv|environ\.get)$/.test(fnText) || fnText === 'getenv') {
      const key = pos[0] ? this.stringLiteral(pos[0]) : null;
      return { unknown: `read from the environment variable ${key ?? pos[0]?.text ?? '?'}${pos[1] ? ` (default ${pos[1].text})` : ''}` };
    }
    if (['int', 'float', 'str', 'bool', 'Path'].includes(name) && (fn?.type === 'identifier' || fnText === 'pathlib.Path') && pos.length === 1) {
      const v = this.evaluate(pos[0], depth + 1);
      if (isUnknown(v)) return v;
      const lit = v.lit;
      const via = v.resolvedFrom ? { resolvedFrom: v.resolvedFrom } : {};
      if (name === 'int' && (typeof lit === 'number' || (typeof lit === 'string' && /^\s*[-+]?\d+\s*$/.test(lit)))) return { lit: Math.trunc(Number(lit)), ...via };
      if (name === 'float' && (typeof lit === 'number' || (typeof lit === 'string' && lit.trim() !== '' && Number.isFinite(Number(lit))))) return { lit: Number(lit), ...via };
      if ((name === 'str' || name === 'Path') && (typeof lit === 'string' || typeof lit === 'number')) return { lit: String(lit), ...via };
      if (name === 'bool' && (typeof lit === 'boolean' || typeof lit === 'number')) return { lit: Boolean(lit), ...via };
      return { unknown: `${n.text} cannot be computed here` };
    }
    if (name === 'dict' && fn?.type === 'identifier') return this.dictLiteral(n, depth);
    return { unknown: `${n.text.length > 40 ? `${fnText}(...)` : n.text} is computed at run time` };
  }

  // ---- dicts for **kwargs and overrides= ----------------------------------------------------

  /** Entries of a dict literal, `dict(...)` call or a name bound to one, in order (later wins). */
  private dictEntries(n: Node, depth: number, use: Node = n): DictEntries {
    return this.metered(() => this.dictEntriesOf(n, depth, use), (unknown) => ({ unknown }));
  }

  private dictEntriesOf(n: Node, depth: number, use: Node): DictEntries {
    if (depth > MAX_DEPTH) return { unknown: 'the dict is nested too deeply to follow' };
    const entries: DictEntry[] = [];
    const splat = (inner: Node | undefined): string | null => {
      if (!inner) return 'empty **';
      const d = this.dictEntries(inner, depth + 1, inner);
      if ('unknown' in d) return d.unknown;
      // copying entries is the work that grows with `{**d, **d}` nesting: it is charged per entry
      const why = this.charge(d.entries.length);
      if (why) return why;
      for (const e of d.entries) entries.push(e);
      return null;
    };
    if (n.type === 'dictionary') {
      for (const c of named(n)) {
        if (c.type === 'pair') {
          const k = c.childForFieldName('key');
          const v = c.childForFieldName('value');
          const key = k ? this.stringLiteral(k) : null;
          // a key that could not be read because the budget ran out is not a non-constant key
          if (key === null || !k || !v) return { unknown: this.overBudget() ?? `the dict key ${k?.text ?? ''} is not a constant string` };
          entries.push({ key, keyNode: k, value: v });
        } else if (c.type === 'dictionary_splat') {
          const why = splat(named(c)[0]);
          if (why) return { unknown: why };
        }
      }
      return { entries };
    }
    if (n.type === 'call' && calleeName(n.childForFieldName('function')) === 'dict' && n.childForFieldName('function')?.type === 'identifier') {
      const args = n.childForFieldName('arguments');
      for (const a of args ? named(args) : []) {
        if (a.type === 'keyword_argument') {
          const k = a.childForFieldName('name');
          const v = a.childForFieldName('value');
          if (k && v) entries.push({ key: k.text, keyNode: k, value: v });
        } else if (a.type === 'dictionary_splat') {
          const why = splat(named(a)[0]);
          if (why) return { unknown: why };
        } else if (a.type !== 'comment') {
          const why = splat(a);
          if (why) return { unknown: why };
        }
      }
      return { entries };
    }
    if (n.type === 'identifier') {
      const r = this.lookup(n.text, use);
      if ('unknown' in r) return r;
      const d = this.dictEntries(r.node, depth + 1, r.node);
      if ('unknown' in d) return d;
      // Later `args['batch'] = 32` (in straight-line code) overrides; `args.update(...)` makes it unknowable.
      const scope = this.scopeOf(r.binding.stmt);
      for (const b of this.bindings(scope, n.text)) {
        if (b.start <= r.binding.start || b.start >= use.startIndex) continue;
        if (b.mutated) return { unknown: `${b.why ?? `${n.text} is changed`} (line ${this.loc.line(b.start)})` };
        if (b.item !== undefined && b.value) {
          if (!this.certain(b, use)) return { unknown: `${n.text}['${b.item}'] is assigned conditionally (line ${this.loc.line(b.start)})` };
          const target = b.stmt.childForFieldName('left')?.childForFieldName('subscript');
          d.entries.push({ key: b.item, keyNode: target ?? b.stmt, value: b.value });
        }
      }
      return d;
    }
    if (n.type === 'call' && calleeName(n.childForFieldName('function')) === 'vars') return { unknown: `${n.text} holds the parsed command-line options` };
    return { unknown: `${n.text.length > 40 ? `${n.text.slice(0, 37)}...` : n.text} is not a dict written in this file` };
  }

  // ---- run recognisers ----------------------------------------------------------------------

  /** Applies `key=value` pairs (keyword arguments or dict entries) through a key map. */
  private applyPairs(settings: TrainingSettings, pairs: Array<{ key: string; keyNode: Node; value: Node }>, keys: Record<string, SettingKey>, extra?: (key: string, keyNode: Node, value: Node) => void): void {
    for (const p of pairs) {
      const k = keys[p.key];
      if (k) setSetting(settings, k, makeSetting(k, this.evaluate(p.value), this.site(p.value, p.keyNode)));
      else extra?.(p.key, p.keyNode, p.value);
    }
  }

  /** Keyword arguments of a call, with `**x` expanded where x is a dict written in this file. */
  private callPairs(call: Node, notes: string[]): { pairs: Array<{ key: string; keyNode: Node; value: Node }>; positional: Node[] } {
    const pairs: Array<{ key: string; keyNode: Node; value: Node }> = [];
    const positional: Node[] = [];
    const args = call.childForFieldName('arguments');
    for (const a of args ? named(args) : []) {
      if (a.type === 'keyword_argument') {
        const k = a.childForFieldName('name');
        const v = a.childForFieldName('value');
        if (k && v) pairs.push({ key: k.text, keyNode: k, value: v });
      } else if (a.type === 'dictionary_splat') {
        const inner = named(a)[0];
        const d = inner ? this.dictEntries(inner, 0, a) : { unknown: 'empty **' };
        if ('unknown' in d) notes.push(`${a.text}: ${d.unknown}; the settings it holds are unknown`);
        else for (const e of d.entries) pairs.push(e);
      } else if (a.type === 'list_splat') {
        notes.push(`${a.text}: positional arguments from a list are not read`);
      } else if (a.type !== 'comment') {
        positional.push(a);
      }
    }
    return { pairs, positional };
  }

  /** The `YOLO(...)` call a receiver expression comes from, following variables and `.load()`. */
  private ultralyticsCtor(n: Node | null, depth = 0): Node | null {
    if (!n || depth > MAX_DEPTH) return null;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const name = calleeName(fn);
      if (ULTRALYTICS_CLASSES.has(name)) return n;
      if (fn?.type === 'attribute' && SAME_MODEL_METHODS.has(name)) return this.ultralyticsCtor(fn.childForFieldName('object'), depth + 1);
      return null;
    }
    if (n.type === 'identifier') {
      const r = this.lookup(n.text, n);
      return 'unknown' in r ? null : this.ultralyticsCtor(r.node, depth + 1);
    }
    if (n.type === 'parenthesized_expression') return this.ultralyticsCtor(named(n)[0] ?? null, depth + 1);
    return null;
  }

  private ultralyticsTrain(call: Node, fn: Node): TrainingRun | null {
    const ctor = this.ultralyticsCtor(fn.childForFieldName('object'));
    const notes: string[] = [];
    const { pairs } = this.callPairs(call, notes);
    const args = call.childForFieldName('arguments');
    const hasSplat = !!args && named(args).some((a) => a.type === 'dictionary_splat');
    // `model.train()` / `model.train(False)` on a plain torch module is the mode switch, not training.
    if (!ctor && !hasSplat && !pairs.some((p) => p.key in ULTRALYTICS_KEYS || p.key === 'cfg')) return null;
    const settings: TrainingSettings = {};
    const calls: CallSite[] = [];
    if (ctor) {
      const cfn = ctor.childForFieldName('function');
      calls.push(this.callSite(calleeName(cfn), ctor));
      const c = this.callPairs(ctor, []);
      const modelArg = c.positional[0] ?? c.pairs.find((p) => p.key === 'model')?.value;
      const keyNode = c.positional[0] ? null : c.pairs.find((p) => p.key === 'model')?.keyNode;
      if (modelArg) settings.model = makeSetting('model', this.evaluate(modelArg), this.site(modelArg, keyNode)) as TrainingSettings['model'];
      else notes.push(`${calleeName(cfn)}() without a model loads Ultralytics' default model (yolo11n.pt in 8.3)`);
    } else {
      notes.push(`the model behind ${fn.childForFieldName('object')?.text ?? 'this call'} is not created in this file`);
    }
    calls.push(this.callSite('train', call));
    this.applyPairs(settings, ctor ? pairs.filter((p) => p.key !== 'model' || !settings.model) : pairs, ULTRALYTICS_KEYS, (key, _k, value) => {
      if (key === 'cfg') notes.push(`cfg=${value.text}: settings in that file apply too (arguments here take precedence)`);
    });
    return { kind: 'ultralytics-api', range: this.range(call), settings, calls, notes };
  }

  private ultralyticsTrainer(call: Node, name: string): TrainingRun | null {
    const notes: string[] = [];
    const { pairs } = this.callPairs(call, notes);
    const overrides = pairs.find((p) => p.key === 'overrides');
    if (!overrides) return null;
    const settings: TrainingSettings = {};
    const d = this.dictEntries(overrides.value, 0, overrides.value);
    if ('unknown' in d) notes.push(`overrides=${overrides.value.text}: ${d.unknown}; the settings it holds are unknown`);
    else this.applyPairs(settings, d.entries, ULTRALYTICS_KEYS);
    const cfg = pairs.find((p) => p.key === 'cfg');
    if (cfg) notes.push(`cfg=${cfg.value.text}: settings in that file apply too (overrides take precedence)`);
    return { kind: 'ultralytics-trainer', range: this.range(call), settings, calls: [this.callSite(name, call)], notes };
  }

  /** weights / cfg → model: a non-empty cfg (architecture YAML) decides the model, else the weights. */
  private yolov5Model(settings: TrainingSettings, weights?: SiteValue, cfg?: SiteValue): void {
    const cfgGiven = cfg && (isUnknown(cfg.value) || (typeof cfg.value.lit === 'string' && cfg.value.lit !== ''));
    const pick = cfgGiven ? cfg : (weights ?? cfg);
    if (pick) setSetting(settings, 'model', makeSetting('model', pick.value, pick.site));
  }

  private yolov5Run(call: Node): TrainingRun {
    const notes: string[] = [];
    const { pairs } = this.callPairs(call, notes);
    const settings: TrainingSettings = {};
    let weights: SiteValue | undefined;
    let cfg: SiteValue | undefined;
    this.applyPairs(settings, pairs, YOLOV5_KEYS, (key, keyNode, value) => {
      if (key === 'weights') weights = { value: this.evaluate(value), site: this.site(value, keyNode) };
      if (key === 'cfg') cfg = { value: this.evaluate(value), site: this.site(value, keyNode) };
    });
    this.yolov5Model(settings, weights, cfg);
    return { kind: 'yolov5-api', range: this.range(call), settings, calls: [this.callSite('train.run', call)], notes };
  }

  private argparseRuns(): TrainingRun[] {
    const byParser = new Map<string, { calls: Node[]; settings: TrainingSettings; weights?: SiteValue; cfg?: SiteValue; notes: string[] }>();
    for (const call of this.calls) {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'attribute' || calleeName(fn) !== 'add_argument') continue;
      const notes: string[] = [];
      const { pairs, positional } = this.callPairs(call, notes);
      const flags = positional.map((p) => ({ node: p, text: this.stringLiteral(p) })).filter((f): f is { node: Node; text: string } => f.text !== null && f.text.startsWith('-'));
      if (!flags.length) continue;
      const kw = (k: string) => pairs.find((p) => p.key === k);
      const long = flags.find((f) => f.text.startsWith('--')) ?? flags[0];
      const destNode = kw('dest')?.value;
      const dest = (destNode ? this.stringLiteral(destNode) : null) ?? long.text.replace(/^-+/, '').replace(/-/g, '_');
      const action = kw('action') ? this.stringLiteral(kw('action')!.value) : null;
      const typeName = kw('type')?.value.text;
      const dflt = kw('default');
      let value: Value;
      if (dflt) {
        value = this.evaluate(dflt.value);
        // argparse passes a string default through type=: default='16', type=int → 16.
        if (!isUnknown(value) && typeof value.lit === 'string' && (typeName === 'int' || typeName === 'float')) {
          const num = Number(value.lit);
          value = value.lit.trim() !== '' && Number.isFinite(num) && (typeName === 'float' || Number.isInteger(num)) ? { ...value, lit: num } : { unknown: `default ${dflt.value.text} is not a valid ${typeName}` };
        }
      } else if (action === 'store_true') value = { lit: false };
      else if (action === 'store_false') value = { lit: true };
      else if (kw('nargs') || ARGPARSE_FLAGS[long.text] === 'cache') value = { lit: null }; // argparse's default is None
      else value = { unknown: `${long.text} has no default: its value comes from the command line` };
      this.argparseDests.set(dest, { value, flag: long.text, line: this.loc.line(call.startIndex) });

      const key = flags.map((f) => ARGPARSE_FLAGS[f.text]).find((k) => k !== undefined);
      if (!key) continue;
      const parserName = fn.childForFieldName('object')?.text ?? '';
      let group = byParser.get(parserName);
      if (!group) {
        // each parser is a run: generated code with thousands of them is capped like training calls
        if (byParser.size >= MAX_RUNS) {
          this.notes.push(`only the first ${MAX_RUNS} argument parsers were read`);
          break;
        }
        byParser.set(parserName, (group = { calls: [], settings: {}, notes: [] }));
      }
      group.calls.push(call);
      const site = dflt ? this.site(dflt.value, long.node) : { raw: long.node.text, range: this.range(long.node), keyRange: this.range(long.node) };
      if (key === 'weights') group.weights = { value, site };
      else if (key === 'cfg') group.cfg = { value, site };
      else setSetting(group.settings, key, makeSetting(key, value, site));
    }
    const runs: TrainingRun[] = [];
    for (const g of byParser.values()) {
      this.yolov5Model(g.settings, g.weights, g.cfg);
      const first = g.calls[0];
      const last = g.calls[g.calls.length - 1];
      runs.push({
        kind: 'yolov5-argparse',
        range: this.loc.range(first.startIndex, last.endIndex),
        settings: g.settings,
        calls: g.calls.map((c) => this.callSite('add_argument', c)),
        notes: ['values are the argparse defaults; command-line flags override them', ...g.notes],
      });
    }
    return runs;
  }

  private dataLoader(call: Node): TrainingRun {
    const notes: string[] = [];
    const { pairs, positional } = this.callPairs(call, notes);
    const settings: TrainingSettings = {};
    const batch = pairs.find((p) => p.key === 'batch_size');
    const batchNode = batch?.value ?? positional[1];
    if (batchNode) settings.batch = makeSetting('batch', this.evaluate(batchNode), this.site(batchNode, batch?.keyNode)) as TrainingSettings['batch'];
    else notes.push("batch_size is not given: DataLoader's default is 1");
    const workers = pairs.find((p) => p.key === 'num_workers');
    if (workers) settings.workers = makeSetting('workers', this.evaluate(workers.value), this.site(workers.value, workers.keyNode)) as TrainingSettings['workers'];
    return { kind: 'dataloader', range: this.range(call), settings, calls: [this.callSite('DataLoader', call)], notes };
  }

  private torchHub(call: Node): TrainingRun | null {
    const notes: string[] = [];
    const { pairs, positional } = this.callPairs(call, notes);
    const repoNode = positional[0] ?? pairs.find((p) => p.key === 'repo_or_dir')?.value;
    const repo = repoNode ? this.stringLiteral(repoNode) : null;
    if (!repo || !/ultralytics|yolov5/i.test(repo)) return null;
    const modelPair = pairs.find((p) => p.key === 'model');
    const modelNode = positional[1] ?? modelPair?.value;
    const settings: TrainingSettings = {};
    if (modelNode) settings.model = makeSetting('model', this.evaluate(modelNode), this.site(modelNode, positional[1] ? null : modelPair?.keyNode)) as TrainingSettings['model'];
    return { kind: 'torch-hub', range: this.range(call), settings, calls: [this.callSite('torch.hub.load', call)], notes };
  }
}
