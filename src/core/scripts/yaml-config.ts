// Reads training arguments from YAML: Ultralytics' args.yaml / a `cfg=` file (batch, imgsz, model,
// ...) and YOLOv5's opt.yaml (batch_size, weights, cfg, ...). Values keep their node ranges, so a
// hover over `batch: 16` finds the setting. YAMLs without any of these keys (model and dataset
// YAMLs) give no run.

import { isMap, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import type { Fragment, Locator } from './text';
import type { SettingKey, TrainingRun, TrainingSettings } from './types';
import { makeSetting, setSetting, type Lit, type SettingSite, type Value } from './values';

const KEYS: Record<string, SettingKey | 'weights' | 'cfg'> = {
  batch: 'batch', batch_size: 'batch', imgsz: 'imgsz', img_size: 'imgsz', model: 'model', epochs: 'epochs', data: 'data',
  optimizer: 'optimizer', amp: 'amp', workers: 'workers', cache: 'cache', device: 'device', weights: 'weights', cfg: 'cfg',
};

function literal(n: unknown): Value {
  if (n === null || n === undefined) return { lit: null };
  if (isScalar(n)) {
    const v = n.value;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return { lit: v };
    if (typeof v === 'number') return Number.isFinite(v) ? { lit: v } : { unknown: `${String(v)} is not a finite number` };
    return { unknown: 'not a plain value' };
  }
  if (isSeq(n)) {
    const items: Lit[] = [];
    for (const it of n.items) {
      const v = literal(it);
      if ('unknown' in v) return v;
      items.push(v.lit);
    }
    return { lit: items };
  }
  return { unknown: 'a mapping is not a setting value' };
}

/** A training config (args.yaml, Ultralytics' default.yaml) is a few KB. The yaml library parses
 *  at ~20 us per node, so a 1.2 MB flow list took 9-11 s: fragments past this size are skipped. */
export const MAX_YAML_CONFIG_CHARS = 256 * 1024;

export function scanYaml(frag: Fragment, loc: Locator): { runs: TrainingRun[]; notes: string[] } {
  const runs: TrainingRun[] = [];
  const notes: string[] = [];
  if (frag.text.length > MAX_YAML_CONFIG_CHARS) {
    notes.push(`skipped a YAML block of ${(frag.text.length / 1024).toFixed(0)} KB: over the ${MAX_YAML_CONFIG_CHARS / 1024} KB limit for a training config`);
    return { runs, notes };
  }
  for (const doc of parseAllDocuments(frag.text, { prettyErrors: false })) {
    if (doc.errors.length) notes.push(`YAML error: ${doc.errors[0].message.split('\n')[0]}`);
    const root = doc.contents;
    if (!isMap(root)) continue;
    const settings: TrainingSettings = {};
    let weights: { value: Value; site: SettingSite } | undefined;
    let cfg: { value: Value; site: SettingSite } | undefined;
    for (const pair of root.items) {
      const keyNode = pair.key as YamlNode | null;
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string' || !keyNode.range) continue;
      const key = KEYS[keyNode.value];
      if (!key) continue;
      const valueNode = pair.value as YamlNode | null;
      const keySpan = { start: keyNode.range[0], end: keyNode.range[1] };
      // `device:` with nothing after it is null; its "token" is the key itself.
      const vr = valueNode?.range ?? [keyNode.range[0], keyNode.range[1]];
      const site: SettingSite = { raw: loc.text(vr[0], vr[1]), range: loc.range(vr[0], vr[1]), keyRange: loc.range(keySpan.start, keySpan.end) };
      const value = literal(valueNode);
      if (key === 'weights') weights = { value, site };
      else if (key === 'cfg') cfg = { value, site };
      else setSetting(settings, key, makeSetting(key, value, site));
    }
    // YOLOv5 opt.yaml: a non-empty cfg is the architecture, else the weights. Ultralytics' `cfg`
    // is another arguments file, never the model: there `model` is always present.
    if (!settings.model) {
      const cfgGiven = cfg && !('unknown' in cfg.value) && typeof cfg.value.lit === 'string' && cfg.value.lit !== '' && /\.ya?ml$/i.test(cfg.value.lit) && weights;
      const pick = cfgGiven ? cfg : weights;
      if (pick) settings.model = makeSetting('model', pick.value, pick.site) as TrainingSettings['model'];
    }
    if (!Object.keys(settings).length || !isTrainingArgs(root, settings)) continue;
    const r = root.range ?? [0, frag.text.length];
    runs.push({ kind: 'yaml-config', range: loc.range(r[0], r[1]), settings, calls: [], notes: [] });
  }
  return { runs, notes };
}

/** Keys only Ultralytics' args.yaml / default.yaml and YOLOv5's opt.yaml / hyp files carry. */
const YOLO_KEYS = new Set(['imgsz', 'img_size', 'task', 'mode', 'close_mosaic', 'single_cls', 'rect', 'cos_lr', 'noautoanchor', 'noval', 'evolve', 'hyp', 'mosaic', 'fliplr', 'hsv_h', 'nbs', 'overlap_mask', 'multi_scale', 'cache']);

/**
 * A YAML of training arguments for YOLO, not any config that says `optimizer:` or `batch_size:`
 * (Hydra, Lightning, MMDetection...): it names a YOLO model, or it has a key only YOLO's training
 * arguments use together with a batch or image size.
 */
function isTrainingArgs(root: { items: Array<{ key: unknown }> }, settings: TrainingSettings): boolean {
  const model = settings.model?.value ?? settings.model?.raw ?? '';
  if (/yolo|rtdetr|\.pt$/i.test(model)) return true;
  const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  return keys.some((k) => YOLO_KEYS.has(k)) && (!!settings.batch || !!settings.imgsz);
}
