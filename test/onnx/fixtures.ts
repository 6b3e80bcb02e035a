// Locates /work/shared/fixtures as ../shared/fixtures from the repo root; tests skip with a clear
// message when it is absent (the fixtures are never copied into the repo).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
export const MODELS = join(FIXTURES, 'models');
export const haveFixtures = existsSync(join(MODELS, 'yolov8n-640-static.onnx'));
export const skipNoFixtures = haveFixtures ? false : `fixtures not found at ${FIXTURES} (expected ../shared/fixtures next to the repo)`;

export interface FixtureFacts {
  file: string;
  bytes: number;
  nodes: number;
  initializers: number;
  initializer_elements: number;
  inputs: Record<string, (number | string)[]>;
  outputs: Record<string, (number | string)[]>;
  op_types: Record<string, number>;
  metadata_keys: string[];
}

export function groundTruth(): { onnx_fixtures: FixtureFacts[]; model_stats: { model: string; fused_params: number; fused_gflops_640: number }[] } {
  return JSON.parse(readFileSync(join(FIXTURES, 'ground_truth.json'), 'utf8'));
}

export const modelPath = (f: string) => join(MODELS, f);
