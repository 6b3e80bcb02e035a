// Runs every *.test.ts under test/ with Node's own test runner (TypeScript through tsx), except the
// end-to-end suite in test/e2e/, which scripts/e2e/run.mjs runs (it needs Chromium and code-server).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'e2e') continue;
      if (name === 'corpus' || name === 'fixtures') continue;
      out.push(...find(p));
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = find(join(root, 'test')).map((f) => relative(root, f)).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
