// The dataset a training script names, through the extension: the run options that carry it to the
// estimator (resolved against the script's folder), the hover card's dataset lines, and the
// cache=ram host-RAM warning. Real estimates over a synthetic dataset written by
// scripts/gen-dataset.mjs into a temporary folder.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { AnalysisResult } from '../../src/core/result';
import { scanScriptAsync } from '../../src/core/scripts';
import type { ScriptScan } from '../../src/core/scripts/types';
import { cacheProblem } from '../../src/extension/cache-diagnostics';
import { renderDatasetLines, renderHoverCard } from '../../src/extension/hover-card';
import { cacheMode, optionsForRun } from '../../src/extension/run-options';
import { readSettings } from '../../src/extension/settings';
import { formatBytes } from '../../webview/shared/format';

const GiB = 2 ** 30;
const settings = readSettings({ get: () => undefined }, { trusted: true }).settings;
const gpu = { name: 'NVIDIA GeForce RTX 4090', totalBytes: 24 * GiB, source: 'preset' };
const SCRIPT = `from ultralytics import YOLO
model = YOLO("yolov8n.pt")
model.train(data="ds/data.yaml", batch=8, imgsz=320, cache=True, workers=2)
model.train(data="coco8.yaml", batch=8, imgsz=320, cache="disk")
model.train(data="ds/data.yaml", batch=8, imgsz=320, cache=False)
`;

let dir: string;
let scan: ScriptScan;
const exists = (p: string) => p === join(dir, 'ds', 'data.yaml');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yolo-mem-ds-'));
  execFileSync(process.execPath, [join(__dirname, '../../scripts/gen-dataset.mjs'), join(dir, 'ds'), '--images', '24', '--objects', '3', '--max-objects', '40', '--val', '4'], { stdio: 'ignore' });
  scan = await scanScriptAsync(SCRIPT, 'python');
  assert.equal(scan.runs.length, 3);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function options(i: number, ctx = { dir: undefined as string | undefined, fileExists: exists }) {
  const r = optionsForRun(scan.runs[i]!, settings, gpu, () => undefined, { ...ctx, dir: ctx.dir ?? dir });
  assert.ok(r.ok);
  return r.value;
}

describe('run options carry the dataset', () => {
  test('data, cwd (the script folder), workers and cache come from the script; a found dataset decides the boxes per image', () => {
    const o = options(0).options;
    assert.equal(o.data, 'ds/data.yaml');
    assert.equal(o.cwd, dir);
    assert.equal(o.workers, 2);
    assert.equal(o.cache, 'ram');
    assert.equal(o.objectsPerImage, undefined, 'the setting would override the scan');
  });

  test('a dataset not found locally leaves the assigner size to the estimator (the setting at its default); cache=disk and False pass through', () => {
    const o = options(1).options;
    assert.equal(o.data, 'coco8.yaml');
    assert.equal(o.cache, 'disk');
    assert.equal(settings.estimate.objectsPerImage, 8);
    assert.equal(o.objectsPerImage, undefined);
    assert.equal(options(2).options.cache, false);
  });

  test('an unsaved script cannot resolve a relative data= path: left out and said so', () => {
    const r = optionsForRun(scan.runs[0]!, settings, gpu, () => undefined);
    assert.ok(r.ok);
    assert.equal(r.value.options.data, undefined);
    assert.equal(r.value.options.cache, undefined, 'cache and workers only matter with a dataset');
    assert.ok(r.value.assumed.some((a) => /relative to an unsaved file/.test(a)));
  });

  test('Ultralytics / YOLOv5 cache values', () => {
    assert.equal(cacheMode(true), 'ram');
    assert.equal(cacheMode('RAM'), 'ram');
    assert.equal(cacheMode('disk'), 'disk');
    assert.equal(cacheMode(false), false);
    assert.equal(cacheMode('False'), false);
    assert.equal(cacheMode(null), null);
    assert.equal(cacheMode('fast'), null);
  });

  test('YOLOv5 --data / --cache / --workers from a shell command', async () => {
    const s = await scanScriptAsync('python train.py --weights yolov5s.pt --data ds/data.yaml --cache --workers 3 --batch-size 8\n', 'shell');
    const r = optionsForRun(s.runs[0]!, settings, gpu, () => undefined, { dir, fileExists: exists });
    assert.ok(r.ok);
    assert.equal(r.value.options.data, 'ds/data.yaml');
    assert.equal(r.value.options.cache, 'ram', 'a bare --cache means ram');
    assert.equal(r.value.options.workers, 3);
  });
});

