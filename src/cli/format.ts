// Human-readable CLI report: a per-module table grouped backbone / neck / head / loss, then the
// memory summary for each batch asked. `--layers` prints every training op instead of modules.

import { formatBytes, formatCount } from '../../webview/shared/format';
import { needsPhrase } from '../../webview/shared/memory';
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
  for (const l of layers) {
    if (l.inferenceOnly) continue;
    const key = l.group === 'loss' ? 'loss' : l.module === null ? l.name : String(l.module);
    const r = rows.get(key) ?? { key, type: l.group === 'loss' ? 'loss' : l.moduleType || l.type, group: l.group, shape: '', params: 0, flops: 0, activation: 0 };
    r.params += l.params;
    r.flops += l.flops / Math.max(1, l.outputShape[0] ?? 1);
    r.activation += l.activationBytes;
    if (l.group !== 'loss') r.shape = `[${l.outputShape.join(',')}]`;
    rows.set(key, r);
  }
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
  const rows = opts.allLayers ? opRows(all) : moduleRows(all);
  const header = `  ${'#'.padStart(5)}  ${'module'.padEnd(22)} ${'output'.padEnd(20)} ${'params'.padStart(9)} ${'GFLOP/im'.padStart(8)} ${'activations'.padStart(12)}`;
  let group = '';
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      out.push(`\n${group}`);
      out.push(header);
    }
    out.push(
      `  ${row.key.padStart(5)}  ${row.type.slice(0, 22).padEnd(22)} ${row.shape.slice(0, 20).padEnd(20)} ${formatCount(row.params).padStart(9)} ${(row.flops / 1e9).toFixed(2).padStart(8)} ${formatBytes(row.activation).padStart(12)}`,
    );
  }
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
    out.push(`\nlargest batch that fits with a ${(r.margin * 100).toFixed(0)}% margin: ${r.maxBatch} (surely: its upper bound fits)`);
    if (r.maxBatchTight !== null && r.maxBatchTight > r.maxBatch) out.push(`largest batch that may fit: ${r.maxBatchTight} (the estimate fits, its upper bound does not)`);
  }
  for (const a of r.assumptions) out.push(`note: ${a}`);
  for (const n of m.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}
