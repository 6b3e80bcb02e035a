#!/usr/bin/env node
// Writes a synthetic YOLO detection dataset for demos and manual checks of the dataset reader:
//   node scripts/gen-dataset.mjs OUT_DIR [--images 200] [--objects 8] [--max-objects N] [--size 1280x720] [--val 20]
// Images are PNG headers of the given size (the reader never decodes pixels, so no pixel data is
// written); label file i has a count between --objects and --max-objects (default: --objects),
// cycling, so a dense dataset is `--objects 300`. OUT_DIR/data.yaml points at the splits.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';

function usage(msg) {
  if (msg) console.error(`gen-dataset: ${msg}`);
  console.error('usage: node scripts/gen-dataset.mjs OUT_DIR [--images N] [--objects K] [--max-objects M] [--size WxH] [--val N]');
  process.exit(2);
}

const args = process.argv.slice(2);
const out = args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
if (!out) usage('OUT_DIR missing');
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? def : args[i + 1];
};
const int = (name, def) => {
  const v = Number(opt(name, def));
  if (!Number.isInteger(v) || v < 0) usage(`--${name} must be a non-negative integer`);
  return v;
};
const images = int('images', 200);
const objects = int('objects', 8);
const maxObjects = int('max-objects', objects);
const val = int('val', Math.max(1, Math.round(images / 10)));
const m = /^(\d+)x(\d+)$/.exec(opt('size', '1280x720'));
if (!m) usage('--size must be WxH');
const [w, h] = [Number(m[1]), Number(m[2])];
if (maxObjects < objects) usage('--max-objects must be ≥ --objects');

function png(width, height) {
  const chunk = (type, data) => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

const root = resolve(out);
const header = png(w, h);
const span = maxObjects - objects + 1;
for (const [split, n] of [['train', images], ['val', val]]) {
  mkdirSync(join(root, 'images', split), { recursive: true });
  mkdirSync(join(root, 'labels', split), { recursive: true });
  for (let i = 0; i < n; i++) {
    writeFileSync(join(root, 'images', split, `${i}.png`), header);
    const k = objects + (i % span);
    let text = '';
    for (let j = 0; j < k; j++) text += `0 ${((j % 97) / 100 + 0.005).toFixed(4)} ${((Math.floor(j / 97) % 97) / 100 + 0.005).toFixed(4)} 0.0100 0.0100\n`;
    writeFileSync(join(root, 'labels', split, `${i}.txt`), text);
  }
}
writeFileSync(join(root, 'data.yaml'), `path: .\ntrain: images/train\nval: images/val\nnames:\n  0: object\n`);
console.log(`wrote ${images} train + ${val} val images (${w}x${h}, ${objects}${span > 1 ? `-${maxObjects}` : ''} objects each) to ${root}`);
