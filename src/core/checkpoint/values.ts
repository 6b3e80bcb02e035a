// What the pickle machine produces: plain data and placeholders. Nothing here can run: a class or
// function named by the file is only its module and name, and a "call" is only recorded.

export type PyValue = null | boolean | number | string | PyBytes | PyList | PyTuple | PyDict | PySet | PyGlobal | PyObject | PyStorage | PyTensor;

export interface PyBytes {
  kind: 'bytes';
  length: number;
}
export interface PyList {
  kind: 'list';
  items: PyValue[];
}
export interface PyTuple {
  kind: 'tuple';
  items: PyValue[];
}
export interface PySet {
  kind: 'set';
  items: PyValue[];
}
/** A dict (or OrderedDict): entries in insertion order; keys are usually strings. */
export interface PyDict {
  kind: 'dict';
  entries: [PyValue, PyValue][];
}
/** A class or function the file names (GLOBAL / STACK_GLOBAL), never imported. */
export interface PyGlobal {
  kind: 'global';
  module: string;
  name: string;
}
/** An instance the file describes: the class it names, the constructor arguments it gives (REDUCE,
 *  NEWOBJ) and the state BUILD would have set. Items for dict- or list-like classes. */
export interface PyObject {
  kind: 'object';
  module: string;
  name: string;
  args: PyValue[];
  state: PyValue;
  dictItems: [PyValue, PyValue][];
  listItems: PyValue[];
}
/** A tensor storage the file refers to by persistent id ('storage', <dtype>Storage, key, location, numel). */
export interface PyStorage {
  kind: 'storage';
  /** Storage class name: FloatStorage, HalfStorage, UntypedStorage, ... */
  storageType: string;
  key: string;
  location: string;
  numel: number;
}
/** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...): shape and where it lies. */
export interface PyTensor {
  kind: 'tensor';
  storage: PyStorage;
  offset: number;
  shape: number[];
  stride: number[];
  /** Wrapped by _rebuild_parameter (an nn.Parameter). */
  parameter: boolean;
}

export function dictGet(d: PyValue, key: string): PyValue | undefined {
  if (d === null || typeof d !== 'object') return undefined;
  const entries = d.kind === 'dict' ? d.entries : d.kind === 'object' ? d.dictItems : null;
  if (!entries) return undefined;
  // the last entry wins: a key set twice holds its last value, as in Python
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i][0] === key) return entries[i][1];
  return undefined;
}

/** The attribute dict of an object placeholder (its BUILD state, or the state half of a (dict, slots) pair). */
export function objectState(o: PyValue): PyValue | undefined {
  if (o === null || typeof o !== 'object' || o.kind !== 'object') return undefined;
  const s = o.state;
  if (s && typeof s === 'object' && s.kind === 'tuple' && s.items.length === 2) return s.items[0] ?? undefined;
  return s;
}

export function isKind<K extends Exclude<PyValue, null | boolean | number | string>['kind']>(v: PyValue | undefined, kind: K): v is Extract<PyValue, { kind: K }> {
  return v !== null && v !== undefined && typeof v === 'object' && v.kind === kind;
}
