// Puts the fake nvidia-smi (fake-nvidia-smi.cjs) first on a PATH, for tests of the real execFile path.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const SMI_FIXTURES = join(__dirname, '..', 'fixtures', 'nvidia-smi');

export interface FakeSmi {
  dir: string;
  /** Environment whose PATH finds the fake first; extra variables steer its behaviour. */
  env(extra: Record<string, string>): NodeJS.ProcessEnv;
  dispose(): void;
}

export function installFakeNvidiaSmi(): FakeSmi {
  const dir = mkdtempSync(join(tmpdir(), 'fake-smi-'));
  const script = join(__dirname, 'fake-nvidia-smi.cjs');
  // `exec` so that the timeout's SIGTERM reaches node itself, not a shell that leaves it running.
  writeFileSync(join(dir, 'nvidia-smi'), `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  chmodSync(join(dir, 'nvidia-smi'), 0o755);
  return {
    dir,
    env: (extra) => {
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, ...extra };
      delete env.CUDA_VISIBLE_DEVICES;
      delete env.CUDA_DEVICE_ORDER;
      return { ...env, ...extra };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
