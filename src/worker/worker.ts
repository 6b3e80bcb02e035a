// Entry of the estimator worker process (forked by the extension host, see src/protocol/worker.ts).
// It owns the core: model parsing, the memory model, script parsing and nvidia-smi all run here,
// never in the extension host. This file only wires handlers to the JSON-RPC connection.

import { CancellationToken, ResponseError, createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { ERROR_CODES, METHODS, WORKER_TEST_ENV, WorkerError, type WorkerErrorData, type WorkerMethod, type WorkerMethods } from '../protocol/worker';
import { coreApi } from './core-api';
import { createHandlers, toWorkerError } from './handlers';
import { TestHooks } from './test-hooks';

if (typeof process.send !== 'function') {
  process.stderr.write('yolo-mem worker: must be started with an IPC channel (child_process.fork)\n');
  process.exit(2);
}

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
const handlers = createHandlers(coreApi);
const hooks = process.env[WORKER_TEST_ENV] === '1' ? new TestHooks() : undefined;

function on<M extends WorkerMethod>(method: M, fn: (params: WorkerMethods[M]['params'], signal: AbortSignal) => Promise<WorkerMethods[M]['reply']> | WorkerMethods[M]['reply']): void {
  connection.onRequest(method, async (params: WorkerMethods[M]['params'], token: CancellationToken) => {
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
