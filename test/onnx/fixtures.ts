// The ONNX test models and their facts, kept in the repository (test/data/, see its README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'data');
export const MODELS = join(FIXTURES, 'models');

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
