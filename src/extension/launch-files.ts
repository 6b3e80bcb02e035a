// Which workspace files the sidebar reads for training launches it was never shown: the file types
// the script reader understands, a bounded number of them, each bounded in size, and only those
// whose text looks like it starts a YOLO training run (the worker's scan then says for certain).
// Pure, so tests check the filter without a VS Code.

/** Files the script reader takes (core/scripts detectScriptLanguage): Python, shell, PowerShell,
 *  YAML configs, Markdown and notebooks. */
export const LAUNCH_GLOB = '**/*.{py,sh,ps1,yaml,yml,md,ipynb}';
export const LAUNCH_EXCLUDE = '**/{node_modules,.git,.venv,venv,env,__pycache__,site-packages,dist,build,runs}/**';
/** At most this many candidate files are looked at (findFiles' limit). */
export const MAX_LAUNCH_FILES = 300;
/** Larger files are skipped unread (a training launch is a short script, config or notebook). */
export const MAX_LAUNCH_BYTES = 512 * 1024;
/** At most this many launches are estimated and listed. */
export const MAX_LAUNCHES = 40;

const LAUNCH_HINT = /\bultralytics\b|\bYOLO\s*\(|\byolo\s+(?:(?:detect|segment|pose|obb|classify)\s+)?train\b|\btrain\.py\b|--batch[-_]size|\.train\s*\(|\bbatch_size\s*=/;

/** Does this text look like a training launch? Model definitions (backbone + head YAMLs) are models,
 *  not launches. */
export function looksLikeLaunch(text: string, path: string): boolean {
  // the rule of documents.ts isModelYaml (that module needs vscode): an architecture has both keys
  if (/\.ya?ml$/i.test(path) && /^backbone\s*:/m.test(text) && /^head\s*:/m.test(text)) return false;
  return LAUNCH_HINT.test(text);
}

/** The VS Code language id the editor would give the file (for the analyzer's stand-in document). */
export function languageIdFor(path: string): string {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  return { py: 'python', sh: 'shellscript', ps1: 'powershell', yaml: 'yaml', yml: 'yaml', md: 'markdown', ipynb: 'jupyter' }[ext] ?? 'plaintext';
}
