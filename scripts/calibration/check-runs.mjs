// Checks the public calibration set in test/data/public-runs/ (runs.csv, oom.csv, datasets.csv):
// the exact header, required fields, enum values, units, number formats, duplicates, and that no
// printed GPU_mem exceeds the card it was printed on (the usual sign of a GB/GiB or MiB/MB slip).
// Node only, no dependencies, so it runs before `npm install` and inside the unit tests
// (test/calibration/runs-csv.test.ts runs these same checks). Usage:
//   node scripts/calibration/check-runs.mjs [dir]             exit 0 when clean, 1 with one line per problem
//   node scripts/calibration/check-runs.mjs --summary [dir]   Markdown count tables for the README
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The columns every run file starts with, in this order; new columns may only be appended. */
export const RUN_COLUMNS = [
  'id', 'source_url', 'source_group', 'kind', 'ultralytics_version', 'torch_version', 'cuda_version',
  'gpu_name', 'gpu_memory', 'model', 'task', 'imgsz', 'batch', 'amp', 'workers', 'cache', 'rect',
  'dataset', 'objects_per_image', 'gpu_mem_epoch1', 'gpu_mem_max', 'gpu_mem_unit', 'outcome', 'oom_phase', 'notes',
];
export const DATASET_COLUMNS = ['dataset', 'images', 'instances', 'objects_per_image_mean', 'objects_per_image_max', 'source_url'];

export const KINDS = ['ultralytics', 'yolov5'];
export const TASKS = ['detect', 'segment', 'pose', 'obb', 'classify'];
export const OUTCOMES = ['ok', 'oom', 'near-limit'];
export const OOM_PHASES = ['first-step', 'later-epoch', 'validation', 'unknown'];
export const AMP_VALUES = ['true', 'false', 'unknown'];
export const MEM_UNITS = ['GB', 'GiB'];

/**
 * Ultralytics divided torch.cuda.memory_reserved() by 1e9 (GB) through 8.3.75 and by 2**30 (GiB) from
 * 8.3.76 on (ultralytics/engine/trainer.py `_get_memory`, checked in the 8.3.75 and 8.3.76 wheels);
 * YOLOv5's train.py divides by 1E9 (GB) in every release.
 */
export const GIB_FROM = [8, 3, 76];

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of strings. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field at end of file');
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** The unit a run printed GPU_mem in, from its kind and version; undefined when the version is unknown. */
export function expectedUnit(kind, version) {
  if (kind === 'yolov5') return 'GB';
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '');
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  for (let i = 0; i < 3; i++) if (v[i] !== GIB_FROM[i]) return v[i] > GIB_FROM[i] ? 'GiB' : 'GB';
  return 'GiB';
}

const UNIT_BYTES = { MiB: 2 ** 20, MB: 1e6, GiB: 2 ** 30, GB: 1e9 };

/**
 * Bytes of a card's memory as written in the source: '15102MiB' (Ultralytics/YOLOv5 headers),
 * '16160.5MB' (old YOLOv5 headers, which divided by 2**20 but wrote MB), '24GB', '14.75G' (AutoBatch, GiB).
 */
export function cardBytes(text) {
  const m = /^(\d+(?:\.\d+)?)\s?(MiB|MB|GiB|GB|G)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  // YOLOv5 printed total_memory / 1024**2 with the label 'MB' before it switched to 'MiB'.
  if (m[2] === 'MB') return n * 2 ** 20;
  if (m[2] === 'G') return n * 2 ** 30;
  return n * UNIT_BYTES[m[2]];
}

const isUInt = (s) => /^[1-9]\d*$/.test(s);
const isNum = (s) => /^\d+(\.\d+)?$/.test(s) && Number(s) > 0;

/**
 * Checks one run file (runs.csv: completed training rows; oom.csv: out-of-memory and near-limit rows).
 * Returns problems as 'file:line: message' strings; `seenIds` carries ids across files.
 */
