// A pickle interpreter that never imports or calls anything (protocols 0-5). Opcodes that would
// import (GLOBAL, STACK_GLOBAL, INST) produce placeholders after the allowlist check; opcodes that
// would call (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, BUILD) only record what they were given. Three calls
// are understood for what torch writes: _rebuild_tensor_v2 (a tensor: shape, storage),
// _rebuild_parameter (an nn.Parameter wrapping one) and OrderedDict() (an empty dict). Extension
// codes (EXT1/2/4) and out-of-band buffers are refused. Every length, count and the memo are bounded.
import { refuseGlobal } from './allowlist';
import { CheckpointError } from './errors';
import * as L from './limits';
import type { PyDict, PyGlobal, PyObject, PyStorage, PyTensor, PyValue } from './values';

export interface PickleOptions {
  /** Resolves a persistent id (torch's tensor storages); without it a persistent id is refused. */
  persistentLoad?: (pid: PyValue) => PyValue;
}

export interface PickleResult {
  value: PyValue;
  /** Offset just after the STOP opcode. */
  end: number;
}

// local copies: an imported binding is a getter call on every use once bundled or transpiled
const { MAX_LONG_BYTES, MAX_MARKS, MAX_MEMO, MAX_STACK, MAX_STRING_BYTES, MAX_TENSOR_RANK } = L;

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

