// Binds the worker's handlers to the real core entry points.

import { analyze } from '../core/analyze';
import { discoverGpus } from '../core/gpu/discover';
import { openModel } from '../core/model-source';
import { dirname, isAbsolute } from 'node:path';
import { detectScriptLanguage, scanScriptAsync, scriptFileRuns } from '../core/scripts';
import { WorkerError } from '../protocol/worker';
import { datasetFiles, forgetDatasetScans } from './dataset-files';
import type { CoreApi } from './handlers';

export const coreApi: CoreApi = {
  analyze: (options, ctx) => analyze(options, ctx),
  openModel: (spec) => openModel(spec),
  extractScript: (params) => {
    const language = detectScriptLanguage(params.fileName, params.languageId);
    if (!language) throw new WorkerError('input', `${params.fileName}: not a Python, YAML, shell, Markdown or notebook file`, params.fileName);
    // The build copies the grammar next to the bundle (dist/); from source it is found in node_modules.
    // A saved file's launch lines may run scripts beside it: those are read for their defaults.
    const ctx = isAbsolute(params.fileName) && language !== 'python' && language !== 'yaml' ? { scriptRuns: scriptFileRuns(dirname(params.fileName)) } : {};
    return scanScriptAsync(params.text, language, wasmDir(), ctx);
  },
  // Never throws: every nvidia-smi failure is a typed state. The worker's own environment is the
  // extension host's, so CUDA_VISIBLE_DEVICES applies as it would to a training run started there.
  queryGpus: (params, signal) => discoverGpus({ executable: params.executable, timeoutMs: params.timeoutMs, device: params.device, signal }),
  datasetFiles,
  forgetDatasetScans,
};

function wasmDir(): string | undefined {
  // Bundled: __dirname is dist/ (or dist/test-worker/ in tests, where the search walks up).
  return typeof __dirname === 'string' && /[\\/]dist$/.test(__dirname) ? __dirname : undefined;
}
