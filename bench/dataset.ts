// Dataset scan benchmark: `node --import tsx bench/dataset.ts [images=100000]`.
// Writes a synthetic YOLO dataset under the OS temp folder (tiny PNG headers, 1–6 box lines per
// label file, 5 % background images without a label file), scans it with the default budgets and
// with an unlimited one, reports time, files per second and the worst event-loop stall, and
// deletes the dataset. The first scan runs right after writing, so the page cache is warm: the
// numbers are the scan's own cost, not the disk's. Numbers land in docs/benchmarks.md ("Dataset scan").
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_BUDGET_MS, DEFAULT_MAX_FILES, scanSources } from '../src/core/dataset/scan';
import type { DatasetStats } from '../src/core/dataset/types';

const N = Number(process.argv[2] ?? 100_000);
const PER_DIR = 10_000;

function pngHeader(w: number, h: number): Buffer {
  const b = Buffer.alloc(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b[24] = 8;
  b[25] = 2;
  return b;
}

function generate(root: string): number {
  const t0 = performance.now();
  const sizes = [pngHeader(640, 480), pngHeader(1280, 720), pngHeader(500, 375)];
  for (let i = 0; i < N; i++) {
    const sub = `part${Math.floor(i / PER_DIR)}`;
    if (i % PER_DIR === 0) {
      mkdirSync(join(root, 'images/train', sub), { recursive: true });
      mkdirSync(join(root, 'labels/train', sub), { recursive: true });
    }
    writeFileSync(join(root, 'images/train', sub, `${i}.png`), sizes[i % 3]);
    if (i % 20 === 0) continue; // background image: no label file
    const k = 1 + (i % 6);
    let text = '';
    for (let j = 0; j < k; j++) text += `${j % 80} 0.${(i + j) % 9}5 0.5 0.1 0.2\n`;
    writeFileSync(join(root, 'labels/train', sub, `${i}.txt`), text);
  }
  return performance.now() - t0;
}

async function timed(label: string, root: string, opts: Parameters<typeof scanSources>[1]): Promise<DatasetStats> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const s = await scanSources({ split: 'train', sources: [join(root, 'images/train')], nc: 80, kptShape: null }, { noCache: true, ...opts });
  const ms = performance.now() - t0;
  h.disable();
  const scanned = s.sampled ? s.sampled.scanned : s.images;
  console.log(
    `${label.padEnd(38)} ${ms.toFixed(0).padStart(6)} ms  listed ${s.images}  read ${scanned} (label + header each)  ` +
      `objects ${s.objects.total} max ${s.objects.max}  event-loop delay p50 ${(h.percentile(50) / 1e6).toFixed(1)} / p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms`,
  );
  return s;
}

async function main() {
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const root = mkdtempSync(join(tmpdir(), 'yolo-ds-bench-'));
  try {
    const gen = generate(root);
    console.log(`generated ${N} images + ${N - Math.ceil(N / 20)} label files in ${(gen / 1000).toFixed(1)} s under ${root}`);
    // First pass warms the page cache (the scan's speed on a cold disk depends on the disk).
    await timed('first scan (unlimited)', root, { budgetMs: 600_000, maxFiles: Infinity });
    await timed(`defaults (${DEFAULT_BUDGET_MS} ms, ${DEFAULT_MAX_FILES} files)`, root, {});
    const full = await timed('unlimited budget', root, { budgetMs: 600_000, maxFiles: Infinity });
    await timed('unlimited, io async (slow-disk mode)', root, { budgetMs: 600_000, maxFiles: Infinity, io: 'async' });
    await timed('listing only (maxFiles 1)', root, { maxFiles: 1 });
    await timed('maxFiles 20000', root, { maxFiles: 20_000 });
    await timed('budget 1000 ms', root, { budgetMs: 1000 });
    const bg = full.missingLabels;
    if (bg !== Math.ceil(N / 20)) throw new Error(`expected ${Math.ceil(N / 20)} background images, got ${bg}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
