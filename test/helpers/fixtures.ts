// The test data kept in the repository (test/data/, described in test/data/README.md): the measured
// ground truth and the ONNX exports with their weights zeroed.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '..', 'data');

export function groundTruth(): any {
  return JSON.parse(readFileSync(join(FIXTURES, 'ground_truth.json'), 'utf8'));
}

export function fixtureModel(name: string): string {
  return join(FIXTURES, 'models', name);
}
