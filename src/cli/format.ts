// Human-readable CLI report: a per-module table grouped backbone / neck / head / loss, then the
// memory summary for each batch asked. `--layers` prints every training op instead of modules.

import { formatBytes, formatCount } from '../../webview/shared/format';
import { needsPhrase, verdictOf } from '../../webview/shared/memory';
import type { AnalysisResult, LayerRow } from '../core/result';

interface Row {
  key: string;
  type: string;
  group: string;
  shape: string;
  params: number;
  flops: number;
  activation: number;
}

function moduleRows(layers: LayerRow[]): Row[] {
  const rows = new Map<string, Row>();
  // a module's output shapes: those of its rows whose output leaves it (every level of a Detect
  // head), else its last row's
  const outputs = new Map<string, string[]>();
  for (const l of layers) {
    if (l.inferenceOnly) continue;
    const key = l.group === 'loss' ? 'loss' : l.module === null ? l.name : String(l.module);
    const r = rows.get(key) ?? { key, type: l.group === 'loss' ? 'loss' : l.moduleType || l.type, group: l.group, shape: '', params: 0, flops: 0, activation: 0 };
    r.params += l.params;
    r.flops += l.flops / Math.max(1, l.outputShape[0] ?? 1);
    r.activation += l.activationBytes;
    if (l.group !== 'loss') r.shape = `[${l.outputShape.join(',')}]`;
    if (l.group !== 'loss' && l.moduleOutput) {
      const shapes = outputs.get(key) ?? [];
      for (const sh of l.outputShapes ?? [l.outputShape]) if (sh.length && !shapes.includes(`[${sh.join(',')}]`)) shapes.push(`[${sh.join(',')}]`);
      outputs.set(key, shapes);
    }
    rows.set(key, r);
  }
  for (const [key, shapes] of outputs) if (shapes.length > 0) rows.get(key)!.shape = shapes.join(" ");
  return [...rows.values()];
}

function opRows(layers: LayerRow[]): Row[] {
  return layers.map((l) => ({
    key: String(l.index),
    type: l.type + (l.inferenceOnly ? ' (inference only)' : ''),
    group: l.group,
    shape: `[${l.outputShape.join(',')}]`,
    params: l.params,
    flops: l.flops / Math.max(1, l.outputShape[0] ?? 1),
    activation: l.activationBytes,
  }));
}

