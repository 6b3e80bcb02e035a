// One row of the public calibration set (test/data/public-runs/, README there) turned into what the
// estimator is asked and what the run really used. Pure: the caller reads the CSV files.
//
// Units of the measured figure (`gpu_mem_epoch1`, `gpu_mem_max`): Ultralytics' progress bar prints
// torch.cuda.memory_reserved() with a "G" suffix, computed as / 1e9 (GB) up to 8.3.85 and / 2**30 (GiB)
// from 8.3.86 (ultralytics/engine/trainer.py, `_get_memory`); YOLOv5 prints / 1e9. The row's
// `gpu_mem_unit` says which when the source shows it; otherwise the version decides.

import type { AnalyzeOptions } from '../options';
import type { GpuInfo } from '../result';
import { findGpuPreset, presetToGpuInfo } from '../gpu/presets';
import { parseMemorySize } from '../gpu/memory-size';

export interface CalibrationRow {
  id: string;
  source_url: string;
  source_group: string;
  kind: string;
  ultralytics_version: string;
  torch_version: string;
  cuda_version: string;
  gpu_name: string;
  gpu_memory: string;
  model: string;
  task: string;
  imgsz: string;
  batch: string;
  amp: string;
  workers: string;
  cache: string;
  rect: string;
  dataset: string;
  objects_per_image: string;
  gpu_mem_epoch1: string;
  gpu_mem_max: string;
  gpu_mem_unit: string;
  outcome: string;
  oom_phase: string;
  notes: string;
}

/** Dataset facts from datasets.csv, by dataset name (lower case). */
export interface DatasetDensity {
  dataset: string;
  /** Mean boxes per image, when known. */
  mean: number | null;
  /** Most boxes in one image, when known. */
  max: number | null;
  images: number | null;
}

export type Prepared =
  | { ok: true; options: AnalyzeOptions; densityKnown: boolean; family: string; task: string; measuredBytes: number | null; measuredMaxBytes: number | null; oom: boolean; gpuClass: string }
  | { ok: false; reason: string };

const num = (s: string | undefined): number | null => {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s.replace(/[^0-9.eE+-]/g, ''));
  return Number.isFinite(n) ? n : null;
};

/** Bytes per printed "G" for a row (see the header comment). */
export function gigaOf(row: CalibrationRow): number {
  const u = row.gpu_mem_unit.trim().toLowerCase();
  if (u === 'gib') return 2 ** 30;
  if (u === 'gb') return 1e9;
  if (/yolov5/i.test(row.kind) || /yolov5(?!.*u)/i.test(row.source_group)) return 1e9;
  const v = /^(\d+)\.(\d+)\.(\d+)/.exec(row.ultralytics_version.trim());
  if (!v) return 1e9;
  const [maj, min, pat] = v.slice(1).map(Number);
  const atLeast = maj > 8 || (maj === 8 && (min > 3 || (min === 3 && pat >= 86)));
  return atLeast ? 2 ** 30 : 1e9;
}

/** Model names as the estimator's built-ins spell them: "YOLOv8n.pt" -> "yolov8n", task suffix added
 *  from the task column when the name lacks it. */
export function normaliseModel(model: string, task: string): string {
  // "yolov5l (custom cfg ...)": the name before any remark
  let m = (model.trim().toLowerCase().split(/[\s(]/)[0] ?? '').replace(/\.(pt|yaml|yml)$/, '');
  const suffix: Record<string, string> = { segment: '-seg', seg: '-seg', pose: '-pose', obb: '-obb', classify: '-cls', cls: '-cls' };
  const want = suffix[task.trim().toLowerCase()];
  if (want && !m.endsWith(want)) m += want;
  return m;
}

/** A coarse family name for the accuracy table ("yolov8", "yolo11", "yolov5", "yolov5u", ...). */
export function familyOf(model: string): string {
  const m = model.toLowerCase();
  const f = /^(yolov\d+|yolo\d+|rtdetr|yoloe|yolo-world|yolov3)/.exec(m)?.[1] ?? 'other';
  return f === 'yolov5' && /^yolov5[nsmlx]6?u/.test(m) ? 'yolov5u' : f;
}

/** GPU class for the error model: the memory size band decides how the allocator behaves near the top. */
export function gpuClassOf(totalBytes: number): string {
  return totalBytes <= 17 * 2 ** 30 ? '<=16GB' : totalBytes <= 26 * 2 ** 30 ? '24GB' : '>24GB';
}

function gpuOf(row: CalibrationRow): GpuInfo | null {
  const preset = row.gpu_name ? findGpuPreset(row.gpu_name) : null;
  let total: number | null = null;
  if (row.gpu_memory.trim()) {
    try {
      total = parseMemorySize(/^\s*[\d.]+\s*$/.test(row.gpu_memory) ? `${row.gpu_memory}MiB` : row.gpu_memory);
    } catch {
      total = null;
    }
  }
  if (preset && (total === null || Math.abs(preset.totalBytes - total) / preset.totalBytes < 0.08)) return presetToGpuInfo(preset);
  if (total !== null) return { name: row.gpu_name || `GPU with ${(total / 2 ** 30).toFixed(1)} GiB`, totalBytes: total, source: 'flag' };
  return preset ? presetToGpuInfo(preset) : null;
}

const truthy = (s: string, dflt: boolean) => {
  const v = s.trim().toLowerCase();
  if (v === '' || v === 'unknown') return dflt;
  return !['false', '0', 'no', 'off', 'n'].includes(v);
};

/** The estimator's options for a row, as a user would ask (model, imgsz, batch, AMP, the GPU named,
 *  objects per image when the dataset's density is known), or why the row cannot be estimated. */
export function prepareRow(row: CalibrationRow, densities: Map<string, DatasetDensity>): Prepared {
  const imgsz = num(row.imgsz) ?? 640;
  const batch = num(row.batch);
  if (!row.model.trim()) return { ok: false, reason: 'no model' };
  if (batch === null || batch < 1 || !Number.isInteger(batch)) return { ok: false, reason: `batch '${row.batch}' is not a whole number (AutoBatch rows need the chosen batch)` };
  const gpu = gpuOf(row);
  if (!gpu) return { ok: false, reason: `GPU '${row.gpu_name}' unknown and no gpu_memory` };
  const task = row.task.trim().toLowerCase() || 'detect';
  const model = normaliseModel(row.model, task);
  const giga = gigaOf(row);
  const e1 = num(row.gpu_mem_epoch1);
  const mx = num(row.gpu_mem_max);
  const oom = /oom|out.?of.?memory/i.test(row.outcome) || row.kind.toLowerCase() === 'oom';
  const density = densities.get(row.dataset.trim().toLowerCase());
  const rowMean = num(row.objects_per_image);
  const mean = rowMean ?? density?.mean ?? null;
  const options: AnalyzeOptions = {
    model,
    imgsz: Math.max(32, Math.round(imgsz / 32) * 32),
    batch: [batch],
    amp: truthy(row.amp, true),
    gpu,
    curveMax: 1,
  };
  if (mean !== null) {
    options.datasetDensity = { mean, max: density?.max ?? null, images: density?.images ?? null, name: row.dataset.trim() || 'dataset' };
  }
  return {
    ok: true,
    options,
    densityKnown: mean !== null,
    family: familyOf(model),
    task,
    measuredBytes: e1 === null ? null : e1 * giga,
    measuredMaxBytes: mx === null ? null : mx * giga,
    oom,
    gpuClass: gpuClassOf(gpu.totalBytes),
  };
}