export function checkRunFile(text, name, which, seenIds = new Map()) {
  const problems = [];
  let rows;
  try { rows = parseCsv(text); } catch (e) { return [`${name}: ${e.message}`]; }
  if (!rows.length) return [`${name}: empty file`];
  const header = rows[0];
  const prefix = header.slice(0, RUN_COLUMNS.length).join(',');
  if (prefix !== RUN_COLUMNS.join(',')) {
    return [`${name}:1: header must start with ${RUN_COLUMNS.join(',')}`];
  }
  const configs = new Map();
  rows.slice(1).forEach((cells, idx) => {
    const line = idx + 2;
    const at = `${name}:${line}`;
    if (cells.length === 1 && cells[0] === '') { problems.push(`${at}: blank line`); return; }
    if (cells.length !== header.length) { problems.push(`${at}: ${cells.length} fields, header has ${header.length}`); return; }
    const r = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    const bad = (msg) => problems.push(`${at} (${r.id || 'no id'}): ${msg}`);
    for (const k of ['id', 'source_url', 'source_group', 'kind', 'gpu_name', 'model', 'task', 'outcome']) if (!r[k]) bad(`${k} is empty`);
    if (r.id && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(r.id)) bad(`id '${r.id}' has characters other than letters, digits, . _ -`);
    if (r.id) {
      if (seenIds.has(r.id)) bad(`duplicate id (also ${seenIds.get(r.id)})`);
      else seenIds.set(r.id, at);
    }
    if (r.source_url && !/^https?:\/\/\S+$/.test(r.source_url)) bad(`source_url is not an http(s) address`);
    if (r.kind && !KINDS.includes(r.kind)) bad(`kind '${r.kind}' not in ${KINDS.join('|')}`);
    if (r.task && !TASKS.includes(r.task)) bad(`task '${r.task}' not in ${TASKS.join('|')}`);
    if (r.outcome && !OUTCOMES.includes(r.outcome)) bad(`outcome '${r.outcome}' not in ${OUTCOMES.join('|')}`);
    if (which === 'runs' && r.outcome && r.outcome !== 'ok') bad(`runs.csv holds completed runs only (outcome ok); '${r.outcome}' rows go to oom.csv`);
    if (which === 'oom' && r.outcome === 'ok') bad(`oom.csv holds oom and near-limit rows only`);
    if (r.outcome === 'oom' && !OOM_PHASES.includes(r.oom_phase)) bad(`oom row needs oom_phase in ${OOM_PHASES.join('|')}`);
    if (r.outcome !== 'oom' && r.oom_phase) bad(`oom_phase is only for oom rows`);
    if (r.amp && !AMP_VALUES.includes(r.amp)) bad(`amp '${r.amp}' not in ${AMP_VALUES.join('|')} (or empty)`);
    if (r.rect && !['true', 'false'].includes(r.rect)) bad(`rect '${r.rect}' not true|false (or empty)`);
    if (r.cache && !/^(true|false|ram|disk)$/i.test(r.cache)) bad(`cache '${r.cache}' not true|false|ram|disk (or empty)`);
    if (r.imgsz && !isUInt(r.imgsz)) bad(`imgsz '${r.imgsz}' is not a positive integer`);
    if (r.batch && !isUInt(r.batch)) bad(`batch '${r.batch}' is not a positive integer (record the per-GPU batch AutoBatch or DDP used)`);
    if (r.workers && !/^\d+$/.test(r.workers)) bad(`workers '${r.workers}' is not an integer`);
    if (r.objects_per_image && !isNum(r.objects_per_image)) bad(`objects_per_image '${r.objects_per_image}' is not a positive number`);
    const card = r.gpu_memory ? cardBytes(r.gpu_memory) : undefined;
    if (r.gpu_memory && card === undefined) bad(`gpu_memory '${r.gpu_memory}' is not a number with MiB|MB|GiB|GB|G`);
    for (const k of ['gpu_mem_epoch1', 'gpu_mem_max']) if (r[k] && !isNum(r[k])) bad(`${k} '${r[k]}' is not a positive number`);
    const hasMem = r.gpu_mem_epoch1 || r.gpu_mem_max;
    if (hasMem && !MEM_UNITS.includes(r.gpu_mem_unit)) bad(`gpu_mem_unit must be GB or GiB when a GPU_mem value is given`);
    if (!hasMem && r.gpu_mem_unit) bad(`gpu_mem_unit given without a GPU_mem value`);
    // epoch 1 may be missing when a source shows only later epochs (left empty, never guessed)
    if (which === 'runs' && !hasMem) bad(`runs.csv rows need gpu_mem_epoch1 or gpu_mem_max`);
    if (r.outcome === 'near-limit' && !r.gpu_mem_epoch1 && !r.gpu_mem_max) bad(`near-limit rows need the GPU_mem that was near the limit`);
    const want = expectedUnit(r.kind, r.ultralytics_version);
    if (hasMem && want && r.gpu_mem_unit && r.gpu_mem_unit !== want) bad(`gpu_mem_unit ${r.gpu_mem_unit} but ${r.kind} ${r.ultralytics_version || ''} prints ${want}`);
    if (hasMem && card && MEM_UNITS.includes(r.gpu_mem_unit)) {
      for (const k of ['gpu_mem_epoch1', 'gpu_mem_max']) {
        // Reserved memory cannot exceed the card; 1 % slack for the rounding of 3-significant-digit prints.
        if (r[k] && Number(r[k]) * UNIT_BYTES[r.gpu_mem_unit] > card * 1.01) bad(`${k} ${r[k]} ${r.gpu_mem_unit} exceeds the card's ${r.gpu_memory}`);
      }
    }
    if (r.ultralytics_version && r.kind === 'ultralytics' && !/^8\.\d+\.\d+$/.test(r.ultralytics_version)) bad(`ultralytics_version '${r.ultralytics_version}' is not 8.x.y`);
    if (r.cuda_version && !/^\d+\.\d+$/.test(r.cuda_version)) bad(`cuda_version '${r.cuda_version}' is not like 12.1`);
    const key = [r.source_url, r.model, r.task, r.imgsz, r.batch, r.gpu_mem_epoch1, r.outcome].join('|');
    if (configs.has(key)) bad(`same source, configuration and GPU_mem as ${configs.get(key)}`);
    else configs.set(key, r.id);
  });
  return problems;
}

