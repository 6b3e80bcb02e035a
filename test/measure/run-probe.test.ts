// The probe runner's real code path (spawn in its own process group, JSON lines, timeout, cancel)
// with a fake probe standing in for Python (test/fixtures/measure/fake-probe.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runProbe, type ProbeSettings } from '../../src/core/measure/run-probe';
import type { ProbeMessage } from '../../src/core/measure/protocol';
import { measureMain } from '../../src/cli/measure';

const FAKE = join(import.meta.dirname, '..', 'fixtures', 'measure', 'fake-probe.mjs');
const settings: ProbeSettings = { model: 'yolov8n', imgsz: 640, amp: true, optimizer: 'auto', device: '0' };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number): Promise<boolean> {
  // the kill is synchronous; the kernel reaps the process shortly after (an event, not a time bound:
  // polled until it is gone, the test runner's own timeout ends a hang)
  while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
  return true;
}

const fake = (mode: string) => ({ python: process.execPath, probePath: FAKE, env: { ...process.env, FAKE_PROBE_MODE: mode } });

test('a fitting run: phases, device, versions and the result reach the caller', async () => {
  const msgs: ProbeMessage[] = [];
  let stderr = '';
  const m = await runProbe({ ...fake('fits'), batch: 24, settings, onMessage: (x) => msgs.push(x), onStderr: (s) => (stderr += s) });
  assert.equal(m.outcome, 'fits');
  assert.equal(m.batch, 24);
  assert.equal(m.device?.name, 'NVIDIA H100 80GB HBM3');
  assert.equal(m.device?.driver, '580.159.04');
  assert.equal(m.versions?.ultralytics, '8.4.190');
  assert.deepEqual(Object.keys(m.phases), ['first_step', 'steady', 'validation']);
  assert.equal(m.phases.steady?.reservedBytes, 429916160);
  assert.ok(msgs.some((x) => x.type === 'progress' && x.message === 'batch 24: steady'));
  assert.match(stderr, /fake probe: fits .*--batch 24/); // stderr is passed on for the log
});

test('out of memory is a result with its phase, not an error', async () => {
  const m = await runProbe({ ...fake('oom'), batch: 16, settings });
  assert.equal(m.outcome, 'oom');
  assert.equal(m.oomPhase, 'steady');
  assert.equal(m.message, 'did not fit at batch 16, in phase steady');
  assert.ok(m.phases.first_step);
});

test('missing modules: the error names them', async () => {
  const m = await runProbe({ ...fake('missing'), batch: 16, settings });
  assert.equal(m.outcome, 'error');
  assert.deepEqual(m.missing, ['ultralytics']);
  assert.match(m.message, /missing Python modules: ultralytics/);
});

test('lines that are not the protocol are logged and ignored; the result still arrives', async () => {
  let stderr = '';
  const m = await runProbe({ ...fake('garbage'), batch: 16, settings, onStderr: (s) => (stderr += s) });
  assert.equal(m.outcome, 'fits');
  assert.match(stderr, /ignored a line: probe line is not JSON/);
  assert.match(stderr, /ignored a line: phase must be one of/);
  assert.match(stderr, /ignored a line: probe line longer than|ignored an over-long line/);
});

test('a Python that does not exist: a one-line error', async () => {
  const m = await runProbe({ python: '/nonexistent/python3', probePath: FAKE, batch: 1, settings });
  assert.equal(m.outcome, 'error');
  assert.match(m.message, /could not start \/nonexistent\/python3/);
});

async function startHanging(): Promise<{ pids: number[]; ac: AbortController; done: ReturnType<typeof runProbe> }> {
  const ac = new AbortController();
  let resolvePids!: (p: number[]) => void;
  const pidsP = new Promise<number[]>((r) => (resolvePids = r));
  const done = runProbe({
    ...fake('hang'),
    batch: 8,
    settings,
    signal: ac.signal,
    onMessage: (x) => {
      const mm = x.type === 'progress' && /^pids (\d+) (\d+)$/.exec(x.message);
      if (mm) resolvePids([Number(mm[1]), Number(mm[2])]);
    },
  });
  return { pids: await pidsP, ac, done };
}

