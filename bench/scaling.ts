// Scaling benchmark (`npm run bench`): inputs that once took quadratic time, timed at two sizes.
// A ratio, not a wall-clock bound: a busy machine slows both sizes alike, while a quadratic scan
// makes 4x the input cost ~16x the time. The tests (test/fuzz/scale.test.ts) check the results;
// the times are reported here, with the goal next to them.
import { initPythonParser, scanScript } from '../src/core/scripts/index';

export async function benchScaling(): Promise<void> {
  await initPythonParser();
  // The comment scan of the script reader was quadratic: 80,000 lines took ~50 s.
  const timeFor = (lines: number) => {
    const text = '# note\n'.repeat(lines) + 'model.train(batch=8)\n';
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const r = scanScript(text, 'python');
      best = Math.min(best, performance.now() - t0);
      if (r.runs.length !== 1) throw new Error('the script reader lost the train() call');
    }
    return best;
  };
  timeFor(1_000); // warm the parser and the JIT
  const small = timeFor(10_000);
  const large = timeFor(40_000);
  console.log('\n## Scaling (goal: 4x the input costs under 10x the time)\n');
  console.log(`- script reader, comment lines: 10,000 lines ${small.toFixed(0)} ms, 40,000 lines ${large.toFixed(0)} ms (x${(large / small).toFixed(1)})`);
}
