// End-to-end harness: the packaged .vsix installed into a real VS Code workbench (code-server),
// driven by Debian's Chromium through playwright-core. Everything a session touches lives in one
// temporary folder (HOME, XDG dirs, user data, extensions, workspace, a fake nvidia-smi, the
// browser profile), so runs never see the developer's own VS Code state or each other.
// Readiness is always a real signal (a log line, a DOM element), never a fixed sleep; teardown
// runs even when a step fails. /work/shared/E2E-RECIPE.md explains each flag.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = resolve(__dirname, '..', '..');
/** The repository's test data (test/data/, see its README): ONNX exports with zeroed weights, model YAMLs. */
export const fixturesDir = join(repoRoot, 'test', 'data');
export const hasFixtures = existsSync(join(fixturesDir, 'models'));
export const artifactsRoot = join(repoRoot, 'test-artifacts', 'e2e');
const chromiumPath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const sampleWorkspace = join(__dirname, 'workspace');

/** One GPU row for the fake nvidia-smi, in nvidia-smi's own units (MiB). */
export interface FakeGpu {
  name: string;
  totalMiB: number;
  usedMiB: number;
  driver: string;
}
/** A 12 GiB card: big enough for yolov8n at batch 16, small enough that large batches do not fit. */
export const RTX_3060: FakeGpu = { name: 'NVIDIA GeForce RTX 3060', totalMiB: 12288, usedMiB: 512, driver: '550.54.15' };

export interface SessionOptions {
  /** Folder name under test-artifacts/e2e/ for screenshots and logs. */
  name: string;
  /** Fixture models (file names in test/data/models) copied into the workspace. */
  models?: string[];
  /** Extra workspace files: relative path → contents (Buffer for binary). */
  files?: Record<string, string | Buffer>;
  /** The GPU the fake nvidia-smi reports; null = no nvidia-smi on PATH at all. */
  gpu?: FakeGpu | null;
  /** Extra user settings merged over the isolation defaults. */
  settings?: Record<string, unknown>;
}

export interface Session {
  page: Page;
  workspace: string;
  artifacts: string;
  screenshot(label: string): Promise<string>;
  /** code-server's own output so far (the extension host log is copied at close). */
  serverLog(): string;
  /** Errors the extension's webviews logged (console errors, CSP violations, uncaught exceptions)
   *  since the session started: a test fails on any. */
  webviewErrors(): string[];
  close(): Promise<void>;
}

/** A console message from one of the extension's webviews: the panel's or sidebar's bundle, or a
 *  webview frame (CSP violations are reported against the frame). */
export function isWebviewMessage(text: string, url: string): boolean {
  return /\/dist\/webview\/|vscode-webview|\/webview\/browser\/pre\//.test(url) || /Content Security Policy/.test(text);
}

function fail(message: string): never {
  throw new Error(`e2e: ${message}`);
}

/**
 * The .vsix under test: E2E_VSIX when the runner (scripts/e2e/run.mjs) built it once; otherwise
 * packaged here. Test files may run in parallel processes, and packaging rebuilds dist/, so a
 * lock folder serialises it and a package finished while we waited for the lock is reused.
 */
export function resolveVsix(): string {
  const given = process.env.E2E_VSIX;
  if (given) {
    if (!existsSync(given)) fail(`E2E_VSIX points at ${given}, which does not exist`);
    return given;
  }
  const target = `${process.platform}-${process.arch}`;
  const vsix = join(repoRoot, `${pkgName()}-${target}-${pkgVersion()}.vsix`);
  const lock = join(repoRoot, '.e2e-cache', 'package.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const asked = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - asked > 300_000) fail(`${lock} has been held for 5 minutes; remove it if no packaging is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // synchronous pause while another process packages
    }
  }
  try {
    if (existsSync(vsix) && statSync(vsix).mtimeMs >= asked) return vsix;
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), target], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) fail(`packaging failed:\n${r.stdout}${r.stderr}`);
    return existsSync(vsix) ? vsix : fail(`packaging did not produce ${vsix}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function pkgName(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string }).name;
}

function pkgVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export function codeServerEntry(): string {
  // The installer is an .mjs script shared with `npm run demo`; its layout is fixed there.
  const entry = join(repoRoot, '.e2e-cache', 'code-server-4.100.3', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) fail('code-server is not installed: run `node scripts/e2e/install-code-server.mjs` (or `npm run test:e2e`, which does it)');
  return entry;
}

export function checkChromium(): void {
  if (!existsSync(chromiumPath)) fail(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set E2E_CHROMIUM)`);
}

