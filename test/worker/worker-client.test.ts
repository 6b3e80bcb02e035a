// The client against the real worker process: round trip, timeout, hang, cancellation, crash and
// restart, restart budget, quarantine of a file that crashed the worker, cache hits, dispose.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { METHODS, WorkerError } from '../../src/protocol/worker';
import type { WorkerClient } from '../../src/extension/worker-client';
import { delay, testClient, until } from './helpers';

const clients: WorkerClient[] = [];
async function make(extra = {}) {
  const r = await testClient(extra);
  clients.push(r.client);
  return r;
}
after(() => clients.forEach((c) => c.dispose()));

async function rejectsWith(p: Promise<unknown>, kind: WorkerError['kind']): Promise<WorkerError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WorkerError, `expected a WorkerError, got ${String(e)}`);
    assert.equal(e.kind, kind, `expected ${kind}, got ${e.kind}: ${e.message}`);
    assert.ok(!e.message.includes('\n'), 'error messages are one line');
    return e;
  }
  assert.fail(`expected a ${kind} rejection`);
}

describe('worker client', { timeout: 600_000 }, () => {
  test('starts lazily and answers a ping', async () => {
    const { client } = await make();
    assert.equal(client.state, 'idle');
    assert.equal(client.starts, 0);
    const pong = await client.ping();
    assert.equal(client.state, 'running');
    assert.equal(pong.pid, client.pid);
    assert.notEqual(pong.pid, process.pid);
  });

  test('analyze round trip: a built-in model comes back as an AnalysisResult', async () => {
    const { client } = await make();
    const reply = await client.analyze({ model: 'yolov8n', imgsz: 320, batch: [4], gpu: { name: 'test', totalBytes: 8 * 2 ** 30, source: 'setting' } });
    assert.equal(reply.cached, false);
    assert.equal(reply.result.model.source, 'builtin:yolov8n');
    assert.equal(reply.result.estimates[0]!.batch, 4);
    assert.ok(reply.result.estimates[0]!.bytes.reserved > 0);
    assert.ok(reply.result.layers.length > 50);
  });

  test('a second identical analyze is served from the cache', async () => {
    const { client } = await make();
    const opts = { model: 'yolov8n', imgsz: 640, batch: [8] };
    const first = await client.analyze(opts);
    const second = await client.analyze({ batch: [8], imgsz: 640, model: 'yolov8n' }); // key order must not matter
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.deepEqual(second.result, first.result);
    const pong = await client.ping();
    assert.equal(pong.cacheHits, 1);
    assert.equal(pong.cacheMisses, 1);
    const other = await client.analyze({ ...opts, batch: [16] });
    assert.equal(other.cached, false, 'other options are another entry');
  });

  test('bad input is a one-line input error naming the file', async () => {
    const { client } = await make();
    const e = await rejectsWith(client.analyze({ model: '/nonexistent/dir/model.onnx' }), 'input');
    assert.match(e.message, /model\.onnx/);
    await rejectsWith(client.analyze({ model: 'not-a-model-name' }), 'input');
    await rejectsWith(client.analyze({ model: '' }), 'input');
  });

  test('a request that takes too long times out; a merely slow worker is kept', async () => {
    const { client } = await make();
    const pid = (await client.ping()).pid;
    // The sleep outlasts the timeout by far: only the client's timeout can end it with 'timeout'.
    await rejectsWith(client.request(METHODS.testHook, { action: 'sleep', ms: 10_000 }, { timeoutMs: 200 }), 'timeout');
    await delay(2500); // past the hang probe
    assert.equal((await client.ping()).pid, pid, 'the worker answered the probe, so it was not killed');
    assert.equal(client.starts, 1);
  });

  test('a hung worker is killed after the timeout and restarts on the next request', async () => {
    const { client, logger } = await make({ hangProbeMs: 300 });
    const pid = (await client.ping()).pid;
    await rejectsWith(client.request(METHODS.testHook, { action: 'hang' }, { timeoutMs: 200 }), 'timeout');
    await until(() => client.pid === undefined, 5000, 'the hung worker to be killed');
    assert.ok(logger.lines.some((l) => l.includes('stopped answering')));
    const pong = await client.ping();
    assert.notEqual(pong.pid, pid);
    assert.equal(client.starts, 2);
  });

  test('cancellation rejects at once and the worker keeps serving', async () => {
    const { client } = await make();
    await client.ping();
    const cts = new CancellationTokenSource();
    const p = client.request(METHODS.testHook, { action: 'sleep', ms: 10_000 }, { token: cts.token });
    setTimeout(() => cts.cancel(), 50);
    await rejectsWith(p, 'cancelled'); // a sleep that ran its course would resolve, not reject
    // An already-cancelled token never reaches the worker.
    await rejectsWith(client.ping({ token: cts.token }), 'cancelled');
    assert.ok((await client.ping()).pid);
    assert.equal(client.starts, 1);
  });

  test('a crash rejects every pending request, and the next request restarts the worker', async () => {
    const { client } = await make();
    const pid = (await client.ping()).pid;
    const slow = client.request(METHODS.testHook, { action: 'sleep', ms: 10_000 });
    const slow2 = client.request(METHODS.testHook, { action: 'sleep', ms: 10_000 });
    const crash = client.request(METHODS.testHook, { action: 'crash' });
    await rejectsWith(slow, 'crashed');
    await rejectsWith(slow2, 'crashed');
    await rejectsWith(crash, 'crashed');
    assert.equal(client.pid, undefined);
    const pong = await client.ping();
    assert.notEqual(pong.pid, pid);
    assert.equal(client.starts, 2);
  });

  test('after too many crashes in the window it stops restarting and says so once', async () => {
    const gaveUp: string[] = [];
    const { client } = await make({ maxRestarts: 2, restartWindowMs: 60_000, onGiveUp: (m: string) => gaveUp.push(m) });
    for (let i = 0; i < 2; i++) await rejectsWith(client.request(METHODS.testHook, { action: 'crash' }), 'crashed');
    assert.equal(client.state, 'failed');
    const e = await rejectsWith(client.ping(), 'crashed');
    assert.match(e.message, /not restarting/);
    await rejectsWith(client.ping(), 'crashed');
    assert.equal(gaveUp.length, 1);
    assert.equal(client.starts, 2);
    client.resetRestartBudget();
    assert.ok((await client.ping()).pid);
  });

  test('a file that crashed the worker is quarantined until it changes or is forced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yolo-mem-q-'));
    try {
      const file = join(dir, 'bad.onnx');
      writeFileSync(file, 'not onnx');
      const { client } = await make();
      await client.request(METHODS.testHook, { action: 'crashOn', model: file });
      await rejectsWith(client.analyze({ model: file }), 'crashed');
      assert.ok(client.isQuarantined(file));
      const q = await rejectsWith(client.analyze({ model: file }), 'quarantined');
      assert.equal(q.file, file);
      assert.equal(client.starts, 1, 'the quarantined file did not restart the worker');
      // Editing the file lifts the quarantine: the (restarted, un-armed) worker now reads it.
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      await rejectsWith(client.analyze({ model: file }), 'input');
      assert.equal(client.isQuarantined(file), false);
      // force retries even an unchanged quarantined file.
      await client.request(METHODS.testHook, { action: 'crashOn', model: file });
      await rejectsWith(client.analyze({ model: file }), 'crashed');
      await rejectsWith(client.analyze({ model: file }), 'quarantined');
      await rejectsWith(client.analyze({ model: file }, { force: true }), 'input');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('dispose rejects pending requests and refuses new ones', async () => {
    const { client } = await make();
    await client.ping();
    const child = client.pid!;
    const p = client.request(METHODS.testHook, { action: 'sleep', ms: 10_000 });
    client.dispose();
    await rejectsWith(p, 'disposed');
    await rejectsWith(client.ping(), 'disposed');
    assert.equal(client.state, 'disposed');
    await until(() => {
      try {
        process.kill(child, 0);
        return false;
      } catch {
        return true;
      }
    }, 5000, 'the worker process to exit');
  });

  test('the test hook does not exist without the test env var', async () => {
    const { client } = await make({ env: {} });
    await rejectsWith(client.request(METHODS.testHook, { action: 'crash' }), 'internal');
    assert.ok((await client.ping()).pid);
  });
});