test('Cancel ends the probe and the processes it started (no orphan)', { skip: process.platform === 'win32' ? 'process groups: POSIX only' : false }, async () => {
  const { pids, ac, done } = await startHanging();
  assert.ok(pids.every(alive));
  ac.abort();
  const m = await done;
  assert.equal(m.outcome, 'cancelled');
  for (const pid of pids) assert.ok(await waitGone(pid), `pid ${pid} left running`);
});

test('the timeout ends the probe tree and says so', { skip: process.platform === 'win32' ? 'process groups: POSIX only' : false }, async () => {
  const ac = new AbortController();
  let pids: number[] = [];
  const m = await runProbe({
    ...fake('hang'),
    batch: 8,
    settings,
    signal: ac.signal,
    timeoutMs: 1500,
    onMessage: (x) => {
      const mm = x.type === 'progress' && /^pids (\d+) (\d+)$/.exec(x.message);
      if (mm) pids = [Number(mm[1]), Number(mm[2])];
    },
  });
  assert.equal(m.outcome, 'timeout');
  assert.match(m.message, /no result within 2 s/);
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.ok(await waitGone(pid));
});

test('the CLI measures with a given --python on CPU and prints the recorded run beside the estimate', async () => {
  let out = '';
  let err = '';
  const code = await measureMain(['yolov8n', '--batch', '2', '--imgsz', '160', '--device', 'cpu', '--python', process.execPath], { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { ...process.env, FAKE_PROBE_MODE: 'cpu' } }, { probePath: FAKE });
  assert.equal(code, 0, err);
  assert.match(out, /batch 2: fits {2}\[CPU; torch 2\.15\.0\+cu132, ultralytics 8\.4\.190\]/);
  assert.match(out, /steady {6}cpu-peak-rss +\d+ MiB {3}n\/a \(the estimate is for a GPU\)/);
  assert.match(out, /estimate: allocated \d+ MiB, reserved \d+ MiB, device \d+ MiB/);
});

test('the CLI sweep bisects with one process per trial', async () => {
  let out = '';
  const code = await measureMain(['yolov8n', '--sweep', '4..64', '--device', 'cpu', '--python', process.execPath, '--json'], { stdout: (s) => (out += s), stderr: () => {}, env: { ...process.env, FAKE_PROBE_MODE: 'oomabove=20' } }, { probePath: FAKE });
  assert.equal(code, 0);
  const r = JSON.parse(out);
  assert.equal(r.sweep.largest, 20);
  assert.deepEqual(r.sweep.trials.map((t: { batch: number }) => t.batch), [4, 8, 16, 32, 24, 20, 22, 21]);
  const oom = r.measurements.find((x: any) => x.measurement.batch === 32);
  assert.equal(oom.measurement.outcome, 'oom');
  // GPU figures meet the estimate's: an error in percent per figure
  const fit = r.measurements.find((x: any) => x.measurement.batch === 16);
  const reserved = fit.comparison.find((c: any) => c.phase === 'steady' && c.figure === 'reserved');
  assert.equal(reserved.measuredBytes, 429916160);
  assert.equal(reserved.error, (reserved.estimatedBytes - 429916160) / 429916160);
});

test('CLI usage errors are one line and exit 2', async () => {
  for (const [argv, re] of [[['yolov8n'], /give --batch/], [['yolov8n', '--batch', '2', '--device', 'gpu'], /--device must be cpu or a GPU index/], [['--batch', '2'], /missing <model>/], [['yolov8n', '--sweep', '9..3'], /--sweep needs a range/]] as const) {
    let err = '';
    const code = await measureMain([...argv], { stdout: () => {}, stderr: (s) => (err += s), env: {} }, { probePath: FAKE });
    assert.equal(code, 2);
    assert.match(err.split('\n')[0], re);
  }
});

test('no GPU and no --device cpu: says so and offers the estimate', async () => {
  let out = '';
  let err = '';
  const code = await measureMain(['yolov8n', '--batch', '8'], { stdout: (s) => (out += s), stderr: (s) => (err += s), env: { PATH: '/nonexistent' } }, { probePath: FAKE });
  assert.equal(code, 1);
  assert.match(err, /no NVIDIA GPU found here .*--device cpu runs the probe on the CPU/);
  assert.match(out, /batch 8: estimate device \d+ MiB/);
});
