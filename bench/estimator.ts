// Estimator benchmark: what one hover or panel refresh costs in the worker. For each model:
//  - open: read and parse the model once (YAML/built-in tables, or ONNX + shape inference);
//  - one batch: build the training graph + loss, replay one step through the allocator model;
//  - full analysis: the batch asked, max batch (doubling + bisection) and the memory-vs-batch curve.
// Median of N warm runs on a 24 GiB GPU with AMP. No timed unit tests: the figures go to docs.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { analyze } from '../src/core/analyze';
import { openModel } from '../src/core/model-source';
import { timeAsync } from './timing';

const FIXTURES = join(import.meta.dirname, '..', 'test', 'data', 'models');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GPU = { name: 'NVIDIA GeForce RTX 4090', totalBytes: 24564 * 2 ** 20, source: 'preset' };

export async function benchEstimator(): Promise<void> {
  const models = ['yolov8n', 'yolov8x', 'yolo11n', 'yolo11x-seg', 'yolov5s'];
  const onnx = join(FIXTURES, 'yolov8n-640-static.onnx');
  if (existsSync(onnx)) models.push(onnx);
  console.log(`\n## Estimator (median of ${RUNS} warm runs, AMP, 24 GiB GPU)\n`);
  console.log('| model | open ms | one batch ms | full analysis ms | max batch | curve points |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const m of models) {
    const open = await timeAsync(() => openModel(m), RUNS);
    const source = await openModel(m);
    const one = await timeAsync(() => analyze({ model: m, batch: [16], curveMax: 1 }, { source }), RUNS);
    let r: Awaited<ReturnType<typeof analyze>> | null = null;
    const full = await timeAsync(async () => {
      r = await analyze({ model: m, batch: [16], gpu: GPU }, { source });
    }, RUNS);
    const label = m.includes('/') ? m.split('/').pop() : m;
    console.log(`| ${label} | ${open.toFixed(1)} | ${one.toFixed(0)} | ${full.toFixed(0)} | ${r!.maxBatch} | ${r!.curve.length} |`);
  }
}
