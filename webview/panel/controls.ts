// The panel's settings controls as data: which fields exist, their text from the current options,
// and how typed text becomes an OptionsPatch (or a per-field error). Pure; main.ts binds the DOM.

import type { AnalyzeOptions, DeployPrecision, OptimizerChoice } from '../../src/core/options';
import type { AnalysisResult } from '../../src/core/result';
import { OPTION_BOUNDS, type OptionsPatch } from '../../src/protocol/webview';
import { trimNumber } from '../shared/format';

export type FieldId = 'batch' | 'imgsz' | 'amp' | 'optimizer' | 'vram' | 'gpus' | 'margin' | 'objects' | 'prune' | 'deploy';

export interface FieldDef {
  id: FieldId;
  label: string;
  kind: 'number' | 'checkbox' | 'select';
  /** Unit shown after the field. */
  unit?: string;
  choices?: ReadonlyArray<{ value: string; label: string }>;
  help: string;
}

export const FIELDS: readonly FieldDef[] = [
  { id: 'batch', label: 'Batch', kind: 'number', help: 'Total batch size (Ultralytics batch=)' },
  { id: 'imgsz', label: 'Image size', kind: 'number', unit: 'px', help: 'Square training image size (imgsz=)' },
  { id: 'amp', label: 'AMP', kind: 'checkbox', help: 'Automatic mixed precision (amp=)' },
  {
    id: 'optimizer',
    label: 'Optimizer',
    kind: 'select',
    choices: [
      { value: 'auto', label: 'auto' },
      { value: 'sgd', label: 'SGD' },
      { value: 'adam', label: 'Adam' },
      { value: 'adamw', label: 'AdamW' },
    ],
    help: 'optimizer= (auto follows Ultralytics’ rule)',
  },
  { id: 'vram', label: 'VRAM', kind: 'number', unit: 'GiB', help: 'GPU memory to check against; empty = no GPU' },
  { id: 'gpus', label: 'GPUs', kind: 'number', help: 'DDP world size: each GPU gets batch / GPUs' },
  { id: 'margin', label: 'Safety margin', kind: 'number', unit: '%', help: 'Share of VRAM kept free' },
  { id: 'objects', label: 'Objects / image', kind: 'number', help: 'Ground-truth boxes per image the label assigner sees; empty = the estimator’s default' },
  { id: 'prune', label: 'Pruning', kind: 'number', unit: '%', help: 'Channel pruning ratio: widths scale by (1 − ratio)' },
  {
    id: 'deploy',
    label: 'Deploy weights',
    kind: 'select',
    choices: [
      { value: 'fp32', label: 'FP32' },
      { value: 'fp16', label: 'FP16' },
      { value: 'int8', label: 'INT8' },
    ],
    help: 'Weight precision for the deployment-size what-if',
  },
];

const UNIT_WORDS: Record<string, string> = { px: 'pixels', GiB: 'GiB', '%': 'percent' };

/** What a screen reader announces for a field: its label and, in words, its unit ("Image size in pixels"). */
export function accessibleName(f: FieldDef): string {
  return f.unit ? `${f.label} in ${UNIT_WORDS[f.unit] ?? f.unit}` : f.label;
}

export type FieldValues = Record<FieldId, string | boolean>;

const GIB = 1024 ** 3;

/** Control values for the given options (the result fills what the options leave to defaults). */
export function valuesFromOptions(o: AnalyzeOptions, r: AnalysisResult | null): FieldValues {
  const e = r?.estimates[0];
  const vram = o.gpu === undefined ? r?.gpu?.totalBytes : o.gpu?.totalBytes;
  return {
    batch: String(o.batch?.[0] ?? e?.batch ?? 16),
    imgsz: String(o.imgsz ?? e?.imgsz ?? 640),
    amp: o.amp ?? e?.amp ?? true,
    optimizer: o.optimizer ?? 'auto',
    vram: vram ? trimNumber(vram / GIB) : '',
    gpus: String(o.gpus ?? 1),
    margin: trimNumber((o.margin ?? r?.margin ?? 0.1) * 100),
    objects: o.objectsPerImage !== undefined ? String(o.objectsPerImage) : '',
    prune: trimNumber((o.pruneRatio ?? 0) * 100),
    deploy: o.deployPrecision ?? 'fp32',
  };
}

export interface ReadResult {
  patch: OptionsPatch;
  errors: Partial<Record<FieldId, string>>;
}

function parseNumber(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^[+]?\d*\.?\d+(e[+-]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Typed values → patch. A field with an error is left out of the patch (the last good value stays). */
export function readFields(v: FieldValues): ReadResult {
  const patch: OptionsPatch = {};
  const errors: ReadResult['errors'] = {};
  const B = OPTION_BOUNDS;
  const integer = (id: FieldId, min: number, max: number): number | undefined => {
    const n = parseNumber(String(v[id]));
    if (n === null || !Number.isInteger(n) || n < min || n > max) {
      errors[id] = `a whole number from ${min} to ${max}`;
      return undefined;
    }
    return n;
  };
  const percent = (id: FieldId, maxFraction: number): number | undefined => {
    const n = parseNumber(String(v[id]));
    if (n === null || n < 0 || n > maxFraction * 100) {
      errors[id] = `a percentage from 0 to ${maxFraction * 100}`;
      return undefined;
    }
    return n / 100;
  };
  const batch = integer('batch', B.batch.min, B.batch.max);
  if (batch !== undefined) patch.batch = batch;
  const imgsz = integer('imgsz', B.imgsz.min, B.imgsz.max);
  if (imgsz !== undefined) patch.imgsz = imgsz;
  patch.amp = v.amp === true;
  patch.optimizer = String(v.optimizer) as OptimizerChoice;
  const vramText = String(v.vram).trim();
  if (vramText === '') patch.gpuTotalBytes = null;
  else {
    const g = parseNumber(vramText);
    const bytes = g === null ? NaN : Math.round(g * GIB);
    if (!(bytes >= B.gpuTotalBytes.min && bytes <= B.gpuTotalBytes.max)) errors.vram = `GiB from ${trimNumber(B.gpuTotalBytes.min / GIB)} to ${B.gpuTotalBytes.max / GIB}, or empty`;
    else patch.gpuTotalBytes = bytes;
  }
  const gpus = integer('gpus', B.gpus.min, B.gpus.max);
  if (gpus !== undefined) patch.gpus = gpus;
  if (batch !== undefined && gpus !== undefined && batch % gpus !== 0) errors.batch = `must be a multiple of the GPU count (${gpus}) under DDP`;
  const margin = percent('margin', B.margin.max);
  if (margin !== undefined) patch.margin = margin;
  if (String(v.objects).trim() === '') patch.objectsPerImage = null;
  else {
    const objects = integer('objects', B.objectsPerImage.min, B.objectsPerImage.max);
    if (objects !== undefined) patch.objectsPerImage = objects;
  }
  const prune = percent('prune', B.pruneRatio.max);
  if (prune !== undefined) patch.pruneRatio = prune;
  patch.deployPrecision = String(v.deploy) as DeployPrecision;
  if (errors.batch) delete patch.batch;
  return { patch, errors };
}
