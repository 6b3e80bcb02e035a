// The reliability corpus: every malformed-input case, written into a folder. Used by the corpus
// test (into a temp folder, at test time) and by scripts/gen-corpus.ts (to look at the files).
import { onnxCases } from './onnx-cases';
import { scriptCases, smiCases } from './script-cases';
import { specialFileCases } from './special-file-cases';
import { budgetCases } from './budget-cases';
import type { CorpusCase } from './types';
import { yamlCases } from './yaml-cases';

export type { CorpusCase, Expect } from './types';

/** Writes every case into `dir` (which must exist and be empty). `big` adds the multi-MB ones. */
export function generateCorpus(dir: string, opts: { big?: boolean } = {}): CorpusCase[] {
  const big = opts.big ?? true;
  const cases = [...onnxCases(dir, big), ...yamlCases(dir), ...scriptCases(dir, big), ...smiCases(dir), ...specialFileCases(dir), ...budgetCases(dir)];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`corpus: duplicate case id ${c.id}`);
    seen.add(c.id);
  }
  return cases;
}
