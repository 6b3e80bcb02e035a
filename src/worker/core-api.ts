// Binds the worker's handlers to the real core entry points.

import { analyze } from '../core/analyze';
import { discoverGpus } from '../core/gpu/discover';
import { openModel } from '../core/model-source';
import { WorkerError } from '../protocol/worker';
import type { CoreApi } from './handlers';

export const coreApi: CoreApi = {
  analyze: (options, ctx) => analyze(options, ctx),
  openModel: (spec) => openModel(spec),
  extractScript: () => {
    throw new WorkerError('internal', 'script extraction is not wired into the worker yet');
  },
  // Never throws: every nvidia-smi failure is a typed state. The worker's own environment is the
  // extension host's, so CUDA_VISIBLE_DEVICES applies as it would to a training run started there.
  queryGpus: (params, signal) => discoverGpus({ executable: params.executable, timeoutMs: params.timeoutMs, device: params.device, signal }),
};
