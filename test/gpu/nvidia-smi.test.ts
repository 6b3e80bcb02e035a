import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyNvidiaSmiOutput, nvidiaSmiArgs, parseNvidiaSmiCsv, queryNvidiaSmi } from '../../src/core/gpu/nvidia-smi';
import { discoverGpus } from '../../src/core/gpu/discover';
import { installFakeNvidiaSmi, SMI_FIXTURES } from '../helpers/fake-nvidia-smi';

const MIB = 2 ** 20;
const fx = (name: string) => join(SMI_FIXTURES, name);
const read = (name: string) => readFileSync(fx(name), 'utf8');

describe('parsing recorded nvidia-smi output', () => {
  test('one GPU: MiB become bytes, every field kept', () => {
    assert.deepEqual(parseNvidiaSmiCsv(read('one-gpu.csv'), false), {
      gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 3090', totalBytes: 24576 * MIB, usedBytes: 1024 * MIB, freeBytes: 23300 * MIB, driverVersion: '550.54.15' }],
      notes: [],
    });
  });

  test('a real H100 (recorded on the device machine, 2026-11-28, driver 580.159.04)', () => {
    const r = parseNvidiaSmiCsv(read('h100-recorded-2026-11-28.csv'), false)!;
    assert.deepEqual(r.gpus, [{ index: 0, name: 'NVIDIA H100 80GB HBM3', totalBytes: 81559 * MIB, usedBytes: 4 * MIB, freeBytes: 81076 * MIB, driverVersion: '580.159.04' }]);
    const withUuid = parseNvidiaSmiCsv(read('h100-recorded-2026-11-28-uuid.csv'), true)!;
    assert.match(withUuid.gpus[0].uuid ?? '', /^GPU-[0-9a-f-]{36}$/);
    assert.deepEqual(withUuid.notes, []);
  });

  test('four GPUs with UUIDs', () => {
    const r = parseNvidiaSmiCsv(read('four-a100-uuid.csv'), true)!;
    assert.equal(r.gpus.length, 4);
    assert.deepEqual(r.gpus.map((g) => g.index), [0, 1, 2, 3]);
    assert.deepEqual(r.gpus.map((g) => g.freeBytes! / MIB), [21235, 81354, 40398, 358]);
    assert.equal(r.gpus[2].uuid, 'GPU-51e0aa93-6c7d-4b28-a0f4-2c9e8d1b3f03');
  });

  test('[N/A] used/free are null, total still known', () => {
    const g = parseNvidiaSmiCsv(read('na-fields.csv'), false)!.gpus[0];
    assert.equal(g.totalBytes, 23034 * MIB);
    assert.equal(g.usedBytes, null);
    assert.equal(g.freeBytes, null);
  });

  test('a name containing a comma still parses; stray lines become notes', () => {
    const r = parseNvidiaSmiCsv('WARNING: something\n0, Weird, Name GPU, 8192, 0, 8192, 470.1\n', false)!;
    assert.equal(r.gpus[0].name, 'Weird, Name GPU');
    assert.equal(r.gpus[0].totalBytes, 8192 * MIB);
    assert.match(r.notes[0], /not a GPU row: "WARNING: something"/);
  });

  test('the query asks exactly for the documented fields', () => {
    assert.deepEqual(nvidiaSmiArgs(false), ['--query-gpu=index,name,memory.total,memory.used,memory.free,driver_version', '--format=csv,noheader,nounits']);
    assert.deepEqual(nvidiaSmiArgs(true), ['--query-gpu=index,name,memory.total,memory.used,memory.free,driver_version,uuid', '--format=csv,noheader,nounits']);
  });

  test('failure texts map to typed states', () => {
    assert.deepEqual(classifyNvidiaSmiOutput(read('driver-not-loaded.txt'), '', 9, false), {
      state: 'driver-not-loaded',
      message: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    });
    assert.deepEqual(classifyNvidiaSmiOutput(read('nvml-mismatch.txt'), '', 18, false), { state: 'driver-not-loaded', message: 'Failed to initialize NVML: Driver/library version mismatch' });
    assert.equal(classifyNvidiaSmiOutput(read('no-devices.txt'), '', 6, false).state, 'no-gpu');
    assert.deepEqual(classifyNvidiaSmiOutput('', read('bad-field.txt'), 2, false), {
      state: 'error', exitCode: 2, stderrFirstLine: 'Field "memory.totl" is not a valid field to query.',
      message: 'nvidia-smi exited with code 2: Field "memory.totl" is not a valid field to query.',
    });
    assert.deepEqual(classifyNvidiaSmiOutput(read('garbage.txt'), '', 0, false), {
      state: 'garbage', firstLine: '<html><body>Segmentation fault</body></html>',
      message: 'nvidia-smi printed something that is not its CSV output: "<html><body>Segmentation fault</body></html>"',
    });
    assert.equal(classifyNvidiaSmiOutput('', '', 0, false).state, 'garbage');
  });
});

