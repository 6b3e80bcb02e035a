// Runs corpus cases in a worker thread (killed and replaced when a case runs far past its expected
// time, so a hang fails the case instead of stalling the test) and judges what came out. How long a
// case took is reported, never judged: on a shared machine time is no pass/fail criterion; the net
// below only catches inputs that never finish (the bugs it guards against took minutes to forever).
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CaseOutcome } from './run-case';
import type { CorpusCase } from './types';

export const DEFAULT_BOUND_MS = 10_000;
/** A case is declared hung only far past its expected time: 4x it, and never under a minute. */
const hangNetMs = (c: CorpusCase) => Math.max(60_000, 4 * (c.timeMs ?? DEFAULT_BOUND_MS));
/** The Python reader's own time budget (src/core/scripts/python.ts): a documented outcome, not a failure. */
const PARSE_BUDGET_NOTE = /^Python parsing took longer than [\d.]+ s and was stopped; no settings were read$/;
const STACK_LINE = /\n\s+at /;

export class CaseRunner {
  private worker: Worker | null = null;
  constructor(private readonly dir: string, private readonly smiDir: string) {}

  private spawn(): Worker {
    // tsx's --import hooks do not reach worker threads on Node 20: register its CommonJS hook inside
    const entry = join(__dirname, 'run-case.ts');
    this.worker ??= new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, execArgv: [] });
    return this.worker;
  }

  /** Runs one case; rejects with 'hang' when it never answers (the worker is then replaced). */
  run(c: CorpusCase): Promise<CaseOutcome> {
    const w = this.spawn();
    const net = hangNetMs(c);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        void w.terminate();
        this.worker = null;
        reject(new Error(`${c.id}: no answer within ${net} ms (hang)`));
      }, net);
      const onMessage = (m: { ok: boolean; outcome?: CaseOutcome; error?: string }) => {
        cleanup();
        if (m.ok) resolve(m.outcome!);
        else reject(new Error(`${c.id}: the runner itself threw: ${m.error}`));
      };
      const onError = (e: Error) => {
        cleanup();
        this.worker = null;
        reject(new Error(`${c.id}: worker crashed: ${e.stack ?? e.message}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage({ c, dir: this.dir, smiDir: this.smiDir });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** Every problem with one outcome, as readable lines (empty: the case passed). */
export function judge(c: CorpusCase, o: CaseOutcome): string[] {
  const bad: string[] = [];
  const matches = (line: string) => (c.expect.message !== undefined ? line === c.expect.message : c.expect.pattern !== undefined ? new RegExp(c.expect.pattern).test(line) : true);
  const want = c.expect.message !== undefined ? JSON.stringify(c.expect.message) : `/${c.expect.pattern}/`;
  if (c.kind === 'model') {
    const err = o.analyzeError;
    if (c.expect.exit === 0) {
      if (err) bad.push(`analyze() should succeed, threw ${err.name}: ${err.message}`);
    } else if (!err) bad.push(`analyze() should reject with ${want}, but succeeded`);
    else {
      if (!matches(err.message)) bad.push(`analyze() message ${JSON.stringify(err.message)} does not match ${want}`);
      if (err.message.includes('\n')) bad.push('analyze() message is more than one line');
      if (!err.message.includes(basename(c.file))) bad.push(`analyze() message does not name the file ${basename(c.file)}`);
      if (/^(TypeError|RangeError|ReferenceError|SyntaxError|Error)$/.test(err.name)) bad.push(`analyze() threw a generic ${err.name}, not one of the product's error types`);
    }
    const cli = o.cli!;
    if (cli.code !== c.expect.exit) bad.push(`CLI exit ${cli.code}, expected ${c.expect.exit} (stderr: ${cli.stderr.trim().slice(0, 200)})`);
    if (STACK_LINE.test(cli.stderr) || /internal error/.test(cli.stderr)) bad.push(`CLI printed a stack trace / internal error: ${cli.stderr.slice(0, 300)}`);
    if (c.expect.exit === 1) {
      const lines = cli.stderr.split('\n').filter(Boolean);
      if (lines.length !== 1) bad.push(`CLI stderr has ${lines.length} lines, expected one`);
      else if (err && lines[0] !== `yolo-mem: ${err.message}`) bad.push(`CLI stderr ${JSON.stringify(lines[0])} is not 'yolo-mem: ' + analyze()'s message`);
    }
    if (c.expect.exit === 0 && !cli.stdout.startsWith('{')) bad.push('CLI printed no JSON');
  } else if (c.kind === 'script') {
    const s = o.scan!;
    if ('threw' in s) bad.push(`scan threw: ${s.threw}`);
    else {
      const first = s.notes[0] ?? '';
      // On a loaded machine a big script may meet the reader's own time budget: that ends the scan
      // with its documented note (no crash, no partial settings), which is the property under test.
      if (PARSE_BUDGET_NOTE.test(first) && c.expect.runs !== 0) return bad;
      if (!matches(first)) bad.push(`first note ${JSON.stringify(first)} does not match ${want}`);
      if (c.expect.runs !== undefined && s.runs !== c.expect.runs) bad.push(`found ${s.runs} runs, expected ${c.expect.runs}`);
    }
  } else {
    const s = o.smi!;
    if (!matches(s.message)) bad.push(`nvidia-smi outcome ${s.state}: ${JSON.stringify(s.message)} does not match ${want}`);
    const cli = o.cli!;
    if (cli.code !== 0) bad.push(`CLI exit ${cli.code} with a broken nvidia-smi (expected 0, no verdict): ${cli.stderr}`);
    if (cli.stderr) bad.push(`CLI wrote to stderr: ${cli.stderr.slice(0, 200)}`);
  }
  return bad;
}
