// The CLI's answer for the same inputs as an e2e scenario, so the tests can hold the editor's numbers
// against it. It runs the bundle the .vsix was packaged from (dist/cli.js), not the sources, so both
// sides are the shipped code.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult } from '../../src/core/result';
import { repoRoot } from './harness';

/** `yolo-mem estimate <args> --json`, run in `cwd` (relative `--data` resolves there). */
export function cliEstimate(args: string[], cwd = join(__dirname, 'workspace')): AnalysisResult {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: the e2e runner builds it when it packages the .vsix`);
  const r = spawnSync(process.execPath, [cli, 'estimate', ...args, '--json'], { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`yolo-mem estimate ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as AnalysisResult;
}
