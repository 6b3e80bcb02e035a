// The panel's Dataset section shows the result's own numbers: each value in the view-model is the
// DatasetSummary field it claims to be, the host-RAM table is the result's terms with their details
// as tooltips, and the HTML has no inline styles. Over a real estimate of a synthetic dataset.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { AnalyzeOptions } from '../../src/core/options';
import type { AnalysisResult } from '../../src/core/result';
import { buildDataset, renderDatasetSection } from '../../webview/panel/datasetSection';
import { escapeHtml, formatBytes, formatInt } from '../../webview/shared/format';
import { sampleResult } from './sample';

let dir: string;
let options: AnalyzeOptions;
let result: AnalysisResult;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yolo-mem-panel-ds-'));
  execFileSync(process.execPath, [join(__dirname, '../../scripts/gen-dataset.mjs'), join(dir, 'ds'), '--images', '30', '--objects', '2', '--max-objects', '25', '--val', '5'], { stdio: 'ignore' });
  options = { model: 'yolov8n', imgsz: 320, batch: [8], data: 'ds/data.yaml', cwd: dir, cache: 'ram', workers: 2, gpu: { name: 'GPU', totalBytes: 8 * 2 ** 30, source: 'flag' } };
  result = await analyze(options);
});

after(() => rmSync(dir, { recursive: true, force: true }));

const state = (r: AnalysisResult, o: AnalyzeOptions = options) => ({ options: o, result: r, resultSeq: 0, busy: false, error: null });

describe('panel dataset section', () => {
  test('no dataset in the result: no section', () => {
    assert.equal(buildDataset(state(sampleResult(), { model: 'x' })), null);
    assert.equal(buildDataset({ options: { model: 'x' }, result: null, resultSeq: 0, busy: true, error: null }), null);
  });

  test('the facts and the host-RAM terms are the result fields, formatted', () => {
    const d = result.dataset!;
    const h = d.hostRam!;
    const vm = buildDataset(state(result))!;
    assert.equal(vm.scanned, true);
    assert.deepEqual(vm.images, { value: 30, text: formatInt(30) });
    assert.equal(vm.objectsMax.value, d.objects!.max);
    assert.equal(vm.objectsP99.value, d.objects!.p99);
    assert.equal(vm.objectsMean.value, d.objects!.mean);
    assert.equal(vm.assigner.value, d.assignerObjects);
    assert.equal(vm.assignerOverride, null);
    const hv = vm.hostRam!;
    assert.equal(hv.verdict, h.verdict);
    assert.deepEqual(hv.total, { value: h.totalBytes, text: formatBytes(h.totalBytes) });
    assert.deepEqual(hv.free, { value: h.freeRamBytes, text: formatBytes(h.freeRamBytes) });
    assert.equal(hv.cacheRam.value, h.cache.ramBytes);
    assert.ok(h.cache.ramBytes > 0);
    assert.deepEqual(
      hv.terms.map((t) => [t.key, t.bytes.value, t.detail]),
      h.terms.map((t) => [t.key, t.bytes, t.detail]),
    );
    assert.equal(hv.terms.reduce((a, t) => a + t.bytes.value!, 0), h.totalBytes);

    const html = renderDatasetSection(vm);
    assert.ok(!/style=/.test(html), 'no inline styles (CSP)');
    for (const t of h.terms) {
      assert.ok(html.includes(`<tr title="${escapeHtml(t.detail)}"><td>${escapeHtml(t.label)}</td><td class="num">${formatBytes(t.bytes)}</td>`), t.key);
    }
    assert.ok(html.includes(`data pipeline ${formatBytes(h.totalBytes)} of ${formatBytes(h.freeRamBytes)} free`));
    assert.ok(html.includes(`cache=ram ${formatBytes(h.cache.ramBytes)}`));
    assert.match(html, new RegExp(`class="verdict verdict-${h.verdict === 'exceeds' ? 'oom' : h.verdict}"`));
    assert.ok(html.includes(`max ${d.objects!.max} · p99 ${d.objects!.p99}`));
    assert.ok(html.includes(`title="${escapeHtml(d.explanation)}"`), 'the assigner fact explains itself');
  });

  test('verdicts: exceeded and a cache Ultralytics will skip', async () => {
    const small = await analyze({ ...options, freeRamBytes: Math.floor(result.dataset!.hostRam!.cache.ramBytes * 1.2) });
    const vm = buildDataset(state(small))!;
    assert.equal(vm.hostRam!.wouldCache, false);
    const html = renderDatasetSection(vm);
    assert.match(html, /it will train without the cache/);
    assert.ok(!html.includes(`cache=ram ${formatBytes(small.dataset!.hostRam!.cache.ramBytes)}`), 'a skipped cache is not shown as part of the pipeline');
    assert.ok(html.includes(`cache=ram needs ${formatBytes(small.dataset!.hostRam!.cache.requiredWithMarginBytes)}`));
    const tiny = await analyze({ ...options, cache: false, freeRamBytes: 1 << 20 });
    const t = renderDatasetSection(buildDataset(state(tiny, { ...options, cache: false }))!);
    assert.match(t, /class="verdict verdict-oom"/);
    assert.match(t, /Host RAM exceeded/);
    assert.doesNotMatch(t, /cache=ram/);
  });

  test("the panel's objects per image overrides the dataset's, and says so", async () => {
    const o = { ...options, objectsPerImage: 5 };
    const r = await analyze(o);
    const vm = buildDataset(state(r, o))!;
    assert.equal(vm.assigner.value, 5);
    assert.equal(vm.assignerOverride, `set in the panel; the dataset gives ${r.dataset!.assignerObjects} boxes`);
  });

  test('a dataset that is not local: its explanation, escaped, and nothing else', async () => {
    const r = await analyze({ ...options, data: 'coco8.yaml' });
    const vm = buildDataset(state(r))!;
    assert.equal(vm.scanned, false);
    assert.equal(vm.hostRam, null);
    const html = renderDatasetSection(vm);
    assert.ok(html.includes(escapeHtml(r.dataset!.explanation)));
    assert.doesNotMatch(html, /<table/);
    const evil = renderDatasetSection({ ...vm, source: '<img src=x onerror=alert(1)>', explanation: '<script>' });
    assert.ok(!/<img|<script/.test(evil));
  });
});
