// Measurements kept across sessions in the extension's global storage (globalState), keyed by
// machine, GPU, driver, versions, model and settings (see core/measure/calibration.ts).
import type * as vscode from 'vscode';
import { contextKey, upsertMeasurement, type MeasurementContext, type StoredMeasurement } from '../../core/measure/calibration';

const KEY = 'yoloMemory.measurements.v1';

export class MeasurementStore {
  constructor(private readonly memento: vscode.Memento) {}

  all(): StoredMeasurement[] {
    const v = this.memento.get<unknown>(KEY);
    return Array.isArray(v) ? (v as StoredMeasurement[]).filter((s) => s && typeof s === 'object' && s.context && typeof s.batch === 'number') : [];
  }

  async add(s: StoredMeasurement): Promise<void> {
    await this.memento.update(KEY, upsertMeasurement(this.all(), s));
  }

  /** Measurements of this model on this machine, any GPU (the hover picks the matching one). */
  find(match: (c: MeasurementContext, batch: number) => boolean): StoredMeasurement[] {
    return this.all().filter((s) => match(s.context, s.batch));
  }

  exact(context: MeasurementContext, batch: number): StoredMeasurement | undefined {
    const key = contextKey(context);
    return this.all().find((s) => s.batch === batch && contextKey(s.context) === key);
  }

  async clear(): Promise<number> {
    const n = this.all().length;
    await this.memento.update(KEY, undefined);
    return n;
  }
}
