// The system packages the browser tests need (the unit phase's webview tests and the end-to-end
// suite): Debian's Chromium, ripgrep (code-server's search) and libkrb5 (a code-server native
// module). Run as root on a Debian machine with apt (CI, a fresh container), the missing ones are
// installed — only those, and `--no-upgrade` keeps apt from upgrading anything already installed.
// Elsewhere nothing is installed, and the caller names what is missing.
import { spawnSync } from 'node:child_process';

export const SYSTEM_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Packages of SYSTEM_PACKAGES that dpkg does not list as installed ([] where there is no dpkg). */
export function missingSystemPackages() {
  if (!which('dpkg-query')) return [];
  return SYSTEM_PACKAGES.filter((p) => !installed(p));
}

/** Installs the missing packages when run as root with apt-get; returns what is still missing. */
export function ensureSystemPackages(log = (m) => console.log(m)) {
  const missing = missingSystemPackages();
  if (!missing.length) return [];
  if (process.getuid?.() !== 0 || !which('apt-get')) return missing;
  log(`installing ${missing.join(', ')} with apt-get (only these; nothing else is upgraded)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (let attempt = 1; attempt <= 5; attempt++) {
    const ok =
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' }).status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-qq', '--no-upgrade', ...missing], { stdio: 'inherit', env }).status === 0;
    if (ok) break;
    log(`apt-get failed (attempt ${attempt}), retrying in ${attempt * 10} s`);
    spawnSync('sleep', [String(attempt * 10)]);
  }
  return missingSystemPackages();
}
