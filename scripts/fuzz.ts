// Long fuzz run over the parsers (test/fuzz/properties.ts): the protobuf reader, shape inference,
// ONNX -> training graph, the model-YAML pipeline and the script reader. The CI tests run the same
// properties a few hundred times; this runs them as long as asked and reports, per property, the
// cases run, failures (with the seed and path that replay them and the shrunk counterexample), the
// slowest single call, time, and the heap before and after.
//
//   npm run fuzz -- --runs 100000 [--seed N] [--only reader|shape|convert|yaml|script]
//   Replay one failure: --seed N --path P --only NAME (both printed with the failure).
import fc from 'fast-check';
import { initPythonParser } from '../src/core/scripts/index';
import { allProperties, CALL_BOUND_MS, enforceCallBound } from '../test/fuzz/properties';

function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = args[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
}

function usage(msg: string): never {
  console.error(`fuzz: ${msg}\nusage: npm run fuzz -- [--runs N] [--seed N] [--path P] [--only NAME]`);
  process.exit(2);
}

async function main(): Promise<number> {
  const runs = Number(flag('runs') ?? 10_000);
  if (!Number.isInteger(runs) || runs < 1) usage(`--runs needs a positive whole number, got ${flag('runs')}`);
  const seedFlag = flag('seed');
  const seed = seedFlag === undefined ? Date.now() % 2 ** 31 : Number(seedFlag);
  if (!Number.isInteger(seed)) usage(`--seed needs a whole number, got ${seedFlag}`);
  const path = flag('path');
  const only = flag('only');
  await initPythonParser();
  enforceCallBound(CALL_BOUND_MS);
  const props = allProperties().filter((p) => !only || p.name.toLowerCase().startsWith(only.toLowerCase()));
  if (!props.length) usage(`no property matches --only ${only}`);
  console.log(`fuzz: ${runs.toLocaleString('en-US')} runs per property, seed ${seed}, call bound ${CALL_BOUND_MS} ms, node ${process.version}`);
  let failed = 0;
  const t00 = performance.now();
  for (const p of props) {
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const r = await fc.check(p.property as fc.IProperty<unknown>, { numRuns: runs, seed, path, endOnFailure: false });
    const s = (performance.now() - t0) / 1000;
    global.gc?.();
    const heap1 = process.memoryUsage().heapUsed;
    const mib = (b: number) => (b / 2 ** 20).toFixed(0);
    console.log(`\n${p.name}`);
    console.log(`  cases ${r.numRuns.toLocaleString('en-US')} (${r.numSkips} skipped), calls ${p.stats.calls.toLocaleString('en-US')}, ${s.toFixed(1)} s, ${(r.numRuns / s).toFixed(0)} cases/s, slowest call ${p.stats.slowestMs.toFixed(1)} ms`);
    console.log(`  outcomes: ${Object.entries(p.stats.outcomes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`  heap ${mib(heap0)} -> ${mib(heap1)} MiB, rss ${mib(process.memoryUsage().rss)} MiB`);
    if (r.failed) {
      failed++;
      console.log(`  FAILED after ${r.numRuns} cases, shrunk ${r.numShrinks} times; replay: npm run fuzz -- --only ${p.name.split(':')[0].split(' ')[0]} --seed ${r.seed} --path ${r.counterexamplePath}`);
      console.log(`  counterexample: ${fc.stringify(r.counterexample).slice(0, 2000)}`);
      console.log(`  error: ${String((r.errorInstance as Error)?.message ?? r.errorInstance).split('\n').slice(0, 6).join('\n         ')}`);
    } else console.log('  no failure');
  }
  console.log(`\nfuzz: ${props.length} properties, ${failed} failed, ${((performance.now() - t00) / 1000).toFixed(1)} s in all`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`fuzz: ${(e as Error)?.stack ?? e}`);
    process.exit(1);
  },
);
