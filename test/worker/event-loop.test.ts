// The extension host must never be blocked by this extension for more than 10 ms. Everything heavy
// runs in the worker; this measures the host-side cost of driving it — sending, receiving and
// JSON-decoding full results — while several analyses (some concurrent, some cached) run.
//
// Two figures: the event-loop delay (perf_hooks.monitorEventLoopDelay), which is what a user feels
// but on a loaded machine also counts time the OS gave to other processes; and the CPU time of the
// longest single host callback (async_hooks before/after + process.cpuUsage), which is what this
// code costs regardless of load. The bound is asserted on the second; the first is reported, and
// asserted too when the machine is not oversubscribed.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WorkerClient } from '../../src/extension/worker-client';
import { root, testClient } from './helpers';

const FIXTURE = join(root, '..', 'shared', 'fixtures', 'models', 'yolov8n-640-static.onnx');
const HOST_BLOCK_LIMIT_MS = 10;

let client: WorkerClient | undefined;
after(() => client?.dispose());

/** Longest CPU time spent in one host callback while enabled. */
function callbackCpuMeter() {
  const starts: NodeJS.CpuUsage[] = [];
  let maxUs = 0;
  const hook = createHook({
    before() {
      starts.push(process.cpuUsage());
    },
    after() {
      const s = starts.pop();
      if (!s) return;
      const d = process.cpuUsage(s);
      maxUs = Math.max(maxUs, d.user + d.system);
    },
  });
  return {
    enable: () => hook.enable(),
    disable: () => hook.disable(),
    get maxMs() {
      return maxUs / 1000;
    },
  };
}

test(`driving the worker costs the host under ${HOST_BLOCK_LIMIT_MS} ms per event-loop turn`, { timeout: 180_000 }, async () => {
  ({ client } = await testClient());
  await client.ping(); // fork + first connection outside the window: activation cost, not per request
  const models = ['yolov8n', 'yolo11n', 'yolov8s', 'yolov5s'];
  const specs = models.flatMap((model) => [320, 640].map((imgsz) => ({ model, imgsz, batch: [8, 16] })));
  if (existsSync(FIXTURE)) specs.push({ model: FIXTURE, imgsz: 640, batch: [16] });
  else console.log(`# note: ${FIXTURE} absent; measuring built-in models only`);

  const delay = monitorEventLoopDelay({ resolution: 1 });
  const cpu = callbackCpuMeter();
  delay.enable();
  cpu.enable();
  const computed = await Promise.all(specs.map((o) => client!.analyze(o)));
  const cached = await Promise.all(specs.map((o) => client!.analyze(o)));
  cpu.disable();
  delay.disable();

  const load = loadavg()[0]! / cpus().length;
  const maxDelayMs = delay.max / 1e6;
  console.log(
    `# ${specs.length} analyses + ${specs.length} cached: longest host callback ${cpu.maxMs.toFixed(2)} ms CPU; ` +
      `event-loop delay max ${maxDelayMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms ` +
      `(load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
  assert.ok(computed.every((r) => !r.cached) && cached.every((r) => r.cached));
  assert.ok(cpu.maxMs < HOST_BLOCK_LIMIT_MS, `one host callback took ${cpu.maxMs.toFixed(1)} ms of CPU`);
  if (load < 0.5) assert.ok(maxDelayMs < HOST_BLOCK_LIMIT_MS, `the host event loop was delayed ${maxDelayMs.toFixed(1)} ms`);
});
