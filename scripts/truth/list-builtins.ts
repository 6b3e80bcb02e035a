// Prints every built-in name the estimator knows, with its architecture hash, as JSON: the list
// scripts/truth/truth.py measures by default (so the oracle and the estimator cover the same names).
import { archHash } from '../../src/core/yolo/arch-hash';
import { listBuiltins } from '../../src/core/yolo/builtin';
import { prepareBuiltin } from '../../src/core/yolo/build';

const out = listBuiltins().map((b) => ({ ...b, archHash: archHash(prepareBuiltin(b.name)!) }));
process.stdout.write(JSON.stringify(out) + '\n');
