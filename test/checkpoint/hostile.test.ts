// Hostile and broken files: every one is refused with a one-line error naming the file, and
// nothing from it runs (the pickles that would run a command name a marker file that must never
// appear).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { interpretCheckpoint, parseCheckpoint, readCheckpointFile } from '../../src/core/checkpoint';
import { MAX_PICKLE_BYTES } from '../../src/core/checkpoint/limits';
import { readPickle } from '../../src/core/checkpoint/pickle';
import { instance, Pickle, pickleValue, tensor, torchZip, zip } from './writers';

const dir = mkdtempSync(join(tmpdir(), 'ckpt-hostile-'));
const marker = join(dir, 'MARKER');
const cmd = `touch ${marker}`;
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** The pickle inside a torch.save archive, written to disk and read as a checkpoint. */
function refused(name: string, pkl: Uint8Array, pattern: RegExp, tensors: { key: string; numel: number }[] = []) {
  const path = join(dir, `${name.replace(/\W+/g, '-')}.pt`);
  writeFileSync(path, torchZip(pkl, tensors));
  assert.throws(
    () => interpretCheckpoint(readCheckpointFile(path)),
    (e: Error) => {
      assert.equal(e.name, 'CheckpointError');
      assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
      assert.ok(e.message.startsWith(`${name.replace(/\W+/g, '-')}.pt: `), e.message);
      assert.match(e.message, pattern);
      return true;
    },
  );
  assert.equal(existsSync(marker), false, 'nothing ran');
}

const p = () => new Pickle().proto(2);
const w0 = tensor('0', [2]);

test('GLOBAL os.system + REDUCE is refused before anything is recorded', () => {
  refused('global-os-system', p().global('os', 'system').op('(').str(cmd).op('t').op('R').stop(), /refused the global 'os\.system'.*nothing from the file was run/);
});

test('protocol 0 text pickle: GLOBAL posix.system', () => {
  refused('proto0', new Pickle().text(`cposix\nsystem\n(S'${cmd}'\ntR.`).bytes(), /refused the global 'posix\.system'/);
});

test('STACK_GLOBAL subprocess.Popen / builtins.eval / exec / getattr / __import__', () => {
  for (const [m, n] of [['subprocess', 'Popen'], ['subprocess', 'check_output'], ['builtins', 'eval'], ['builtins', 'exec'], ['builtins', 'getattr'], ['builtins', '__import__'], ['__builtin__', 'eval'], ['nt', 'system'], ['runpy', '_run_code'], ['pickle', 'loads'], ['numpy', 'load'], ['__main__', 'Evil']]) {
    refused(`stack-${m}-${n}`, new Pickle().proto(4).str(m).str(n).op(0x93).op('(').str(cmd).op('t').op('R').stop(), /refused the global/);
  }
});

test('dotted and dunder names are refused even under torch (pickle would walk attributes)', () => {
  refused('dotted', new Pickle().proto(4).str('torch.serialization').str('os.system').op(0x93).stop(), /not a plain module and name/);
  refused('dunder', new Pickle().proto(4).str('torch').str('__builtins__').op(0x93).stop(), /dunder/);
  refused('ultralytics-function', new Pickle().proto(4).str('ultralytics.utils.checks').str('check_requirements').op(0x93).stop(), /only classes/);
  refused('module-newline', new Pickle().proto(4).str('torch\nos').str('system').op(0x93).stop(), /not a plain module/);
});

test('INST and OBJ of os.system are refused', () => {
  refused('inst', new Pickle().text(`(S'${cmd}'\nios\nsystem\n.`).bytes(), /refused the global 'os\.system'/);
  refused('obj', p().op('(').global('os', 'system').str(cmd).op('o').stop(), /refused the global 'os\.system'/);
  // OBJ / REDUCE on something that is not a named class: no call chains
  refused('obj-not-class', p().op('(').str('x').str(cmd).op('o').stop(), /OBJ on something that is not a class/);
  refused('reduce-chain', p().global('collections', 'OrderedDict').op(')').op('R').op(')').op('R').stop(), /REDUCE on something that is not a class or function/);
});

