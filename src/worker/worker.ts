// Entry of the estimator worker process (forked by the extension host, see src/protocol/worker.ts).
// It owns the core: model parsing, the memory model, script parsing and nvidia-smi all run here,
// never in the extension host. This file only wires handlers to the JSON-RPC connection.

import { CancellationToken, ErrorCodes, ResponseError, createMessageConnection, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { GuardedIPCReader, isChannelParseError } from './channel-guard';
import { ERROR_CODES, METHODS, WORKER_TEST_ENV, WorkerError, type WorkerErrorData, type WorkerMethod, type WorkerMethods } from '../protocol/worker';
import { coreApi } from './core-api';
import { createHandlers, toWorkerError } from './handlers';
import { TestHooks } from './test-hooks';

if (typeof process.send !== 'function') {
  process.stderr.write('yolo-mem worker: must be started with an IPC channel (child_process.fork)\n');
  process.exit(2);
}

// A malformed message is answered (when it has an id) or dropped, and logged: never a crash.
const reader = new GuardedIPCReader(process, (r) => {
  process.stderr.write(`dropped a malformed message${r.method ? ` (${r.method})` : ''}: ${r.reason}\n`);
  if (r.id !== null) process.send?.({ jsonrpc: '2.0', id: r.id, error: { code: ErrorCodes.InvalidRequest, message: `invalid request: ${r.reason}` } });
});
// A line on the channel that is not JSON is thrown by Node's IPC parser out of its read callback;
// the worker logs it and goes on (the rest of that read is lost). One case stays beyond reach: when
// the bad line completed a partial one, Node 20 keeps that partial text in its private line buffer
// and every later message fails to parse; the host's request timeout then pings, finds the worker
// deaf and restarts it (worker-client.ts), as for a hang.
// Every other uncaught exception still ends the worker (the host restarts it), as before.
process.on('uncaughtException', (e) => {
  if (isChannelParseError(e)) {
    process.stderr.write(`dropped a line on the channel that is not JSON: ${(e as Error).message.split('\n')[0].slice(0, 200)}\n`);
    return;
  }
  process.stderr.write(`yolo-mem worker: fatal: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
const connection = createMessageConnection(reader, new IPCMessageWriter(process));
const handlers = createHandlers(coreApi);
const hooks = process.env[WORKER_TEST_ENV] === '1' ? new TestHooks() : undefined;

function on<M extends WorkerMethod>(method: M, fn: (params: WorkerMethods[M]['params'], signal: AbortSignal) => Promise<WorkerMethods[M]['reply']> | WorkerMethods[M]['reply']): void {
  // vscode-jsonrpc passes (token) alone for a request without params and (params, token) otherwise
  connection.onRequest(method, async (...args: unknown[]) => {
    const token = args[args.length - 1] as CancellationToken;
    const params = (args.length > 1 ? args[0] : {}) as WorkerMethods[M]['params'];
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      return await fn(params, ac.signal);
    } catch (e) {
      const we = e instanceof WorkerError ? e : toWorkerError(e);
      if (we.kind === 'internal') process.stderr.write(`internal error in ${method}: ${(e as Error)?.stack ?? String(e)}\n`);
      return new ResponseError<WorkerErrorData>(ERROR_CODES[we.kind], we.message, { kind: we.kind, file: we.file });
    } finally {
      sub.dispose();
    }
  });
}

on(METHODS.analyze, (params, signal) => {
  hooks?.beforeAnalyze(params?.options?.model);
  return handlers.analyze(params, signal);
});
on(METHODS.extractScript, (params, signal) => handlers.extractScript(params, signal));
on(METHODS.queryGpus, (params, signal) => handlers.queryGpus(params, signal));
on(METHODS.datasetFiles, (params, signal) => handlers.datasetFiles(params, signal));
on(METHODS.invalidateDataset, (params) => handlers.invalidateDataset(params));
on(METHODS.ping, () => handlers.ping());
if (hooks) on(METHODS.testHook, (params, signal) => hooks.run(params, signal));

// The host going away closes the IPC channel: exit rather than linger as an orphan.
connection.onClose(() => process.exit(0));
process.on('disconnect', () => process.exit(0));
connection.listen();
