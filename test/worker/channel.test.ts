// The worker survives its channel: lines that are not JSON, binary, truncated messages, malformed
// cancel notifications, deeply nested params and unknown methods are dropped or answered with an
// error, and the worker still answers a ping afterwards. The real worker bundle is started with its
// IPC channel on a pipe this test writes raw bytes to (NODE_CHANNEL_FD), as Node's fork() does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { checkMessage, MAX_PARAMS_DEPTH } from '../../src/worker/channel-guard';
import { METHODS } from '../../src/protocol/worker';
import { workerBundle } from './helpers';

interface Peer {
  child: ChildProcess;
  send(raw: string): void;
  /** Resolves with the reply to `id`, or rejects when none came in `ms` (the worker is deaf). */
  reply(id: number, ms?: number): Promise<Record<string, unknown>>;
  stderr(): string;
  close(): void;
}

async function startWorker(): Promise<Peer> {
  const child = spawn(process.execPath, [await workerBundle()], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'json' },
  });
  const channel = child.stdio[3] as Duplex;
  let buffered = '';
  let errText = '';
  const replies = new Map<number, Record<string, unknown>>();
  const waiters = new Map<number, (m: Record<string, unknown>) => void>();
  channel.on('data', (d: Buffer) => {
    buffered += d.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      const m = JSON.parse(line) as Record<string, unknown>;
      if (typeof m.id === 'number') {
        replies.set(m.id, m);
        waiters.get(m.id)?.(m);
      }
    }
  });
  channel.on('error', () => undefined);
  child.stderr!.on('data', (d: Buffer) => (errText += d.toString('utf8')));
  return {
    child,
    send: (raw) => channel.write(raw),
    reply: (id, ms = 8000) =>
      new Promise((resolve, reject) => {
        const have = replies.get(id);
        if (have) return resolve(have);
        const timer = setTimeout(() => reject(new Error(`no reply to ${id} within ${ms} ms; worker stderr: ${errText}`)), ms);
        waiters.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      }),
    stderr: () => errText,
    close: () => child.kill(),
  };
}

const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: METHODS.ping }) + '\n';

test('checkMessage: well-formed messages pass, malformed ones get a reason', () => {
  assert.equal(checkMessage({ jsonrpc: '2.0', id: 1, method: 'm', params: {} }), null);
  assert.equal(checkMessage({ jsonrpc: '2.0', method: 'm' }), null);
  assert.equal(checkMessage({ jsonrpc: '2.0', id: 'a', result: null }), null);
  assert.equal(checkMessage({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 3 } }), null);
  assert.equal(checkMessage(null), 'not a JSON-RPC message object');
  assert.equal(checkMessage([1]), 'not a JSON-RPC message object');
  assert.equal(checkMessage({ id: 1, method: 'm' }), "not JSON-RPC 2.0 (no jsonrpc: '2.0')");
  assert.equal(checkMessage({ jsonrpc: '2.0', method: '$/cancelRequest', params: null }), 'params must be an object or an array');
  assert.equal(checkMessage({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: { a: 1 } } }), '$/cancelRequest without a request id');
  assert.equal(checkMessage({ jsonrpc: '2.0', method: '$/cancelRequest', params: {} }), '$/cancelRequest without a request id');
  assert.equal(checkMessage({ jsonrpc: '2.0', id: {}, method: 'm' }), 'id is not a number or a string');
  assert.equal(checkMessage({ jsonrpc: '2.0', method: 5 }), 'method is not a short string');
  assert.equal(checkMessage({ jsonrpc: '2.0', id: 1 }), 'response has neither result nor error');
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(checkMessage({ jsonrpc: '2.0', id: 1, method: 'm', params: deep }), `params nest deeper than ${MAX_PARAMS_DEPTH} levels`);
  assert.equal(checkMessage({ jsonrpc: '2.0', id: 1, method: 'm', params: new Array(200_000).fill(0) }), 'params have more than 100000 values');
});

test('the worker survives malformed input on its channel and still answers', { timeout: 60_000 }, async () => {
  const w = await startWorker();
  try {
    w.send(ping(1));
    const first = await w.reply(1, 20_000);
    assert.ok(first.result, `the worker answers before the garbage: ${JSON.stringify(first)} ${w.stderr()}`);
    // Each bad input is sent on its own, then pings until one is answered: a bad line makes Node
    // drop the rest of the read it came in, so the first ping may be lost with it.
    let nextId = 100;
    const answersAfter = async (raw: string) => {
      w.send(raw);
      for (let k = 0; k < 40; k++) {
        const id = nextId++;
        w.send(ping(id));
        const r = await w.reply(id, 250).catch(() => null);
        if (r) return r;
      }
      assert.fail(`the worker stopped answering after ${JSON.stringify(raw.slice(0, 80))}; stderr: ${w.stderr()}`);
    };
    for (const bad of [
      'not json at all\n', // text
      '\u0000\u0001\u00ff binary garbage\n', // binary
      '{\n', // a truncated message
      '{"jsonrpc":"2.0","method":"$/cancelRequest","params":null}\n', // killed the worker in vscode-jsonrpc
      '{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"a":[1,2]}}}\n',
      '{"id":2,"method":"yoloMemory/ping"}\n', // no jsonrpc field
      '42\n', // a scalar
    ]) {
      assert.ok((await answersAfter(bad)).result);
    }
    // a request whose params nest 100,000 deep is answered with an error, not a stack overflow
    w.send(`{"jsonrpc":"2.0","id":3,"method":"${METHODS.analyze}","params":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
    const deep = await w.reply(3);
    assert.equal((deep.error as { code: number }).code, -32600);
    assert.match((deep.error as { message: string }).message, /^invalid request: params nest deeper than 64 levels$/);
    // an unknown method is answered by the library
    w.send('{"jsonrpc":"2.0","id":4,"method":"yoloMemory/nope"}\n');
    assert.equal(((await w.reply(4)).error as { code: number }).code, -32601);
    w.send(ping(5));
    assert.ok((await w.reply(5)).result, 'the worker still answers a ping');
    assert.equal(w.child.exitCode, null, 'the worker is still running');
    const lines = w.stderr().trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith('dropped a line on the channel that is not JSON: ')), w.stderr());
    assert.ok(lines.some((l) => l === 'dropped a malformed message ($/cancelRequest): params must be an object or an array'), w.stderr());
    assert.ok(!/\n\s+at /.test(w.stderr()), `no stack trace in the log: ${w.stderr()}`);
  } finally {
    w.close();
  }
});
