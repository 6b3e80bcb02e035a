// Reader + shape-inference benchmark (`npm run bench`). Times, warm and as the median of N runs:
// parse alone, parse + shape inference, and onnxruntime-node InferenceSession creation on the same
// file, for each fixture and for a large synthetic model (≥ 250 MB of inline weights, ≥ 2,000
// nodes). Heap growth is the V8 heap (plus ArrayBuffers) allocated by one parse + inference.
// Goals: yolov8n fixture < 30 ms warm; synthetic < 300 ms and < 64 MB heap growth.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeModel } from '../src/core/onnx/decode';
import { readOnnxFile } from '../src/core/onnx/index';
import { fileSource } from '../src/core/onnx/source';
import { WireReader } from '../src/core/onnx/wire';
import { inferShapes } from '../src/core/shape/index';
import { loadProtobufjs } from './protobufjs';
import { syntheticModel } from './synthetic';
import { benchCheckpoint } from './checkpoint';
import { benchEstimator } from './estimator';
import { benchNotebookScan } from './notebook-scan';
import { benchHostCost } from './host-cost';
import { benchScaling } from './scaling';
import { time, timeAsync } from './timing';

process.env.ONNXRUNTIME_NODE_INSTALL ??= 'skip';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FIXTURES = join(import.meta.dirname, '..', 'test', 'data', 'models');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);



/** Bytes allocated on the V8 heap and in ArrayBuffers while `fn` runs once (no GC in between). */
function heapGrowth(fn: () => unknown): { heap: number; buffers: number; retained: unknown } {
  gc();
  const a = process.memoryUsage();
  const retained = fn();
  const b = process.memoryUsage();
  return { heap: b.heapUsed - a.heapUsed, buffers: b.arrayBuffers - a.arrayBuffers, retained };
}

function bytesReadFromDisk(path: string): number {
  const src = fileSource(path);
  try {
    decodeModel({ r: new WireReader(src, 'bench'), file: 'bench', baseDir: null, sizes: new Map(), nodeCount: 0, depth: 0 });
    return src.bytesRead;
  } finally {
    src.close();
  }
}

const mb = (n: number) => (n / 2 ** 20).toFixed(1);
const ms = (n: number) => n.toFixed(2);

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
  const pbjs = loadProtobufjs();
  const files: { label: string; path: string; bindings: object }[] = [];
  if (existsSync(FIXTURES)) for (const f of readdirSync(FIXTURES).sort()) files.push({ label: f, path: join(FIXTURES, f), bindings: {} });
  else console.log(`fixtures not found at ${FIXTURES}: only the synthetic model is measured`);
  const dir = join(tmpdir(), 'yolo-mem-bench');
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const syn = syntheticModel(dir);
  console.log(`synthetic model: ${syn.path}, ${mb(syn.bytes)} MiB, ${syn.nodes} nodes, ${mb(syn.initializerBytes)} MiB of initializers (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  files.push({ label: `synthetic (${syn.nodes} nodes, ${mb(syn.bytes)} MiB)`, path: syn.path, bindings: { batch: 1 } });

  console.log(`\nnode ${process.version}, ${RUNS} runs (median, warm)\n`);
  console.log('| model | MiB | parse ms | parse+shapes ms | heap growth MiB | buffers MiB | read from disk KiB | ORT session ms | ORT / ours | protobufjs decode ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const f of files) {
    const size = readFileSync(f.path).length;
    const isSyn = f.path === syn.path;
    const parse = time(() => void readOnnxFile(f.path), isSyn ? 10 : RUNS);
    const full = time(() => void inferShapes(readOnnxFile(f.path), f.bindings), isSyn ? 10 : RUNS);
    const growth = heapGrowth(() => inferShapes(readOnnxFile(f.path), f.bindings));
    const disk = bytesReadFromDisk(f.path);
    const ortMs = await timeAsync(async () => {
      const s = await ort.InferenceSession.create(f.path, { graphOptimizationLevel: 'disabled' });
      await s.release();
    }, isSyn ? 3 : 5);
    let pb = 'n/a';
    if (pbjs) {
      pb = ms(time(() => void pbjs.decode(readFileSync(f.path)), isSyn ? 5 : RUNS));
    }
    console.log(`| ${f.label} | ${mb(size)} | ${ms(parse)} | ${ms(full)} | ${mb(growth.heap)} | ${mb(growth.buffers)} | ${(disk / 1024).toFixed(0)} | ${ms(ortMs)} | ${(ortMs / full).toFixed(0)}× | ${pb} |`);
  }
  if (pbjs) {
    // The decode-only comparison on bytes already in memory, both sides.
    const { parseOnnx } = await import('../src/core/onnx/index');
    console.log(`\nIn-memory decode only (bytes already read), protobufjs ${pbjs.version}:`);
    for (const f of files) {
      const bytes = readFileSync(f.path);
      const ours = time(() => void parseOnnx(bytes, 'x'), f.path === syn.path ? 10 : RUNS);
      const theirs = time(() => void pbjs.decode(bytes), f.path === syn.path ? 5 : RUNS);
      const g1 = heapGrowth(() => parseOnnx(bytes, 'x'));
      const g2 = heapGrowth(() => pbjs.decode(bytes));
      console.log(`  ${f.label}: ours ${ms(ours)} ms (heap +${mb(g1.heap)} MiB), protobufjs ${ms(theirs)} ms (heap +${mb(g2.heap)} MiB)`);
    }
  } else console.log('\nprotobufjs comparison skipped (set PROTOBUFJS_DIR to a folder with protobufjs installed)');
}

main()
  .then(() => benchEstimator())
  .then(() => benchCheckpoint())
  .then(() => benchNotebookScan(RUNS))
  .then(() => benchScaling())
  .then(() => benchHostCost())
  .catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
