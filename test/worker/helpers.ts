// Shared by the worker tests: bundle the real worker from source (same esbuild settings as
// scripts/build.mjs) and make clients for it with a logger that records lines.

import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerClient, type WorkerClientOptions } from '../../src/extension/worker-client';
import { WORKER_TEST_ENV } from '../../src/protocol/worker';

export const root = join(import.meta.dirname, '..', '..');

let built: Promise<string> | undefined;

/** Path of a freshly built worker bundle. Built inside dist/ so `onnxruntime-node` etc. resolve
 *  from the repository's node_modules exactly as they do for dist/worker.js. */
export function workerBundle(): Promise<string> {
  built ??= (async () => {
    const outfile = join(root, 'dist', 'test-worker', `worker-${process.pid}.js`);
    await esbuild.build({
      entryPoints: [join(root, 'src', 'worker', 'worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode', 'onnxruntime-node'],
      logLevel: 'error',
    });
    // One bundle per test process; remove it when the process ends.
    process.on('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return built;
}

export interface RecordingLogger {
  lines: string[];
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
  debug(m: string): void;
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    debug: (m) => lines.push(`debug ${m}`),
  };
}

export async function testClient(extra: Partial<WorkerClientOptions> = {}): Promise<{ client: WorkerClient; logger: RecordingLogger }> {
  const logger = recordingLogger();
  const client = new WorkerClient({
    workerPath: await workerBundle(),
    logger,
    env: { [WORKER_TEST_ENV]: '1' },
    ...extra,
  });
  return { client, logger };
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `cond()` holds, polling; fails after `expectedMs` but never under 2 minutes (a net for
 *  a signal that never comes, not a speed check: a loaded machine may take many times the usual time). */
export async function until(cond: () => boolean, expectedMs = 5000, what = 'condition'): Promise<void> {
  const ms = Math.max(expectedMs, 120_000);
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}
