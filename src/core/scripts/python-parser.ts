// Loads tree-sitter (WebAssembly) and its Python grammar once per process. The two .wasm files
// sit next to the bundle in dist/ (the build copies them there) or in node_modules when running
// from source; the caller may name the folder, and otherwise both layouts are searched.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';

// Loaded with require() so that bundlers pick the package's CommonJS build: its ES module build
// reads import.meta.url, which does not exist in the CommonJS bundles in dist/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof TreeSitter;
type Parser = TreeSitter.Parser;

export const TREE_SITTER_WASM = 'tree-sitter.wasm';
export const PYTHON_WASM = 'tree-sitter-python.wasm';

interface WasmPaths {
  runtime: string;
  python: string;
}

function pairIn(dir: string): WasmPaths | null {
  const flat = { runtime: join(dir, TREE_SITTER_WASM), python: join(dir, PYTHON_WASM) };
  if (existsSync(flat.runtime) && existsSync(flat.python)) return flat;
  const nm = { runtime: join(dir, 'node_modules', 'web-tree-sitter', TREE_SITTER_WASM), python: join(dir, 'node_modules', 'tree-sitter-python', PYTHON_WASM) };
  if (existsSync(nm.runtime) && existsSync(nm.python)) return nm;
  return null;
}

/** Finds the wasm pair in `wasmDir`, or walking up from this module and from the working directory. */
export function locateWasm(wasmDir?: string): WasmPaths {
  if (wasmDir) {
    const found = pairIn(resolve(wasmDir));
    if (!found) throw new Error(`${TREE_SITTER_WASM} and ${PYTHON_WASM} were not found in ${wasmDir}`);
    return found;
  }
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const start of [here, process.cwd()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const found = pairIn(dir);
      if (found) return found;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`${TREE_SITTER_WASM} and ${PYTHON_WASM} were not found next to ${here} or in node_modules; pass their folder`);
}

let ready: Promise<Parser> | null = null;
let parser: Parser | null = null;

/** Loads the Python grammar once; later calls return the same parser (the folder of the first call wins). */
export function initPythonParser(wasmDir?: string): Promise<Parser> {
  if (!ready) {
    ready = (async () => {
      const paths = locateWasm(wasmDir);
      await Parser.init({ locateFile: () => paths.runtime });
      const lang = await Language.load(readFileSync(paths.python));
      const p = new Parser();
      p.setLanguage(lang);
      parser = p;
      return p;
    })();
    ready.catch(() => {
      ready = null; // let a later call retry, e.g. with the right folder
    });
  }
  return ready;
}

/** The parser after initPythonParser() resolved; null before. */
export function pythonParser(): Parser | null {
  return parser;
}
