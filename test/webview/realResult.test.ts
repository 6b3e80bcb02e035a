// The views against the estimator's own output (built-in yolov8n, no fixture needed): the result
// passes the webview's validator, the header shows its numbers, the table and charts cover it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/core/analyze';
import type { AnalysisResult } from '../../src/core/result';
import { parseHostToPanel } from '../../src/protocol/webview';
import { toCsv } from '../../src/extension/panel/exportText';
import { renderBreakdown } from '../../webview/panel/breakdownBar';
import { renderCurveChart } from '../../webview/panel/curveChart';
import { buildTable, DEFAULT_QUERY, tableRows } from '../../webview/panel/layerTable';
import { renderTimelineChart } from '../../webview/panel/timelineChart';
import { buildHeader } from '../../webview/panel/viewModel';
import { formatBytes, formatCount } from '../../webview/shared/format';
import { breakdownOf } from '../../webview/shared/memory';

const GIB = 1024 ** 3;
let cached: Promise<AnalysisResult> | null = null;
const result = () => (cached ??= analyze({ model: 'yolov8n', batch: [16], imgsz: 640, gpu: { name: 'NVIDIA GeForce RTX 4060', totalBytes: 8 * GIB, source: 'preset' } }));

test('a real result passes the panel message validator', async () => {
  const r = await result();
  const parsed = parseHostToPanel(JSON.parse(JSON.stringify({ type: 'panelState', state: { options: { model: 'yolov8n' }, result: r, resultSeq: 0, busy: false, error: null } })));
  assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.error);
});

test('the header shows the numbers of the result', async () => {
  const r = await result();
  const h = buildHeader({ options: { model: 'yolov8n' }, result: r, resultSeq: 0, busy: false, error: null })!;
  const e = r.estimates[0]!;
  assert.equal(h.params.value, r.model.params);
  assert.equal(h.params.text, formatCount(r.model.params));
  assert.equal(h.device.value, e.bytes.device);
  assert.equal(h.device.text, formatBytes(e.bytes.device));
  assert.equal(h.maxBatch.value, r.maxBatch);
  // the header shows the estimator's own verdict: 'fits' only when the band's upper bound fits
  assert.equal(h.verdict === 'fits', e.fits === true);
  assert.equal(h.verdict === 'tight', e.verdict === 'tight');
});

test('breakdown, curve, timeline and table cover the real result', async () => {
  const r = await result();
  const e = r.estimates[0]!;
  const b = breakdownOf(e.bytes);
  assert.equal(Math.max(b.segments.reduce((a, s) => a + s.bytes, 0), e.bytes.device), b.total);
  assert.match(renderBreakdown(e.bytes, 8 * GIB, r.margin), /<svg/);
  const curve = renderCurveChart({ curve: r.curve, vramBytes: 8 * GIB, margin: r.margin, currentBatch: 16, maxBatch: r.maxBatch });
  assert.match(curve, new RegExp(`max ${r.maxBatch}`));
  assert.equal((renderTimelineChart(r.timeline, null).match(/class="hit"/g) ?? []).length, r.timeline.length);
  const rows = tableRows(r);
  const view = buildTable(rows, { ...DEFAULT_QUERY, pageSize: 10000 });
  assert.equal(view.total, r.layers.length + r.lossLayers.length);
  for (const g of r.model.groups) {
    const item = view.items.find((i) => i.kind === 'group' && i.group === g.group);
    assert.ok(item && item.kind === 'group', `group ${g.group} listed`);
    assert.equal(item.params, g.params, `${g.group} params`);
    assert.equal(item.activationBytes, g.activationBytes, `${g.group} activation bytes`);
  }
  assert.equal(toCsv(r).trimEnd().split('\r\n').length, 1 + rows.length);
});
