// DocumentAnalyzer wired as activate() wires it, minus VS Code: the real worker (with the fake
// nvidia-smi on its PATH), the EstimateService, GpuState, and the fake `vscode` module. The test
// holds the two things a race depends on: when nvidia-smi's answer reaches GpuState (`releaseGpu`)
// and when the worker's estimates come back (`holdEstimates`).
//
// Import ./vscode-stub before this file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { AnalyzeOptions } from '../../src/core/options';
import { DocumentAnalyzer, type DocState } from '../../src/extension/documents';
import { EstimateService } from '../../src/extension/estimates';
import { GpuState } from '../../src/extension/gpu-state';
import { readSettings, type Settings } from '../../src/extension/settings';
import type { WorkerClient } from '../../src/extension/worker-client';
import { installFakeNvidiaSmi, SMI_FIXTURES } from '../helpers/fake-nvidia-smi';
import { testClient } from '../worker/helpers';
import { fakeDocument, fakeLog, workspace, type FakeDocument } from './fake-vscode';

/** What the fake nvidia-smi reports (test/fixtures/nvidia-smi/one-gpu.csv). */
export const SMI_GPU = 'NVIDIA GeForce RTX 3090';

/** YOLOv8n as an architecture YAML (Ultralytics' yolov8.yaml at scale n). */
export const YOLOV8N_YAML = `nc: 80
scales:
  n: [0.33, 0.25, 1024]
backbone:
  - [-1, 1, Conv, [64, 3, 2]]
  - [-1, 1, Conv, [128, 3, 2]]
  - [-1, 3, C2f, [128, True]]
  - [-1, 1, Conv, [256, 3, 2]]
  - [-1, 6, C2f, [256, True]]
  - [-1, 1, Conv, [512, 3, 2]]
  - [-1, 6, C2f, [512, True]]
  - [-1, 1, Conv, [1024, 3, 2]]
  - [-1, 3, C2f, [1024, True]]
  - [-1, 1, SPPF, [1024, 5]]
head:
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]]
  - [[-1, 6], 1, Concat, [1]]
  - [-1, 3, C2f, [512]]
  - [-1, 1, nn.Upsample, [None, 2, "nearest"]]
  - [[-1, 4], 1, Concat, [1]]
  - [-1, 3, C2f, [256]]
  - [-1, 1, Conv, [256, 3, 2]]
  - [[-1, 12], 1, Concat, [1]]
  - [-1, 3, C2f, [512]]
  - [-1, 1, Conv, [512, 3, 2]]
  - [[-1, 9], 1, Concat, [1]]
  - [-1, 3, C2f, [1024]]
  - [[15, 18, 21], 1, Detect, [nc]]
`;

export interface Harness {
  dir: string;
  client: WorkerClient;
  estimates: EstimateService;
  gpu: GpuState;
  analyzer: DocumentAnalyzer;
  log: ReturnType<typeof fakeLog>;
  /** Every options object sent to the worker's analyze, in order. */
  analyzeCalls: AnalyzeOptions[];
  /** Every state the analyzer published, in order. */
  published: DocState[];
  /** Let nvidia-smi's answer through to GpuState (it is held until then). */
  releaseGpu(): void;
  /** Hold the worker's estimate replies until the returned function is called. */
  holdEstimates(): () => void;
  setSettings(values: Record<string, unknown>): void;
  /** A file on disk, not open (a workspace .onnx / model YAML the sidebar lists). */
  write(path: string, text: string): void;
  /** A file on disk, open as a text document. */
  open(path: string, languageId: string, text: string): FakeDocument;
  asDoc(d: FakeDocument): vscode.TextDocument;
  dispose(): void;
}

export async function makeHarness(opts: { gpuWaitMs?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'yolo-mem-analyzer-'));
  const smi = installFakeNvidiaSmi();
  const env = smi.env({ FAKE_SMI_STDOUT: join(SMI_FIXTURES, 'one-gpu.csv'), YOLO_MEM_WORKER_TEST: '1' });
  const { client } = await testClient({ env: env as Record<string, string> });
  const analyzeCalls: AnalyzeOptions[] = [];
  let hold: Promise<void> | undefined;
  const counted = {
    analyze: async (options: AnalyzeOptions, o?: Parameters<WorkerClient['analyze']>[1]) => {
      analyzeCalls.push(options);
      const reply = await client.analyze(options, o);
      if (hold) await hold;
      return reply;
    },
  };
  let values: Record<string, unknown> = {};
  let settings: Settings = readSettings({ get: <T>(k: string) => values[k] as T }, { trusted: true }).settings;
  let releaseGpu!: () => void;
  const gpuGate = new Promise<void>((r) => (releaseGpu = r));
  const log = fakeLog();
  const estimates = new EstimateService(counted);
  const gpu = new GpuState({
    query: async (p) => {
      // The fake nvidia-smi is a Node process: on a heavily loaded machine its start alone can
      // outlast the product's 5 s nvidia-smi limit, and a timed-out reading would look like no GPU.
      // These tests are about when the reading arrives (the gate below), not about that limit
      // (test/gpu/nvidia-smi.test.ts tests it), so the reading gets a net of minutes.
      const reply = await client.queryGpus({ ...p, timeoutMs: Math.max(p?.timeoutMs ?? 0, HANG_NET_MS) });
      await gpuGate;
      return reply;
    },
    settings: () => settings,
    log: (l) => log.info(l),
  });
  const analyzer = new DocumentAnalyzer(client, estimates, gpu, () => settings, log as unknown as vscode.LogOutputChannel, opts);
  const published: DocState[] = [];
  analyzer.onDidUpdate((s) => published.push(s));
  workspace.textDocuments = [];
  return {
    dir,
    client,
    estimates,
    gpu,
    analyzer,
    log,
    analyzeCalls,
    published,
    releaseGpu,
    holdEstimates: () => {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = undefined;
        release();
      };
    },
    setSettings: (v) => {
      values = v;
      settings = readSettings({ get: <T>(k: string) => values[k] as T }, { trusted: true }).settings;
    },
    write: (path, text) => writeFileSync(path, text),
    open: (path, languageId, text) => {
      writeFileSync(path, text);
      const d = fakeDocument(path, languageId, text);
      workspace.textDocuments.push(d);
      return d;
    },
    asDoc: (d) => d as unknown as vscode.TextDocument,
    dispose: () => {
      analyzer.dispose();
      client.dispose();
      smi.dispose();
      workspace.textDocuments = [];
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Below this no wait gives up: the waits are nets for a signal that never comes, not speed checks,
 *  and a shared machine under heavy load can take many times the usual time to send it. */
export const HANG_NET_MS = 120_000;

/** Polls until `cond()` holds; fails with `what` (and the last value seen) after `ms` (at least HANG_NET_MS). */
export async function until<T>(get: () => T, cond: (v: T) => boolean, expectedMs: number, what: string): Promise<T> {
  const ms = Math.max(expectedMs, HANG_NET_MS);
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (cond(v)) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(v)?.slice(0, 300)}`);
    await delay(10);
  }
}
