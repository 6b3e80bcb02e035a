// What the packaged .vsix holds: the bundles, the one onnxruntime binary of its platform, the
// README's docs, and nothing from src/, node_modules/ or source maps. Reads the zip's central
// directory directly, so no unzip tool is needed.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { resolveVsix } from './harness';

/** File names from a zip's central directory (EOCD record → central directory entries). */
function zipEntries(buf: Buffer): string[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at offset ${p}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

let vsix = '';
let entries: string[] = [];
before(() => {
  vsix = resolveVsix();
  entries = zipEntries(readFileSync(vsix));
});

const platformDir = `extension/dist/node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}/`;

test('the vsix holds the bundles, the manifest, licence, changelog and icon', () => {
  // vsce stores README/CHANGELOG as readme.md/changelog.md and the licence as LICENSE.txt.
  const lower = new Set(entries.map((e) => e.toLowerCase()));
  for (const f of ['extension/package.json', 'extension/readme.md', 'extension/license.txt', 'extension/changelog.md', 'extension/media/icon.png', 'extension/dist/extension.js', 'extension/dist/worker.js']) {
    assert.ok(lower.has(f), `${f} missing from ${vsix}`);
  }
  assert.ok(entries.some((e) => e.startsWith('extension/dist/webview/')), 'webview bundles missing');
  // the probe "Measure on This GPU" runs with the user's Python
  assert.ok(lower.has('extension/probe/measure.py'), 'probe/measure.py missing');
});

test('it ships onnxruntime for this platform only', () => {
  assert.ok(entries.some((e) => e.startsWith(platformDir) && e.endsWith('onnxruntime_binding.node')), `no ${platformDir}onnxruntime_binding.node`);
  const others = entries.filter((e) => e.includes('/bin/napi-v6/') && !e.startsWith(platformDir));
  assert.deepEqual(others, [], 'binaries of other platforms');
  assert.ok(entries.includes('extension/dist/node_modules/onnxruntime-common/package.json'));
});

test('it ships no sources, dependencies, tests or source maps', () => {
  const leaks = entries.filter((e) => /^extension\/(src|test|scripts|node_modules|webview|bench|\.e2e-cache|test-artifacts)\//.test(e) || e.endsWith('.map') || e.endsWith('.ts'));
  assert.deepEqual(leaks, []);
});

test('the linux-x64 package stays under 60 MB', (t) => {
  if (`${process.platform}-${process.arch}` !== 'linux-x64') return t.skip('size budget is for linux-x64');
  const mb = statSync(vsix).size / 2 ** 20;
  assert.ok(mb < 60, `${vsix} is ${mb.toFixed(1)} MB`);
});