/** Interprets one pickle starting at `start`. */
export function readPickle(bytes: Uint8Array, file: string, opts: PickleOptions = {}, start = 0): PickleResult {
  const fail = (msg: string, at = pos): never => {
    throw new CheckpointError(file, `pickle at byte ${at}: ${msg}`);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  let pos = start;
  const stack: Slot[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();

  const need = (n: number) => {
    if (n < 0 || pos + n > bytes.length) fail(`truncated (needs ${n} more bytes, the data ends at ${bytes.length})`);
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), dv.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = dv.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(MAX_STRING_BYTES)) fail(`length ${v} is beyond the reader's limit`);
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    if (n > MAX_STRING_BYTES) fail(`a value of ${n} bytes (at most ${MAX_STRING_BYTES})`);
    need(n);
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated (a text argument has no newline)');
    if (end - pos > MAX_STRING_BYTES) fail('a text argument too long');
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const push = (v: Slot) => {
    if (stack.length >= MAX_STACK) fail(`more than ${MAX_STACK} values on the stack`);
    stack.push(v);
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined) fail('stack underflow');
    if (v === MARK) fail('unexpected MARK');
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail('stack underflow');
    return v as PyValue;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) fail('no MARK to pop to');
    const items = stack.slice(m! + 1) as PyValue[]; // (m is the MARK itself)
    stack.length = m!;
    return items;
  };
  const memoPut = (i: number, v: PyValue) => {
    if (!memo.has(i) && memo.size >= MAX_MEMO) fail(`more than ${MAX_MEMO} memo entries`);
    memo.set(i, v);
  };
  const memoGet = (i: number): PyValue => {
    if (!memo.has(i)) fail(`memo entry ${i} was never stored`);
    return memo.get(i)!;
  };
  // one check per distinct global (a pickle without a memo names torch's rebuild function per tensor)
  const allowed = new Set<string>();
  const global = (module: string, name: string): PyGlobal => {
    const id = `${module}\n${name}`;
    if (!allowed.has(id)) {
      const why = refuseGlobal(module, name);
      if (why) fail(`refused ${why}; nothing from the file was run`);
      allowed.add(id);
    }
    return { kind: 'global', module, name };
  };
  const str = (b: Uint8Array): string => utf8.decode(b);

  /** REDUCE / NEWOBJ / OBJ / INST: record the call; understand torch's own rebuild functions. */
  const call = (callable: PyValue, args: PyValue[], op: string): PyValue => {
    if (!callable || typeof callable !== 'object' || callable.kind !== 'global') {
      return fail(`${op} on something that is not a class or function the file named (${describe(callable)})`);
    }
    const { module, name } = callable;
    if (module === 'torch._utils' && (name === '_rebuild_tensor_v2' || name === '_rebuild_tensor')) return rebuildTensor(args, fail);
    if (module === 'torch._utils' && (name === '_rebuild_parameter' || name === '_rebuild_parameter_with_state')) {
      const t = args[0];
      if (t && typeof t === 'object' && t.kind === 'tensor') return { ...t, parameter: true };
    }
    if (module === 'collections' && name === 'OrderedDict') return { kind: 'dict', entries: [] };
    if ((module === 'builtins' || module === '__builtin__') && (name === 'set' || name === 'frozenset')) {
      const src = args[0];
      return { kind: 'set', items: src && typeof src === 'object' && 'items' in src ? [...(src.items as PyValue[])] : [] };
    }
    if (module === '_codecs' && name === 'encode') return { kind: 'bytes', length: typeof args[0] === 'string' ? args[0].length : 0 };
    if ((module === 'copy_reg' || module === 'copyreg') && name === '_reconstructor') {
      const cls = args[0];
      if (cls && typeof cls === 'object' && cls.kind === 'global') return newObject(cls, []);
    }
    return newObject(callable, args);
  };

  for (;;) {
    if (pos >= bytes.length) fail('truncated (no STOP opcode)');
    const at = pos;
    const op = bytes[pos++];
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail(`pickle protocol ${bytes[pos - 1]} (0-5 are read)`, at);
        break;
      case 0x95: // FRAME: a length hint only
        need(8);
        pos += 8;
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || marks.length) fail(`STOP with ${stack.length} values on the stack`, at);
        return { value: pop(), end: pos };
      case 0x28: // MARK
        if (marks.length >= MAX_MARKS) fail(`more than ${MAX_MARKS} open MARKs (nested too deep)`, at);
        marks.push(stack.length);
        push(MARK);
        break;
      case 0x30: // POP
        if (stack[stack.length - 1] === MARK) popMark();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      // --- numbers ---
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x4a: // BININT
        push(i32());
        break;
      case 0x49: {
        // INT (text; "01"/"00" are True/False in protocol 0)
        const s = line();
        push(s === '01' ? true : s === '00' ? false : parseIntText(s, fail));
        break;
      }
      case 0x4c: // LONG (text, trailing L)
        push(parseIntText(line().replace(/L$/, ''), fail));
        break;
      case 0x8a: // LONG1
        push(longBytes(take(u8()), fail));
        break;
      case 0x8b: {
        // LONG4
        const n = i32();
        if (n < 0 || n > MAX_LONG_BYTES) fail(`an integer of ${n} bytes`, at);
        push(longBytes(take(n), fail));
        break;
      }
      case 0x46: {
        // FLOAT (text)
        const f = Number(line());
        if (Number.isNaN(f)) fail('a malformed FLOAT', at);
        push(f);
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        push(dv.getFloat64(pos, false));
        pos += 8;
        break;
      // --- strings and bytes ---
      case 0x53: // STRING (quoted text)
        push(unquote(line()));
        break;
      case 0x54: // BINSTRING
        push(latin1.decode(take(i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        push(latin1.decode(take(u8())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        push(line());
        break;
      case 0x58: // BINUNICODE
        push(str(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(str(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        push(str(take(u64())));
        break;
      case 0x42: // BINBYTES
        push({ kind: 'bytes', length: take(u32()).length });
        break;
      case 0x43: // SHORT_BINBYTES
        push({ kind: 'bytes', length: take(u8()).length });
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        push({ kind: 'bytes', length: take(u64()).length });
        break;
      // --- containers ---
      case 0x29: // EMPTY_TUPLE
        push({ kind: 'tuple', items: [] });
        break;
      case 0x74: // TUPLE
        push({ kind: 'tuple', items: popMark() });
        break;
      case 0x85: // TUPLE1
        push({ kind: 'tuple', items: [pop()] });
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push({ kind: 'tuple', items: [pop(), b] });
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push({ kind: 'tuple', items: [pop(), b, c] });
        break;
      }
      case 0x5d: // EMPTY_LIST
        push({ kind: 'list', items: [] });
        break;
      case 0x6c: // LIST
        push({ kind: 'list', items: popMark() });
        break;
      case 0x7d: // EMPTY_DICT
        push({ kind: 'dict', entries: [] });
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        if (items.length % 2) fail('DICT with an odd number of items', at);
        const d: PyDict = { kind: 'dict', entries: [] };
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1]);
        push(d);
        break;
      }
      case 0x8f: // EMPTY_SET
        push({ kind: 'set', items: [] });
        break;
      case 0x91: // FROZENSET
        push({ kind: 'set', items: popMark() });
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        appendTo(top(), [v], fail, at);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendTo(top(), items, fail, at);
        break;
      }
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!s || typeof s !== 'object' || s.kind !== 'set') fail('ADDITEMS to something that is not a set', at);
        (s as { items: PyValue[] }).items.push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItemOn(top(), k, v, fail, at);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2) fail('SETITEMS with an odd number of items', at);
        const target = top();
        for (let i = 0; i < items.length; i += 2) setItemOn(target, items[i], items[i + 1], fail, at);
        break;
      }
      // --- memo ---
      case 0x70: // PUT (text index)
        memoPut(parseIntText(line(), fail), top());
        break;
      case 0x71: // BINPUT
        memoPut(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memoPut(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memoPut(memo.size, top());
        break;
      case 0x67: // GET
        push(memoGet(parseIntText(line(), fail)));
        break;
      case 0x68: // BINGET
        push(memoGet(u8()));
        break;
      case 0x6a: // LONG_BINGET
        push(memoGet(u32()));
        break;
      // --- what would import ---
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL without a module and a name', at);
        push(global(module as string, name as string));
        break;
      }
      case 0x69: {
        // INST "module\nname\n": import + call with the items above the MARK
        const module = line();
        const cls = global(module, line());
        push(call(cls, popMark(), 'INST'));
        break;
      }
      case 0x6f: {
        // OBJ: call the first item above the MARK with the rest
        const items = popMark();
        if (!items.length) fail('OBJ without a class', at);
        push(call(items[0], items.slice(1), 'OBJ'));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        if (!args || typeof args !== 'object' || args.kind !== 'tuple') fail(`REDUCE with arguments that are not a tuple (${describe(args)})`, at);
        push(call(callable, (args as { items: PyValue[] }).items, 'REDUCE'));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args)
        const args = pop();
        const cls = pop();
        if (!cls || typeof cls !== 'object' || cls.kind !== 'global') fail(`NEWOBJ on something that is not a class (${describe(cls)})`, at);
        push(newObject(cls as PyGlobal, args && typeof args === 'object' && args.kind === 'tuple' ? args.items : []));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX: cls.__new__(cls, *args, **kwargs)
        pop(); // kwargs
        const args = pop();
        const cls = pop();
        if (!cls || typeof cls !== 'object' || cls.kind !== 'global') fail(`NEWOBJ_EX on something that is not a class (${describe(cls)})`, at);
        push(newObject(cls as PyGlobal, args && typeof args === 'object' && args.kind === 'tuple' ? args.items : []));
        break;
      }
      case 0x62: {
        // BUILD: record the state; never call __setstate__
        const state = pop();
        const target = top();
        if (target && typeof target === 'object' && target.kind === 'object') target.state = state;
        break;
      }
      case 0x50: // PERSID (text)
      case 0x51: {
        // BINPERSID
        const pid = op === 0x50 ? line() : pop();
        if (!opts.persistentLoad) fail('a persistent id, which this file format does not use', at);
        push(opts.persistentLoad!(pid));
        break;
      }
      case 0x82:
      case 0x83:
      case 0x84:
        return fail(`refused the extension-registry opcode EXT${op === 0x82 ? 1 : op === 0x83 ? 2 : 4} (it would import a global the file does not name); nothing from the file was run`, at);
      case 0x97:
      case 0x98:
        return fail('refused an out-of-band buffer opcode (torch checkpoints never use them)', at);
      default:
        return fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}: not a pickle, or corrupt`, at);
    }
  }
}

function newObject(cls: PyGlobal, args: PyValue[]): PyObject {
  return { kind: 'object', module: cls.module, name: cls.name, args, state: null, dictItems: [], listItems: [] };
}

/** Entries are appended as they come; a key set twice is read as its last value (dictGet), as a
 *  Python dict would hold it, without searching on every insert. */
function setItem(d: PyDict, k: PyValue, v: PyValue): void {
  d.entries.push([k, v]);
}

function setItemOn(target: PyValue, k: PyValue, v: PyValue, fail: (m: string, at?: number) => never, at: number): void {
  if (target && typeof target === 'object' && target.kind === 'dict') return setItem(target, k, v);
  if (target && typeof target === 'object' && target.kind === 'object') {
    target.dictItems.push([k, v]);
    return;
  }
  fail(`SETITEM on ${describe(target)}`, at);
}

function appendTo(target: PyValue, items: PyValue[], fail: (m: string, at?: number) => never, at: number): void {
  if (target && typeof target === 'object' && (target.kind === 'list' || target.kind === 'set')) {
    for (const v of items) target.items.push(v);
    return;
  }
  if (target && typeof target === 'object' && target.kind === 'object') {
    for (const v of items) target.listItems.push(v);
    return;
  }
  fail(`APPEND to ${describe(target)}`, at);
}

function rebuildTensor(args: PyValue[], fail: (m: string) => never): PyTensor {
  const [storage, offset, size, stride] = args;
  if (!storage || typeof storage !== 'object' || storage.kind !== 'storage') return fail(`a tensor without a storage (${describe(storage)})`);
  const dims = (v: PyValue | undefined, what: string): number[] => {
    if (!v || typeof v !== 'object' || v.kind !== 'tuple') return fail(`a tensor ${what} that is not a tuple`);
    if (v.items.length > MAX_TENSOR_RANK) return fail(`a tensor of rank ${v.items.length}`);
    return v.items.map((d) => {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) fail(`a tensor ${what} with ${describe(d)}`);
      return d as number;
    });
  };
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return fail(`a tensor offset ${describe(offset)}`);
  return { kind: 'tensor', storage: storage as PyStorage, offset, shape: dims(size, 'size'), stride: dims(stride, 'stride'), parameter: false };
}

function parseIntText(s: string, fail: (m: string) => never): number {
  if (!/^[+-]?\d{1,30}$/.test(s.trim())) fail(`a malformed integer '${s.slice(0, 20)}'`);
  return Number(s.trim());
}

/** Little-endian two's complement (LONG1/LONG4), as a double (exact up to 2^53). */
function longBytes(b: Uint8Array, fail: (m: string) => never): number {
  if (b.length > MAX_LONG_BYTES) fail(`an integer of ${b.length} bytes`);
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return Number(v);
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === "'" || t[0] === '"') && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

export function describe(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (typeof v !== 'object') return typeof v === 'string' ? `a string` : String(v);
  if (v.kind === 'global' || v.kind === 'object') return `${v.kind === 'global' ? '' : 'an instance of '}${v.module}.${v.name}`;
  return `a ${v.kind}`;
}
