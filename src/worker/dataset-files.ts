// The worker's side of the extension's dataset watchers: where a run's dataset lives (read with
// the same reader the estimate uses), and forgetting what was cached from it when it changed.

import { DatasetError, datasetWatchTargets, datasetYamlPath, forgetDatasetScans, readDatasetYaml, WATCH_GLOB } from '../core/dataset';
import type { DatasetFilesParams, DatasetFilesReply } from '../protocol/worker';

export async function datasetFiles(params: DatasetFilesParams, signal: AbortSignal): Promise<DatasetFilesReply> {
  const yamlPath = datasetYamlPath(params.data, params.cwd);
  const none = { yamlPath, found: false, folders: [], files: [], glob: WATCH_GLOB, notes: [] };
  let found: Awaited<ReturnType<typeof readDatasetYaml>>;
  try {
    found = await readDatasetYaml(params.data, { cwd: params.cwd });
  } catch (e) {
    // A broken YAML is still the dataset: watching it brings the estimate back when it is fixed.
    if (e instanceof DatasetError) return { ...none, found: true, files: [yamlPath], notes: [e.message] };
    throw e;
  }
  if (found.kind === 'not-found') return none;
  const t = await datasetWatchTargets(found.spec, { cwd: params.cwd, signal });
  return { yamlPath: found.spec.yamlPath, found: true, folders: t.folders, files: t.files, glob: WATCH_GLOB, notes: t.notes };
}

export { forgetDatasetScans };
