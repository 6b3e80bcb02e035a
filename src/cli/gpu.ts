// The CLI asks the GPU itself (nvidia-smi) how much memory there is; no GPU means no verdict.

import { discoverGpus } from '../core/gpu';
import type { GpuInfo } from '../core/result';

export async function detectGpu(env: Record<string, string | undefined>): Promise<GpuInfo | null> {
  const found = await discoverGpus({ env: env as NodeJS.ProcessEnv });
  return found.state === 'ok' ? found.gpu : null;
}
