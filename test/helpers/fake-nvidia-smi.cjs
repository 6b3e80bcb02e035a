// A stand-in for nvidia-smi, run by the GPU tests through a real execFile. The test writes a
// wrapper named `nvidia-smi` into a temp dir that it puts first on PATH. Behaviour by env:
//   FAKE_SMI_MODE   print (default) | sleep (never answers: tests the timeout)
//   FAKE_SMI_STDOUT file to print on stdout (a recorded nvidia-smi output)
//   FAKE_SMI_STDOUT_UUID  file to print instead when the query asks for `uuid`
//   FAKE_SMI_STDERR file to print on stderr
//   FAKE_SMI_EXIT   exit code (default 0)
//   FAKE_SMI_ARGS_LOG  file to write the received argv into (JSON), so tests see the exact query
'use strict';
const fs = require('node:fs');
const args = process.argv.slice(2);
const env = process.env;
if (env.FAKE_SMI_ARGS_LOG) fs.writeFileSync(env.FAKE_SMI_ARGS_LOG, JSON.stringify(args));
if (env.FAKE_SMI_MODE === 'sleep') {
  setTimeout(() => process.exit(0), 60_000);
} else {
  const query = args.find((a) => a.startsWith('--query-gpu=')) || '';
  if (!query || !args.includes('--format=csv,noheader,nounits')) {
    process.stderr.write(`fake nvidia-smi: unexpected arguments ${JSON.stringify(args)}\n`);
    process.exit(2);
  }
  const wantsUuid = query.split('=')[1].split(',').includes('uuid');
  const out = wantsUuid && env.FAKE_SMI_STDOUT_UUID ? env.FAKE_SMI_STDOUT_UUID : env.FAKE_SMI_STDOUT;
  if (out) process.stdout.write(fs.readFileSync(out));
  if (env.FAKE_SMI_STDERR) process.stderr.write(fs.readFileSync(env.FAKE_SMI_STDERR));
  process.exitCode = Number(env.FAKE_SMI_EXIT || 0);
}
