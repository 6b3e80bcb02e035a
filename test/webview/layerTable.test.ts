import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTable, DEFAULT_QUERY, locateRow, renderTableBody, tableRows, type RowItem, type TableQuery } from '../../webview/panel/layerTable';
import { sampleLayers, sampleResult } from './sample';

const q = (over: Partial<TableQuery> = {}): TableQuery => ({ ...DEFAULT_QUERY, collapsed: [], ...over });
const rowsOf = (items: ReturnType<typeof buildTable>['items']) => items.filter((i): i is RowItem => i.kind === 'row');

test('rows are grouped backbone, neck, head with totals of their rows', () => {
  const rows = sampleLayers(60);
  const v = buildTable(rows, q({ pageSize: 1000 }));
  const groups = v.items.filter((i) => i.kind === 'group');
  assert.deepEqual(
    groups.map((g) => g.group),
    ['backbone', 'neck', 'head'],
  );
  for (const g of groups) {
    const mine = rows.filter((r) => r.group === g.group);
    assert.equal(g.count, mine.length);
    assert.equal(g.params, mine.reduce((a, r) => a + r.params, 0));
    assert.equal(g.activationBytes, mine.reduce((a, r) => a + r.activationBytes, 0));
  }
  assert.equal(rowsOf(v.items).length, 60);
  assert.equal(v.activationTotal, rows.reduce((a, r) => a + r.activationBytes, 0));
});

test('shares add up to 1 and the bar is relative to the largest layer', () => {
  const v = buildTable(sampleLayers(60), q({ pageSize: 1000 }));
  const rs = rowsOf(v.items);
  assert.ok(Math.abs(rs.reduce((a, r) => a + r.share, 0) - 1) < 1e-9);
  assert.equal(Math.max(...rs.map((r) => r.bar)), 1);
});

test('sorting happens within each group, descending with index tie-break', () => {
  const v = buildTable(sampleLayers(60), q({ sort: 'activationBytes', desc: true, pageSize: 1000 }));
  let group = '';
  let prev = Infinity;
  let prevIndex = -1;
  for (const it of v.items) {
    if (it.kind === 'group') {
      group = it.group;
      prev = Infinity;
      prevIndex = -1;
      continue;
    }
    assert.equal(it.row.group, group);
    assert.ok(it.row.activationBytes <= prev);
    if (it.row.activationBytes === prev) assert.ok(it.row.index > prevIndex, 'ties keep index order');
    prev = it.row.activationBytes;
    prevIndex = it.row.index;
  }
  const byName = rowsOf(buildTable(sampleLayers(20), q({ sort: 'name', pageSize: 1000 })).items).map((r) => r.row.name);
  const backboneNames = byName.slice(0, 10);
  assert.deepEqual(backboneNames, [...backboneNames].sort((a, b) => a.localeCompare(b)));
});

test('the filter matches every term against name, type and module, case-insensitively', () => {
  const rows = sampleLayers(60);
  const v = buildTable(rows, q({ filter: 'CONV2D model.1/', pageSize: 1000 }));
  assert.ok(v.matched > 0 && v.matched < 60);
  for (const r of rowsOf(v.items)) assert.ok(r.row.type === 'conv2d' && r.row.name.includes('model.1'));
  const none = buildTable(rows, q({ filter: 'nothing-like-this' }));
  assert.equal(none.matched, 0);
  assert.match(renderTableBody(none, null), /No layer matches the filter/);
});

test('loss ops are listed as their own group after the head, and count in the % column', () => {
  const r = sampleResult({ layers: 30 });
  const rows = tableRows(r);
  assert.equal(rows.length, 30 + r.lossLayers.length);
  const v = buildTable(rows, q({ pageSize: 1000 }));
  assert.deepEqual(
    v.items.filter((i) => i.kind === 'group').map((g) => g.group),
    ['backbone', 'neck', 'head', 'loss'],
  );
  assert.equal(v.activationTotal, r.estimates[0]!.bytes.activations);
});

test('a collapsed group keeps its header and hides its rows', () => {
  const v = buildTable(sampleLayers(60), q({ collapsed: ['neck'], pageSize: 1000 }));
  const neck = v.items.find((i) => i.kind === 'group' && i.group === 'neck');
  assert.ok(neck && neck.kind === 'group' && neck.collapsed && neck.count === 18);
  assert.equal(rowsOf(v.items).filter((r) => r.row.group === 'neck').length, 0);
  assert.equal(v.matched, 60);
});

test('2,500 rows are paged; a page that starts mid-group repeats its header', () => {
  const rows = sampleLayers(2500);
  const first = buildTable(rows, q({ pageSize: 200 }));
  assert.equal(first.pageCount, Math.ceil((2500 + 3) / 200));
  assert.equal(first.items.length, 200);
  const p3 = buildTable(rows, q({ pageSize: 200, page: 3 }));
  assert.equal(p3.items[0]!.kind, 'group');
  assert.equal(p3.items[0]!.kind === 'group' && p3.items[0]!.continued, true);
  assert.equal(p3.items.length, 201);
  // Every row appears on exactly one page.
  const seen = new Set<number>();
  for (let p = 0; p < first.pageCount; p++) for (const r of rowsOf(buildTable(rows, q({ pageSize: 200, page: p })).items)) seen.add(r.row.index);
  assert.equal(seen.size, 2500);
  // Out-of-range pages clamp.
  assert.equal(buildTable(rows, q({ pageSize: 200, page: 999 })).page, first.pageCount - 1);
  assert.equal(buildTable(rows, q({ pageSize: 200, page: -4 })).page, 0);
});

test('locateRow finds the page of a layer, and asks to expand a collapsed group', () => {
  const rows = sampleLayers(2500);
  const where = locateRow(rows, q({ pageSize: 200 }), 1000);
  assert.ok(where);
  const page = buildTable(rows, q({ pageSize: 200, page: where.page }));
  assert.ok(rowsOf(page.items).some((r) => r.row.index === 1000));
  assert.equal(locateRow(rows, q({ pageSize: 200, collapsed: ['backbone'] }), 10)?.collapsedGroup, 'backbone');
  assert.equal(locateRow(rows, q({ filter: 'silu' }), 0), null, 'filtered out');
  assert.equal(locateRow(rows, q(), 99999), null);
});

test('rendered rows escape names and mark the selected row for keyboard and screen readers', () => {
  const rows = sampleLayers(6);
  rows[2]!.name = '<script>alert(1)</script>';
  rows[3]!.unsupported = 'NonMaxSuppression is not modelled';
  const html = renderTableBody(buildTable(rows, q()), 2);
  assert.ok(!html.includes('<script>'));
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /data-index="2" tabindex="0" aria-selected="true"/);
  assert.match(html, /data-index="1" tabindex="-1" aria-selected="false"/);
  assert.match(html, /unsupported/);
  assert.match(html, /aria-expanded="true"/);
  assert.ok(!/style=/.test(html), 'no inline styles (CSP)');
});
