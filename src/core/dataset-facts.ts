// The dataset side of an analysis: read the dataset YAML a run points at, scan its labels and image
// headers (bounded), and turn that into the assigner's boxes per image and the host-RAM estimate.

import { freemem, cpus } from 'node:os';
import { assignerObjects, hostRamEstimate, readDatasetYaml, scanDataset } from './dataset';
import type { DatasetStats } from './dataset/types';
import type { AnalyzeOptions } from './options';
import type { DatasetSummary } from './result';

export interface DatasetFacts {
  summary: DatasetSummary;
  /** Boxes per image for a given per-GPU batch (the max over a batch grows with the batch). */
  objectsFor(batchPerGpu: number): number | null;
}

/** Ultralytics' default dataloader workers. */
export const DEFAULT_WORKERS = 8;

export async function datasetFacts(opts: AnalyzeOptions, imgsz: number, batchPerGpu: number, signal?: AbortSignal): Promise<DatasetFacts | null> {
  if (!opts.data) return null;
  const found = await readDatasetYaml(opts.data, { cwd: opts.cwd });
  if (found.kind === 'not-found') {
    return {
      summary: { source: opts.data, images: null, objects: null, sampled: null, assignerObjects: null, explanation: found.message, hostRam: null, notes: [found.message] },
      objectsFor: () => null,
    };
  }
  const train: DatasetStats = await scanDataset(found.spec, { split: 'train', signal, cwd: opts.cwd });
  const val = found.spec.splits.val ? await scanDataset(found.spec, { split: 'val', signal, cwd: opts.cwd }) : null;
  const memo = new Map<number, number | null>();
  const objectsFor = (b: number) => {
    if (!memo.has(b)) memo.set(b, assignerObjects(train, b).value);
    return memo.get(b)!;
  };
  const first = assignerObjects(train, batchPerGpu);
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
      notes: [...found.spec.notes, ...train.notes],
    },
    objectsFor,
  };
}