/** A shell script standing in for nvidia-smi: answers `--query-gpu=<fields>` in the requested order. */
export function fakeNvidiaSmi(gpu: FakeGpu): string {
  const values: Record<string, string> = {
    index: '0',
    name: gpu.name,
    'memory.total': String(gpu.totalMiB),
    'memory.used': String(gpu.usedMiB),
    'memory.free': String(gpu.totalMiB - gpu.usedMiB),
    driver_version: gpu.driver,
    uuid: 'GPU-00000000-e2e0-0000-0000-000000000000',
  };
  const cases = Object.entries(values).map(([k, v]) => `    ${k}) v='${v}' ;;`).join('\n');
  return `#!/bin/sh
# Fake nvidia-smi for the e2e tests: only the CSV query the extension makes is recorded.
q=''
for a in "$@"; do case "$a" in --query-gpu=*) q="\${a#--query-gpu=}" ;; esac; done
[ -n "$q" ] || { echo "fake nvidia-smi: only --query-gpu is supported" >&2; exit 2; }
out=''
IFS=','
for f in $q; do
  case "$f" in
${cases}
    *) v='[N/A]' ;;
  esac
  out="\${out:+$out, }$v"
done
printf '%s\\n' "$out"
`;
}

/** Isolation defaults: no start page, telemetry, updates, git or AI features; quick hovers. */
const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.hover.delay': 200,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
};

function populateWorkspace(ws: string, opts: SessionOptions): void {
  cpSync(sampleWorkspace, ws, { recursive: true });
  for (const m of opts.models ?? []) {
    const src = join(fixturesDir, 'models', m);
    if (!existsSync(src)) fail(`fixture model ${m} is missing from ${fixturesDir}/models`);
    copyFileSync(src, join(ws, m));
  }
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(ws, rel)), { recursive: true });
    writeFileSync(join(ws, rel), content);
  }
}

/** Waits until `text` shows up in the child's output; rejects if it exits or time runs out. */
function waitForOutput(child: ChildProcess, log: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => finish(new Error(`code-server did not print ${pattern} within ${timeoutMs / 1000} s:\n${log().slice(-3000)}`)), timeoutMs);
    const check = () => {
      const m = log().match(pattern);
      if (m) finish(undefined, m);
    };
    const onExit = (code: number | null) => finish(new Error(`code-server exited (${code}) before it was ready:\n${log().slice(-3000)}`));
    function finish(err?: Error, m?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolvePromise(m!);
    }
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', onExit);
    check();
  });
}

/** Stops a detached process group: SIGTERM, then SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000).unref())]);
  if (timedOut) {
    kill('SIGKILL');
    await exited;
  }
}

function copyLogs(userData: string, dest: string): void {
  const logs = join(userData, 'logs');
  if (existsSync(logs)) cpSync(logs, join(dest, 'vscode-logs'), { recursive: true });
}

export interface ServerOptions extends SessionOptions {
  /** Where code-server's output is written. */
  logFile: string;
  /** Fixed port (the demo); default: one the OS picks. */
  port?: number;
}

export interface Server {
  port: number;
  /** The workbench URL with the workspace folder opened. */
  url: string;
  workspace: string;
  /** Root of all the session's temporary state. */
  tmp: string;
  browserProfile: string;
  output(): string;
  /** Settles with the exit code when code-server exits (on its own or by stop()). */
  exited: Promise<number | null>;
  /** Stops code-server, keeps its logs in `logsTo` if given, and removes the temporary state. */
  stop(logsTo?: string): Promise<void>;
}