export function formatReport(r: AnalysisResult, opts: { allLayers: boolean }): string {
  const out: string[] = [];
  const m = r.model;
  out.push(`${m.name} (${m.format}${m.task ? `, ${m.task}` : ''}): ${formatCount(m.params)} parameters, ${m.gflops.toFixed(1)} GFLOPs per image at ${r.estimates[0]?.imgsz ?? '?'}`);
  const first = r.estimates[0];
  out.push(`per-${opts.allLayers ? 'op' : 'module'} memory at batch ${first.batchPerGpu}, ${first.amp ? 'AMP' : 'fp32'} (activations = tensors saved for backward)`);
  const all = [...r.layers, ...r.lossLayers];
  const listed = opts.allLayers ? opRows(all) : moduleRows(all);
  // one block per group, in model order (an export's module-less nodes sit between modules in the
  // file); in the module view, nodes outside every module that hold nothing are counted, not listed
  const order = ['backbone', 'neck', 'head', 'other', 'loss'];
  const empty = (r: Row) => r.group === 'other' && r.params === 0 && r.flops === 0 && r.activation === 0;
  const hiddenEmpty = opts.allLayers ? [] : listed.filter(empty);
  const rows = listed.filter((r) => opts.allLayers || !empty(r)).sort((a, b) => (order.indexOf(a.group) + 1 || 99) - (order.indexOf(b.group) + 1 || 99));
  const header = `  ${'#'.padStart(5)}  ${'module'.padEnd(22)} ${'output'.padEnd(20)} ${'params'.padStart(9)} ${'GFLOP/im'.padStart(8)} ${'activations'.padStart(12)}`;
  let group = '';
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      out.push(`\n${group}`);
      out.push(header);
    }
    out.push(
      `  ${row.key.padStart(5)}  ${row.type.slice(0, 22).padEnd(22)} ${(row.shape.length > 20 ? row.shape : row.shape.padEnd(20))} ${formatCount(row.params).padStart(9)} ${(row.flops / 1e9).toFixed(2).padStart(8)} ${formatBytes(row.activation).padStart(12)}`,
    );
  }
  if (hiddenEmpty.length) out.push(`\n${hiddenEmpty.length} nodes outside any module (${[...new Set(hiddenEmpty.map((r) => r.type))].join(', ')}) hold no parameters or activations: --layers lists them`);
  out.push('');
  const gpu = r.gpu ? `${r.gpu.name}, ${formatBytes(r.gpu.totalBytes)} (${r.gpu.source})` : 'unknown (no nvidia-smi; use --gpu-memory to plan for one)';
  out.push(`GPU: ${gpu}`);
  for (const e of r.estimates) {
    const b = e.bytes;
    const verdict =
      e.verdict === null ? '' : e.verdict === 'fits' ? '  fits' : e.verdict === 'tight' ? '  TIGHT: may not fit' : `  DOES NOT FIT (${e.limitedBy})`;
    out.push(`\nbatch ${e.batch}${e.batch !== e.batchPerGpu ? ` (${e.batchPerGpu} per GPU)` : ''}, imgsz ${e.imgsz}, ${e.amp ? 'AMP' : 'fp32'}, ${e.optimizer}:${verdict}`);
    // the decisive figure first, in the words the editor uses: what the run needs of the usable VRAM
    out.push(`  ${needsPhrase(e, r.gpu?.totalBytes, r.margin)}`);
    const parts: [string, number][] = [
      ['weights + buffers', b.weights],
      ['gradients', b.gradients],
      ['optimizer state', b.optimizerState],
      ['EMA copy', b.ema],
      ['activations', b.activations],
      ['loss + assigner', b.lossAndAssigner],
      ['workspaces', b.workspace],
      ['allocated (peak)', b.allocated],
      ['allocator overhead', b.allocatorOverhead],
      ['reserved (GPU_mem)', b.reserved],
      ['CUDA context', b.cudaContext],
      ['device (nvidia-smi)', b.device],
    ];
    for (const [k, v] of parts) out.push(`  ${k.padEnd(22)} ${formatBytes(v).padStart(11)}`);
    if (e.validationDevice !== null) out.push(`  ${'validation (2x batch)'.padEnd(22)} ${formatBytes(e.validationDevice).padStart(11)}`);
    out.push(`  ${'upper bound'.padEnd(22)} ${formatBytes(e.upper.reserved).padStart(11)} reserved, ${formatBytes(e.upper.device)} device`);
    if (e.verdictReason) out.push(`  ${e.verdict}: ${e.verdictReason}`);
    const over = overLine(e, r);
    if (over) out.push(over);
  }
  out.push(`
band: ${r.errorBand.note}`);
  if (r.dataset) {
    const d = r.dataset;
    out.push(`\ndataset ${d.source}: ${d.images === null ? 'not found locally' : `${d.images} images`}${d.sampled ? ` (${d.sampled})` : ''}`);
    if (d.objects) out.push(`  objects per image: max ${d.objects.max}, p99 ${d.objects.p99}, mean ${d.objects.mean.toFixed(1)}; label assigner sized for ${d.assignerObjects ?? '?'} boxes`);
    if (d.hostRam) {
      out.push(`  host RAM for the data pipeline: ${formatBytes(d.hostRam.totalBytes)} of ${formatBytes(d.hostRam.freeRamBytes)} free (${d.hostRam.verdict})`);
      for (const t of d.hostRam.terms) out.push(`    ${t.label.padEnd(36)} ${formatBytes(t.bytes).padStart(11)}`);
    }
  }
  if (r.maxBatch !== null) {
    out.push(`\n${maxBatchLine(r)}`);
    if (r.maxBatchTight !== null && r.maxBatchTight !== undefined && r.maxBatchTight > r.maxBatch) out.push(`largest batch that may fit: ${r.maxBatchTight} (the estimate fits, its upper bound does not)`);
  }
  for (const a of r.assumptions) out.push(`note: ${a}`);
  for (const n of m.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}

/** The max-batch line in words: "≥ N" when the search stopped at its limit, and no "0". */
export function maxBatchLine(r: AnalysisResult): string {
  const margin = `with a ${(r.margin * 100).toFixed(0)}% margin`;
  if (r.maxBatch === 0) return `no batch fits at imgsz ${r.estimates[0]?.imgsz ?? '?'} ${margin}: not even ${r.estimates[0] && r.estimates[0].batch !== r.estimates[0].batchPerGpu ? 'one image per GPU' : 'batch 1'}`;
  const surely = r.maxBatchTight !== undefined ? ' (surely: its upper bound fits)' : '';
  return `largest batch that fits ${margin}: ${r.maxBatchAtLeast ? `≥ ${r.maxBatch} (the most the estimator evaluates at this image size)` : r.maxBatch}${surely}`;
}

/** For an estimate that does not fit: what it needs and how far over the usable memory that is. */
function overLine(e: AnalysisResult['estimates'][number], r: AnalysisResult): string | null {
  // over the usable memory means the estimate itself does not fit (a 'tight' run fits, its band may
  // not): the same judge as every other surface
  if (!r.gpu || verdictOf(e, r.gpu.totalBytes, r.margin) !== 'oom') return null;
  const usable = r.gpu.totalBytes * (1 - r.margin);
  const need = e.limitedBy === 'validation' && e.validationDevice !== null ? e.validationDevice : e.neededDevice;
  const what = e.limitedBy === 'validation' ? 'validation needs' : 'needs';
  // two decimals: a need of 12.05 GiB on a 12 GiB card must not read as the card's own size
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  return `  ${what} ${gib(need)} on the device: ${gib(need - usable)} over the ${gib(usable)} usable (${gib(r.gpu.totalBytes)} less the ${(r.margin * 100).toFixed(0)}% margin)`;
}
