// The dataset side of an analysis: read the dataset YAML a run points at, scan its labels and image
// headers (bounded), and turn that into the assigner's boxes per image and the host-RAM estimate.

import { freemem, cpus } from 'node:os';
import { assignerObjects, DatasetError, hostRamEstimate, readDatasetYaml, scanDataset } from './dataset';
import type { DatasetStats } from './dataset/types';
import type { AnalyzeOptions } from './options';
import type { DatasetSummary } from './result';

export interface DatasetFacts {
  summary: DatasetSummary;
  /** Boxes per image the assigner is padded to (the same for every batch size, see below). */
  objectsFor(batchPerGpu: number): number | null;
  /** Real boxes per training image in the batch with the most boxes (the loss's positives). */
  positivesFor(batchPerGpu: number): number | null;
}

/** Ultralytics' default dataloader workers. */
export const DEFAULT_WORKERS = 8;

function unavailable(source: string, message: string): DatasetFacts {
  return {
    summary: { source, images: null, objects: null, sampled: null, assignerObjects: null, explanation: message, hostRam: null, freeRamReadAt: null, notes: [message] },
    objectsFor: () => null,
    positivesFor: () => null,
  };
}

export async function datasetFacts(opts: AnalyzeOptions, imgsz: number, batchPerGpu: number, signal?: AbortSignal): Promise<DatasetFacts | null> {
  if (!opts.data) return null;
  let found: Awaited<ReturnType<typeof readDatasetYaml>>;
  try {
    found = await readDatasetYaml(opts.data, { cwd: opts.cwd });
  } catch (e) {
    // a broken dataset YAML costs the dataset facts, not the model's estimate
    if (e instanceof DatasetError) return unavailable(opts.data, `${e.message}; estimated without the dataset`);
    throw e;
  }
  if (found.kind === 'not-found') return unavailable(opts.data, found.message);
  const train: DatasetStats = await scanDataset(found.spec, { split: 'train', signal, cwd: opts.cwd });
  const val = found.spec.splits.val ? await scanDataset(found.spec, { split: 'val', signal, cwd: opts.cwd }) : null;
  // The assigner pads every image of a batch to the batch's densest (mosaic) image, and the worst
  // batch of an epoch holds the epoch's densest mosaic whatever the batch size: one count for all
  // batch sizes (re-simulating per batch would only add sampling noise, and a non-monotone curve).
  const first = assignerObjects(train, batchPerGpu);
  const objectsFor = () => first.value;
  const positivesFor = () => first.positivesPerImage;
  const freeRamReadAt = opts.freeRamBytes === undefined ? Date.now() : null;
  const hostRam = hostRamEstimate(train, {
    imgsz,
    batch: batchPerGpu,
    workers: opts.workers ?? DEFAULT_WORKERS,
    cache: opts.cache === undefined ? false : opts.cache,
    freeRamBytes: opts.freeRamBytes ?? freemem(),
    cpuCount: cpus().length,
    ranks: Math.max(1, opts.gpus ?? 1),
    valStats: val,
    channels: found.spec.channels,
  });
  const sampled = train.sampled ? `sampled ${train.sampled.scanned.toLocaleString('en-US')} of ${train.sampled.total.toLocaleString('en-US')} images` : null;
  return {
    summary: {
      source: opts.data,
      images: train.images,
      objects: { max: train.objects.max, p99: train.objects.p99, mean: train.objects.mean },
      sampled,
      assignerObjects: first.value,
      explanation: first.explanation,
      hostRam,
      freeRamReadAt,
      notes: [...found.spec.notes, ...train.notes],
    },
    objectsFor,
    positivesFor,
  };
}
