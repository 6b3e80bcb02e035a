// Read an Ultralytics (or YOLOv5) dataset YAML — `data=coco8.yaml`, `--data data/my.yaml` — and
// resolve its paths the way `check_det_dataset` does, without downloading anything.
//
// Root (`path:`) resolution, first existing candidate wins:
//   1. absolute → as is;
//   2. relative to the YAML's folder (Ultralytics ≥ 8.4 tries this first);
//   3. relative to the training process's cwd (Ultralytics 8.3.x: `Path(path).exists()`; YOLOv5
//      resolves against its repo folder, which is the cwd when train.py is run from it);
//   4. relative to Ultralytics' DATASETS_DIR when the caller knows it.
// No `path:` → the YAML's folder. Then each split: `root / value` resolved; when that does not
// exist and the value starts with `../`, `root / value[3:]` (Ultralytics' fallback); lists are
// resolved element by element.

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileKind, NotRegularFileError, readRegularFile } from '../fs/regular-file';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { datasetYamlPath } from './paths';
import { DatasetError, type DatasetSpec, type DatasetYamlResult, type SplitName } from './types';

/** Alias expansions allowed while reading (a "billion laughs" file stops here). */
export const MAX_ALIAS_COUNT = 100;
/** A dataset YAML is a few KB; refuse anything absurd (ImageNet's names list is ~40 KB). 1 MiB
 *  keeps the parse (~20 us per node in the yaml library) near 2 s at worst; at 4 MiB a list of a
 *  few hundred thousand names took over 10 s. */
export const MAX_YAML_BYTES = 1 << 20;

/**
 * Dataset YAMLs Ultralytics (`ultralytics/cfg/datasets/`) or YOLOv5 (`data/`) ship, which
 * `data=NAME` finds without a local file. Lower-case, without extension.
 */
export const BUILTIN_DATASETS: ReadonlySet<string> = new Set([
  'coco', 'coco8', 'coco8-seg', 'coco8-pose', 'coco8-grayscale', 'coco8-multispectral', 'coco128', 'coco128-seg',
  'coco-pose', 'lvis', 'voc', 'visdrone', 'globalwheat2020', 'objects365', 'open-images-v7', 'sku-110k', 'xview',
  'argoverse', 'african-wildlife', 'brain-tumor', 'carparts-seg', 'crack-seg', 'package-seg', 'signature',
  'medical-pills', 'homeobjects-3k', 'construction-ppe', 'tiger-pose', 'dog-pose', 'hand-keypoints', 'dota8',
  'dota8-multispectral', 'dotav1', 'dotav1.5', 'imagenet', 'imagenet10', 'imagenet100', 'imagenette',
  'imagewoof', 'mnist', 'mnist160', 'cifar10', 'cifar100', 'fashion-mnist', 'caltech101', 'caltech256',
  'kitti', 'lvis-minival',
]);

export interface ReadYamlOptions {
  /** The training process's working directory (relative `data=` paths and 8.3.x roots). */
  cwd?: string;
  /** Ultralytics' `datasets_dir` setting, when known. */
  datasetsDir?: string;
}

const SPLITS: SplitName[] = ['train', 'val', 'test'];

/**
 * Read and resolve a dataset YAML. A missing file is a `not-found` result (built-in names such as
 * `coco8.yaml` included); a file that is not a dataset YAML throws `DatasetError` with one line
 * naming the file.
 */
export async function readDatasetYaml(file: string, opts: ReadYamlOptions = {}): Promise<DatasetYamlResult> {
  const cwd = opts.cwd ?? process.cwd();
  const yamlPath = datasetYamlPath(file, cwd);
  const stem = basename(file).replace(/\.ya?ml$/i, '').toLowerCase();
  const isBareName = !/[\\/]/.test(file);
  let st;
  try {
    st = await stat(yamlPath);
  } catch {
    const builtin = isBareName && BUILTIN_DATASETS.has(stem);
    return {
      kind: 'not-found',
      name: file,
      builtin,
      tried: [yamlPath],
      message: builtin
        ? `${file}: an Ultralytics built-in dataset, not found locally (Ultralytics downloads it on first use); the dataset cannot be scanned`
        : `${file}: dataset YAML not found (looked at ${yamlPath})`,
    };
  }
  const name = basename(yamlPath);
  if (!st.isFile()) throw new DatasetError(`${name}: ${st.isDirectory() ? 'not a file' : `is ${fileKind(st)}, not a regular file`}`);
  if (st.size > MAX_YAML_BYTES) throw new DatasetError(`${name}: too large for a dataset YAML (${st.size} bytes)`);
  // read through openRegular: stat() above followed the path, but it may have been swapped since
  const text = (
    await readRegularFile(yamlPath, MAX_YAML_BYTES, 'dataset YAML').catch((e: NodeJS.ErrnoException) => {
      throw new DatasetError(`${name}: ${e instanceof NotRegularFileError ? e.message : `cannot read (${e.code ?? e.message})`}`);
    })
  ).toString('utf8');
  return { kind: 'ok', spec: parseDatasetYaml(text, yamlPath, opts) };
}

