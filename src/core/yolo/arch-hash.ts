// A short fingerprint of a built-in's resolved architecture (every row after parse_model's rules,
// the scale constants, nc, reg_max, end2end). The ground-truth files under test/data/truth/ store the
// hash of the architecture they were measured for; a test recomputes it, so a table edited after the
// truth was measured fails until `npm run truth` is run again.

import { createHash } from 'node:crypto';
import type { ResolvedModel } from './types';

export function archHash(model: ResolvedModel): string {
  const { spec, layers } = model;
  const facts = {
    nc: spec.nc,
    scale: spec.scale,
    depth: spec.depth,
    width: spec.width,
    maxChannels: spec.maxChannels,
    kptShape: spec.kptShape ?? null,
    regMax: spec.regMax ?? null,
    end2end: spec.end2end ?? null,
    layers: layers.map((l) => [l.from, l.n, l.type, l.args]),
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
}
