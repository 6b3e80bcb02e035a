// extractScript and queryGpus through the real worker: the parser and nvidia-smi run there, not in
// the extension host.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WorkerError } from '../../src/protocol/worker';
import type { WorkerClient } from '../../src/extension/worker-client';
import { installFakeNvidiaSmi, SMI_FIXTURES } from '../helpers/fake-nvidia-smi';
import { testClient } from './helpers';

const clients: WorkerClient[] = [];
const smi = installFakeNvidiaSmi();
after(() => {
  clients.forEach((c) => c.dispose());
  smi.dispose();
});

describe('worker requests', { timeout: 600_000 }, () => {
  test('extractScript reads batch, imgsz and model with their ranges', async () => {
    const { client } = await testClient();
    clients.push(client);
    const text = 'from ultralytics import YOLO\n\nmodel = YOLO("yolov8n.yaml")\nmodel.train(data="coco128.yaml", imgsz=640, batch=16)\n';
    const scan = await client.extractScript({ text, fileName: 'train.py', languageId: 'python' });
    assert.equal(scan.language, 'python');
    assert.equal(scan.runs.length, 1);
    const s = scan.runs[0]!.settings;
    assert.equal(s.batch?.value, 16);
    assert.equal(s.imgsz?.value, 640);
    assert.equal(s.model?.value, 'yolov8n.yaml');
    const col = text.split('\n')[3]!.indexOf('batch=16') + 'batch='.length;
    assert.deepEqual(s.batch?.range, { start: { line: 3, character: col }, end: { line: 3, character: col + 2 } });
  });

  test('extractScript of a file type it cannot read is an input error', async () => {
    const { client } = await testClient();
    clients.push(client);
    await assert.rejects(client.extractScript({ text: 'x', fileName: 'model.onnx' }), (e: unknown) => e instanceof WorkerError && e.kind === 'input' && /model\.onnx/.test(e.message));
  });

  test('queryGpus runs nvidia-smi in the worker and returns the typed discovery', async () => {
    const env = smi.env({ FAKE_SMI_STDOUT: join(SMI_FIXTURES, 'one-gpu.csv') });
    const { client } = await testClient({ env: { ...(env as Record<string, string>), YOLO_MEM_WORKER_TEST: '1' } });
    clients.push(client);
    // a net of minutes: the fake is a Node process, whose start on a loaded machine can outlast the
    // default 5 s nvidia-smi limit (tested on its own in test/gpu/nvidia-smi.test.ts)
    const r = await client.queryGpus({ timeoutMs: 120_000 });
    assert.equal(r.state, 'ok');
    if (r.state !== 'ok') return;
    assert.equal(r.gpu?.name, 'NVIDIA GeForce RTX 3090');
    assert.equal(r.gpu?.totalBytes, 24576 * 2 ** 20);
    const missing = await client.queryGpus({ executable: '/nonexistent/nvidia-smi' });
    assert.equal(missing.state, 'not-found');
  });
});
