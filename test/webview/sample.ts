// A synthetic AnalysisResult for the view tests: shaped like the estimator's output, with totals
// that are consistent with the rows (group sums, layer count), so tests can check the views
// against it. The numbers are test data, not estimates.

import type { Group } from '../../src/core/graph/types';
import type { AnalysisResult, CurvePoint, LayerRow, TimelinePoint } from '../../src/core/result';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export function sampleLayers(n: number): LayerRow[] {
  const rows: LayerRow[] = [];
  const types = ['conv2d', 'batchnorm', 'silu', 'cat', 'upsample_nearest', 'maxpool2d'];
  for (let i = 0; i < n; i++) {
    const group: Group = i < n * 0.5 ? 'backbone' : i < n * 0.8 ? 'neck' : 'head';
    const type = types[i % types.length]!;
    const c = 16 << i % 4;
    const hw = 160 >> i % 3;
    rows.push({
      index: i,
      name: `/model.${Math.floor(i / 6)}/${type}_${i}`,
      type,
      source: type === 'conv2d' ? 'Conv' : type,
      module: Math.floor(i / 6),
      moduleType: group === 'head' ? 'Detect' : 'C2f',
      modulePath: `model.${Math.floor(i / 6)}`,
      group,
      outputShape: [16, c, hw, hw],
      params: type === 'conv2d' ? c * c * 9 : type === 'batchnorm' ? 2 * c : 0,
      flops: type === 'conv2d' ? 2 * c * c * 9 * hw * hw : c * hw * hw,
      outputBytes: 16 * c * hw * hw * 2,
      activationBytes: type === 'cat' ? 0 : 16 * c * hw * hw * 2 * ((i % 5) + 1),
    });
  }
  // Scale so the model saves about 3 GiB at batch 16, whatever the row count.
  const raw = rows.reduce((a, r) => a + r.activationBytes, 0);
  for (const r of rows) r.activationBytes = Math.round((r.activationBytes * 3 * GIB) / raw);
  return rows;
}

export function sampleResult(opts: { layers?: number; gpu?: boolean; batch?: number } = {}): AnalysisResult {
  const layers = sampleLayers(opts.layers ?? 60);
  const lossLayers: LayerRow[] = ['bce_with_logits', 'loss_terms'].map((type, k) => ({
    index: layers.length + k,
    name: `loss.${type}`,
    type,
    source: 'v8DetectionLoss',
    module: null,
    moduleType: 'v8DetectionLoss',
    modulePath: 'loss',
    group: 'loss',
    outputShape: [16, 8400, 80],
    params: 0,
    flops: 0,
    outputBytes: 16 * 8400 * 80 * 4,
    activationBytes: 16 * 8400 * 80 * 4,
  }));
  const batch = opts.batch ?? 16;
  const sum = (g: Group, k: 'params' | 'flops' | 'activationBytes') => layers.filter((l) => l.group === g).reduce((a, l) => a + l[k], 0);
  const params = layers.reduce((a, l) => a + l.params, 0);
  const activations = [...layers, ...lossLayers].reduce((a, l) => a + l.activationBytes, 0);
  const total = 8 * GIB;
  const margin = 0.1;
  const bytesAt = (b: number) => {
    const act = Math.round((activations * b) / batch);
    const allocated = params * 4 * 4 + act + 40 * MIB;
    const reserved = Math.round(allocated * 1.08);
    return { allocated, reserved, device: reserved + 300 * MIB + 64 * MIB };
  };
  const curve: CurvePoint[] = [];
  let maxBatch = 0;
  for (let b = 1; b <= 64; b++) {
    const m = bytesAt(b);
    const fits = m.device <= total * (1 - margin);
    if (fits) maxBatch = b;
    // the sample's band has no width (upper = the estimate): 'fits' and the central check agree
    curve.push({ batch: b, ...m, upperDevice: m.device, fits: opts.gpu === false ? null : fits, verdict: opts.gpu === false ? null : fits ? 'fits' : 'does-not-fit' });
  }
  const main = bytesAt(batch);
  const timeline: TimelinePoint[] = [];
  let live = params * 16;
  for (const l of layers) {
    live += l.activationBytes;
    timeline.push({ phase: 'forward', label: l.name, layer: l.index, liveBytes: live });
  }
  live += 40 * MIB;
  timeline.push({ phase: 'loss', label: 'loss', layer: null, liveBytes: live });
  for (const l of [...layers].reverse()) {
    live -= l.activationBytes;
    timeline.push({ phase: 'backward', label: l.name, layer: l.index, liveBytes: live });
  }
  timeline.push({ phase: 'optimizer', label: 'optimizer.step', layer: null, liveBytes: live + params * 4 });
  return {
    model: {
      name: 'yolov8n',
      source: 'builtin:yolov8n',
      format: 'builtin',
      task: 'detect',
      params,
      trainableParams: params - 16,
      buffers: 1000,
      gflops: 8.7,
      layers: layers.length,
      groups: [
        ...(['backbone', 'neck', 'head'] as const).map((g) => ({ group: g, params: sum(g, 'params'), flops: sum(g, 'flops'), activationBytes: sum(g, 'activationBytes') })),
        { group: 'loss' as const, params: 0, flops: 0, activationBytes: lossLayers.reduce((a, l) => a + l.activationBytes, 0) },
      ],
      notes: ['Built from the built-in yolov8n architecture.'],
    },
    gpu: opts.gpu === false ? null : { name: 'NVIDIA GeForce RTX 4060', totalBytes: total, source: 'nvidia-smi', usedBytes: 512 * MIB, freeBytes: total - 512 * MIB },
    estimates: [
      {
        batch,
        batchPerGpu: batch,
        imgsz: 640,
        amp: true,
        optimizer: 'sgd',
        bytes: {
          weights: params * 4,
          gradients: params * 4,
          optimizerState: params * 4,
          ema: params * 4,
          activations,
          lossAndAssigner: 40 * MIB,
          workspace: 64 * MIB,
          allocatorOverhead: main.reserved - main.allocated,
          allocated: main.allocated,
          reserved: main.reserved,
          cudaContext: 300 * MIB,
          device: main.device,
        },
        neededDevice: main.device,
        validationDevice: Math.round(main.device * 0.6),
        fits: opts.gpu === false ? null : main.device <= total * (1 - margin),
        limitedBy: opts.gpu === false || main.device <= total * (1 - margin) ? null : 'train',
        verdict: opts.gpu === false ? null : main.device <= total * (1 - margin) ? 'fits' : 'does-not-fit',
        upper: { reserved: main.reserved, device: main.device },
        verdictReason: opts.gpu === false || main.device <= total * (1 - margin) ? null : 'the estimate itself is above the usable memory',
      },
    ],
    schemaVersion: 2,
    maxBatch: opts.gpu === false ? null : maxBatch,
    maxBatchTight: opts.gpu === false ? null : maxBatch,
    errorBand: { knowledge: 'assumed', factor: 1, coverage: 0.9, runs: 0, note: 'sample band' },
    margin,
    layers,
    lossLayers,
    curve,
    timeline,
    dataset: null,
    deployment: { precision: 'fp16', fusedParams: params, weightBytes: { fp32: params * 4, fp16: params * 2, int8: params }, inferenceActivationBytes: 6 * MIB },
    assumptions: ['optimizer=auto resolved to SGD (more than 10,000 iterations)', '100 objects per image'],
  };
}
