import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSV_COLUMNS, csvCell, suggestedFileName, toCsv, toJson, toMarkdown } from '../../src/extension/panel/exportText';
import { formatBytes } from '../../webview/shared/format';
import { sampleResult } from './sample';

test('CSV: one row per layer with raw integers that re-import exactly', () => {
  const r = sampleResult({ layers: 20 });
  const lines = toCsv(r).trimEnd().split('\r\n');
  assert.equal(lines[0], CSV_COLUMNS.join(','));
  assert.equal(lines.length, 1 + 20 + r.lossLayers.length, 'layers and loss ops');
  assert.match(lines.at(-1)!, /,loss,/);
  const cols = lines[5]!.split(',');
  const l = r.layers[4]!;
  assert.equal(Number(cols[CSV_COLUMNS.indexOf('activationBytes')]), l.activationBytes);
  assert.equal(Number(cols[CSV_COLUMNS.indexOf('params')]), l.params);
  assert.equal(cols[CSV_COLUMNS.indexOf('outputShape')], l.outputShape.join('x'));
});

test('CSV cells are quoted, and formula-looking text is defused', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('-1+1'), "'-1+1");
  assert.equal(csvCell(-5), '-5');
  assert.equal(csvCell(null), '');
});

test('Markdown has the summary, the estimate table and every layer; pipes are escaped', () => {
  const r = sampleResult({ layers: 10 });
  r.layers[0]!.name = 'a|b';
  const md = toMarkdown(r, { model: 'yolov8n.pt', deployPrecision: 'fp16' });
  assert.match(md, /^# yolov8n: training memory/);
  // the decisive figure first, then the usable VRAM and the verdict, then the other totals
  const x = r.estimates[0]!;
  const cells = [formatBytes(x.neededDevice), formatBytes(0.9 * r.gpu!.totalBytes), 'Fits', formatBytes(x.bytes.allocated), formatBytes(x.bytes.reserved), formatBytes(x.bytes.device)];
  assert.ok(md.includes(`| 16 | 16 | 640 | yes | sgd | ${cells.join(' | ')} |`), md);
  assert.match(md, new RegExp(`Largest batch that fits: \\*\\*${r.maxBatch}\\*\\*`));
  assert.match(md, /Deployed weights \(fp16\)/);
  assert.match(md, /a\\\|b/);
  assert.equal((md.match(/^\| \d+ \| /gm) ?? []).length, 1 + 10 + r.lossLayers.length, 'one estimate row + one row per layer and loss op');
});

test('JSON is the result itself; file names are safe', () => {
  const r = sampleResult({ layers: 3 });
  assert.deepEqual(JSON.parse(toJson(r)), r);
  assert.equal(suggestedFileName({ ...r, model: { ...r.model, name: '../../etc/passwd' } }, 'csv'), '.._.._etc_passwd-memory.csv');
  assert.equal(suggestedFileName({ ...r, model: { ...r.model, name: '???' } }, 'json'), 'model-memory.json');
});
