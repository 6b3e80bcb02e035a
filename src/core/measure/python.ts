// Which Python runs the probe: an explicit path (the --python flag or the yoloMemory.python.path
// setting), else the interpreter the Python extension has selected, else python3 / python on PATH.
import { spawnSync } from 'node:child_process';

export interface PythonChoice {
  python: string;
  /** 'flag' | 'setting' | 'python-extension' | 'PATH' */
  source: string;
}

export function resolvePython(o: { explicit?: string | null; explicitSource?: string; pythonExtension?: string | null; which?: (cmd: string) => boolean }): PythonChoice | null {
  if (o.explicit && o.explicit.trim()) return { python: o.explicit.trim(), source: o.explicitSource ?? 'flag' };
  if (o.pythonExtension && o.pythonExtension.trim()) return { python: o.pythonExtension.trim(), source: 'python-extension' };
  const which = o.which ?? runs;
  for (const cmd of process.platform === 'win32' ? ['python', 'py', 'python3'] : ['python3', 'python']) {
    if (which(cmd)) return { python: cmd, source: 'PATH' };
  }
  return null;
}

function runs(cmd: string): boolean {
  const r = spawnSync(cmd, ['-c', 'import sys; sys.exit(0)'], { timeout: 10_000, windowsHide: true, stdio: 'ignore' });
  return r.status === 0;
}
