// The one registry of document kinds the script reader serves: which VS Code language ids and file
// names each covers, and which reader reads it. The extension's activation events (package.json,
// checked by test/extension/manifest.test.ts), its hover / diagnostics selectors, the file watcher
// and `yolo-mem scan` all derive from this list, so they never disagree on what is scanned.

import type { ScriptLanguage } from './types';

export type DocumentKindName =
  | 'python'
  | 'notebook'
  | 'markdown'
  | 'github-actions'
  | 'yaml'
  | 'shell'
  | 'powershell'
  | 'batch'
  | 'makefile'
  | 'dockerfile';

export interface DocumentKind {
  name: DocumentKindName;
  /** VS Code language ids of documents of this kind (a notebook's cells are `python` documents). */
  languageIds: readonly string[];
  /** File globs (workspace-relative, `**` for any folder), also used for the file watcher. */
  patterns: readonly string[];
  /** The reader in scanScript(). */
  reader: ScriptLanguage;
  /** VS Code notebook type, for notebook kinds (activation `onNotebook:`). */
  notebookType?: string;
}

/** In match order: a workflow is YAML too, so it comes before YAML. */
export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  { name: 'python', languageIds: ['python'], patterns: ['**/*.py', '**/*.pyw'], reader: 'python' },
  { name: 'notebook', languageIds: ['jupyter'], patterns: ['**/*.ipynb'], reader: 'notebook', notebookType: 'jupyter-notebook' },
  { name: 'markdown', languageIds: ['markdown'], patterns: ['**/*.md', '**/*.markdown'], reader: 'markdown' },
  { name: 'github-actions', languageIds: ['github-actions-workflow'], patterns: ['**/.github/workflows/*.yml', '**/.github/workflows/*.yaml'], reader: 'workflow' },
  { name: 'yaml', languageIds: ['yaml'], patterns: ['**/*.yaml', '**/*.yml'], reader: 'yaml' },
  { name: 'shell', languageIds: ['shellscript'], patterns: ['**/*.sh', '**/*.bash', '**/*.zsh'], reader: 'shell' },
  { name: 'powershell', languageIds: ['powershell'], patterns: ['**/*.ps1'], reader: 'shell' },
  { name: 'batch', languageIds: ['bat'], patterns: ['**/*.bat', '**/*.cmd'], reader: 'shell' },
  { name: 'makefile', languageIds: ['makefile'], patterns: ['**/Makefile', '**/makefile', '**/GNUmakefile', '**/*.mk'], reader: 'makefile' },
  { name: 'dockerfile', languageIds: ['dockerfile'], patterns: ['**/Dockerfile', '**/*.Dockerfile', '**/Dockerfile.*', '**/Containerfile'], reader: 'dockerfile' },
];

/** Every language id any kind serves (hover, diagnostics and code-action selectors). */
export const SCRIPT_LANGUAGE_IDS: readonly string[] = [...new Set(DOCUMENT_KINDS.flatMap((k) => k.languageIds))];

/** The patterns' brace-free glob as a RegExp on a `/`-separated path. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (c === '*') re += '[^/]*';
    else re += /[\\^$.|?+()[\]{}]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`(?:^|/)${re.replace(/^\(\?:\.\*\/\)\?/, '')}$`);
}

const MATCHERS = DOCUMENT_KINDS.map((k) => ({ kind: k, res: k.patterns.map(globToRegExp) }));

/**
 * The kind of a document: a file name that only one kind claims (a workflow under
 * `.github/workflows/`) wins over its language id, then the language id, then the file name.
 */
export function documentKind(fileName: string, languageId?: string): DocumentKind | null {
  const path = fileName.replace(/\\/g, '/');
  const byName = MATCHERS.find((m) => m.res.some((r) => r.test(path)))?.kind ?? null;
  if (byName?.name === 'github-actions') return byName;
  if (languageId) {
    const byLang = DOCUMENT_KINDS.find((k) => k.languageIds.includes(languageId));
    if (byLang) return byLang;
  }
  return byName;
}
