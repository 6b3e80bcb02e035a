// The classes and functions a checkpoint may name. Nothing named is ever imported or called (the
// reader only records names), so the list is a second line of defence: a file that names anything
// else (os.system, subprocess.Popen, builtins.eval, ...) is not a model checkpoint and is refused.
//
// A dotted name is refused everywhere: pickle would walk it attribute by attribute, so
// torch.serialization + "os.system" reaches os.system. Dunder names are refused too.

/** Modules whose every (non-dunder) name may appear: PyTorch itself (tensor and parameter rebuild
 *  functions, storage classes, nn modules, dtypes). */
const ANY_NAME = ['torch'];
/** Modules (and their submodules) whose classes may appear: names starting with a capital letter,
 *  never functions. Ultralytics' model classes; YOLOv5 keeps its classes under `models.` and `utils.`;
 *  a classification model carries its torchvision transforms (Compose, Resize, ...). */
const CLASSES_ONLY = ['ultralytics', 'models', 'utils', 'torchvision'];
/** Single harmless names. */
const NAMES: Record<string, readonly string[]> = {
  collections: ['OrderedDict', 'defaultdict', 'Counter', 'deque'],
  builtins: ['set', 'frozenset', 'slice', 'range', 'complex', 'bytearray', 'object', 'list', 'dict', 'tuple', 'int', 'float', 'bool', 'str', 'bytes'],
  __builtin__: ['set', 'frozenset', 'slice', 'object', 'list', 'dict', 'tuple', 'int', 'float', 'bool', 'str', 'long', 'unicode'],
  // protocol 0/1 object reconstruction, as old torch pickles write it
  copy_reg: ['_reconstructor'],
  copyreg: ['_reconstructor'],
  // bytes under protocol 2 are written as _codecs.encode(str, 'latin1')
  _codecs: ['encode'],
  'numpy.core.multiarray': ['scalar', '_reconstruct'],
  'numpy._core.multiarray': ['scalar', '_reconstruct'],
  numpy: ['dtype', 'ndarray'],
  argparse: ['Namespace'],
  types: ['SimpleNamespace'],
  pathlib: ['Path', 'PosixPath', 'WindowsPath', 'PurePath', 'PurePosixPath', 'PureWindowsPath'],
  datetime: ['datetime', 'date', 'time', 'timedelta', 'timezone'],
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Null when `module.name` may be read, else why not. */
export function refuseGlobal(module: string, name: string): string | null {
  const what = `${clip(module)}.${clip(name)}`;
  if (!module.split('.').every((s) => IDENT.test(s)) || !IDENT.test(name)) return `the global '${what}' is not a plain module and name`;
  if (name.startsWith('__')) return `the global '${what}' (a dunder name)`;
  const root = module.split('.')[0];
  if (ANY_NAME.includes(root)) return null;
  if (CLASSES_ONLY.includes(root)) return /^[A-Z]/.test(name) ? null : `the global '${what}' (only classes are read from ${root})`;
  if (NAMES[module]?.includes(name)) return null;
  return `the global '${what}', which is not on the list of what a model checkpoint names`;
}

function clip(s: string): string {
  const c = s.replace(/[^\x20-\x7e]/g, '?');
  return c.length > 80 ? `${c.slice(0, 77)}...` : c;
}
