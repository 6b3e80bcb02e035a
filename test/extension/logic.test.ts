// Pure extension logic against real estimator results: run options, the hover card, the hover
// target, batch diagnostics and their quick fix, the status text and the sidebar rows.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import type { AnalyzeOptions } from '../../src/core/options';
import type { AnalysisResult, GpuInfo } from '../../src/core/result';
import { scanScriptAsync } from '../../src/core/scripts';
import type { ScriptScan } from '../../src/core/scripts/types';
import { batchProblem } from '../../src/extension/batch-diagnostics';
import { HOVER_COMMANDS, COMMANDS } from '../../src/extension/commands';
import { escapeMd, renderErrorCard, renderHoverCard, renderPendingCard, textBar } from '../../src/extension/hover-card';
import { findHoverTarget } from '../../src/extension/hover-target';
import { optionsForModel, optionsForRun, planningGpu, resolveModelSpec } from '../../src/extension/run-options';
import { readSettings } from '../../src/extension/settings';
import { entryFor } from '../../src/extension/sidebar-entries';
import { statusForGpu, statusForResult } from '../../src/extension/status-text';
import { formatBytes } from '../../webview/shared/format';
import { neededOf, needsPhrase } from '../../webview/shared/memory';

const GiB = 2 ** 30;
const settings = readSettings({ get: () => undefined }, { trusted: true }).settings;
const gpu8: GpuInfo = { name: 'NVIDIA GeForce RTX 3070', totalBytes: 8 * GiB, source: 'preset' };
const SCRIPT = `from ultralytics import YOLO

BATCH = 256
model = YOLO("yolov8s.pt")
model.train(data="coco128.yaml", imgsz=640, batch=BATCH, device="0,1")
model.train(data="coco128.yaml", imgsz=320, batch=4)
`;

let scan: ScriptScan;
let big: AnalysisResult;
let small: AnalysisResult;
let bigOptions: AnalyzeOptions;

before(async () => {
  scan = await scanScriptAsync(SCRIPT, 'python');
  const r0 = optionsForRun(scan.runs[0]!, settings, gpu8, () => undefined);
  const r1 = optionsForRun(scan.runs[1]!, settings, gpu8, () => undefined);
  assert.ok(r0.ok && r1.ok);
  bigOptions = r0.value.options;
  big = await analyze(bigOptions);
  small = await analyze(r1.value.options);
});

describe('run options', () => {
  test('script values win, the rest comes from settings, and the GPU is planned without live use', () => {
    const r = optionsForRun(scan.runs[0]!, settings, { ...gpu8, usedBytes: 1, freeBytes: 2 }, () => undefined);
    assert.ok(r.ok);
    const o = r.value.options;
    assert.equal(o.model, 'yolov8s');
    assert.deepEqual(o.batch, [256]);
    assert.equal(o.imgsz, 640);
    assert.equal(o.gpus, 2, 'device="0,1" trains with DDP on 2 GPUs');
    assert.equal(o.amp, true);
    assert.equal(o.optimizer, 'auto');
    assert.deepEqual(o.gpu, gpu8);
    assert.equal(r.value.batchFromScript, true);
    // No script folder given (an unsaved file): the relative data= cannot be resolved.
    assert.deepEqual(r.value.assumed, ['data=coco128.yaml is relative to an unsaved file: the dataset is not read']);
    assert.equal(o.data, undefined);
  });

  test('model specs: files found on disk, built-in names, and clear errors otherwise', () => {
    assert.equal(resolveModelSpec('models/m.onnx', (s) => (s === 'models/m.onnx' ? '/w/models/m.onnx' : undefined)), '/w/models/m.onnx');
    assert.equal(resolveModelSpec('yolov8n.yaml', () => undefined), 'yolov8n');
    assert.equal(resolveModelSpec('YOLO11s-seg.pt', () => undefined), 'yolo11s-seg');
    assert.match((resolveModelSpec('runs/train/best.pt', () => undefined) as { error: string }).error, /best\.pt: checkpoint not found/);
    // a .pt that exists is read, even one named like a built-in (a fine-tuned yolov8s.pt)
    assert.equal(resolveModelSpec('runs/train/best.pt', (s) => `/w/${s}`), '/w/runs/train/best.pt');
    assert.equal(resolveModelSpec('yolov8s.pt', (s) => (s === 'yolov8s.pt' ? '/w/yolov8s.pt' : undefined)), '/w/yolov8s.pt');
    assert.match((resolveModelSpec('missing.onnx', () => undefined) as { error: string }).error, /not found/);
  });

  test('AutoBatch and unknown values are assumed from settings and said so', async () => {
    const s = await scanScriptAsync('from ultralytics import YOLO\nimport os\nYOLO("yolov8n.pt").train(batch=-1, imgsz=int(os.environ["S"]))\n', 'python');
    const r = optionsForRun(s.runs[0]!, settings, null, () => undefined);
    assert.ok(r.ok);
    assert.deepEqual(r.value.options.batch, [16]);
    assert.equal(r.value.options.imgsz, 640);
    assert.equal(r.value.batchFromScript, false);
    assert.ok(r.value.assumed.some((a) => /AutoBatch/.test(a)));
    assert.ok(r.value.assumed.some((a) => /imgsz/.test(a)));
  });

  test('AMP follows Ultralytics on GPUs where check_amp() turns it off', () => {
    const o = optionsForModel('yolov8n', settings, { name: 'NVIDIA GeForce GTX 1660 Ti', totalBytes: 6 * GiB, source: 'preset' });
    assert.equal(o.amp, false);
    assert.equal(optionsForModel('yolov8n', settings, gpu8).amp, true);
    assert.equal(optionsForModel('/x/m.onnx', settings, gpu8).imgsz, undefined, 'an ONNX file knows its image size');
    assert.equal(planningGpu(null), null);
  });

  test('a call without a model gives a reason, not options', async () => {
    const s = await scanScriptAsync('from torch.utils.data import DataLoader\nDataLoader(ds, batch_size=32)\n', 'python');
    if (!s.runs.length) return; // the reader may not report DataLoader runs without a model
    const r = optionsForRun(s.runs[0]!, settings, null, () => undefined);
    assert.equal(r.ok, false);
  });
});

