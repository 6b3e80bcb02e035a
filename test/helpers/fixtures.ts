// Where the shared fixtures live, and a skip reason when they are absent (a clone elsewhere).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
export const HAVE_FIXTURES = existsSync(join(FIXTURES, 'ground_truth.json'));
export const SKIP_NO_FIXTURES = HAVE_FIXTURES ? false : `../shared/fixtures not found at ${FIXTURES}: fixture tests skipped`;

export function groundTruth(): any {
  return JSON.parse(readFileSync(join(FIXTURES, 'ground_truth.json'), 'utf8'));
}

export function fixtureModel(name: string): string {
  return join(FIXTURES, 'models', name);
}
