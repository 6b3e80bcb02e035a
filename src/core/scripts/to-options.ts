// Turns a training run found in a script into estimator options, so "estimate this run" uses the
// script's own batch, image size, model, AMP and GPU count. Only known values are passed on;
// unknown ones are left to the estimator's defaults and listed in `notes`.

import type { AnalyzeOptions, OptimizerChoice } from '../options';
import type { TrainingRun } from './types';
import { deviceGpuCount } from './values';

const OPTIMIZERS: Record<string, OptimizerChoice> = { auto: 'auto', sgd: 'sgd', adam: 'adam', adamw: 'adamw' };

export function runToAnalyzeOptions(run: TrainingRun): { options: Partial<AnalyzeOptions>; notes: string[] } {
  const s = run.settings;
  const options: Partial<AnalyzeOptions> = {};
  const notes: string[] = [];
  const unknown = (key: string, note?: string) => notes.push(`${key} is not known from the script${note ? ` (${note})` : ''}; the estimator's default is used`);

  if (s.model) {
    if (s.model.value) options.model = s.model.value;
    else unknown('model', s.model.note);
  }
  if (s.imgsz) {
    if (s.imgsz.value !== null && Number.isInteger(s.imgsz.value) && s.imgsz.value > 0) options.imgsz = s.imgsz.value;
    else unknown('imgsz', s.imgsz.note);
  }
  if (s.batch) {
    const b = s.batch.value;
    if (b !== null && Number.isInteger(b) && b >= 1) options.batch = [b];
    else if (b !== null && (b === -1 || (b > 0 && b < 1))) notes.push('the script uses AutoBatch: see the largest batch that fits instead');
    else unknown('batch', s.batch.note);
  }
  if (s.amp) {
    if (s.amp.value !== null) options.amp = s.amp.value;
    else unknown('amp', s.amp.note);
  }
  if (s.optimizer) {
    const o = s.optimizer.value === null ? undefined : OPTIMIZERS[s.optimizer.value.toLowerCase()];
    if (o) options.optimizer = o;
    else if (s.optimizer.value !== null) notes.push(`optimizer ${s.optimizer.value} is not modelled; the estimator's default is used`);
    else unknown('optimizer', s.optimizer.note);
  }
  if (s.epochs?.value != null) options.epochs = s.epochs.value;
  if (s.device) {
    const n = deviceGpuCount(s.device.value);
    if (n === 0) notes.push(`the script trains on ${s.device.value}, not on a GPU`);
    else if (n !== null && n > 1) options.gpus = n;
    else if (n === null) unknown('device', s.device.note);
  }
  if (run.kind === 'dataloader') notes.push('a DataLoader batch size is per process, whatever the model');
  return { options, notes };
}
