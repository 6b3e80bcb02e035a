// The public calibration set (test/data/public-runs/) must stay machine-readable: the verdict and
// accuracy code reads it as-is. These tests run scripts/calibration/check-runs.mjs on the committed
// files and on small malformed inputs, so a bad row fails `npm test` with the line it is on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  RUN_COLUMNS, checkPublicRuns, checkRunFile, checkDatasetFile, parseCsv, expectedUnit, cardBytes, familyOf, gpuClassOf, summarize,
} from '../../scripts/calibration/check-runs.mjs';

const dir = join(import.meta.dirname, '..', 'data', 'public-runs');
const header = RUN_COLUMNS.join(',');

/** One valid runs.csv row, with fields overridden by name. */
function row(over: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    id: 'r1', source_url: 'https://github.com/o/r/issues/1', source_group: 'gh-o-r-1', kind: 'ultralytics',
    ultralytics_version: '8.3.40', torch_version: '2.5.1+cu121', cuda_version: '12.1', gpu_name: 'Tesla T4',
    gpu_memory: '15102MiB', model: 'yolo11n.pt', task: 'detect', imgsz: '640', batch: '16', amp: 'true',
    workers: '8', cache: 'false', rect: 'false', dataset: 'coco8', objects_per_image: '4.25',
    gpu_mem_epoch1: '2.61', gpu_mem_max: '2.7', gpu_mem_unit: 'GB', outcome: 'ok', oom_phase: '', notes: '',
  };
  const r = { ...base, ...over };
  return RUN_COLUMNS.map((k) => (/[",\n]/.test(r[k]) ? `"${r[k].replace(/"/g, '""')}"` : r[k])).join(',');
}
const file = (...rows: string[]) => [header, ...rows].join('\n') + '\n';

test('committed calibration set passes every check', () => {
  assert.deepEqual(checkPublicRuns(dir), []);
});

test('committed set holds both training rows and out-of-memory rows', () => {
  const runs = parseCsv(readFileSync(join(dir, 'runs.csv'), 'utf8')).slice(1);
  const oom = parseCsv(readFileSync(join(dir, 'oom.csv'), 'utf8')).slice(1);
  assert.ok(runs.length > 0 && oom.length > 0);
  const outcome = RUN_COLUMNS.indexOf('outcome');
  assert.ok(oom.some((r) => r[outcome] === 'oom'));
});

test('a valid row passes', () => {
  assert.deepEqual(checkRunFile(file(row()), 'runs.csv', 'runs'), []);
});

test('header must start with the agreed columns; extra columns only at the end', () => {
  const swapped = header.replace('imgsz,batch', 'batch,imgsz');
  assert.match(checkRunFile(`${swapped}\n`, 'runs.csv', 'runs')[0], /header must start with/);
  const extended = `${header},extra\n${row()},x\n`;
  assert.deepEqual(checkRunFile(extended, 'runs.csv', 'runs'), []);
});

test('enum values, required fields and numbers are checked', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ kind: 'yolov7' }, /kind 'yolov7'/],
    [{ task: 'segmentation' }, /task 'segmentation'/],
    [{ amp: 'yes' }, /amp 'yes'/],
    [{ model: '' }, /model is empty/],
    [{ batch: '-1' }, /batch '-1'/],
    [{ imgsz: '640.5' }, /imgsz/],
    [{ gpu_mem_epoch1: '2.6G' }, /gpu_mem_epoch1 '2.6G'/],
    [{ gpu_mem_epoch1: '' , gpu_mem_max: ''}, /need gpu_mem_epoch1|gpu_mem_unit given/],
    [{ source_url: 'github.com/o/r' }, /not an http/],
    [{ gpu_memory: '15 gigs' }, /gpu_memory/],
    [{ outcome: 'oom', oom_phase: 'first-step' }, /completed runs only/],
    [{ cache: 'None' }, /cache 'None'/],
  ];
  for (const [over, re] of cases) {
    const problems = checkRunFile(file(row(over)), 'runs.csv', 'runs');
    assert.ok(problems.some((p) => re.test(p)), `${JSON.stringify(over)} -> ${problems.join(' / ')}`);
  }
  // a source that shows only later epochs: epoch 1 stays empty, the row is still valid
  assert.deepEqual(checkRunFile(file(row({ gpu_mem_epoch1: '' })), 'runs.csv', 'runs'), []);
});

test('the GPU_mem unit must match the version that printed it (GB through 8.3.75, GiB from 8.3.76; YOLOv5 GB)', () => {
  assert.equal(expectedUnit('ultralytics', '8.3.75'), 'GB');
  assert.equal(expectedUnit('ultralytics', '8.3.76'), 'GiB');
  assert.equal(expectedUnit('ultralytics', '8.4.0'), 'GiB');
  assert.equal(expectedUnit('ultralytics', '8.0.227'), 'GB');
  assert.equal(expectedUnit('yolov5', 'v7.0-136-g71244ae'), 'GB');
  assert.equal(expectedUnit('ultralytics', ''), undefined);
  const p = checkRunFile(file(row({ ultralytics_version: '8.3.100', gpu_mem_unit: 'GB' })), 'runs.csv', 'runs');
  assert.ok(p.some((x) => /prints GiB/.test(x)), p.join(' / '));
});

test('a GPU_mem above the card is caught (unit slips)', () => {
  assert.equal(cardBytes('15102MiB'), 15102 * 2 ** 20);
  assert.equal(cardBytes('16160.5MB'), 16160.5 * 2 ** 20);
  assert.equal(cardBytes('14.75G'), 14.75 * 2 ** 30);
  const p = checkRunFile(file(row({ gpu_mem_epoch1: '16.2' })), 'runs.csv', 'runs');
  assert.ok(p.some((x) => /exceeds the card/.test(x)), p.join(' / '));
});

test('duplicate ids and duplicate rows are caught, also across files', () => {
  const dup = checkRunFile(file(row(), row({ id: 'r2' })), 'runs.csv', 'runs');
  assert.ok(dup.some((x) => /same source, configuration/.test(x)), dup.join(' / '));
  const ids = new Map<string, string>();
  checkRunFile(file(row()), 'runs.csv', 'runs', ids);
  const cross = checkRunFile(file(row({ outcome: 'oom', oom_phase: 'first-step', gpu_mem_epoch1: '', gpu_mem_max: '', gpu_mem_unit: '' })), 'oom.csv', 'oom', ids);
  assert.ok(cross.some((x) => /duplicate id/.test(x)), cross.join(' / '));
});

test('oom.csv: oom rows need a phase, near-limit rows need the GPU_mem', () => {
  const noPhase = checkRunFile(file(row({ outcome: 'oom', oom_phase: '' })), 'oom.csv', 'oom');
  assert.ok(noPhase.some((x) => /oom_phase/.test(x)));
  const near = checkRunFile(file(row({ outcome: 'near-limit', gpu_mem_epoch1: '', gpu_mem_max: '', gpu_mem_unit: '' })), 'oom.csv', 'oom');
  assert.ok(near.some((x) => /near-limit rows need/.test(x)));
  assert.deepEqual(checkRunFile(file(row({ outcome: 'oom', oom_phase: 'later-epoch' })), 'oom.csv', 'oom'), []);
});

test('quoted fields with commas and quotes parse; a ragged row is reported with its line', () => {
  assert.deepEqual(parseCsv('a,"b, ""c""",d\n'), [['a', 'b, "c"', 'd']]);
  const ragged = checkRunFile(`${header}\n${row()}\nx,y\n`, 'runs.csv', 'runs');
  assert.ok(ragged.some((x) => /^runs\.csv:3: 2 fields/.test(x)), ragged.join(' / '));
});

test('datasets.csv: mean must agree with instances / images', () => {
  const h = 'dataset,images,instances,objects_per_image_mean,objects_per_image_max,source_url';
  assert.deepEqual(checkDatasetFile(`${h}\nx,10,100,10,40,https://e.org\n`, 'datasets.csv'), []);
  const bad = checkDatasetFile(`${h}\nx,10,100,7,40,https://e.org\n`, 'datasets.csv');
  assert.ok(bad.some((x) => /instances\/images/.test(x)));
});

test('family and GPU class used by the summary tables', () => {
  assert.equal(familyOf('yolov5', 'yolov5s.pt'), 'YOLOv5 (yolov5 repo)');
  assert.equal(familyOf('ultralytics', 'yolov5n.pt'), 'YOLOv5u');
  assert.equal(familyOf('ultralytics', 'yolo11n-seg.pt'), 'YOLO11');
  assert.equal(familyOf('ultralytics', 'yolov8s-pose.pt'), 'YOLOv8');
  assert.equal(familyOf('ultralytics', 'yolo26n.pt'), 'YOLO26');
  assert.equal(gpuClassOf('Tesla T4'), 'T4');
  assert.equal(gpuClassOf('NVIDIA GeForce RTX 4060 Laptop GPU'), 'laptop GPU');
  assert.equal(gpuClassOf('NVIDIA A100-SXM4-40GB'), 'A100');
  assert.equal(gpuClassOf('NVIDIA GeForce RTX 3090'), 'RTX 30xx');
  assert.equal(gpuClassOf('Tesla P100-PCIE-16GB'), 'P100');
  assert.match(summarize(dir), /training rows \(runs\.csv\)/);
});
