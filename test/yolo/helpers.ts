// Shared by the YOLO tests: where the test data is (test/data/, see its README) and the model totals
// the checks compare.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainGraph } from '../../src/core/graph/types';

export const FIXTURES = join(import.meta.dirname, '..', 'data');
export const YAML_DIR = join(FIXTURES, 'yaml');

export const readYamlFixture = (f: string) => readFileSync(join(YAML_DIR, f), 'utf8');

export interface GroundTruth {
  model_stats: { model: string; params: number; fused_params: number; fused_gflops_640: number; gflops_640: number }[];
  training_memory: { model: string; imgsz: number; batch: number; precision: string; param_count: number; buffer_bytes: number; trainable_param_bytes: number; saved_input_bytes: number }[];
  per_layer: {
    model: string;
    imgsz: number;
    batch: number;
    layers: { index: number | 'loss'; type: string; from?: number | number[]; output_shapes: number[][] | null; params: number; saved_activation_bytes: number }[];
  };
}

export function groundTruth(): GroundTruth {
  return JSON.parse(readFileSync(join(FIXTURES, 'ground_truth.json'), 'utf8'));
}

export interface Totals {
  params: number;
  trainable: number;
  /** BatchNorm channels: what fusing removes (2 per channel) and adds back as conv bias (1 per channel). */
  bnChannels: number;
  bnCount: number;
  /** Buffer bytes as PyTorch stores them: BN running stats fp32, num_batches_tracked int64. */
  bufferBytes: number;
  /** Parameters after Conv+BN fusion (what the official tables quote). */
  fusedParams: number;
  /** GFLOPs as thop counts them (conv and linear layers only, 2 x MACs), batch 1. */
  gflops: number;
  matmulGflops: number;
}

export function totals(g: TrainGraph): Totals {
  let params = 0;
  let trainable = 0;
  let bnChannels = 0;
  let bnCount = 0;
  let bnBuffers = 0;
  let otherBuffers = 0;
  let flops = 0;
  let mm = 0;
  for (const o of g.ops) {
    params += o.params;
    trainable += o.trainableParams;
    if (o.kind === 'batchnorm') {
      bnCount++;
      bnChannels += Number(o.attrs.channels);
      bnBuffers += o.buffers;
    } else otherBuffers += o.buffers;
    if (o.kind === 'conv2d' || o.kind === 'conv_transpose2d' || o.kind === 'linear') flops += o.flops;
    if (o.kind === 'matmul') mm += o.flops;
  }
  return {
    params,
    trainable,
    bnChannels,
    bnCount,
    bufferBytes: 4 * (bnBuffers - bnCount) + 8 * bnCount + 4 * otherBuffers,
    fusedParams: params - bnChannels,
    gflops: flops / g.batch / 1e9,
    matmulGflops: mm / g.batch / 1e9,
  };
}
