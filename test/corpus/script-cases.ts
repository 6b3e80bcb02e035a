// Pathological training scripts (deep nesting, multi-MB files, broken syntax) and a misbehaving
// nvidia-smi, for the reliability corpus. Scripts go through scanScriptAsync() (the worker's entry
// to the script reader); nvidia-smi through discoverGpus() and the CLI.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScriptLanguage } from '../../src/core/scripts/types';
import type { CorpusCase } from './types';

const TRAIN = 'from ultralytics import YOLO\nmodel = YOLO("yolov8n.pt")\nmodel.train(data="coco8.yaml", batch=16, imgsz=640)\n';
const SYNTAX = '^the Python code has syntax errors; settings were read from the parts that parse$';
const TOO_BIG = '^skipped: the file is \\d+\\.\\d MB, over the \\d+ MB limit for reading training settings$';

export function scriptCases(dir: string, big: boolean): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const add = (id: string, ext: string, language: ScriptLanguage, text: string, pattern: string, runs: number, note: string, timeMs?: number) => {
    const file = `${id}.${ext}`;
    writeFileSync(join(dir, file), text);
    cases.push({ id, family: `script-${language}`, kind: 'script', file, language, expect: { exit: 0, pattern, runs }, note, timeMs });
  };
  const py = (id: string, text: string, pattern: string, runs: number, note: string, timeMs?: number) => add(id, 'py', 'python', text, pattern, runs, note, timeMs);
  const N = 10_000;

  py('py-base', TRAIN, '^$', 1, 'a plain Ultralytics script');
  py('py-parens-10000', `x = ${'('.repeat(N)}1${')'.repeat(N)}\n${TRAIN}`, '^$', 1, '10,000 nested parentheses');
  py('py-brackets-10000', `x = ${'['.repeat(N)}${']'.repeat(N)}\n${TRAIN}`, '^$', 1, '10,000 nested lists');
  py('py-braces-10000', `x = ${'{1: '.repeat(N)}1${'}'.repeat(N)}\n${TRAIN}`, '^$', 1, '10,000 nested dicts');
  py('py-calls-10000', `model.train(batch=${'f('.repeat(N)}1${')'.repeat(N)})\n`, '^$', 1, 'the batch value inside 10,000 nested calls');
  py('py-unclosed-10000', `model.train(batch=${'('.repeat(N)}\n`, SYNTAX, 0, '10,000 unclosed parentheses');
  py('py-closers-10000', `${')'.repeat(N)}\n${TRAIN}`, SYNTAX, 1, '10,000 unmatched closing parentheses before a valid script');
  py('py-lambda-2000', `f = ${'lambda: '.repeat(2000)}1\n${TRAIN}`, '^$', 1, '2,000 nested lambdas');
  py('py-indent-500', Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}if True:`).join('\n') + `\n${' '.repeat(500)}model.train(batch=8)\n`, '^$', 1, '500 nested if blocks');
  py('py-unary-10000', `x = ${'-'.repeat(N)}1\n${TRAIN}`, '^$', 1, '10,000 unary minus signs');
  py('py-string-unclosed', `model.train(batch=16, name="${'x'.repeat(100_000)}\n`, SYNTAX, 0, 'an unclosed 100 KB string');
  py('py-nul-bytes', `\0\0\0${TRAIN}\0`, SYNTAX, 1, 'NUL bytes around a script');
  py('py-binary', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'), SYNTAX, 0, '4 KiB of binary');
  py('py-lone-surrogates', `model.train(batch=16, name="\ud800\udfff\udc00")\n`, '^$', 1, 'lone UTF-16 surrogates in a string');
  py('py-batch-huge', 'model.train(batch=10**100, imgsz=1e309)\n', '^$', 1, 'batch 10**100 and imgsz 1e309 (values to be judged, not crashes)');
  py('py-many-calls', 'model.train(batch=8)\n'.repeat(5000), '^only the first \\d+ training calls were read$', 1000, '5,000 train() calls (the reader caps the runs per file)', 30_000);
  // a 300,000-element imgsz list: spread into Math.max it overflowed the stack ("Estimator bug")
  const IMGSZ_300K = `[${new Array(300_000).fill('640').join(',')}]`;
  py('py-imgsz-300k', `from ultralytics import YOLO\nYOLO("yolov8n.pt").train(data="coco8.yaml", batch=16, imgsz=${IMGSZ_300K})\n`, '^$', 1, 'a 300,000-element imgsz list');
  add('sh-imgsz-300k', 'sh', 'shell', `yolo train model=yolov8n.pt batch=16 imgsz=${IMGSZ_300K}\n`, '^$', 1, 'a 300,000-element imgsz list on a CLI line');
  add('yaml-imgsz-300k', 'yaml', 'yaml', `task: detect\nmode: train\nmodel: yolov8n.pt\nbatch: 16\nimgsz: ${IMGSZ_300K}\n`, '^skipped a YAML block of \\d+ KB: over the 256 KB limit for a training config$', 0, 'a 300,000-element imgsz list in args.yaml (1.2 MB: the yaml parser took 9-11 s)');
  add('md-imgsz-300k', 'md', 'markdown', `# Train\n\n\`\`\`bash\nyolo train model=yolov8n.pt batch=16 imgsz=${IMGSZ_300K}\n\`\`\`\n`, '^$', 1, 'a 300,000-element imgsz list in a README code block');
  py('py-too-big', `${TRAIN}${'x = 1\n'.repeat(600_000)}`, TOO_BIG, 0, 'a 3.6 MB script (over the 2 MB limit)');
  if (big) {
    py('py-huge-8mb', `${TRAIN}${'# padding line\n'.repeat(560_000)}`, TOO_BIG, 0, 'an 8 MB script');
    py('py-1mb-code', `${TRAIN}${'x = [1, 2, 3]\n'.repeat(70_000)}`, '^$', 1, '1 MB of simple statements under the limit', 30_000);
  }
  add('sh-base', 'sh', 'shell', 'yolo train model=yolov8n.pt batch=16 imgsz=640\n', '^$', 1, 'a plain CLI line');
  add('sh-subst-10000', 'sh', 'shell', `yolo train batch=${'$('.repeat(N)}\n`, '^$', 1, '10,000 unclosed command substitutions');
  add('sh-quotes-10000', 'sh', 'shell', `yolo train batch=16 name=${'"\''.repeat(N)}\n`, '^$', 1, '20,000 alternating quotes');
  add('sh-continuations', 'sh', 'shell', `yolo train batch=16 ${'\\\n'.repeat(50_000)}imgsz=640\n`, '^$', 1, '50,000 line continuations');
  add('sh-too-big', 'sh', 'shell', 'yolo train batch=16 imgsz=640 \\\n'.repeat(100_000), TOO_BIG, 0, 'a 3.2 MB shell script');
  add('yaml-cfg-bomb', 'yaml', 'yaml', 'imgsz: 640\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nbatch: 16\n', '^$', 1, 'an alias bomb in a training config');
  add('yaml-cfg-nest', 'yaml', 'yaml', `imgsz: 640\nbatch: ${'['.repeat(N)}\n`, '^YAML error: .+$', 1, '10,000 unclosed flow lists in a training config');
  add('md-nest', 'md', 'markdown', `# Train\n\n\`\`\`python\n${'('.repeat(N)}\n\`\`\`\n`, '^code block at line 4: the Python code has syntax errors; settings were read from the parts that parse$', 0, 'a Markdown code block of 10,000 parentheses');
  add('nb-nest', 'ipynb', 'notebook', `{"cells":${'['.repeat(N)}}`, '^not a valid notebook: JSON nested too deeply at offset \\d+$', 0, 'a notebook of 10,000 nested arrays');
  add('nb-garbage', 'ipynb', 'notebook', '\u0089PNG\r\n\u001a\n', '^not a valid notebook: .+$', 0, 'a PNG renamed .ipynb');
  add('nb-too-big', 'ipynb', 'notebook', `{"cells": [], "x": "${'A'.repeat(21 * 1024 * 1024)}"}`, TOO_BIG, 0, 'a 21 MB notebook (over the 20 MB limit)');
  return cases;
}

/** nvidia-smi printing garbage, hanging, or failing: the CLI must still answer (no verdict). */
export function smiCases(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const out = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const add = (id: string, smi: Record<string, string>, pattern: string, note: string, timeMs?: number) =>
    cases.push({ id, family: 'nvidia-smi', kind: 'smi', file: 'yolov8n', smi, expect: { exit: 0, pattern }, note, timeMs });
  add('smi-ok', { FAKE_SMI_STDOUT: out('smi-ok.csv', '0, NVIDIA GeForce RTX 3090, 24576, 1024, 23300, 550.54.15\n') }, '^ok$', 'a healthy answer (control)');
  add('smi-garbage', { FAKE_SMI_STDOUT: out('smi-garbage.txt', 'Segmentation fault (core dumped)\n') }, '^nvidia-smi printed something that is not its CSV output: "Segmentation fault \\(core dumped\\)"$', 'garbage on stdout, exit 0');
  add('smi-binary', { FAKE_SMI_STDOUT: out('smi-binary.bin', new Uint8Array(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256))) }, '^nvidia-smi printed something that is not its CSV output: .+$', '2 KiB of binary');
  add('smi-empty', { FAKE_SMI_STDOUT: out('smi-empty.txt', '') }, '^nvidia-smi printed something that is not its CSV output: ""$', 'nothing at all, exit 0');
  add('smi-flood', { FAKE_SMI_STDOUT: out('smi-flood.txt', '0, GPU, 1, 1, 1, 1\n'.repeat(40_000)) }, '^nvidia-smi printed more than 262144 bytes; that is not its CSV output$', '760 KB of rows (over the 256 KiB cap)');
  add('smi-bad-numbers', { FAKE_SMI_STDOUT: out('smi-bad-numbers.csv', '0, GPU, -1, NaN, 1e999, x\n1, GPU, [N/A], 0, 0, x\n') }, '^nvidia-smi printed something that is not its CSV output: .+$', 'negative, NaN and [N/A] totals');
  add('smi-exit-1', { FAKE_SMI_STDERR: out('smi-exit-1.txt', 'boom\nsecond line\n'), FAKE_SMI_EXIT: '1' }, '^nvidia-smi exited with code 1: boom$', 'exit 1 with stderr');
  add('smi-exit-255', { FAKE_SMI_EXIT: '255' }, '^nvidia-smi exited with code 255$', 'exit 255, silent');
  add('smi-driver', { FAKE_SMI_STDOUT: out('smi-driver.txt', "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n"), FAKE_SMI_EXIT: '9' }, "^NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver\\..*$", 'driver not loaded (exit 9)');
  add('smi-hang', { FAKE_SMI_MODE: 'sleep' }, '^nvidia-smi did not answer within 5 s \\(the driver may be hung\\)$', 'never answers: killed after 5 s', 20_000);
  const notExec = out('nvidia-smi-noexec', '#!/bin/sh\necho hi\n');
  chmodSync(notExec, 0o644);
  cases.push({ id: 'smi-not-executable', family: 'nvidia-smi', kind: 'smi', file: 'yolov8n', smi: { EXECUTABLE: notExec }, expect: { exit: 0, pattern: '^could not run .+nvidia-smi-noexec: EACCES .+$' }, note: 'the configured path is not executable' });
  cases.push({ id: 'smi-missing', family: 'nvidia-smi', kind: 'smi', file: 'yolov8n', smi: { EXECUTABLE: join(dir, 'no-such-nvidia-smi') }, expect: { exit: 0, pattern: '^.+no-such-nvidia-smi was not found \\(is the NVIDIA driver installed and nvidia-smi on PATH\\?\\)$' }, note: 'the configured path does not exist' });
  return cases;
}