/** Checks datasets.csv: header, unique names, counts that agree with the mean. */
export function checkDatasetFile(text, name) {
  const problems = [];
  let rows;
  try { rows = parseCsv(text); } catch (e) { return [`${name}: ${e.message}`]; }
  if (!rows.length || rows[0].slice(0, DATASET_COLUMNS.length).join(',') !== DATASET_COLUMNS.join(',')) {
    return [`${name}:1: header must start with ${DATASET_COLUMNS.join(',')}`];
  }
  const header = rows[0];
  const seen = new Set();
  rows.slice(1).forEach((cells, idx) => {
    const at = `${name}:${idx + 2}`;
    if (cells.length !== header.length) { problems.push(`${at}: ${cells.length} fields, header has ${header.length}`); return; }
    const r = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    if (!r.dataset) problems.push(`${at}: dataset is empty`);
    if (seen.has(r.dataset)) problems.push(`${at}: duplicate dataset '${r.dataset}'`);
    seen.add(r.dataset);
    if (!/^https?:\/\/\S+$/.test(r.source_url)) problems.push(`${at}: source_url is not an http(s) address`);
    for (const k of ['images', 'instances']) if (r[k] && !isUInt(r[k])) problems.push(`${at}: ${k} '${r[k]}' is not a positive integer`);
    for (const k of ['objects_per_image_mean', 'objects_per_image_max']) if (r[k] && !isNum(r[k])) problems.push(`${at}: ${k} '${r[k]}' is not a positive number`);
    if (r.images && r.instances && r.objects_per_image_mean) {
      const mean = Number(r.instances) / Number(r.images);
      if (Math.abs(mean - Number(r.objects_per_image_mean)) > 0.01 * mean + 0.01) problems.push(`${at}: objects_per_image_mean ${r.objects_per_image_mean} but instances/images = ${mean.toFixed(2)}`);
    }
    if (r.objects_per_image_max && r.objects_per_image_mean && Number(r.objects_per_image_max) < Number(r.objects_per_image_mean)) problems.push(`${at}: max below mean`);
  });
  return problems;
}

/** Checks every file of the set in `dir`; returns all problems (empty when clean). */
export function checkPublicRuns(dir) {
  const problems = [];
  const ids = new Map();
  for (const [file, which] of [['runs.csv', 'runs'], ['oom.csv', 'oom']]) {
    const p = join(dir, file);
    if (!existsSync(p)) { problems.push(`${file}: missing`); continue; }
    problems.push(...checkRunFile(readFileSync(p, 'utf8'), file, which, ids));
  }
  const d = join(dir, 'datasets.csv');
  if (existsSync(d)) problems.push(...checkDatasetFile(readFileSync(d, 'utf8'), 'datasets.csv'));
  return problems;
}

