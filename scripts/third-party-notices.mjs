// ThirdPartyNotices.txt for the .vsix: the licence text of every third-party package whose code or
// assets ship in it. The list is derived, not kept by hand: the packages esbuild pulled into the
// bundles (its metafile inputs under node_modules/), the runtime package copied beside them
// (onnxruntime-node and onnxruntime-common) and the packages whose files build.mjs copies into
// dist/ (the tree-sitter wasm files, the codicon font and stylesheet).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Licence texts for packages that publish none (scripts/notices/README.md). */
const NOTICES_DIR = join(import.meta.dirname, 'notices');
const KEPT = JSON.parse(readFileSync(join(NOTICES_DIR, 'packages.json'), 'utf8'));

/** dist/ file in which a production build lists the node_modules packages it bundled. */
export const BUNDLED_PACKAGES_FILE = 'bundled-packages.json';

/** The package a node_modules path belongs to ("node_modules/@vscode/codicons/dist/x" -> "@vscode/codicons"). */
export function packageOfPath(path) {
  const parts = path.replace(/\\/g, '/').split('/');
  const i = parts.lastIndexOf('node_modules');
  if (i < 0 || i + 1 >= parts.length) return null;
  return parts[i + 1].startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
}

/** Package names from esbuild metafiles (their `inputs` keys). */
export function packagesFromMetafiles(metafiles) {
  const names = new Set();
  for (const m of metafiles) for (const input of Object.keys(m.inputs ?? {})) {
    const p = packageOfPath(input);
    if (p) names.add(p);
  }
  return [...names];
}

function licenceFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /^(licen[cs]e|copying|notice)([-.]|$)/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** The notices text for `packages` (names resolved under root/node_modules). Throws when a package
 *  has no licence file, so a new dependency without one stops the packaging instead of shipping
 *  unnoticed. */
export function noticesText(root, packages, productName) {
  const sections = [];
  for (const name of [...new Set(packages)].sort()) {
    const dir = join(root, 'node_modules', ...name.split('/'));
    if (!existsSync(join(dir, 'package.json'))) throw new Error(`third-party notices: ${name} is not installed in node_modules`);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    let files = licenceFiles(dir);
    const kept = KEPT[name];
    if (!files.length && kept) files = [join(NOTICES_DIR, kept.file)];
    if (!files.length) throw new Error(`third-party notices: ${name} ${pkg.version} has no LICENSE file; add its licence text to scripts/notices/ before shipping it`);
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url ?? pkg.homepage ?? '';
    const from = !licenceFiles(dir).length && kept ? `\nlicence text from ${kept.source}` : '';
    const head = `${name} ${pkg.version}${pkg.license ? ` (${typeof pkg.license === 'string' ? pkg.license : pkg.license.type})` : ''}${repo ? `\n${repo}` : ''}${from}`;
    sections.push(`${'='.repeat(78)}\n${head}\n${'='.repeat(78)}\n\n${files.map((f) => readFileSync(f, 'utf8').trim()).join('\n\n---\n\n')}\n`);
  }
  return (
    `${productName} includes the following third-party software, bundled into its JavaScript files or\n` +
    `shipped beside them. Each is listed with its version, licence and licence text.\n\n` +
    sections.join('\n')
  );
}
