import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelText } from '../../src/core/dataset/labels';
import { img2labelPath, isImagePath, labelsDirOf } from '../../src/core/dataset/paths';

const rules = { nc: null, kptShape: null };

test('one object per non-empty line: boxes, polygons (one object each), keypoints', () => {
  const r = parseLabelText('0 0.5 0.5 0.2 0.2\n\n1 0.1 0.1 0.2 0.1 0.3 0.3 0.1 0.3\r\n  \n2 0.5 0.5 0.1 0.1 0.2 0.2 2 0.3 0.3 0', rules);
  assert.deepEqual({ ...r, issues: r.issues.length }, { objects: 3, boxLines: 1, longLines: 2, duplicates: 0, malformed: 0, issues: 0 });
  assert.equal(parseLabelText('', rules).objects, 0);
  assert.equal(parseLabelText('\n\n   \n', rules).objects, 0);
  assert.equal(parseLabelText('1e0 5e-1 .5 0.2 +0.2', rules).objects, 1);
});

test('malformed lines are counted with a reason and line number; valid lines still count', () => {
  const text = ['0 0.5 0.5 0.2', 'a 0.5 0.5 0.2 0.2', '-1 0.5 0.5 0.2 0.2', '0 0.5 0.5 0.2 0.2', '3 0.5 0.5 0.2 0.2', '0 1.5 0.5 0.2 0.2', '0 0.5 0.5 0.2 0.2 0.1', '0 0.5 -0.5 0.2 0.2', '0 0x10 0.5 0.2 0.2'].join('\n');
  const r = parseLabelText(text, { nc: 3, kptShape: null, maxIssues: 20 });
  assert.equal(r.objects, 1);
  assert.equal(r.malformed, 8);
  assert.deepEqual(r.issues.map((i) => i.line), [1, 2, 3, 5, 6, 7, 8, 9]);
  assert.match(r.issues[0].reason, /4 values, need at least 5/);
  assert.match(r.issues[1].reason, /not a number: 'a'/);
  assert.match(r.issues[2].reason, /negative class/);
  assert.match(r.issues[3].reason, /class 3 ≥ nc 3/);
  assert.match(r.issues[4].reason, /> 1/);
  assert.match(r.issues[5].reason, /6 values/);
  assert.match(r.issues[6].reason, /negative value/);
  // Only the first few examples are kept, but all are counted.
  assert.equal(parseLabelText(text, { nc: 3, kptShape: null }).issues.length, 3);
});

test('kpt_shape fixes the line length; duplicates are dropped like Ultralytics', () => {
  const pose = '0 0.5 0.5 0.2 0.2 0.1 0.1 2 0.2 0.2 1\n0 0.5 0.5 0.2 0.2 0.1 0.1\n';
  const r = parseLabelText(pose, { nc: 1, kptShape: [2, 3] });
  assert.equal(r.objects, 1);
  assert.match(r.issues[0].reason, /kpt_shape needs 11/);
  // Visibility 2 is fine; a keypoint x of 1.5 is not normalised.
  assert.match(parseLabelText('0 0.5 0.5 0.2 0.2 1.5 0.1 2 0.2 0.2 1', { nc: 1, kptShape: [2, 3] }).issues[0].reason, /1.5 > 1/);
  assert.equal(parseLabelText('0 0.5 0.5 0.2 0.2 0.1 0.1 2 0.2 0.2 1', { nc: 1, kptShape: null }).objects, 1);
  const d = parseLabelText('0 0.5 0.5 0.2 0.2\n0  0.5 0.5 0.2   0.2\n1 0.5 0.5 0.2 0.2\n', rules);
  assert.deepEqual([d.objects, d.duplicates], [2, 1]);
});

test('img2label_paths: the LAST /images/ becomes /labels/, the extension becomes .txt', () => {
  assert.equal(img2labelPath('/d/images/train/a.jpg', '/'), '/d/labels/train/a.txt');
  assert.equal(img2labelPath('/images/x/images/train/a.b.PNG', '/'), '/images/x/labels/train/a.b.txt');
  assert.equal(img2labelPath('/d/myimages/a.jpg', '/'), '/d/myimages/a.txt');
  assert.equal(img2labelPath('/d/train/a.jpeg', '/'), '/d/train/a.txt');
  assert.equal(img2labelPath('C:\\d\\images\\a.jpg', '\\'), 'C:\\d\\labels\\a.txt');
  assert.equal(labelsDirOf('/d/images/train', '/'), '/d/labels/train');
  assert.equal(labelsDirOf('/d/images', '/'), '/d/labels');
  assert.equal(labelsDirOf('/d/train', '/'), null);
});

test('image extensions are Ultralytics IMG_FORMATS, case-insensitive', () => {
  for (const e of ['bmp', 'dng', 'jpeg', 'JPG', 'mpo', 'png', 'tif', 'tiff', 'webp', 'pfm', 'heic']) assert.ok(isImagePath(`a.${e}`), e);
  for (const e of ['gif', 'txt', 'npy', 'jpg.txt', 'noext']) assert.ok(!isImagePath(`a.${e}`), e);
});
