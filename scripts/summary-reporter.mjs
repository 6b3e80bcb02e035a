// A Node test-runner reporter that writes one summary line for the run: how many tests passed,
// failed, were skipped (each distinct skip reason named) and left as todo. Suites are not counted,
// only tests. run-tests.mjs and e2e/run.mjs print it as the last line, so a skipped test can never
// hide behind "all passed". Usage: --test-reporter=./scripts/summary-reporter.mjs
// --test-reporter-destination=<file>.
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let todo = 0;
  const skips = new Map(); // reason -> count
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') {
      // A skipped suite reports only itself: count it once, under its reason.
      if (data.skip !== undefined && data.skip !== false) skips.set(reason(data.skip), (skips.get(reason(data.skip)) ?? 0) + 1);
      if (type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') failed++;
      continue;
    }
    if (data.skip !== undefined && data.skip !== false) skips.set(reason(data.skip), (skips.get(reason(data.skip)) ?? 0) + 1);
    else if (data.todo !== undefined && data.todo !== false) todo++;
    else if (type === 'test:pass') passed++;
    else failed++;
  }
  const skipped = [...skips.values()].reduce((a, b) => a + b, 0);
  const why = skipped ? ` (${[...skips].map(([r, n]) => `${n}: ${r}`).join('; ')})` : '';
  yield JSON.stringify({ passed, failed, skipped, todo, line: `${passed} passed, ${failed} failed, ${skipped} skipped${why}${todo ? `, ${todo} todo` : ''}` }) + '\n';
}

function reason(skip) {
  return typeof skip === 'string' && skip ? skip : 'no reason given';
}