/**
 * Model family of a row, for per-family tables. Ultralytics loads 'yolov5n.pt' as the anchor-free
 * 'yolov5nu', so YOLOv5 names under kind 'ultralytics' are YOLOv5u; kind 'yolov5' is the original repo.
 */
export function familyOf(kind, model) {
  const m = (model ?? '').toLowerCase();
  if (kind === 'yolov5') return 'YOLOv5 (yolov5 repo)';
  const rules = [
    [/yolov5/, 'YOLOv5u'], [/yolov8/, 'YOLOv8'], [/yolov9|gelan/, 'YOLOv9'], [/yolov10/, 'YOLOv10'],
    [/yolo-?v?11/, 'YOLO11'], [/yolo-?v?12/, 'YOLO12'], [/yolo-?26/, 'YOLO26'], [/rtdetr|rt-detr/, 'RT-DETR'],
  ];
  for (const [re, name] of rules) if (re.test(m)) return name;
  return 'other';
}

/** GPU class of a row from the printed device name (laptop parts are kept apart: lower power, other clocks). */
export function gpuClassOf(name) {
  const n = (name ?? '').toUpperCase();
  if (/LAPTOP/.test(n)) return 'laptop GPU';
  const rules = [
    [/JETSON|ORIN|XAVIER/, 'Jetson'], [/\bT4\b/, 'T4'], [/P100/, 'P100'], [/V100/, 'V100'], [/A100/, 'A100'],
    [/H100|H200/, 'H100/H200'], [/\bL4\b/, 'L4'], [/\bA10G?\b/, 'A10/A10G'], [/\bA40\b|A6000|A5000|A4000|RTX PRO|QUADRO/, 'workstation (A40/RTX A-series/Quadro)'],
    [/RTX 50\d\d/, 'RTX 50xx'], [/RTX 40\d\d/, 'RTX 40xx'], [/RTX 30\d\d/, 'RTX 30xx'], [/RTX 20\d\d/, 'RTX 20xx'],
    [/GTX 16\d\d/, 'GTX 16xx'], [/GTX 10\d\d/, 'GTX 10xx'],
  ];
  for (const [re, cls] of rules) if (re.test(n)) return cls;
  return 'other/unnamed';
}

/** Markdown tables of row counts per kind, task, family, GPU class and outcome over runs.csv and oom.csv. */
export function summarize(dir) {
  const all = [];
  for (const file of ['runs.csv', 'oom.csv']) {
    const rows = parseCsv(readFileSync(join(dir, file), 'utf8'));
    const header = rows[0];
    for (const cells of rows.slice(1)) if (cells.length === header.length) all.push({ file, ...Object.fromEntries(header.map((h, i) => [h, cells[i]])) });
  }
  const table = (title, keyOf) => {
    const counts = new Map();
    for (const r of all) {
      const k = keyOf(r);
      const c = counts.get(k) ?? { ok: 0, oom: 0, 'near-limit': 0 };
      c[r.outcome] = (c[r.outcome] ?? 0) + 1;
      counts.set(k, c);
    }
    const lines = [`| ${title} | ok | oom | near-limit |`, '| --- | ---: | ---: | ---: |'];
    for (const [k, c] of [...counts].sort((a, b) => String(a[0]).localeCompare(String(b[0])))) lines.push(`| ${k} | ${c.ok} | ${c.oom} | ${c['near-limit']} |`);
    return lines.join('\n');
  };
  const groups = new Set(all.map((r) => r.source_group));
  return [
    `${all.filter((r) => r.file === 'runs.csv').length} training rows (runs.csv), ${all.filter((r) => r.file === 'oom.csv').length} out-of-memory / near-limit rows (oom.csv), ${groups.size} source groups.`,
    '', table('kind', (r) => r.kind), '', table('task', (r) => r.task), '', table('family', (r) => familyOf(r.kind, r.model)),
    '', table('GPU class', (r) => gpuClassOf(r.gpu_name)), '', table('GPU_mem unit', (r) => r.gpu_mem_unit || '(none printed)'),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'data', 'public-runs');
  if (args.includes('--summary')) { console.log(summarize(dir)); process.exit(0); }
  const problems = checkPublicRuns(dir);
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`${problems.length} problem(s) in ${dir}`);
    process.exit(1);
  }
  console.log(`public runs OK: ${dir}`);
}
