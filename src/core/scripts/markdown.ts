// Markdown: the fenced code blocks. Each block is read on its own (README examples are usually
// independent), with the fence's indentation removed so an indented Python block still parses;
// the removed columns are added back when positions map to the file.

import type { Fragment, Segment } from './text';

export type BlockLanguage = 'python' | 'shell' | 'yaml';

export interface CodeBlock {
  language: BlockLanguage;
  frag: Fragment;
}

const LANGS: Record<string, BlockLanguage> = {
  python: 'python', py: 'python', python3: 'python', ipython: 'python', ipython3: 'python', pycon: 'python',
  bash: 'shell', sh: 'shell', shell: 'shell', zsh: 'shell', console: 'shell', shellsession: 'shell', terminal: 'shell',
  cmd: 'shell', bat: 'shell', powershell: 'shell', ps1: 'shell', pwsh: 'shell', text: 'shell', '': 'shell',
  yaml: 'yaml', yml: 'yaml',
};

/** Fence languages whose blocks are transcripts: prompts before commands, output after. */
const SESSIONS = new Set(['console', 'shellsession', 'terminal']);

export function markdownBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lineRe = /[^\r\n]*(\r\n|\r|\n|$)/g;
  const lines: Array<{ start: number; text: string; eol: string }> = [];
  for (let m = lineRe.exec(text); m && m[0].length; m = lineRe.exec(text)) {
    lines.push({ start: m.index, text: m[0].slice(0, m[0].length - m[1].length), eol: m[1] });
    if (lineRe.lastIndex >= text.length) break;
  }
  for (let i = 0; i < lines.length; i++) {
    // Any indentation: MkDocs tabs and admonitions (`=== "CLI"`) indent their fences by 4.
    const open = /^( *)(`{3,}|~{3,})\s*([^\s`{]*)/.exec(lines[i].text);
    if (!open) continue;
    const indent = open[1].length;
    const fence = open[2];
    const lang = LANGS[open[3].toLowerCase().replace(/^\{?\.?/, '')];
    let j = i + 1;
    const closeRe = new RegExp(`^ *${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    while (j < lines.length && !closeRe.test(lines[j].text)) j++;
    if (lang) {
      let body = '';
      const segments: Segment[] = [];
      // A console transcript: only `$ ` lines (and the lines they continue) are commands; the
      // rest is the commands' output, blanked so nothing in it reads as a launch.
      const session = SESSIONS.has(open[3].toLowerCase());
      let continued = false;
      for (let k = i + 1; k < j; k++) {
        const l = lines[k];
        const cut = Math.min(indent, /^ */.exec(l.text)![0].length);
        segments.push({ from: body.length, to: l.start + cut, length: l.text.length - cut + l.eol.length });
        let text = l.text.slice(cut);
        if (session) {
          const command: boolean = continued || /^\s*(\$|PS\s?>|\(.*\)\s*\$)\s/.test(text);
          continued = command && /\\$/.test(text);
          if (!command) text = text.replace(/[^\r\n]/g, ' ');
          else text = text.replace(/^(\s*)\((\S*)\)(\s*)\$/, (m) => m.replace(/[^$]/g, ' '));
        }
        body += text + l.eol;
      }
      if (segments.length) blocks.push({ language: lang, frag: { text: body, segments } });
    }
    i = j;
  }
  return blocks;
}
