// `npm run demo [-- --port 8080] [--fake-gpu]`: packages the extension, installs it into an
// isolated code-server on 127.0.0.1 with a sample workspace (training scripts, a config YAML and,
// from test/data/, its ONNX models and model YAMLs), prints the URL and runs until
// Ctrl-C, then stops code-server and removes its temporary state.
// --fake-gpu puts a stand-in nvidia-smi on PATH that reports an RTX 3060 (12 GiB), for machines
// without an NVIDIA GPU; the banner says so, so nobody mistakes it for a real measurement.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';
import { installCodeServer } from './e2e/install-code-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const portArg = option('--port') ?? '8080';
const port = Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got "${portArg}"`);
const fakeGpu = args.includes('--fake-gpu');

try {
  installCodeServer({ quiet: true });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
// The harness owns isolation, settings and process-group teardown; the demo reuses it as is.
const harness = tsxRequire('../test/e2e/harness.ts', import.meta.url);

const fixtures = harness.fixturesDir;
const models = existsSync(join(fixtures, 'models')) ? readdirSync(join(fixtures, 'models')).filter((f) => f.endsWith('.onnx')) : [];
const files = {};
if (existsSync(join(fixtures, 'yaml'))) {
  for (const f of readdirSync(join(fixtures, 'yaml'))) files[join('models', f)] = readFileSync(join(fixtures, 'yaml', f));
}
if (!models.length) console.log(`(no fixtures at ${fixtures}: the sample workspace has scripts and YAML only)`);

console.log('packaging and installing the extension…');
let server;
mkdirSync(join(root, 'test-artifacts'), { recursive: true });
try {
  server = await harness.startServer({
    name: 'demo',
    models,
    files,
    gpu: fakeGpu ? harness.RTX_3060 : null,
    port,
    logFile: join(root, 'test-artifacts', 'demo-code-server.log'),
  });
} catch (e) {
  // First line says what failed; the last line of code-server's output usually says why.
  const lines = (e instanceof Error ? e.message : String(e)).trim().split('\n');
  fail(lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : lines[0]);
}

console.log(`\nYOLO Memory Insight demo is running at\n\n  ${server.url}\n`);
console.log(`workspace: ${server.workspace}`);
if (fakeGpu) console.log('GPU: SIMULATED nvidia-smi reporting an NVIDIA GeForce RTX 3060 (12 GiB)');
console.log('Press Ctrl-C to stop.');

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping code-server…`);
  await server.stop();
  console.log('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
server.exited.then((code) => {
  if (stopping) return;
  console.error(`demo: code-server exited unexpectedly (${code}); its log is test-artifacts/demo-code-server.log`);
  void server.stop().then(() => process.exit(1));
});
process.on('SIGTERM', () => void shutdown('SIGTERM'));
