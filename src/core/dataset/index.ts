// Dataset facts for dataset-aware memory estimates: what an Ultralytics / YOLOv5 dataset YAML points
// at, how dense its labels are, how large its images are, and what the data pipeline costs in host
// RAM. Pure Node (fs only), no `vscode`; every result is plain JSON.
//
// API
// ───
//   readDatasetYaml(file, { cwd?, datasetsDir? }) → Promise<DatasetYamlResult>
//       { kind: 'ok', spec: DatasetSpec } — root and splits resolved as `check_det_dataset` does
//       (see yaml.ts for the order of root candidates); or { kind: 'not-found', builtin, message }
//       for a file that is not here (`coco8.yaml` and other Ultralytics built-ins: builtin = true).
//       Throws DatasetError (one line, names the file) for invalid YAML or a YAML that is not a
//       dataset. `parseDatasetYaml(text, yamlPath, opts)` does the same from text.
//
//   scanDataset(spec, { split = 'train', budgetMs = 5000, maxFiles = 200_000, signal, onProgress,
//                       seed = 1, io = 'auto', concurrency = 32, noCache, cwd }) → Promise<DatasetStats>
//       Lists the split's images (folders recursively, `.txt` lists, symlinked folders once each),
//       then reads each image's header (PNG/JPEG/BMP/WebP/GIF size, first 4 KB + JPEG segment hops)
//       and its label file (images/ → labels/, .txt). Over budget it reads a seeded uniform random
//       sample and says so in `sampled` and `notes` ("sampled N of M images"). Abort → rejects
//       with an Error named 'AbortError'. Progress ≤ every 100 ms. Files are read synchronously in
//       10 ms slices with an event-loop turn between slices (≈ 5× faster than fs.promises on a local
//       disk); on a slow disk (> 0.5 ms per image) it switches to `concurrency` async reads. Meant
//       to run in the worker process. `scanSources(target, opts)` scans explicit folders / lists
//       without a YAML.
//       Cache: in-memory LRU of CACHE_ENTRIES (16) results keyed by the sources, split, nc,
//       kpt_shape, budgets, seed and the mtimes of each source and its labels/ folder. A folder's
//       mtime changes when entries are added or removed directly in it, NOT when a label file is
//       edited in place or a nested folder changes: call forgetDatasetScans(yamlPath) (the worker
//       does when the extension's file watchers see the dataset change), clearScanCache() or
//       noCache to rescan.
//
//   datasetWatchTargets(spec, { cwd? }) → Promise<DatasetWatchTargets>
//       The folders (image and label trees, recursive) and single files (the YAML, `.txt` lists)
//       whose changes change the dataset's facts: what an editor watches to know when to rescan.
//
//   assignerObjects(stats, batch, { mosaic = true, seed }) → AssignerObjects
//       The "boxes per image" the TaskAlignedAssigner is padded to in the worst batch of an epoch:
//       `value` (feed it to AnalyzeOptions.objectsPerImage) and `explanation` (one paragraph).
//       Mechanism in assigner.ts; a simulation over the scanned histogram, not a fitted constant.
//
//   hostRamEstimate(stats, { imgsz, batch, workers, cache, freeRamBytes, cpuCount?, ranks?,
//                           channels?, pinMemory?, augment?, valStats?, freeDiskBytes? }) → HostRamEstimate
//       Pure: cache=ram bytes (and whether Ultralytics' check_cache_ram would accept it), the
//       per-worker mosaic buffer, prefetched / pinned batches, the persistent val loader; a verdict
//       vs `freeRamBytes` (pass os.freemem() at the call site). docs/memory-model.md §11.
//
// Typical use (worker / CLI):
//   const r = await readDatasetYaml(dataArg, { cwd });
//   if (r.kind === 'not-found') → show r.message, keep the default objects per image;
//   const train = await scanDataset(r.spec, { split: 'train', signal });
//   const val = r.spec.splits.val ? await scanDataset(r.spec, { split: 'val', signal }) : null;
//   const objects = assignerObjects(train, batchPerGpu);   // objects.value ?? default
//   const ram = hostRamEstimate(train, { imgsz, batch: batchPerGpu, workers, cache, freeRamBytes: os.freemem(), cpuCount: os.cpus().length, valStats: val, channels: r.spec.channels });

export { readDatasetYaml, parseDatasetYaml, BUILTIN_DATASETS, type ReadYamlOptions } from './yaml';
export { datasetWatchTargets, WATCH_GLOB, MAX_WATCH_FOLDERS, type DatasetWatchTargets } from './watch';
export { scanDataset, scanSources, clearScanCache, forgetDatasetScans, DEFAULT_BUDGET_MS, DEFAULT_MAX_FILES, type ScanTarget } from './scan';
export { assignerObjects, type AssignerObjects, type AssignerObjectsOptions } from './assigner';
export { hostRamEstimate, resizedHW, resizedPixels, CACHE_SAFETY_MARGIN, type HostRamEstimate, type HostRamOptions, type HostRamTerm, type CacheMode } from './host-ram';
export { img2labelPath, isImagePath, datasetYamlPath, IMG_FORMATS } from './paths';
export { parseImageHeader, readImageSize } from './image-header';
export { parseLabelText } from './labels';
export * from './types';
