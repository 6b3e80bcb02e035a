// The panel's side of "Measure on this GPU": its messages, validated both ways, the controller's
// handling of the button and of re-sends, and the section's HTML (escaped, per phase, with errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHostToPanel, parseWebviewMessage, type HostToPanelMessage } from '../../src/protocol/webview';
import { validateMeasuredView, type MeasuredView } from '../../src/protocol/measured';
import { PanelController } from '../../src/extension/panel/panelController';
import type { AnalyzeOptions } from '../../src/core/options';
import { measuredView } from '../../src/core/measure/view';
import { parseProbeLine } from '../../src/core/measure/protocol';
import type { BatchMeasurement } from '../../src/core/measure/run-probe';
import { measuredHtml } from '../../webview/panel/measuredSection';
import { analyze } from '../../src/core/analyze';

const root = join(import.meta.dirname, '..', '..');

/** The recorded GPU fixture, folded into a measurement as the runner does. */
function fixtureMeasurement(): BatchMeasurement {
  const m: BatchMeasurement = { batch: 16, outcome: 'error', oomPhase: null, message: '', phases: {}, versions: null, device: null };
  for (const line of readFileSync(join(root, 'test/fixtures/measure/gpu-fits.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const msg = parseProbeLine(line);
    if (msg.type === 'hello') [m.versions, m.device] = [msg.versions, msg.device];
    if (msg.type === 'phase') m.phases[msg.phase] = msg.memory;
    if (msg.type === 'result') [m.outcome, m.message] = [msg.outcome, msg.message];
  }
  return m;
}

test('a measured view survives the host → panel validator; bad ones are refused', async () => {
  const r = await analyze({ model: 'yolov8n', batch: [16], imgsz: 640 });
  const view = measuredView(fixtureMeasurement(), { model: 'yolov8n', imgsz: 640, amp: true, optimizer: 'auto', device: '0' }, r.estimates[0], new Date(0));
  const parsed = parseHostToPanel(structuredClone({ type: 'measured', view }));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.ok && parsed.value, { type: 'measured', view });
  assert.equal(view.rows.length, 9);
  assert.ok(parseHostToPanel({ type: 'measured', view: null }).ok);
  const bad = parseHostToPanel({ type: 'measured', view: { ...view, status: 'exploded' } });
  assert.ok(!bad.ok && /measured\.view\.status/.test(bad.error));
  assert.throws(() => validateMeasuredView({ ...view, rows: [{ ...view.rows[0], measuredBytes: -1 }] }), /measuredBytes/);
});

test('the panel may ask to measure, with nothing else in the message', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'measure' }, 'panel'), { ok: true, value: { type: 'measure' } });
  assert.equal(parseWebviewMessage({ type: 'measure', model: '/etc/passwd' }, 'panel').ok, false);
  assert.equal(parseWebviewMessage({ type: 'measure' }, 'sidebar').ok, false);
});

test('the controller runs measure with its own options, and re-sends the measured view after ready', async () => {
  const posted: HostToPanelMessage[] = [];
  const asked: AnalyzeOptions[] = [];
  const options = { model: 'yolov8n', batch: [16], imgsz: 640 };
  const r = await analyze(options);
  const c = new PanelController({ post: (m) => (posted.push(structuredClone(m)), true), estimate: async () => r, showLog: () => {}, copyText: async () => {}, saveText: async () => undefined, log: () => {}, measure: (o) => asked.push(o) }, options, r);
  await c.handle({ type: 'measure' });
  assert.deepEqual(asked, [options]);
  const view: MeasuredView = { model: 'yolov8n', batch: 16, imgsz: 640, status: 'oom', message: 'did not fit at batch 16, in phase steady', device: null, rows: [], measuredAt: null };
  c.setMeasured(view);
  posted.length = 0;
  await c.handle({ type: 'ready' });
  assert.deepEqual(posted.map((m) => m.type), ['panelState', 'measured']);
  c.dispose();
});

test('the section shows each phase measured beside the estimate with the error, escaped', () => {
  const html = measuredHtml({ model: 'm', batch: 16, imgsz: 640, status: 'fits', message: 'fits <b>', device: 'GPU & co', rows: [{ phase: 'steady', figure: 'reserved', measuredBytes: 410 * 2 ** 20, estimatedBytes: 451 * 2 ** 20, error: 0.1 }], measuredAt: null });
  assert.match(html, /data-status="fits"/);
  assert.match(html, /fits &lt;b&gt;/);
  assert.match(html, /GPU &amp; co/);
  assert.match(html, /<td>Steady steps<\/td><td>reserved \(GPU_mem\)<\/td><td class="num">410 MiB<\/td><td class="num">451 MiB<\/td><td class="num">\+10\.0%<\/td>/);
  assert.match(measuredHtml({ model: 'm', batch: 64, imgsz: 640, status: 'oom', message: 'did not fit at batch 64, in phase validation', device: null, rows: [], measuredAt: null }), /Out of memory<\/strong> — did not fit at batch 64, in phase validation/);
});
