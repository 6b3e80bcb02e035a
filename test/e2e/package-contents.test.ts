// The .vsix as a user gets it: the extension page is the user guide (not the developer README),
// ThirdPartyNotices.txt covers every third-party package in the bundles, and only dist/, media/,
// docs/ and the manifest files ship. Reads the package's zip directory with no unzip tool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot, resolveVsix } from './harness';

/** Entries of a zip file: name -> contents (stored or deflated). */
function readZip(path: string): Map<string, Buffer> {
  const buf = readFileSync(path);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const data = buf.subarray(local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28));
    out.set(name, method === 8 ? inflateRawSync(data.subarray(0, size)) : data.subarray(0, size));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

test('the .vsix ships the user guide as its page, ThirdPartyNotices.txt, and nothing from the repo beyond the allow-list', () => {
  const zip = readZip(resolveVsix());
  const readme = zip.get('extension/readme.md')?.toString('utf8');
  assert.ok(readme, 'extension/readme.md');
  assert.equal(readme, readFileSync(join(repoRoot, 'docs', 'marketplace', 'README.md'), 'utf8'));
  for (const section of ['## Install', '## Where it shows up', '## Settings', '## The command line', '## How accurate it is']) assert.ok(readme.includes(section), section);
  assert.doesNotMatch(readme, /npm ci|npm test|shared\/fixtures/, 'no developer instructions on the extension page');
  // every image and page the guide links to is in the package
  for (const [, link] of readme.matchAll(/\]\(([^)#]+)\)/g)) assert.ok(zip.has(`extension/${link}`), `link ${link}`);

  const notices = zip.get('extension/ThirdPartyNotices.txt')?.toString('utf8');
  assert.ok(notices, 'extension/ThirdPartyNotices.txt');
  for (const pkg of ['yaml', 'vscode-jsonrpc', 'web-tree-sitter', 'tree-sitter-python', 'onnxruntime-node', 'onnxruntime-common', '@vscode/webview-ui-toolkit', '@vscode/codicons', '@microsoft/fast-element']) {
    assert.match(notices, new RegExp(`^${pkg.replace(/[/.]/g, '\\$&')} \\d+\\.\\d+\\.\\d+ \\(`, 'm'), pkg);
  }
  const allowed = /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(dist\/|media\/|docs\/|probe\/measure\.py|package\.json|readme\.md|changelog\.md|LICENSE\.txt|ThirdPartyNotices\.txt))/;
  assert.deepEqual([...zip.keys()].filter((n) => !allowed.test(n)), []);
  assert.ok(![...zip.keys()].some((n) => n.endsWith('bundled-packages.json')), 'the build record is not shipped');
});
