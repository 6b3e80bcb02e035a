// Where `nvidia-smi` is, as an absolute path, found without ever looking in the current folder.
// execFile('nvidia-smi') lets the OS search: on Windows CreateProcess looks in the current folder
// before PATH, so an nvidia-smi.exe in an untrusted workspace (the worker's cwd) could run; a PATH
// with '.' or an empty entry does the same on POSIX. So the lookup here walks PATH itself, keeps
// only absolute entries, and the query then runs the absolute path with a neutral cwd.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Where the NVIDIA driver installs nvidia-smi on Windows when it is not on PATH. */
const WINDOWS_FALLBACKS = ['C:\\Windows\\System32\\nvidia-smi.exe', 'C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe'];

function isExecutableFile(p: string, windows: boolean): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (!windows) accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of `name` (a bare command name) from the absolute entries of `env.PATH`, or null.
 * A `name` that is already an absolute path is returned as it is (the caller checked it is allowed:
 * the configured path is ignored in untrusted workspaces). A relative path with a separator is
 * refused (null): it would resolve against the current folder.
 */
export function resolveExecutable(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const windows = platform === 'win32';
  if (isAbsolute(name)) return name;
  if (/[\\/]/.test(name)) return null;
  const path = env.PATH ?? env.Path ?? '';
  const exts = windows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  const hasExt = windows && /\.[a-z0-9]+$/i.test(name);
  for (const dir of path.split(windows ? ';' : delimiter)) {
    // '' and '.' (and any relative entry) mean the current folder: never searched
    if (!dir || !isAbsolute(dir)) continue;
    for (const ext of hasExt ? [''] : exts) {
      const p = join(dir, name + ext);
      if (isExecutableFile(p, windows)) return p;
    }
  }
  if (windows && /^nvidia-smi(\.exe)?$/i.test(name)) return WINDOWS_FALLBACKS.find((p) => isExecutableFile(p, true)) ?? null;
  return null;
}
