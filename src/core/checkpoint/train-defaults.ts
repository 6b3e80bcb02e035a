// A checkpoint's train_args / opt fill in what the caller left unset (imgsz, batch, optimizer,
// amp): the run that made best.pt is the best guess for the next one. Each value taken gets a note
// naming where it came from; values the estimator cannot model are named and left out.
import type { AnalyzeOptions, OptimizerChoice } from '../options';
import type { CheckpointInfo } from './interpret';

export interface TrainDefaults {
  /** Where the values come from, e.g. "best.pt's train_args". */
  from: string;
  imgsz?: number;
  batch?: number;
  optimizer?: OptimizerChoice;
  amp?: boolean;
  /** Recorded values that could not be used, with why. */
  skipped: string[];
}

const OPTIMIZERS: Record<string, OptimizerChoice> = { auto: 'auto', sgd: 'sgd', adam: 'adam', adamw: 'adamw' };

export function trainDefaultsFrom(info: CheckpointInfo): TrainDefaults | null {
  const a = info.trainArgs;
  if (!a || !info.trainArgsKey) return null;
  const out: TrainDefaults = { from: `${info.file}'s ${info.trainArgsKey}`, skipped: [] };
  if (a.imgsz !== undefined) {
    if (a.imgsz % 32 === 0) out.imgsz = a.imgsz;
    else out.skipped.push(`imgsz ${a.imgsz} is not a multiple of 32`);
  }
  if (a.batch !== undefined) out.batch = a.batch;
  if (a.optimizer !== undefined) {
    const o = OPTIMIZERS[a.optimizer.toLowerCase()];
    if (o) out.optimizer = o;
    else out.skipped.push(`optimizer ${a.optimizer} is not modelled`);
  }
  if (a.amp !== undefined) out.amp = a.amp;
  return out;
}

/** `options` with the checkpoint's values where it has none, and a note for each value taken. */
export function withTrainDefaults<T extends AnalyzeOptions>(options: T, d: TrainDefaults | null | undefined): { options: T; notes: string[] } {
  if (!d) return { options, notes: [] };
  const out = { ...options };
  const notes: string[] = [];
  if (out.imgsz === undefined && d.imgsz !== undefined) {
    out.imgsz = d.imgsz;
    notes.push(`imgsz ${d.imgsz} from ${d.from}`);
  }
  if ((out.batch === undefined || out.batch.length === 0) && d.batch !== undefined) {
    out.batch = [d.batch];
    notes.push(`batch ${d.batch} from ${d.from}`);
  }
  if (out.optimizer === undefined && d.optimizer !== undefined) {
    out.optimizer = d.optimizer;
    notes.push(`optimizer ${d.optimizer === 'auto' ? 'auto' : d.optimizer.toUpperCase().replace('ADAMW', 'AdamW').replace('ADAM', 'Adam')} from ${d.from}`);
  }
  if (out.amp === undefined && d.amp !== undefined) {
    out.amp = d.amp;
    notes.push(`AMP ${d.amp ? 'on' : 'off'} from ${d.from}`);
  }
  for (const s of d.skipped) notes.push(`${d.from}: ${s}, not used`);
  return { options: out, notes };
}
