// Runs one corpus case through the product's public entry points and reports what came out. Runs
// inside a worker thread (see test/fuzz/corpus.test.ts), so a case that hangs can be killed.
import { parentPort } from 'node:worker_threads';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { main } from '../../src/cli/cli';
import { discoverGpus } from '../../src/core/gpu';
import { scanScriptAsync } from '../../src/core/scripts/index';
import { readFileSync } from 'node:fs';
import type { CorpusCase } from './types';

export interface CaseOutcome {
  id: string;
  ms: number;
  heapMiB: number;
  /** analyze(): null when it resolved, else the error's class name and message. */
  analyzeError?: { name: string; message: string } | null;
  cli?: { code: number; stdout: string; stderr: string };
  scan?: { notes: string[]; runs: number } | { threw: string };
  smi?: { state: string; message: string };
}

function cliArgs(c: CorpusCase, path: string): string[] {
  return ['estimate', path, '--json', ...(c.cliArgs ?? [])];
}

export async function runCase(c: CorpusCase, dir: string, smiEnv: (extra: Record<string, string>) => Record<string, string | undefined>): Promise<CaseOutcome> {
  const t0 = performance.now();
  const out: CaseOutcome = { id: c.id, ms: 0, heapMiB: 0 };
  const cli = async (argv: string[], env: Record<string, string | undefined>) => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env });
    // the JSON result can be large; the test only needs to know it parsed
    return { code, stdout: stdout.length > 200 ? stdout.slice(0, 200) : stdout, stderr };
  };
  if (c.kind === 'model') {
    const path = join(dir, c.file);
    try {
      await analyze({ model: path, ...c.options });
      out.analyzeError = null;
    } catch (e) {
      out.analyzeError = { name: (e as Error)?.constructor?.name ?? typeof e, message: e instanceof Error ? e.message : String(e) };
    }
    out.cli = await cli(cliArgs(c, path), { PATH: '/nonexistent' });
  } else if (c.kind === 'script') {
    try {
      const r = await scanScriptAsync(readFileSync(join(dir, c.file), 'utf8'), c.language!);
      out.scan = { notes: r.notes, runs: r.runs.length };
    } catch (e) {
      out.scan = { threw: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
  } else {
    const { EXECUTABLE, ...vars } = c.smi ?? {};
    const env = smiEnv(vars) as NodeJS.ProcessEnv;
    const r = await discoverGpus({ env, executable: EXECUTABLE });
    out.smi = { state: r.state, message: r.state === 'ok' ? 'ok' : r.message };
    out.cli = await cli(cliArgs(c, c.file), EXECUTABLE ? { PATH: '/nonexistent' } : env);
  }
  out.ms = performance.now() - t0;
  out.heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  return out;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', async (msg: { c: CorpusCase; dir: string; smiDir: string }) => {
    const smiEnv = (extra: Record<string, string>) => {
      const env: Record<string, string | undefined> = { ...process.env, PATH: `${msg.smiDir}:${process.env.PATH ?? ''}`, ...extra };
      delete env.CUDA_VISIBLE_DEVICES;
      return env;
    };
    try {
      port.postMessage({ ok: true, outcome: await runCase(msg.c, msg.dir, smiEnv) });
    } catch (e) {
      port.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
