// Compares the figures scripts/device/train_memory.py measured on a GPU with yolo-mem's estimate
// for the same model, batch, image size and precision. Run from the project root after a build:
//
//   node scripts/device/compare.mjs path/to/train-memory.json [path/to/exported.onnx] [--markdown]
//
// Each measured run is estimated twice: from the ONNX file the device exported (the model as a
// user would point the extension at it) and from the built-in `yolov8n-cls` (the YAML path).
// "measured" figures are read from the JSON, never adjusted here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MIB = 2 ** 20;
const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const [jsonPath, onnxPath] = args.filter((a) => !a.startsWith('--'));
if (!jsonPath) {
  console.error('usage: node scripts/device/compare.mjs train-memory.json [model.onnx] [--markdown]');
  process.exit(2);
}
const data = JSON.parse(readFileSync(jsonPath, 'utf8'));

/** The GPU the runs measured, by name when yolo-mem knows it (its CUDA context depends on the model). */
function gpuArgs(totalMiB) {
  const name = (data.smiQueryCsv?.stdout ?? '').split(',')[1]?.trim() ?? '';
  return /H100 80GB HBM3/.test(name) ? ['--gpu', 'h100'] : ['--gpu-memory', `${totalMiB}MiB`];
}

function estimate(model, run, totalMiB) {
  const cli = ['dist/cli.js', 'estimate', model, '--imgsz', String(run.imgsz), '--batch', String(run.batch), run.amp ? '--amp' : '--no-amp', '--optimizer', 'sgd', ...gpuArgs(totalMiB), '--json'];
  return JSON.parse(execFileSync(process.execPath, cli, { encoding: 'utf8', maxBuffer: 64 * MIB }));
}

/** The steady state: iterations after the first optimizer step (momentum buffers exist). */
function measured(run) {
  const steady = run.steps.filter((s) => s.iter >= run.accumulate);
  const peak = Math.max(...steady.map((s) => s.peakAllocated));
  const reserved = Math.max(...steady.map((s) => s.peakReserved));
  const processMiB = run.smiProcessAfterStepsMiB ?? run.smiAfterStepsMiB - run.smiBeforeMiB;
  const contextMiB = run.smiProcessAfterInitMiB ?? run.smiAfterInitMiB - run.smiBeforeMiB;
  return {
    peak,
    reserved,
    device: processMiB * MIB,
    // what nvidia-smi shows beyond the caching allocator once cuDNN/cuBLAS kernels are loaded
    nonAllocator: processMiB * MIB - reserved,
    contextAtInit: contextMiB * MIB,
    saved: run.savedBytes - run.savedParamBytes,
  };
}

const pct = (est, real) => `${(((est - real) / real) * 100).toFixed(1)}%`;
const mib = (b) => (b / MIB).toFixed(0);

const rows = [];
for (const run of data.runs) {
  if (run.error) {
    rows.push({ run, error: run.error });
    continue;
  }
  const m = measured(run);
  const totalMiB = run.smiTotalMiB;
  const fromOnnx = onnxPath ? estimate(onnxPath, run, totalMiB).estimates[0].bytes : null;
  const fromYaml = estimate('yolov8n-cls', run, totalMiB).estimates[0].bytes;
  rows.push({ run, m, fromOnnx, fromYaml });
}

if (markdown) {
  console.log('| imgsz | batch | AMP | saved for backward: measured / est. (err) | peak allocated: measured / est. (err) | reserved: measured / est. (err) | nvidia-smi (process): measured / est. (err) | outside the allocator, measured | ONNX vs YAML estimate (allocated) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { run, m, fromOnnx, fromYaml, error } of rows) {
    if (error) {
      console.log(`| ${run.imgsz} | ${run.batch} | ${run.amp ? 'on' : 'off'} | error: ${String(error).split('\n')[0]} | | | | | |`);
      continue;
    }
    const e = fromYaml;
    const act = e.activations + e.lossAndAssigner;
    console.log(
      `| ${run.imgsz} | ${run.batch} | ${run.amp ? 'on' : 'off'} | ${mib(m.saved)} / ${mib(act)} MiB (${pct(act, m.saved)}) | ${mib(m.peak)} / ${mib(e.allocated)} MiB (${pct(e.allocated, m.peak)}) | ${mib(m.reserved)} / ${mib(e.reserved)} MiB (${pct(e.reserved, m.reserved)}) | ${mib(m.device)} / ${mib(e.device)} MiB (${pct(e.device, m.device)}) | ${mib(m.nonAllocator)} MiB | ${fromOnnx ? pct(fromOnnx.allocated, e.allocated) : 'n/a'} |`,
    );
  }
} else {
  for (const { run, m, fromOnnx, fromYaml, error } of rows) {
    const head = `imgsz ${run.imgsz} batch ${run.batch} amp ${run.amp ? 'on ' : 'off'}`;
    if (error) {
      console.log(`${head}: error ${String(error).split('\n')[0]}`);
      continue;
    }
    const e = fromYaml;
    console.log(`${head}: saved ${mib(m.saved)} vs ${mib(e.activations + e.lossAndAssigner)} | peak ${mib(m.peak)} vs ${mib(e.allocated)} (${pct(e.allocated, m.peak)}) | reserved ${mib(m.reserved)} vs ${mib(e.reserved)} (${pct(e.reserved, m.reserved)}) | smi ${mib(m.device)} vs ${mib(e.device)} (${pct(e.device, m.device)}) | outside allocator ${mib(m.nonAllocator)}, at init ${mib(m.contextAtInit)}${fromOnnx ? ` | onnx allocated ${mib(fromOnnx.allocated)} (${pct(fromOnnx.allocated, e.allocated)} vs yaml)` : ''}`);
  }
}
