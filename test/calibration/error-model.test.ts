// The calibration harness and the error model (issue #21): the CSV reader, the row-to-options rules
// (units by version), the leave-one-source-out fit, the band and the verdict; and the stored
// error-model.json recomputed from test/data/public-runs/ (run `npm run accuracy -- --write` after
// the CSV changes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../src/core/calibration/csv';
import { gigaOf, normaliseModel, prepareRow, type CalibrationRow } from '../../src/core/calibration/runs';
import type { EvaluatedRow } from '../../src/core/calibration/evaluate';
import { evaluateCalibration } from '../../src/core/calibration/evaluate';
import { readCalibrationFiles, CALIBRATION_DIR } from '../../src/core/calibration/files';
import { crossValidatedFactors, fitErrorModel, quantile } from '../../src/core/calibration/fit';
import { densityKnowledge, ERROR_MODEL, upperBound, verdictOf } from '../../src/core/memory/band';

const GIB = 2 ** 30;

test('csv: quoted fields keep commas, doubled quotes and line breaks; rows keyed by the header', () => {
  const rows = parseCsv('id,notes,batch\r\na,"x, ""y""\nz",16\nb,,8\n');
  assert.deepEqual(rows, [
    { id: 'a', notes: 'x, "y"\nz', batch: '16' },
    { id: 'b', notes: '', batch: '8' },
  ]);
  assert.throws(() => parseCsv('id\n"open'), /never closed/);
});

const row = (o: Partial<CalibrationRow>): CalibrationRow =>
  ({ id: 'r', source_url: '', source_group: 'g', kind: 'ultralytics', ultralytics_version: '', torch_version: '', cuda_version: '', gpu_name: 'Tesla T4', gpu_memory: '15360MiB', model: 'yolov8n.pt', task: 'detect', imgsz: '640', batch: '16', amp: 'true', workers: '', cache: '', rect: '', dataset: '', objects_per_image: '', gpu_mem_epoch1: '2.5', gpu_mem_max: '', gpu_mem_unit: '', outcome: 'ok', oom_phase: '', notes: '', ...o }) as CalibrationRow;

test('rows: GPU_mem is GB before Ultralytics 8.3.86 and GiB from it; YOLOv5 prints GB; the unit column wins', () => {
  assert.equal(gigaOf(row({ ultralytics_version: '8.3.85' })), 1e9);
  assert.equal(gigaOf(row({ ultralytics_version: '8.3.86' })), GIB);
  assert.equal(gigaOf(row({ ultralytics_version: '8.4.1' })), GIB);
  assert.equal(gigaOf(row({ kind: 'yolov5', ultralytics_version: 'v7.0-136' })), 1e9);
  assert.equal(gigaOf(row({ ultralytics_version: '8.2.0', gpu_mem_unit: 'GiB' })), GIB);
  assert.equal(normaliseModel('yolov5l (custom cfg yolov5l_china.yaml)', 'detect'), 'yolov5l');
  assert.equal(normaliseModel('YOLO11n.pt', 'segment'), 'yolo11n-seg');
});

test('rows: options as a user would ask them; the mean density goes in as a density, not as the padded count', () => {
  const p = prepareRow(row({ dataset: 'coco128', objects_per_image: '7.27', amp: 'unknown', ultralytics_version: '8.3.57' }), new Map());
  assert.ok(p.ok);
  if (!p.ok) return;
  assert.equal(p.options.amp, true);
  assert.equal(p.options.gpu!.name, 'Tesla T4');
  assert.equal(p.options.objectsPerImage, undefined);
  assert.equal(p.options.datasetDensity!.mean, 7.27);
  assert.equal(p.measuredBytes, 2.5e9);
  const bad = prepareRow(row({ batch: '' }), new Map());
  assert.equal(bad.ok, false);
});

function ev(group: string, reserved: number, real: number, mean: number | null = 5): EvaluatedRow {
  return { id: `${group}-${reserved}-${real}`, file: 'runs.csv', group, task: 'detect', family: 'yolov8', gpuClass: '24GB', densityKnown: mean !== null, densityMean: mean, oom: false, real, realMax: null, reserved, context: 0.4 * GIB, needed: reserved, validationDevice: null, gpuTotal: 24 * GIB };
}

test('fit: the factor is a quantile of real / estimate, its level the lowest whose held-out-source coverage reaches 90 %', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  // 20 sources, ratios 1.00 .. 1.19: the held-out source's factor comes from the other 19
  const rows = Array.from({ length: 20 }, (_, i) => ev(`s${i}`, GIB, GIB * (1 + i / 100)));
  const m = fitErrorModel(rows, 'digest');
  const c = m.classes.dataset;
  assert.equal(c.n, 20);
  assert.ok(c.cvCoverage >= 0.9, JSON.stringify(c));
  assert.ok(c.factor >= 1.17 && c.factor <= 1.19, JSON.stringify(c));
  const cv = crossValidatedFactors(rows, c.quantile);
  const covered = rows.filter((r) => r.real! <= r.reserved * cv.get(r)!).length / rows.length;
  assert.equal(Math.round(covered * 1e4) / 1e4, c.cvCoverage);
  // a source's own rows never shape its own bound: the densest source is not covered by the others
  assert.ok(cv.get(rows[19])! < 1.19);
  // dense rows (mean >= 10) form their own class and do not widen the typical band
  const dense = Array.from({ length: 12 }, (_, i) => ev(`d${i}`, GIB, 5 * GIB, 12));
  const m2 = fitErrorModel([...rows, ...dense], 'digest');
  assert.equal(m2.classes.dataset.factor, c.factor);
  assert.ok(m2.classes.dense.factor >= 5);
});

test('band and verdict: fits when the upper bound fits, tight when only the estimate does, does-not-fit otherwise', () => {
  const model = { ...ERROR_MODEL, classes: { ...ERROR_MODEL.classes, dataset: { n: 10, quantile: 0.9, factor: 1.2, cvCoverage: 0.9 } } };
  const up = upperBound(10 * GIB, GIB, 'dataset', model);
  assert.equal(up.reserved, Math.ceil(12 * GIB));
  assert.equal(up.device, up.reserved + GIB);
  assert.equal(verdictOf(true, up.device, 14 * GIB), 'fits');
  assert.equal(verdictOf(true, up.device, 12 * GIB), 'tight');
  assert.equal(verdictOf(false, up.device, 12 * GIB), 'does-not-fit');
  assert.equal(densityKnowledge({ labelsRead: true, countGiven: false, mean: 30 }), 'dataset');
  assert.equal(densityKnowledge({ labelsRead: false, countGiven: false, mean: 12.3 }), 'dense');
  assert.equal(densityKnowledge({ labelsRead: false, countGiven: false, mean: null }), 'assumed');
});

const root = join(import.meta.dirname, '..', '..');
const haveCsv = existsSync(join(root, CALIBRATION_DIR));

test('error-model.json is what the calibration set gives (npm run accuracy -- --write regenerates it)', { skip: haveCsv ? false : `${CALIBRATION_DIR}/ is not in this checkout` }, async () => {
  const files = readCalibrationFiles(root);
  assert.equal(ERROR_MODEL.csvDigest, files.digest, 'the calibration CSV changed since error-model.json was written: run npm run accuracy -- --write');
  const e = await evaluateCalibration(files.files);
  assert.deepEqual(fitErrorModel(e.rows, files.digest), ERROR_MODEL);
});