describe('running a fake nvidia-smi through execFile', { skip: process.platform === 'win32' ? 'the fake is a POSIX shell wrapper' : false }, () => {
  const fake = installFakeNvidiaSmi();
  after(() => fake.dispose());

  test('ok: one GPU, with the exact arguments', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'smi-args-')), 'args.json');
    const r = await queryNvidiaSmi({ env: fake.env({ FAKE_SMI_STDOUT: fx('one-gpu.csv'), FAKE_SMI_ARGS_LOG: log }) });
    assert.equal(r.state, 'ok');
    assert.equal(r.state === 'ok' && r.gpus[0].name, 'NVIDIA GeForce RTX 3090');
    assert.deepEqual(JSON.parse(readFileSync(log, 'utf8')), nvidiaSmiArgs(false));
  });

  test('an explicit executable path is used as given', async () => {
    const r = await queryNvidiaSmi({ executable: join(fake.dir, 'nvidia-smi'), env: { ...fake.env({ FAKE_SMI_STDOUT: fx('colab-t4.csv') }), PATH: '/nonexistent' } });
    assert.equal(r.state === 'ok' && r.gpus[0].totalBytes, 15360 * MIB);
  });

  test('not-found when nothing is on PATH', async () => {
    const r = await queryNvidiaSmi({ env: { PATH: '/nonexistent-dir' } });
    assert.equal(r.state, 'not-found');
    assert.match(r.state === 'not-found' ? r.message : '', /nvidia-smi was not found/);
  });

  test('driver-not-loaded: exit 9 with the driver message', async () => {
    const r = await queryNvidiaSmi({ env: fake.env({ FAKE_SMI_STDOUT: fx('driver-not-loaded.txt'), FAKE_SMI_EXIT: '9' }) });
    assert.equal(r.state, 'driver-not-loaded');
    assert.match(r.message, /^NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver\./);
  });

  test('no-gpu: exit 6 "No devices were found"', async () => {
    const r = await queryNvidiaSmi({ env: fake.env({ FAKE_SMI_STDOUT: fx('no-devices.txt'), FAKE_SMI_EXIT: '6' }) });
    assert.equal(r.state, 'no-gpu');
  });

  test('garbage: exit 0 with output that is not the CSV', async () => {
    const r = await queryNvidiaSmi({ env: fake.env({ FAKE_SMI_STDOUT: fx('garbage.txt') }) });
    assert.equal(r.state, 'garbage');
    assert.equal(r.state === 'garbage' && r.firstLine, '<html><body>Segmentation fault</body></html>');
  });

  test('error: other non-zero exit, with stderr first line', async () => {
    const r = await queryNvidiaSmi({ env: fake.env({ FAKE_SMI_STDERR: fx('bad-field.txt'), FAKE_SMI_EXIT: '2' }) });
    assert.equal(r.state, 'error');
    assert.equal(r.state === 'error' && r.exitCode, 2);
    assert.equal(r.state === 'error' && r.stderrFirstLine, 'Field "memory.totl" is not a valid field to query.');
  });

  test('timeout: a hung nvidia-smi is killed and reported', async () => {
    const r = await queryNvidiaSmi({ timeoutMs: 300, env: fake.env({ FAKE_SMI_MODE: 'sleep' }) });
    assert.equal(r.state, 'timeout'); // the fake never exits by itself: only the kill ends it
  });

  test('discover: default pick is the GPU with most free memory', async () => {
    const r = await discoverGpus({ env: fake.env({ FAKE_SMI_STDOUT: fx('four-a100.csv') }) });
    assert.equal(r.state, 'ok');
    if (r.state !== 'ok') return;
    assert.equal(r.gpus.length, 4);
    assert.equal(r.cudaIndex, 1);
    assert.deepEqual(r.gpu, { name: 'NVIDIA A100-SXM4-80GB', totalBytes: 81920 * MIB, source: 'nvidia-smi', index: 1, driverVersion: '535.129.03', usedBytes: 4 * MIB, freeBytes: 81354 * MIB });
  });

  test('discover: CUDA_VISIBLE_DEVICES indices renumber, device picks within them', async () => {
    const r = await discoverGpus({ device: 1, env: fake.env({ FAKE_SMI_STDOUT: fx('four-a100.csv'), CUDA_VISIBLE_DEVICES: '3,2' }) });
    assert.equal(r.state === 'ok' && r.visible.map((g) => g.index).join(), '3,2');
    assert.equal(r.state === 'ok' && r.gpu!.index, 2);
  });

  test('discover: CUDA_VISIBLE_DEVICES with UUIDs queries uuid and matches prefixes', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'smi-args-')), 'args.json');
    const r = await discoverGpus({
      env: fake.env({ FAKE_SMI_STDOUT: fx('four-a100.csv'), FAKE_SMI_STDOUT_UUID: fx('four-a100-uuid.csv'), FAKE_SMI_ARGS_LOG: log, CUDA_VISIBLE_DEVICES: 'GPU-c8b4e6f2,GPU-51e0aa93-6c7d-4b28-a0f4-2c9e8d1b3f03' }),
    });
    assert.deepEqual(JSON.parse(readFileSync(log, 'utf8')), nvidiaSmiArgs(true));
    assert.equal(r.state, 'ok');
    if (r.state !== 'ok') return;
    assert.deepEqual(r.visible.map((g) => g.index), [3, 2]);
    assert.equal(r.cudaIndex, 1); // GPU 2 has 40398 MiB free, GPU 3 only 358
    assert.equal(r.gpu!.index, 2);
  });

  test('discover: mixed GPUs get the CUDA ordering caveat unless PCI_BUS_ID order is set', async () => {
    const r = await discoverGpus({ env: fake.env({ FAKE_SMI_STDOUT: fx('mixed-two.csv') }) });
    assert.equal(r.state === 'ok' && r.gpu!.name, 'NVIDIA GeForce RTX 3060');
    assert.ok(r.state === 'ok' && r.notes.some((n) => /CUDA_DEVICE_ORDER=PCI_BUS_ID/.test(n)));
    const r2 = await discoverGpus({ env: fake.env({ FAKE_SMI_STDOUT: fx('mixed-two.csv'), CUDA_DEVICE_ORDER: 'PCI_BUS_ID' }) });
    assert.deepEqual(r2.state === 'ok' && r2.notes, []);
  });

  test('discover: failures pass through as their state', async () => {
    const r = await discoverGpus({ env: fake.env({ FAKE_SMI_STDOUT: fx('driver-not-loaded.txt'), FAKE_SMI_EXIT: '9' }) });
    assert.equal(r.state, 'driver-not-loaded');
  });
});