describe('hover target', () => {
  test('value and key of batch, imgsz and the model name are targets; other text is not', () => {
    const lines = SCRIPT.split('\n');
    const at = (line: number, needle: string, offset = 0) => ({ line, character: lines[line]!.indexOf(needle) + offset });
    assert.equal(findHoverTarget(scan, at(4, 'batch=', 1))?.key, 'batch');
    assert.equal(findHoverTarget(scan, at(4, 'BATCH', 2))?.key, 'batch');
    assert.equal(findHoverTarget(scan, at(5, 'imgsz', 0))?.key, 'imgsz');
    assert.equal(findHoverTarget(scan, at(5, 'imgsz', 0))?.runIndex, 1);
    assert.equal(findHoverTarget(scan, at(4, 'data=', 1)), null);
    assert.equal(findHoverTarget(scan, { line: 0, character: 2 }), null);
  });
});

describe('hover card', () => {
  test('verdict and the decisive figure first, then the largest batch and the actions; details below a rule; no emoji', () => {
    const md = renderHoverCard(small, { batch: 4 });
    const est = small.estimates[0]!;
    const [top, details] = md.split('\n---\n');
    assert.ok(details, 'a rule separates the summary from the details');
    // the summary: verdict codicon, the figure against the usable VRAM, largest batch, both actions
    assert.match(top!, new RegExp(`^\\$\\(pass\\) \\*\\*batch 4 fits\\*\\* — ${escapeMd(needsPhrase(est, gpu8.totalBytes, small.margin)).replace(/[\\.()*+?]/g, (c) => `\\${c}`)}`));
    assert.match(top!, new RegExp(`Largest batch that fits: \\*\\*${small.maxBatch}\\*\\*`));
    for (const c of [COMMANDS.analyzeModel, COMMANDS.selectGpu]) assert.ok(top!.includes(`command:${c}`), c);
    assert.ok(top!.split('\n').filter((l) => l.trim()).length <= 2, 'the summary is two lines');
    // details: settings in words, the bar, the other totals explained, the top terms
    assert.match(details, /yolov8s/);
    assert.match(details, /imgsz 320 · mixed precision \(AMP\) · AdamW \(2 moment buffers per weight\)/);
    assert.match(details, /RTX 3070/);
    assert.match(details, /needs [█░]{20} /);
    assert.match(details, /allocated \(peak\) .*live tensors at the peak.* reserved .*held by PyTorch's cache.* on the device .*what nvidia.{0,2}smi shows/);
    assert.equal(details.split('Largest terms: ')[1]!.split('\n')[0]!.split(' · ').length, 3);
    assert.ok(!/[✅⚠❌❔⏳]/u.test(md), 'codicons, not emoji');
    assert.ok(!/\bval ×2\b|ADAMW/.test(md), 'no unexplained jargon');
    for (const m of md.matchAll(/command:([\w.]+)/g)) assert.ok(HOVER_COMMANDS.includes(m[1] as never), `${m[1]} is not allowed in hovers`);
  });

  test('a batch that does not fit says so', () => {
    const md = renderHoverCard(big, { batch: 256 });
    assert.match(md, /^\$\(error\) \*\*batch 256 \(128 per GPU\) does not fit/);
  });

  test('pending, error, escaping and bars', () => {
    assert.match(renderPendingCard('yolov8n'), /estimating/);
    const err = renderErrorCard('m_1.onnx', 'bad *thing*');
    assert.match(err, /m\\_1\\\.onnx/);
    assert.match(err, /bad \\\*thing\\\*/);
    assert.ok(err.includes(`command:${COMMANDS.showLog}`));
    assert.equal(escapeMd('[x](y)'), '\\[x\\]\\(y\\)');
    assert.equal(textBar(5, 10, 10), '█████░░░░░');
    assert.equal(textBar(20, 10, 4), '████ !');
    assert.equal(textBar(1, 0, 3), '░░░');
  });
});

describe('batch diagnostics', () => {
  test('a batch that does not fit gets a warning and a fix to the largest batch that fits', () => {
    const p = batchProblem(scan.runs[0]!, big, true);
    assert.ok(p, 'expected a problem for batch 256 on 8 GiB');
    assert.equal(p.severity, big.estimates[0]!.limitedBy === 'validation' ? 'information' : 'warning');
    assert.match(p.message, /batch 256/);
    assert.match(p.message, /RTX 3070/);
    assert.ok(!p.message.includes('\n'));
    assert.ok(big.maxBatch && big.maxBatch < 256);
    assert.equal(p.fix?.batch, big.maxBatch);
    assert.equal(p.fix?.title, `Set batch to ${big.maxBatch} (largest that fits)`);
    // The value came through BATCH = 256: the fix rewrites that literal, not the name at the call.
    const batchSetting = scan.runs[0]!.settings.batch!;
    assert.deepEqual(p.fix?.range, batchSetting.sourceRange ?? batchSetting.range);
    assert.equal(SCRIPT.split('\n')[p.fix!.range.start.line]!.slice(p.fix!.range.start.character, p.fix!.range.end.character), '256');
  });

  test('no marker when it fits, when the batch was assumed, or when no GPU is known', async () => {
    assert.equal(batchProblem(scan.runs[1]!, small, true), null);
    assert.equal(batchProblem(scan.runs[0]!, big, false), null);
    const noGpu = await analyze({ ...bigOptions, gpu: null });
    assert.equal(batchProblem(scan.runs[0]!, noGpu, true), null);
  });

  test('validation-only overflow is information-level', () => {
    const est = { ...big.estimates[0]!, fits: false, limitedBy: 'validation', validationDevice: 9 * GiB };
    const p = batchProblem(scan.runs[0]!, { ...big, estimates: [est] }, true);
    assert.equal(p?.severity, 'information');
    assert.match(p!.message, /validation at 2× batch/);
  });
});

describe('status text and sidebar rows', () => {
  test('status bar text: used/total · batch · mark', () => {
    const s = statusForResult(small, 4);
    const est = small.estimates[0]!;
    // the decisive figure of the usable VRAM, the same words as the hover
    assert.equal(s.text, `$(pass) b4 needs ${formatBytes(neededOf(est).bytes)} of ${formatBytes(0.9 * gpu8.totalBytes)}`);
    assert.equal(s.tone, undefined);
    assert.ok(s.tooltip.includes(needsPhrase(est, gpu8.totalBytes, small.margin)), s.tooltip);
    assert.match(s.tooltip, /Largest batch that fits/);
    const b = statusForResult(big, 256);
    assert.match(b.text, /^\$\(error\) b256 needs /);
    assert.equal(b.tone, 'error');
    // the recommended batch reads "fits", never a warning
    const atMax = statusForResult({ ...big, estimates: [{ ...big.estimates[0]!, batch: big.maxBatch!, fits: true, verdict: 'fits', limitedBy: null }] }, big.maxBatch);
    assert.equal(atMax.tone, undefined);
    assert.match(atMax.text, /^\$\(pass\) /);
    assert.equal(statusForGpu({ ...gpu8, usedBytes: 3 * GiB }, null).text, '$(chip) GPU 3.0/8.0 GiB');
    assert.equal(statusForGpu(null, 'nvidia-smi not found').text, '$(chip) YOLO Memory');
  });

  test('sidebar entry from a script state and a model state', () => {
    const row = entryFor(
      { uri: 'file:///w/train.py', kind: 'script', runs: [{ run: scan.runs[0]!, options: bigOptions, result: big }] },
      () => 'train.py',
    );
    assert.equal(row?.verdict, 'oom');
    assert.equal(row?.batch, 256);
    assert.equal(row?.maxBatch, big.maxBatch);
    assert.equal(row?.vramBytes, 8 * GiB);
    const err = entryFor({ uri: 'file:///w/m.onnx', kind: 'model', runs: [], model: { options: { model: '/w/m.onnx' }, error: { message: 'bad file' } } }, () => 'm.onnx');
    assert.equal(err?.verdict, 'error');
    assert.equal(err?.kind, 'model');
    const none = entryFor({ uri: 'file:///w/t.py', kind: 'script', runs: [{ run: scan.runs[0]!, reason: 'no model in this training call' }] }, () => 't.py');
    assert.equal(none?.verdict, 'unknown');
  });
});
