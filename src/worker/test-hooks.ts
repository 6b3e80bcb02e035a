// Test-only behaviour, switched on by YOLO_MEM_WORKER_TEST=1 (the extension never sets it): lets the
// worker tests make the real worker process sleep, hang or die, to check the client's timeout,
// hang detection, crash restart and quarantine paths against a real child process.

import { WorkerError, type TestHookParams, type TestHookReply } from '../protocol/worker';

export class TestHooks {
  /** Model spec that makes the next analyze of it exit the process ('crashOn'). */
  private crashOnModel: string | undefined;

  async run(params: TestHookParams, signal: AbortSignal): Promise<TestHookReply> {
    switch (params.action) {
      case 'sleep':
        await sleep(params.ms ?? 1000, signal);
        return { done: true };
      case 'hang':
        // A synchronous loop: the event loop is stuck, so not even a ping is answered.
        for (;;) {
          /* hang on purpose */
        }
      case 'crash':
        process.exit(70);
      case 'crashOn':
        this.crashOnModel = params.model;
        return { done: true };
    }
  }

  /** Called before every analyze. */
  beforeAnalyze(model: string): void {
    if (this.crashOnModel !== undefined && model === this.crashOnModel) process.exit(71);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((res, rej) => {
    if (signal.aborted) return rej(new WorkerError('cancelled', 'Cancelled'));
    const t = setTimeout(res, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      rej(new WorkerError('cancelled', 'Cancelled'));
    });
  });
}
