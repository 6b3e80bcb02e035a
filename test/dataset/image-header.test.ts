import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseImageHeader, readImageSize, readImageSizeSync, HEAD_BYTES } from '../../src/core/dataset/image-header';
import { bmp, gif, jpeg, png, tempDir, webpExtended, webpLossless, webpLossy, write } from './helpers';

const size = (buf: Buffer) => {
  const r = parseImageHeader(buf);
  return r.kind === 'size' ? r.size : r;
};

test('each format gives its width and height from the header', () => {
  assert.deepEqual(size(png(640, 480)), { format: 'png', w: 640, h: 480 });
  assert.deepEqual(size(png(70000, 3)), { format: 'png', w: 70000, h: 3 });
  assert.deepEqual(size(jpeg(1920, 1080)), { format: 'jpeg', w: 1920, h: 1080 });
  assert.deepEqual(size(jpeg(333, 65535, { progressive: true })), { format: 'jpeg', w: 333, h: 65535 });
  assert.deepEqual(size(bmp(101, 77)), { format: 'bmp', w: 101, h: 77 });
  assert.deepEqual(size(bmp(101, 77, true)), { format: 'bmp', w: 101, h: 77 });
  assert.deepEqual(size(gif(12, 34)), { format: 'gif', w: 12, h: 34 });
  assert.deepEqual(size(webpLossy(800, 600)), { format: 'webp', w: 800, h: 600 });
  assert.deepEqual(size(webpLossless(16383, 1)), { format: 'webp', w: 16383, h: 1 });
  assert.deepEqual(size(webpLossless(1, 16384)), { format: 'webp', w: 1, h: 16384 });
  assert.deepEqual(size(webpExtended(16777216, 5000)), { format: 'webp', w: 16777216, h: 5000 });
});

test('unknown or damaged headers are "unknown", never a throw', () => {
  assert.deepEqual(parseImageHeader(Buffer.from('II*\0rest', 'latin1')), { kind: 'unknown', format: 'tiff' });
  assert.deepEqual(parseImageHeader(Buffer.from('hello world', 'latin1')), { kind: 'unknown', format: null });
  assert.deepEqual(parseImageHeader(Buffer.alloc(0)), { kind: 'unknown', format: null });
  assert.deepEqual(parseImageHeader(png(10, 10).subarray(0, 20)), { kind: 'unknown', format: 'png' });
  assert.deepEqual(parseImageHeader(png(0, 10)), { kind: 'unknown', format: 'png' });
  // A JPEG cut inside its segments asks for more bytes at the next marker.
  const j = jpeg(10, 10);
  assert.equal(parseImageHeader(j.subarray(0, 10)).kind, 'more');
  // SOS before any frame header.
  assert.deepEqual(parseImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2])), { kind: 'unknown', format: 'jpeg' });
  // Every truncation of every format is handled.
  for (const b of [png(5, 6), jpeg(5, 6), bmp(5, 6), gif(5, 6), webpLossy(5, 6), webpLossless(5, 6), webpExtended(5, 6)]) {
    for (let n = 0; n < b.length; n++) assert.doesNotThrow(() => parseImageHeader(b.subarray(0, n)));
  }
});

test('readImageSize follows JPEG segments past the first read (big EXIF) and reports unreadable files', async () => {
  const { dir, cleanup } = tempDir();
  try {
    write(join(dir, 'exif.jpg'), jpeg(4032, 3024, { exifBytes: 150_000 }));
    write(join(dir, 'small.jpg'), jpeg(64, 48, { exifBytes: HEAD_BYTES - 100 }));
    write(join(dir, 'a.png'), png(3, 4));
    write(join(dir, 'trunc.jpg'), jpeg(64, 48, { exifBytes: 20_000 }).subarray(0, 10_000));
    mkdirSync(join(dir, 'folder.jpg'));
    symlinkSync(join(dir, 'nowhere.png'), join(dir, 'dangling.png'));
    assert.deepEqual(await readImageSize(join(dir, 'exif.jpg')), { kind: 'size', size: { format: 'jpeg', w: 4032, h: 3024 } });
    assert.deepEqual(await readImageSize(join(dir, 'small.jpg')), { kind: 'size', size: { format: 'jpeg', w: 64, h: 48 } });
    assert.deepEqual(await readImageSize(join(dir, 'a.png')), { kind: 'size', size: { format: 'png', w: 3, h: 4 } });
    assert.deepEqual(await readImageSize(join(dir, 'trunc.jpg')), { kind: 'unknown', format: 'jpeg' });
    assert.deepEqual(await readImageSize(join(dir, 'folder.jpg')), { kind: 'unreadable', reason: 'EISDIR' });
    assert.deepEqual(await readImageSize(join(dir, 'dangling.png')), { kind: 'unreadable', reason: 'ENOENT' });
    for (const f of ['exif.jpg', 'small.jpg', 'a.png', 'trunc.jpg', 'folder.jpg', 'dangling.png']) {
      assert.deepEqual(readImageSizeSync(join(dir, f)), await readImageSize(join(dir, f)), f);
    }
  } finally {
    cleanup();
  }
});
