// The three-state verdict (issue #21) on every surface, from real estimates: a batch between the
// largest that surely fits and the largest that may fit is 'tight' — an information-level marker
// whose quick fix (the sure batch) leaves no marker, a warning-toned status bar, the band on the
// hover card and the chart, and the JSON contract of the CLI.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import type { AnalysisResult, GpuInfo } from '../../src/core/result';
import { scanScriptAsync } from '../../src/core/scripts';
import { batchProblem } from '../../src/extension/batch-diagnostics';
import { renderHoverCard } from '../../src/extension/hover-card';
import { statusForResult } from '../../src/extension/status-text';
import { main } from '../../src/cli/cli';
import { renderCurveChart } from '../../webview/panel/curveChart';

const GIB = 2 ** 30;
const gpu: GpuInfo = { name: 'NVIDIA GeForce RTX 3070', totalBytes: 8 * GIB, source: 'preset' };
const opts = { model: 'yolov8n', imgsz: 640, amp: true, optimizer: 'sgd' as const, gpu };
let probe: AnalysisResult;
let tight: AnalysisResult;
let sure: AnalysisResult;

before(async () => {
  probe = await analyze({ ...opts, batch: [16] });
  assert.ok(probe.maxBatch !== null && probe.maxBatchTight !== null && probe.maxBatchTight > probe.maxBatch, `sure ${probe.maxBatch}, may ${probe.maxBatchTight}`);
  tight = await analyze({ ...opts, batch: [probe.maxBatchTight!] });
  sure = await analyze({ ...opts, batch: [probe.maxBatch!] });
});

test('core: the two max batches bracket the tight range; fits is true only for the verdict "fits"', () => {
  const t = tight.estimates[0]!;
  const s = sure.estimates[0]!;
  assert.equal(t.verdict, 'tight');
  assert.equal(t.fits, false);
  assert.equal(s.verdict, 'fits');
  assert.equal(s.fits, true);
  assert.ok(t.upper.reserved > t.bytes.reserved && t.upper.device === t.upper.reserved + t.bytes.cudaContext);
  assert.match(t.verdictReason!, /upper bound/);
  assert.equal(s.verdictReason, null);
  assert.equal(tight.schemaVersion, 2);
  assert.equal(tight.maxBatch, probe.maxBatch);
  assert.equal(tight.maxBatchTight, probe.maxBatchTight);
  // one past the largest that may fit: not even the estimate fits
  return analyze({ ...opts, batch: [probe.maxBatchTight! + 1] }).then((over) => assert.equal(over.estimates[0]!.verdict, 'does-not-fit'));
});

test('diagnostics: "tight" is information with a fix to the sure batch, and the fixed script has no marker', async () => {
  const script = (b: number) => `from ultralytics import YOLO\nmodel = YOLO("yolov8n.yaml")\nmodel.train(data="coco8.yaml", imgsz=640, batch=${b})\n`;
  const scan = await scanScriptAsync(script(probe.maxBatchTight!), 'python');
  const p = batchProblem(scan.runs[0]!, tight, true);
  assert.ok(p);
  assert.equal(p.severity, 'information');
  assert.match(p.message, /tight/);
  assert.ok(!p.message.includes('\n'));
  assert.equal(p.fix?.batch, probe.maxBatch);
  const fixed = await scanScriptAsync(script(p.fix!.batch), 'python');
  assert.equal(batchProblem(fixed.runs[0]!, sure, true), null);
});

test('status bar and hover: warning tone, upper bound and the two max batches', () => {
  const s = statusForResult(tight);
  assert.equal(s.tone, 'warning');
  assert.match(s.text, /^\$\(warning\) /);
  assert.match(s.tooltip, /Upper bound: /);
  assert.match(s.tooltip, new RegExp(`may fit up to ${probe.maxBatchTight}`));
  const md = renderHoverCard(tight);
  assert.match(md, /\$\(warning\) \*\*batch \d+ fits, but tight/);
  assert.match(md, /Band: reserved .* \(estimate\) to .* \(upper bound\)/);
  assert.match(md, /dataset unknown: density assumed, a dense dataset can need several times more/);
  assert.match(md, new RegExp(`may fit up to ${probe.maxBatchTight}`));
  assert.match(renderHoverCard(sure), /\$\(pass\) \*\*batch \d+ fits\*\*/);
});

test('panel chart: the band between the estimate and its upper bound, and the tight range described', () => {
  const svg = renderCurveChart({ curve: tight.curve, vramBytes: gpu.totalBytes, margin: tight.margin, currentBatch: probe.maxBatchTight!, maxBatch: tight.maxBatch, maxBatchTight: tight.maxBatchTight });
  assert.match(svg, /<path class="curve-band" d="M[^"]+Z"><\/path>/);
  assert.match(svg, /are tight: the estimate fits, the band&#39;s upper bound does not/);
  assert.ok(tight.curve.every((c) => c.upperDevice >= c.device));
});

test('CLI: JSON carries schemaVersion, verdict, upper, maxBatch / maxBatchTight; text says TIGHT and why', async () => {
  let out = '';
  const io = { stdout: (s: string) => (out += s), stderr: () => {}, env: {} };
  const args = ['estimate', 'yolov8n', '--gpu-memory', '8GiB', '--optimizer', 'sgd', '--batch', String(probe.maxBatchTight)];
  assert.equal(await main([...args, '--json'], io), 0);
  const j = JSON.parse(out);
  assert.equal(j.schemaVersion, 2);
  assert.ok(['fits', 'tight', 'does-not-fit'].includes(j.estimates[0].verdict));
  assert.equal(j.estimates[0].fits, j.estimates[0].verdict === 'fits');
  assert.equal(typeof j.estimates[0].upper.reserved, 'number');
  assert.equal(typeof j.estimates[0].upper.device, 'number');
  assert.ok(j.maxBatchTight >= j.maxBatch);
  assert.equal(typeof j.errorBand.factor, 'number');
  out = '';
  assert.equal(await main(args, io), 0);
  assert.match(out, /upper bound {2,}/);
  assert.match(out, /largest batch that fits with a 10% margin: \d+ \(surely: its upper bound fits\)/);
});