/** Parse and resolve YAML text that came from `yamlPath` (touches the disk only to test existence). */
export function parseDatasetYaml(text: string, yamlPath: string, opts: ReadYamlOptions = {}): DatasetSpec {
  const name = basename(yamlPath);
  const fail = (msg: string): never => {
    throw new DatasetError(`${name}: ${msg}`);
  };
  let data: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length) fail(`invalid YAML: ${firstLine(doc.errors[0].message)}`);
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/call stack/i.test(msg)) fail('invalid YAML: nesting too deep');
    if (/alias/i.test(msg)) fail(`invalid YAML: too many alias references (more than ${MAX_ALIAS_COUNT})`);
    fail(`invalid YAML: ${firstLine(msg)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail('expected a mapping with train, val and names (or nc)');
  const d = data as Record<string, unknown>;
  const notes: string[] = [];

  if (d.train === undefined && d.val === undefined) fail("no 'train' or 'val' key: not a dataset YAML");

  // Classes: names (list or {index: name}) wins over nc, as in check_det_dataset.
  let names: string[] = [];
  if (Array.isArray(d.names)) names = d.names.map((x) => String(x));
  else if (d.names && typeof d.names === 'object') {
    const entries = Object.entries(d.names as Record<string, unknown>);
    for (const [k, v] of entries) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i > 1_000_000) fail(`names: key '${k}' is not a class index`);
      names[i] = String(v);
    }
    names = Array.from(names, (x, i) => x ?? `class_${i}`);
  } else if (d.names !== undefined && d.names !== null) fail('names must be a list or a mapping of index: name');
  let nc: number | null = null;
  if (d.nc !== undefined && d.nc !== null) {
    if (typeof d.nc !== 'number' || !Number.isInteger(d.nc) || d.nc < 1) fail(`nc must be a positive integer, got ${JSON.stringify(d.nc)}`);
    nc = d.nc as number;
  }
  if (names.length) {
    if (nc !== null && nc !== names.length) notes.push(`nc ${nc} and ${names.length} names disagree; Ultralytics stops with "must match"`);
    nc = names.length;
  } else if (nc !== null) names = Array.from({ length: nc }, (_, i) => `class_${i}`);

  let channels = 3;
  if (d.channels !== undefined) {
    if (d.channels !== 1 && d.channels !== 3) fail(`channels must be 1 or 3, got ${JSON.stringify(d.channels)}`);
    channels = d.channels as number;
  }
  let kptShape: [number, number] | null = null;
  if (d.kpt_shape !== undefined) {
    const k = d.kpt_shape;
    if (!Array.isArray(k) || k.length !== 2 || !k.every((x) => Number.isInteger(x) && x > 0)) fail('kpt_shape must be [keypoints, dims]');
    kptShape = [(k as number[])[0], (k as number[])[1]];
  }

  // Root.
  const yamlDir = dirname(yamlPath);
  if (d.path !== undefined && d.path !== null && typeof d.path !== 'string') fail('path must be a string');
  const rawPath = typeof d.path === 'string' ? d.path : '';
  const rootCandidates: string[] = [];
  if (!rawPath) rootCandidates.push(yamlDir);
  else if (isAbsolute(rawPath)) rootCandidates.push(rawPath);
  else {
    rootCandidates.push(resolve(yamlDir, rawPath));
    if (opts.cwd) rootCandidates.push(resolve(opts.cwd, rawPath));
    if (opts.datasetsDir) rootCandidates.push(resolve(opts.datasetsDir, rawPath));
  }
  const uniq = [...new Set(rootCandidates)];
  const found = uniq.find((p) => existsSync(p));
  const root = found ?? uniq[0];
  if (!found) notes.push(`dataset root ${root} not found (tried ${uniq.join(', ')})`);
  else if (rawPath && !isAbsolute(rawPath) && found !== uniq[0]) notes.push(`path '${rawPath}' resolved against ${found === resolve(opts.cwd ?? '', rawPath) ? 'the working directory' : 'the datasets folder'}`);

  const splits: Partial<Record<SplitName, string[]>> = {};
  for (const k of SPLITS) {
    const v = d[k];
    if (v === undefined || v === null || v === '') continue;
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (const item of items) {
      if (typeof item !== 'string' || !item) fail(`${k}: expected a path or a list of paths, got ${JSON.stringify(item)}`);
      const s = item as string;
      let p = resolve(root, s);
      // Ultralytics: a missing `../x` becomes `root/x` (a YAML written for a root one level up).
      if (!Array.isArray(v) && !existsSync(p) && s.startsWith('../')) p = resolve(root, s.slice(3));
      out.push(p);
    }
    splits[k] = out;
  }
  if (typeof d.download === 'string' && !found) notes.push('the YAML has a download script: Ultralytics fetches the data on first use');
  return { yamlPath, root, rootExists: !!found, rootCandidates: uniq, splits, nc, names, channels, kptShape, notes };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
