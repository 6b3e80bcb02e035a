// The sidebar's workspace list: which files count as training launches (bounded, filtered), entries
// that say why they have no estimate, and the order (worst first).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SidebarEntry } from '../../src/protocol/webview';
import { languageIdFor, LAUNCH_GLOB, looksLikeLaunch } from '../../src/extension/launch-files';
import { entryFor, sortWorstFirst } from '../../src/extension/sidebar-entries';

test('launch files: scripts, configs, notebooks and docs that start a YOLO training run; not model definitions', () => {
  assert.ok(looksLikeLaunch('from ultralytics import YOLO\nYOLO("yolov8n.pt").train(data="coco.yaml", batch=128)\n', 'train_big.py'));
  assert.ok(looksLikeLaunch('yolo detect train model=yolov8n.pt batch=64\n', 'run.sh'));
  assert.ok(looksLikeLaunch('python train.py --batch-size 32 --img 640\n', 'README.md'));
  assert.ok(looksLikeLaunch('{"cells": [{"source": ["model.train(batch=16)"]}]}', 'nb.ipynb'));
  assert.ok(looksLikeLaunch('task: detect\nmode: train\nmodel: yolov8n.pt\nbatch: 16\nbatch_size = 3\n', 'args.yaml'));
  assert.ok(!looksLikeLaunch('nc: 80\nbackbone:\n  - [-1, 1, Conv, [64, 3, 2]]\nhead:\n  - [-1, 1, Detect, [nc]]\n', 'yolov8-custom.yaml'));
  assert.ok(!looksLikeLaunch('import numpy as np\nprint(np.zeros(3))\n', 'util.py'));
  assert.equal(languageIdFor('a/b/train.py'), 'python');
  assert.equal(languageIdFor('run.SH'), 'shellscript');
  assert.equal(languageIdFor('args.yml'), 'yaml');
  for (const ext of ['py', 'sh', 'ps1', 'yaml', 'md', 'ipynb']) assert.ok(LAUNCH_GLOB.includes(ext), ext);
});

test('an entry without an estimate says why in the user\'s words', () => {
  const rel = (u: string) => u.replace('file:///ws/', '');
  const unknownModel = entryFor({ uri: 'file:///ws/train.py', kind: 'script', runs: [{ run: { kind: 'ultralytics' }, reason: 'yolov99: not a known model (a .onnx or model .yaml path, or a name like yolov8n)' }] }, rel);
  assert.equal(unknownModel?.verdict, 'unknown');
  assert.match(unknownModel!.message!, /^No estimate: yolov99: not a known model/);
  const noModel = entryFor({ uri: 'file:///ws/t.py', kind: 'script', runs: [{ run: { kind: 'ultralytics' } }] }, rel);
  assert.equal(noModel?.message, 'No estimate: no model in this training call');
});

const e = (id: string, verdict: SidebarEntry['verdict'], need: number | null): SidebarEntry => ({
  id, label: id, detail: '', kind: 'script', model: 'm', batch: 16, imgsz: 640, verdict, deviceBytes: need, vramBytes: 12, usableBytes: 10, maxBatch: null,
});

test('the workspace list is sorted worst first, the larger share of the usable VRAM first within a verdict', () => {
  const sorted = sortWorstFirst([e('ok-small', 'fits', 2), e('none', 'unknown', null), e('oom-a', 'oom', 11), e('ok-big', 'fits', 9), e('oom-b', 'oom', 30), e('broken', 'error', null)]);
  assert.deepEqual(sorted.map((x) => x.id), ['oom-b', 'oom-a', 'ok-big', 'ok-small', 'broken', 'none']);
});
