// Reads the calibration set from test/data/public-runs/ (relative to the repository root): every
// *.csv with the runs header, and datasets.csv. The digest ties error-model.json to these exact files.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CalibrationFiles } from './evaluate';

export const CALIBRATION_DIR = 'test/data/public-runs';

export function readCalibrationFiles(root: string): { files: CalibrationFiles; digest: string; names: string[] } {
  const dir = join(root, CALIBRATION_DIR);
  if (!existsSync(dir)) throw new Error(`${CALIBRATION_DIR}/ not found: the calibration set is not in this checkout`);
  const names = readdirSync(dir).filter((n) => n.endsWith('.csv')).sort();
  const hash = createHash('sha256');
  const runs: Record<string, string> = {};
  let datasets: string | null = null;
  for (const n of names) {
    const text = readFileSync(join(dir, n), 'utf8');
    hash.update(`${n}\n${text}\n`);
    if (n === 'datasets.csv') datasets = text;
    else if (/^\s*id,/.test(text)) runs[n] = text;
  }
  if (!Object.keys(runs).length) throw new Error(`${CALIBRATION_DIR}/ holds no runs CSV (a file whose header starts with "id,")`);
  return { files: { runs, datasets }, digest: hash.digest('hex'), names };
}