/** Installs the .vsix into a fresh, isolated code-server and starts it on 127.0.0.1. */
export async function startServer(opts: ServerOptions): Promise<Server> {
  const entry = codeServerEntry();
  const vsix = resolveVsix();
  const tmp = mkdtempSync(join(tmpdir(), 'yolo-e2e-'));
  const dirs = {
    home: join(tmp, 'home'),
    userData: join(tmp, 'user-data'),
    extensions: join(tmp, 'extensions'),
    bin: join(tmp, 'bin'),
    browser: join(tmp, 'browser'),
    workspace: join(tmp, 'workspace'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const config = join(tmp, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...opts.settings }, null, 2));
  const gpu = opts.gpu === undefined ? RTX_3060 : opts.gpu;
  if (gpu) {
    writeFileSync(join(dirs.bin, 'nvidia-smi'), fakeNvidiaSmi(gpu));
    chmodSync(join(dirs.bin, 'nvidia-smi'), 0o755);
  }
  // code-server gives the extension host the environment of a login shell (`$SHELL -ilc env`),
  // and /etc/profile resets PATH, so the fake must also be on the login PATH of our HOME, as a
  // real nvidia-smi would be.
  const profile = `export PATH='${dirs.bin}':"$PATH"\n`;
  writeFileSync(join(dirs.home, '.profile'), profile);
  writeFileSync(join(dirs.home, '.bash_profile'), '. "$HOME/.profile"\n');
  writeFileSync(join(dirs.home, '.zprofile'), profile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    // The fake nvidia-smi shadows any real one, so the extension sees a known GPU.
    PATH: `${dirs.bin}:${process.env.PATH ?? ''}`,
  };
  delete env.VSCODE_IPC_HOOK_CLI; // a parent VS Code terminal would capture --install-extension
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  let server: ChildProcess | undefined;
  let output = '';
  const logFile = createWriteStream(opts.logFile);
  let stopped = false;
  const stop = async (logsTo?: string) => {
    if (stopped) return;
    stopped = true;
    if (server) await stopGroup(server);
    await new Promise<void>((r) => logFile.end(() => r()));
    if (logsTo) copyLogs(dirs.userData, logsTo);
    if (!process.env.E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
  };
  try {
    populateWorkspace(dirs.workspace, opts);
    const install = spawnSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
    if (install.status !== 0) fail(`installing ${vsix} failed:\n${install.stdout}${install.stderr}`);
    server = spawn(
      process.execPath,
      [
        entry, ...common,
        '--bind-addr', `127.0.0.1:${opts.port ?? 0}`, // port 0: the OS picks a free one; read back from the log
        '--auth', 'none',
        '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
        '--disable-getting-started-override', '--ignore-last-opened',
        dirs.workspace,
      ],
      // Its own process group, so stop() also ends the extension host and the worker it forks.
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const append = (b: Buffer) => {
      output += b.toString();
      logFile.write(b);
    };
    server.stdout!.on('data', append);
    server.stderr!.on('data', append);
    const m = await waitForOutput(server, () => output, /HTTP server listening on https?:\/\/[^\s]*:(\d+)/, 60_000);
    const port = Number(m[1]);
    const child = server;
    const exited = new Promise<number | null>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) r(child.exitCode);
      else child.once('exit', (code) => r(code));
    });
    return {
      exited,
      port,
      url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`,
      workspace: dirs.workspace,
      tmp,
      browserProfile: dirs.browser,
      output: () => output,
      stop,
    };
  } catch (e) {
    await stop(dirname(opts.logFile));
    throw e;
  }
}

/**
 * Starts an isolated code-server with the extension installed and opens its workspace in
 * Chromium. The caller must `close()` it (use `withSession`, which always does).
 */
export async function startSession(opts: SessionOptions): Promise<Session> {
  checkChromium();
  const artifacts = join(artifactsRoot, opts.name);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const server = await startServer({ ...opts, logFile: join(artifacts, 'code-server.log') });
  let context: BrowserContext | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // The last screen is the most useful artifact when a test failed midway.
    await context?.pages()[0]?.screenshot({ path: join(artifacts, 'last.png') }).catch(() => undefined);
    await context?.close().catch(() => undefined);
    await server.stop(artifacts);
  };
  try {
    context = await chromium.launchPersistentContext(server.browserProfile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    const webviewErrors: string[] = [];
    page.on('console', (m) => {
      const url = m.location().url ?? '';
      if (m.type() === 'error' && isWebviewMessage(m.text(), url)) webviewErrors.push(`${m.text()} (${url})`);
    });
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return {
      page,
      workspace: server.workspace,
      artifacts,
      async screenshot(label) {
        const file = join(artifacts, `${label}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      serverLog: server.output,
      webviewErrors: () => [...webviewErrors],
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Runs `body` in a fresh session; screenshots on failure; always tears down. */
export async function withSession<T>(opts: SessionOptions, body: (s: Session) => Promise<T>): Promise<T> {
  const s = await startSession(opts);
  try {
    return await body(s);
  } catch (e) {
    await s.screenshot('failure').catch(() => undefined);
    throw e;
  } finally {
    await s.close();
  }
}
