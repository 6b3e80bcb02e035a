// The largest batch that really fits, by bisection: each trial is one probe run in a fresh process.
// `fits(b)` must be monotone (if b fits, every smaller batch fits), which holds for training memory
// as long as nothing else grows on the GPU meanwhile.

export interface SweepTrial {
  batch: number;
  fits: boolean;
}

/** Finds the largest b in [lo, hi] with fits(b), or null when lo itself does not fit. Returns the
 *  trials in the order they ran. Stops early when a trial answers null (error / cancel). */
export async function bisectLargestFit(lo: number, hi: number, fits: (batch: number) => Promise<boolean | null>): Promise<{ largest: number | null; trials: SweepTrial[]; stopped: boolean }> {
  const trials: SweepTrial[] = [];
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 1 && hi >= lo)) throw new Error(`sweep range must be whole numbers 1 <= lo <= hi, got ${lo}..${hi}`);
  const test = async (b: number) => {
    const r = await fits(b);
    if (r !== null) trials.push({ batch: b, fits: r });
    return r;
  };
  const first = await test(lo);
  if (first === null) return { largest: null, trials, stopped: true };
  if (!first) return { largest: null, trials, stopped: false };
  let good = lo;
  let bad = hi + 1; // not known to fail; hi is tried once the range allows
  // grow by doubling first: the answer is usually far below hi, and a small batch is cheap to try
  let probe = Math.min(hi, lo * 2);
  while (probe > good && probe < bad) {
    const r = await test(probe);
    if (r === null) return { largest: good, trials, stopped: true };
    if (r) {
      good = probe;
      if (probe === hi) break;
      probe = Math.min(hi, probe * 2);
    } else bad = probe;
  }
  while (bad - good > 1 && good < hi) {
    const mid = Math.floor((good + bad) / 2);
    const r = await test(mid);
    if (r === null) return { largest: good, trials, stopped: true };
    if (r) good = mid;
    else bad = mid;
  }
  return { largest: good, trials, stopped: false };
}
