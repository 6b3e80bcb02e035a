// The slice of the `vscode` API that DocumentAnalyzer and the dataset watchers use, in plain Node,
// so their behaviour (scheduling, GPU and dataset refreshes) is tested against the real worker
// without a VS Code instance. Loaded in place of `vscode` by ./vscode-stub.ts. File-system watchers
// do not watch anything: the test fires their events (`fireFileEvent`), as VS Code would.

import { isAbsolute, relative } from 'node:path';

export class EventEmitter<T> {
  private readonly listeners = new Set<(e: T) => unknown>();
  readonly event = (listener: (e: T) => unknown) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):(?:\/\/)?(.*)$/i.exec(s);
    return m ? new Uri(m[1]!, decodeURIComponent(m[2]!)) : new Uri('file', s);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class RelativePattern {
  readonly baseUri: Uri;
  constructor(
    base: Uri | string,
    readonly pattern: string,
  ) {
    this.baseUri = typeof base === 'string' ? Uri.file(base) : base;
  }
}

/** A document as DocumentAnalyzer reads it. */
export interface FakeDocument {
  uri: Uri;
  fileName: string;
  languageId: string;
  version: number;
  getText(): string;
}

export function fakeDocument(path: string, languageId: string, text: string, version = 1): FakeDocument {
  return { uri: Uri.file(path), fileName: path, languageId, version, getText: () => text };
}

export interface FakeWatcher {
  base: string;
  pattern: string;
  disposed: boolean;
  onDidChange: EventEmitter<Uri>['event'];
  onDidCreate: EventEmitter<Uri>['event'];
  onDidDelete: EventEmitter<Uri>['event'];
  fire(kind: 'change' | 'create' | 'delete', uri: Uri): void;
  dispose(): void;
}

/** Every watcher created, disposed ones included (tests look at what was watched). */
export const watchers: FakeWatcher[] = [];

function createFileSystemWatcher(glob: RelativePattern | string): FakeWatcher {
  const base = typeof glob === 'string' ? '' : glob.baseUri.fsPath;
  const pattern = typeof glob === 'string' ? glob : glob.pattern;
  const ev = { change: new EventEmitter<Uri>(), create: new EventEmitter<Uri>(), delete: new EventEmitter<Uri>() };
  const w: FakeWatcher = {
    base,
    pattern,
    disposed: false,
    onDidChange: ev.change.event,
    onDidCreate: ev.create.event,
    onDidDelete: ev.delete.event,
    fire: (kind, uri) => {
      if (!w.disposed) ev[kind].fire(uri);
    },
    dispose: () => {
      w.disposed = true;
    },
  };
  watchers.push(w);
  return w;
}

/** What VS Code does for a file event: every live watcher whose base holds the file and whose
 *  pattern matches it reports it. Returns how many watchers did. */
export function fireFileEvent(kind: 'change' | 'create' | 'delete', path: string): number {
  let n = 0;
  for (const w of watchers) {
    if (w.disposed) continue;
    // A pattern without a base (`**/*.onnx`) is matched against the whole path.
    const rel = w.base === '' ? path.replace(/^\//, '') : relative(w.base, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    if (!globMatch(w.pattern, rel)) continue;
    w.fire(kind, Uri.file(path));
    n++;
  }
  return n;
}

/** The glob subset the extension uses: `**`, `*`, `{a,b}` and literal names. */
export function globMatch(pattern: string, path: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+?^$()[\]\\|]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(path);
}

export const workspace = {
  textDocuments: [] as FakeDocument[],
  workspaceFolders: undefined as { uri: Uri }[] | undefined,
  createFileSystemWatcher,
};

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}

/** A LogOutputChannel that keeps its lines. */
export function fakeLog() {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace') };
}
