// Writes the malformed-input corpus (test/corpus/) into a folder, with manifest.json listing each
// case's id, family, file, what it is and the one-line outcome expected. The corpus test generates
// the same cases into a temp folder at test time; this script is for looking at the files, or for
// feeding them to another tool (the extension, a different CLI build).
//
//   node --import tsx scripts/gen-corpus.ts [outDir] [--small]
//     outDir   default test-artifacts/corpus (emptied first)
//     --small  leave out the multi-MB cases (a million nodes, 8 MB scripts, a 21 MB notebook)
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateCorpus } from '../test/corpus/index';

const args = process.argv.slice(2);
const out = resolve(args.find((a) => !a.startsWith('--')) ?? join(__dirname, '..', 'test-artifacts', 'corpus'));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const cases = generateCorpus(out, { big: !args.includes('--small') });
let bytes = 0;
for (const c of cases) {
  try {
    const st = statSync(join(out, c.file));
    if (st.isFile()) bytes += st.size;
  } catch {
    // built-in model names and deliberately missing files
  }
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify(cases.map(({ id, family, kind, file, note, expect, language, options, timeMs }) => ({ id, family, kind, file, note, expect, language, options, timeMs })), null, 1) + '\n');
const families = new Map<string, number>();
for (const c of cases) families.set(c.family, (families.get(c.family) ?? 0) + 1);
console.log(`${cases.length} cases (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${out}`);
for (const [f, n] of families) console.log(`  ${f.padEnd(20)} ${n}`);
