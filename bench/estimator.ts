// Estimator benchmark: what one hover or panel refresh costs in the worker. For each model:
//  - open: read and parse the model once (YAML/built-in tables, or ONNX + shape inference);
//  - one batch: build the training graph + loss, replay one step through the allocator model;
//  - full analysis: the batch asked, max batch (doubling + bisection) and the memory-vs-batch curve;
//    "traced" traces the graphs at every batch size (as before batch scaling), "scaled" traces two and
//    scales the rest (memory/batch-scaling.ts): the same numbers, measured here in the same run.
// Median of N warm runs on a 24 GiB GPU with AMP, wall clock and this process's CPU time (on a busy
// machine the wall clock includes waiting for a core; the CPU time does not). No timed unit tests:
// the figures go to docs.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { analyze } from '../src/core/analyze';
import { openModel } from '../src/core/model-source';
import { median, timeAsync } from './timing';

const FIXTURES = join(import.meta.dirname, '..', 'test', 'data', 'models');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const GPU = { name: 'NVIDIA GeForce RTX 4090', totalBytes: 24564 * 2 ** 20, source: 'preset' };

export async function benchEstimator(): Promise<void> {
  const models = ['yolov8n', 'yolov8x', 'yolo11n', 'yolo11x-seg', 'yolov5s'];
  const onnx = join(FIXTURES, 'yolov8n-640-static.onnx');
  if (existsSync(onnx)) models.push(onnx);
  console.log(`\n## Estimator (median of ${RUNS} warm runs, AMP, 24 GiB GPU; wall ms, CPU ms in brackets)\n`);
  console.log('"New model" opens a fresh source each run, so nothing is remembered from the run before (the first');
  console.log('analysis after opening a file or changing imgsz); "what-if" re-analyses the same source at a batch it');
  console.log('has not seen (a panel edit or a hover after an edit: the search and the curve are remembered, memory/step-memo.ts).\n');
  console.log('| model | open ms | one batch, new model | full analysis, new model, traced | full analysis, new model, scaled | what-if: new batch, full analysis | max batch | curve points |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of models) {
    const open = await timeAsync(() => openModel(m), RUNS);
    const one = await timeWithCpu(async () => analyze({ model: m, batch: [16], curveMax: 1 }, { source: await openModel(m) }), RUNS);
    let r: Awaited<ReturnType<typeof analyze>> | null = null;
    const full = async (traceEveryBatch: boolean) =>
      timeWithCpu(async () => {
        r = await analyze({ model: m, batch: [16], gpu: GPU }, { source: await openModel(m), traceEveryBatch });
      }, RUNS);
    const traced = await full(true);
    const scaled = await full(false);
    const source = await openModel(m);
    let next = 16;
    const whatIf = await timeWithCpu(async () => analyze({ model: m, batch: [++next], gpu: GPU }, { source }), RUNS);
    const label = m.includes('/') ? m.split('/').pop() : m;
    const cell = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(t.wall < 10 ? 1 : 0)} (${t.cpu.toFixed(t.cpu < 10 ? 1 : 0)})`;
    console.log(`| ${label} | ${open.toFixed(1)} | ${cell(one)} | ${cell(traced)} | ${cell(scaled)} | ${cell(whatIf)} | ${r!.maxBatch} | ${r!.curve.length} |`);
  }
}

/** Median wall-clock and CPU milliseconds of `runs` warm runs (five warm-ups: the first model's
 *  first runs also pay for compiling the estimator). */
async function timeWithCpu(fn: () => Promise<unknown>, runs: number): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}
