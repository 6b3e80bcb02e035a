// An open analysis panel is re-estimated when what its numbers rest on changes outside it: the
// planning GPU arriving after the panel opened, and a label edit in the dataset it reads. The panel
// controller as analysisPanel.ts wires it (GpuState, the dataset watchers, the EstimateService),
// over the real worker with the fake nvidia-smi and the fake `vscode` module's watchers.

import './vscode-stub';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalyzeOptions } from '../../src/core/options';
import { watchDatasets, type DatasetWatchers } from '../../src/extension/dataset-watchers';
import { PanelController } from '../../src/extension/panel/panelController';
import type { HostToPanelMessage, PanelState } from '../../src/protocol/webview';
import { root } from '../worker/helpers';
import { makeHarness, SMI_GPU, until, type Harness } from './analyzer-harness';
import { fireFileEvent, Uri, watchers, workspace } from './fake-vscode';

const DEBOUNCE_MS = 100;
const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

async function setup(opts: { gpuWaitMs: number }): Promise<{ h: Harness; datasets: DatasetWatchers }> {
  const h = await makeHarness(opts);
  // Before any document is analysed: the watchers follow the analyzer's updates.
  // the dataset sits in the workspace folder: only there are its folders watched
  workspace.workspaceFolders = [{ uri: Uri.file(h.dir) }];
  const datasets = watchDatasets(h.analyzer, h.estimates, h.client, (l) => h.log.info(l), DEBOUNCE_MS);
  cleanups.push(() => {
    datasets.dispose();
    h.dispose();
  });
  return { h, datasets };
}

function panel(h: Harness, datasets: DatasetWatchers, options: AnalyzeOptions) {
  const states: PanelState[] = [];
  const c = new PanelController(
    {
      post: (m: HostToPanelMessage) => {
        if (m.type === 'panelState') states.push(m.state);
        return true;
      },
      estimate: (o, token) => h.estimates.estimate(o, token),
      showLog: () => undefined,
      copyText: async () => undefined,
      saveText: async () => undefined,
      log: (l) => h.log.info(l),
      gpu: h.gpu,
      datasets: datasets,
      refreshDelayMs: 20,
    },
    options,
  );
  cleanups.push(() => c.dispose());
  void c.setOptions(c.options);
  return { c, states, last: () => states.at(-1) };
}

describe('an open analysis panel follows the GPU and its dataset', { timeout: 600_000 }, () => {
  test('opened before nvidia-smi answered, it is re-estimated with the GPU, at the batch the user set', async () => {
    const { h, datasets } = await setup({ gpuWaitMs: 20 });
    void h.gpu.refresh();
    const p = panel(h, datasets, { model: 'yolov8n', batch: [16], imgsz: 320, gpu: h.gpu.snapshot.planning });
    const first = await until(p.last, (s) => !!s?.result && !s.busy, 30_000, 'the first estimate');
    assert.equal(first!.result!.gpu, null, 'planned without a GPU: nvidia-smi has not answered');
    await p.c.handle({ type: 'setOptions', seq: 1, patch: { batch: 24, gpuTotalBytes: null } });
    assert.equal(p.last()!.result!.estimates[0]!.batch, 24);

    h.releaseGpu();
    const s = await until(p.last, (x) => x?.result?.gpu?.name === SMI_GPU && !x.busy, 30_000, 'the panel re-estimated with the GPU');
    assert.equal(s!.result!.estimates[0]!.batch, 24, 'the user\'s batch stays');
    assert.ok(s!.result!.maxBatch !== null, 'a GPU gives a verdict and a largest batch');
    assert.equal(s!.gpuNow?.name, SMI_GPU, '"Free now" from the live reading');
  });

  test('a label edit in its dataset re-estimates it with the new labels', async () => {
    const { h, datasets } = await setup({ gpuWaitMs: 10_000 });
    h.releaseGpu();
    await h.gpu.refresh();
    const ds = join(h.dir, 'ds');
    execFileSync(process.execPath, [join(root, 'scripts', 'gen-dataset.mjs'), ds, '--images', '16', '--objects', '3', '--val', '3'], { stdio: 'ignore' });
    // The dataset is watched because a script trains on it; the panel shows that script's run.
    const doc = h.open(join(h.dir, 'train.py'), 'python', `from ultralytics import YOLO\nYOLO("yolov8n.pt").train(data="ds/data.yaml", batch=8, imgsz=320)\n`);
    h.analyzer.schedule(h.asDoc(doc), 0);
    const run = await until(() => h.analyzer.get(doc.uri.toString())?.runs[0], (r) => !!r?.result, 30_000, 'the script estimate');
    const p = panel(h, datasets, run!.options!);
    await until(p.last, (s) => s?.result?.dataset?.objects?.max === 3 && !s.busy, 30_000, 'the panel estimate');
    await until(() => watchers.filter((w) => !w.disposed && w.base.startsWith(ds)).length, (n) => n === 5, 10_000, 'the dataset watchers');

    let t = '';
    for (let i = 0; i < 40; i++) t += `0 ${(0.01 + i / 50).toFixed(4)} 0.5000 0.0100 0.0100\n`;
    writeFileSync(join(ds, 'labels', 'train', '0.txt'), t);
    assert.ok(fireFileEvent('change', join(ds, 'labels', 'train', '0.txt')) >= 1);
    const s = await until(p.last, (x) => x?.result?.dataset?.objects?.max === 40 && !x.busy, 30_000, 'the panel re-estimated with the edited labels');
    assert.deepEqual(s!.options, run!.options, 'the same options: only the files changed');
  });
});