test('NEWOBJ_EX of a refused class; EXT1/2/4; out-of-band buffers', () => {
  refused('newobj-ex', new Pickle().proto(4).str('builtins').str('eval').op(0x93).op(')').op('}').op(0x92).stop(), /refused the global 'builtins\.eval'/);
  refused('ext1', p().op(0x82, 1).stop(), /EXT1/);
  refused('ext2', p().op(0x83, 1, 0).stop(), /EXT2/);
  refused('ext4', p().op(0x84, 1, 0, 0, 0).stop(), /EXT4/);
  refused('next-buffer', new Pickle().proto(5).op(0x97).stop(), /out-of-band/);
});

test('huge lengths are refused without allocating', () => {
  refused('binunicode-4g', p().op('X', 0xff, 0xff, 0xff, 0xff).stop(), /at most|truncated/);
  refused('binbytes8', new Pickle().proto(4).op(0x8e, 0, 0, 0, 0, 0, 0, 0, 0x10).stop(), /beyond the reader's limit/);
  refused('long4', p().op(0x8b, 0, 0, 0, 0x7f).stop(), /an integer of/);
  refused('binunicode-past-end', p().op('X', 100, 0, 0, 0).text('abc').bytes(), /truncated/);
});

test('deep nesting: MARKs, and lists nested past the walk limit', () => {
  const marks = p();
  for (let i = 0; i < 20_000; i++) marks.op('(');
  refused('marks', marks.stop(), /open MARKs/);
  // {'model': DetectionModel(yaml=[[[[...]]]])}: 1,000 lists deep
  const deep = p().op('}').str('model').global('ultralytics.nn.tasks', 'DetectionModel').op(')').op(0x81).op('}').str('yaml');
  for (let i = 0; i < 1000; i++) deep.op(']');
  for (let i = 0; i < 999; i++) deep.op('a');
  deep.op('s').op('b').op('s');
  refused('deep-lists', deep.stop(), /nested more than 200 deep/);
});

test('memo abuse: unknown entries, a million entries, shared references that multiply', () => {
  refused('memo-get', p().op('h', 7).stop(), /memo entry 7 was never stored/);
  const many = p().op('N');
  for (let i = 0; i <= 1_000_000; i++) many.op('r', i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, 0);
  refused('memo-many', many.stop(), /more than 1000000 memo entries/);
  // yaml = l59 where l(k+1) = [lk, lk]: 2^60 paths through 60 lists
  const shared = p().op('}').str('model').global('ultralytics.nn.tasks', 'DetectionModel').op(')').op(0x81).op('}').str('yaml').op('N');
  for (let i = 0; i < 60; i++) shared.op('q', 0).op('0').op('(').op('h', 0).op('h', 0).op('l');
  shared.op('s').op('b').op('s');
  refused('memo-fanout', shared.stop(), /too large to read/);
  refused('dup-underflow', p().op('2').stop(), /stack underflow/);
});

test('truncated and garbage data', () => {
  refused('no-stop', p().op('N').bytes(), /no STOP/);
  refused('bad-opcode', p().op(0xff).stop(), /unknown opcode 0xff/);
  refused('two-values', p().op('N').op('N').stop(), /STOP with 2 values/);
  refused('not-a-dict', p().op(']').stop(), /holds a list, not a checkpoint dict or a model/);
  refused('state-dict', p().op('}').str('w').raw(w0.pickle(new Pickle()).bytes()).op('s').stop(), /a state_dict \(1 tensors, no architecture\): estimate the model's YAML instead/, [w0]);
  refused('model-state-dict', pickleValue(p(), { model: {} }).stop(), /'model' holds a state_dict/);
  refused('no-model', pickleValue(p(), { epoch: 3 }).stop(), /no 'model' or 'ema' entry \(keys: epoch\)/);
  refused('unknown-class', pickleValue(p(), { model: instance('ultralytics.nn.tasks', 'FancyModel', { yaml: { nc: 1 } }) }).stop(), /ultralytics\.nn\.tasks\.FancyModel, which is not a model class/);
  refused('no-yaml', pickleValue(p(), { model: instance('ultralytics.nn.tasks', 'DetectionModel', {}) }).stop(), /no yaml attribute/);
  refused('tensor-no-storage', p().global('torch._utils', '_rebuild_tensor_v2').op('(').op('N').op('K', 0).op(')').op(')').op('t').op('R').stop(), /without a storage/);
  refused('persistent-id', p().op('(').str('storage').global('torch', 'HalfStorage').str('0').str('cpu').op('K', 4).op('t').op('Q').stop(), /tensor storage '0' has no entry/);
});

const files: [string, Uint8Array, RegExp][] = [
  ['empty.pt', new Uint8Array(0), /empty file/],
  ['garbage.pt', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff), /not a PyTorch checkpoint/],
  ['text.pt', Buffer.from('hello world\n'), /not a PyTorch checkpoint/],
  ['truncated.pt', torchZip(pickleValue(new Pickle().proto(2), { model: null }).stop()).subarray(0, 60), /no end-of-central-directory|truncated/],
  ['tar.pt', (() => {
    const b = Buffer.alloc(1024);
    b.write('ustar', 257);
    return b;
  })(), /tar archive/],
  ['bare-pickle.pt', pickleValue(new Pickle().proto(2), { model: 1 }).stop(), /bare pickle, not a torch\.save file/],
  ['torchscript.pt', zip([{ name: 'm/constants.pkl', data: new Uint8Array(4) }, { name: 'm/code/__torch__.py', data: Buffer.from('x') }]), /TorchScript/],
  ['no-data-pkl.pt', zip([{ name: 'a/b', data: new Uint8Array(4) }]), /without <archive>\/data\.pkl/],
  ['dotdot.pt', zip([{ name: 'a/data.pkl', data: p().op('N').stop() }, { name: 'a/../../etc/passwd', data: new Uint8Array(1) }]), /climbs out of the archive/],
  ['absolute.pt', zip([{ name: '/etc/data.pkl', data: p().op('N').stop() }]), /absolute path/],
  ['backslash.pt', zip([{ name: 'a\\..\\data.pkl', data: p().op('N').stop() }]), /backslash/],
  ['duplicate.pt', zip([{ name: 'a/data.pkl', data: p().op('N').stop() }, { name: 'a/data.pkl', data: p().op(']').stop() }]), /appears twice/],
  ['offset.pt', zip([{ name: 'a/data.pkl', data: p().op('N').stop(), localOffset: 0x7fffffff }]), /outside the archive's data/],
  ['size-lie.pt', zip([{ name: 'a/data.pkl', data: p().op('N').stop(), declaredSize: 3 }]), /stored entry with two different sizes/],
  ['method.pt', (() => {
    const z = Buffer.from(zip([{ name: 'a/data.pkl', data: p().op('N').stop() }]));
    z.writeUInt16LE(12, z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10); // bzip2 in the directory
    return z;
  })(), /compression method 12/],
];

for (const [name, bytes, pattern] of files) {
  test(`${name}: refused`, () => {
    assert.throws(() => parseCheckpoint(bytes, name), (e: Error) => e.name === 'CheckpointError' && !e.message.includes('\n') && e.message.startsWith(`${name}: `) && pattern.test(e.message));
  });
}

test('zip bomb: a data.pkl that inflates past its declared size stops at the declared size', () => {
  const bomb = new Uint8Array(50 * 2 ** 20); // 50 MiB of zeros deflates to ~50 KiB
  const z = zip([{ name: 'a/data.pkl', data: bomb, method: 8, declaredSize: 1000 }]);
  assert.ok(z.length < 200_000);
  assert.throws(() => parseCheckpoint(z, 'bomb.pt'), /bomb\.pt: zip entry 'a\/data\.pkl' inflates past its declared 1000 bytes/);
  const big = zip([{ name: 'a/data.pkl', data: new Uint8Array(10), method: 8, declaredSize: MAX_PICKLE_BYTES + 1 }]);
  assert.throws(() => parseCheckpoint(big, 'big.pt'), /big\.pt: zip entry 'a\/data\.pkl' is 67108865 bytes \(at most 67108864 are read\)/);
  const corrupt = Buffer.from(zip([{ name: 'a/data.pkl', data: deflateRawSync(Buffer.alloc(10)), declaredSize: 10 }]));
  corrupt.writeUInt16LE(8, corrupt.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
  assert.throws(() => parseCheckpoint(corrupt, 'c.pt'), /c\.pt: /);
});

test('a deflated data.pkl (a checkpoint re-zipped by hand) is read', () => {
  const pkl = pickleValue(new Pickle().proto(2), { epoch: 3, model: null, ema: null }).stop();
  const raw = parseCheckpoint(zip([{ name: 'x/data.pkl', data: pkl, method: 8 }]), 'deflated.pt');
  assert.equal(raw.root && typeof raw.root === 'object' && raw.root.kind, 'dict');
});

test('the legacy raw-pickle format (PyTorch < 1.6) is read up to its tensor bytes', () => {
  const magic = new Pickle().proto(2).op(0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).stop();
  const version = new Pickle().proto(2).int(1001).stop();
  const sysInfo = pickleValue(new Pickle().proto(2), { protocol_version: 1001, little_endian: true }).stop();
  const main = pickleValue(new Pickle().proto(2), { epoch: 5, model: null }).stop();
  const bytes = Buffer.concat([magic, version, sysInfo, main, Buffer.alloc(1000, 0xee)]);
  const raw = parseCheckpoint(bytes, 'legacy.pt');
  assert.equal(raw.format, 'legacy');
  // pickles longer than the first 1 MiB window: the window doubles until they fit
  const long = pickleValue(new Pickle().proto(2), { epoch: 5, model: null, note: 'x'.repeat(3 * 2 ** 20) }).stop();
  const big = parseCheckpoint(Buffer.concat([magic, version, sysInfo, long, Buffer.alloc(8 * 2 ** 20)]), 'legacy-big.pt');
  assert.ok(big.pickleBytes > 3 * 2 ** 20);
  assert.throws(() => parseCheckpoint(Buffer.concat([magic, version, sysInfo, long.subarray(0, 2 ** 21)]), 'cut.pt'), /cut\.pt: pickle at byte \d+: truncated/);
  assert.throws(() => interpretCheckpoint(raw), /legacy\.pt: no 'model' or 'ema' entry|'ema' holds/);
});

test('protocols 0-5: every plain opcode decodes to the same values', () => {
  const v = readPickle(new Pickle().text("(dp0\nS'a'\np1\nI42\nsS'b'\nF1.5\nsS'c'\n(lp2\nI01\naI00\naL7L\nasS'd'\nNs.").bytes(), 'p0').value;
  assert.deepEqual(v, { kind: 'dict', entries: [['a', 42], ['b', 1.5], ['c', { kind: 'list', items: [true, false, 7] }], ['d', null]] });
  const w = readPickle(new Pickle().proto(5).op(0x95, 20, 0, 0, 0, 0, 0, 0, 0).op(0x8f).op('(').int(1).int(-5).op(0x90).op(0x94).op(0x85).op(0x8a, 2, 0xff, 0x7f).op(0x89).op(0x87).stop(), 'p5').value;
  assert.deepEqual(w, { kind: 'tuple', items: [{ kind: 'tuple', items: [{ kind: 'set', items: [1, -5] }] }, 32767, false] });
});
