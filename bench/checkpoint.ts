// Checkpoint reader benchmark (part of `npm run bench`; alone: `node --import tsx bench/checkpoint.ts`).
// Reads the committed real checkpoints (Ultralytics 8.4.190, 4-6 MB) and synthetic torch.save
// archives written to the OS temp folder: N modules shaped like torch's pickled nn.Module (state
// dict with the hook dicts, _parameters, _buffers, _modules), each an Ultralytics Conv holding a
// Conv2d weight and a BatchNorm (weight, bias, running mean/var, num_batches_tracked), tensor bytes
// real (zero-filled). 150 modules of 160-224 channels are a 100 MiB file with ~750 tensors, like a
// YOLOv8l best.pt (87 MB, a data.pkl of the same order as the nano's: the module count does not
// grow with the scale); 600 modules are a stress case with 4x its pickle. Reported: warm median
// wall time and CPU time of readCheckpointFile (+ interpreting / walking the parameters), the bytes
// read from disk, and whether any read touched a tensor entry.
// Goal: a 100 MB checkpoint read in < 100 ms, without reading its tensor bytes.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileByteReader, interpretCheckpoint, readCheckpointFile, type ByteReader } from '../src/core/checkpoint';
import { countParameters } from '../src/core/checkpoint/plain';
import { dictGet } from '../src/core/checkpoint/values';
import { readZipDirectory } from '../src/core/checkpoint/zip';
import { instance, Pickle, pickleValue, tensor, torchZip } from '../test/checkpoint/writers';
import { time } from './timing';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const REAL = join(import.meta.dirname, '..', 'test', 'data', 'checkpoints');

const HOOKS = ['_backward_pre_hooks', '_backward_hooks', '_forward_hooks', '_forward_hooks_with_kwargs', '_forward_hooks_always_called', '_forward_pre_hooks', '_forward_pre_hooks_with_kwargs', '_state_dict_hooks', '_state_dict_pre_hooks', '_load_state_dict_pre_hooks', '_load_state_dict_post_hooks'];
const moduleState = (extra: Record<string, unknown>) => ({ training: false, ...Object.fromEntries(HOOKS.map((h) => [h, {}])), ...extra });

/** fp16 tensors in `modules` Conv + BN modules of base..base+64 channels. */
function synthetic(path: string, modules: number, base: number): void {
  const tensors: ReturnType<typeof tensor>[] = [];
  const t = (shape: number[]) => {
    const x = tensor(String(tensors.length), shape);
    tensors.push(x);
    return x;
  };
  const layers: Record<string, unknown> = {};
  for (let i = 0; i < modules; i++) {
    const c = base + (i % 3) * 32;
    const conv = instance('torch.nn.modules.conv', 'Conv2d', moduleState({ _parameters: { weight: t([c, c, 3, 3]), bias: null }, _buffers: {}, _modules: {}, in_channels: c, out_channels: c, kernel_size: [3, 3] }));
    const bn = instance('torch.nn.modules.batchnorm', 'BatchNorm2d', moduleState({ _parameters: { weight: t([c]), bias: t([c]) }, _buffers: { running_mean: t([c]), running_var: t([c]), num_batches_tracked: t([]) }, _modules: {}, eps: 0.001, momentum: 0.03 }));
    layers[String(i)] = instance('ultralytics.nn.modules.conv', 'Conv', moduleState({ _parameters: {}, _buffers: {}, _modules: { conv, bn, act: instance('torch.nn.modules.activation', 'SiLU', moduleState({ _parameters: {}, _buffers: {}, _modules: {}, inplace: true })) } }));
  }
  const model = instance('ultralytics.nn.tasks', 'DetectionModel', moduleState({ _parameters: {}, _buffers: {}, _modules: { model: instance('torch.nn.modules.container', 'Sequential', moduleState({ _parameters: {}, _buffers: {}, _modules: layers })) }, yaml: { nc: 3 } }));
  const pkl = pickleValue(new Pickle().proto(2), { date: '2026-12-02', version: '8.4.190', model, train_args: { imgsz: 640, batch: 16 } }).stop();
  writeFileSync(path, torchZip(pkl, tensors, 'synthetic'));
}

/** Reads through a reader that records every range, and checks none falls inside a tensor entry
 *  (a legacy file has no entries: its storages follow the pickles, inside the read window or not). */
function readAudit(path: string): { bytes: number; touchedTensor: boolean | null } {
  const inner = fileByteReader(path);
  const reads: [number, number][] = [];
  const counting: ByteReader = { size: inner.size, read: (o, n) => { const b = inner.read(o, n); reads.push([o, o + b.length]); return b; } };
  try {
    const raw = readCheckpointFile(path, counting);
    const bytes = reads.reduce((a, [s, f]) => a + f - s, 0);
    if (raw.format === 'legacy') return { bytes, touchedTensor: null };
    const dir = readZipDirectory(inner, 'audit');
    let touched = false;
    for (const e of dir.entries.filter((x) => x.name.includes('/data/'))) {
      const h = Buffer.from(inner.read(e.localOffset, 30));
      const start = e.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
      if (reads.some(([s, f]) => s < start + e.compressedSize && f > start)) touched = true;
    }
    return { bytes, touchedTensor: touched };
  } finally {
    inner.close();
  }
}

export function benchCheckpoint(): void {
  const rows: string[] = [];
  const row = (label: string, path: string, walk: (p: string) => void) => {
    const size = fileByteReader(path);
    const mib = size.size / 2 ** 20;
    size.close();
    const raw = readCheckpointFile(path);
    const read = time(() => readCheckpointFile(path), RUNS);
    const full = time(() => walk(path), RUNS);
    // CPU time: on a shared machine the wall time also counts waiting for a core
    const c0 = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) walk(path);
    const c1 = process.cpuUsage(c0);
    const cpu = (c1.user + c1.system) / 1000 / RUNS;
    const audit = readAudit(path);
    rows.push(`| ${label} | ${mib.toFixed(1)} | ${(raw.pickleBytes / 1024).toFixed(0)} | ${read.toFixed(2)} | ${full.toFixed(2)} | ${cpu.toFixed(2)} | ${(audit.bytes / 1024).toFixed(0)} | ${audit.touchedTensor === null ? 'legacy: whatever the window covers' : audit.touchedTensor ? 'yes' : 'no'} |`);
  };
  for (const f of readdirSync(REAL).filter((n) => n.endsWith('.pt')).sort()) row(f, join(REAL, f), (p) => interpretCheckpoint(readCheckpointFile(p)));
  for (const [modules, base] of [[150, 160], [600, 64]]) {
    const path = join(tmpdir(), `yolo-mem-bench-${process.pid}.pt`);
    try {
      synthetic(path, modules, base);
      row(`synthetic, ${modules * 5} tensors`, path, (p) => countParameters(dictGet(readCheckpointFile(p).root, 'model') ?? null, 'bench'));
    } finally {
      rmSync(path, { force: true });
    }
  }
  console.log('\n## Checkpoint reader\n');
  console.log('| checkpoint | MiB | data.pkl KiB | read ms | read + interpret ms | CPU ms | read from disk KiB | tensor bytes read |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) console.log(r);
}

if (process.argv[1] && /checkpoint\.ts$/.test(process.argv[1])) benchCheckpoint();