describe('hover card and cache diagnostics over real estimates', () => {
  let ram: AnalysisResult;
  let builtin: AnalysisResult;

  before(async () => {
    ram = await analyze(options(0).options);
    builtin = await analyze(options(1).options);
  });

  test('the card shows the scan, the assigner size and host RAM with its verdict', () => {
    const d = ram.dataset!;
    assert.equal(d.images, 24);
    const md = renderHoverCard(ram, { batch: 8 });
    assert.match(md, /\*\*Dataset\*\* ds\/data\\\.yaml: 24 images/);
    assert.ok(md.includes(`objects/image max ${d.objects!.max} · p99 ${d.objects!.p99} · mean ${Number(d.objects!.mean.toFixed(1))}`), md);
    assert.ok(md.includes(`assigner sized for ${d.assignerObjects} boxes`));
    const h = d.hostRam!;
    const icon = { fits: '$(pass)', tight: '$(warning)', exceeds: '$(error)' }[h.verdict];
    assert.ok(md.includes(`${icon} Host RAM: data pipeline ${formatBytes(h.totalBytes)} of ${formatBytes(h.freeRamBytes)} free`), md);
    assert.ok(md.includes(`cache=ram ${formatBytes(h.cache.ramBytes)}`));
    assert.ok(h.cache.ramBytes > 0);
  });

  test('a dataset that is not local shows the one-line explanation only', () => {
    const d = builtin.dataset!;
    assert.equal(d.images, null);
    const lines = renderDatasetLines(d);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.replace(/\\/g, ''), `**Dataset** ${d.explanation}`);
    assert.match(d.explanation, /^coco8\.yaml: .*built-in dataset, not found locally/);
    assert.ok(!renderHoverCard(builtin).includes('Host RAM'));
  });

  test('sampled scans say so', () => {
    const lines = renderDatasetLines({ ...ram.dataset!, sampled: 'sampled 500 of 100,000 images' });
    assert.match(lines[0]!, /24 images \(sampled 500 of 100,000 images\)/);
  });

  test('no warning when the cache fits', () => {
    assert.equal(ram.dataset!.hostRam!.verdict === 'exceeds', false);
    assert.equal(cacheProblem(scan.runs[0]!, ram), null);
  });

  test('the result says when it read free RAM, and that it did not when the options fixed it', async () => {
    const t0 = Date.now();
    const read = await analyze(options(0).options);
    const at = read.dataset!.freeRamReadAt;
    assert.ok(at !== null && at >= t0 && at <= Date.now(), `freeRamReadAt ${at}`);
    const fixed = await analyze({ ...options(0).options, freeRamBytes: 2 ** 34 });
    assert.equal(fixed.dataset!.freeRamReadAt, null);
    assert.equal(fixed.dataset!.hostRam!.freeRamBytes, 2 ** 34);
  });

  test("cache=ram beyond Ultralytics' own check: it skips the cache", async () => {
    const need = ram.dataset!.hostRam!.cache.ramBytes;
    // Less free RAM than the cache with its 50 % margin, more than the rest of the pipeline.
    const r = await analyze({ ...options(0).options, freeRamBytes: Math.floor(need * 1.2) });
    const h = r.dataset!.hostRam!;
    assert.equal(h.cache.ultralyticsWouldCache, false);
    const p = cacheProblem(scan.runs[0]!, r);
    assert.ok(p);
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, scan.runs[0]!.settings.cache!.range);
    assert.equal(SCRIPT.split('\n')[p.range.start.line]!.slice(p.range.start.character, p.range.end.character), 'True');
    assert.ok(p.message.startsWith(`cache=ram needs ${formatBytes(h.cache.requiredWithMarginBytes)} of host RAM`), p.message);
    assert.match(p.message, /Ultralytics will skip the cache/);
    assert.ok(p.message.includes(`(${formatBytes(h.freeRamBytes)} free)`));
    assert.ok(!p.message.includes('\n'));
    const card = renderHoverCard(r);
    assert.match(card, /\$\(warning\) cache=ram needs .* it will train without the cache/);
    assert.ok(!card.includes(`cache=ram ${formatBytes(h.cache.ramBytes)}`), 'a skipped cache is not shown as part of the pipeline');
  });

  test('cache=ram that Ultralytics accepts but the whole pipeline does not fit: may be killed', async () => {
    const h0 = ram.dataset!.hostRam!;
    // Enough for the cache with its margin, not for cache + workers' buffers.
    const free = Math.max(Math.ceil(h0.cache.requiredWithMarginBytes) + 1, 1);
    assert.ok(free < h0.totalBytes, 'the synthetic dataset must make the buffers larger than half the cache');
    const r = await analyze({ ...options(0).options, freeRamBytes: free });
    const h = r.dataset!.hostRam!;
    assert.equal(h.cache.ultralyticsWouldCache, true);
    assert.equal(h.verdict, 'exceeds');
    const p = cacheProblem(scan.runs[0]!, r);
    assert.ok(p);
    assert.match(p.message, /the process may be killed/);
    assert.doesNotMatch(p.message, /skip the cache/);
    assert.ok(p.message.includes(formatBytes(h.totalBytes)));
    assert.match(renderHoverCard(r), /\$\(error\) Host RAM: .*exceeds free RAM/);
  });

  test('no cache warning without cache=ram, or without a scanned dataset', async () => {
    const r = await analyze({ ...options(2).options, freeRamBytes: 1 << 20 });
    assert.equal(r.dataset!.hostRam!.verdict, 'exceeds');
    assert.equal(cacheProblem(scan.runs[2]!, r), null, 'cache=False: nothing to warn about on the cache value');
    assert.equal(cacheProblem(scan.runs[1]!, builtin), null);
  });
});
