// Paths that are not regular files, given as the model: a FIFO (open(2) blocks until a writer
// appears), links to /dev/zero and /dev/urandom (reads never end), a socket-less folder. Each must
// end at once with a one-line "not a regular file" error. POSIX only: Windows has no mkfifo and no
// /dev; the family is then empty and the corpus says so in its family counts.
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusCase } from './types';

export function specialFileCases(dir: string): CorpusCase[] {
  if (process.platform === 'win32' || !existsSync('/dev/zero')) return [];
  const cases: CorpusCase[] = [];
  const fifo = (file: string) => execFileSync('mkfifo', [join(dir, file)]);
  const link = (file: string, target: string) => symlinkSync(target, join(dir, file));
  const add = (id: string, file: string, message: string, note: string) =>
    cases.push({ id, family: 'special-file', kind: 'model', file, expect: { exit: 1, message: `${file}: ${message}` }, note });

  fifo('special-fifo.onnx');
  add('special-fifo-onnx', 'special-fifo.onnx', 'is a named pipe (FIFO), not a regular file', 'a FIFO named like an ONNX model (open would block)');
  fifo('special-fifo.yaml');
  add('special-fifo-yaml', 'special-fifo.yaml', 'is a named pipe (FIFO), not a regular file', 'a FIFO named like a model YAML');
  link('special-zero.yaml', '/dev/zero');
  add('special-zero-yaml', 'special-zero.yaml', 'is a character device, not a regular file', 'a model YAML that is a link to /dev/zero (endless zeros)');
  link('special-urandom.yaml', '/dev/urandom');
  add('special-urandom-yaml', 'special-urandom.yaml', 'is a character device, not a regular file', 'a model YAML that is a link to /dev/urandom');
  link('special-zero.onnx', '/dev/zero');
  add('special-zero-onnx', 'special-zero.onnx', 'is a character device, not a regular file', 'an ONNX model that is a link to /dev/zero');
  link('special-null.onnx', '/dev/null');
  add('special-null-onnx', 'special-null.onnx', 'is a character device, not a regular file', 'an ONNX model that is a link to /dev/null');
  return cases;
}
