// Training-script reader: batch, image size, model, epochs, ... from Python, YAML, shell,
// Markdown and notebooks, each value with its exact source range.
import { initPythonParser } from './python-parser';
import { scanScript, type ScanContext } from './scan';
import type { ScriptLanguage, ScriptScan } from './types';

export * from './types';
export { initPythonParser, locateWasm } from './python-parser';
export { scanScript, settingAt, settingAtCell, detectScriptLanguage, MAX_SCRIPT_CHARS, MAX_NOTEBOOK_CHARS, type SettingHit } from './scan';
export { deviceGpuCount, normaliseDevice } from './values';

/** scanScript() after loading the Python grammar if this file type may need it. */
export async function scanScriptAsync(text: string, language: ScriptLanguage, wasmDir?: string, ctx: ScanContext = {}): Promise<ScriptScan> {
  // The scripts a shell command runs are Python too.
  if (language === 'python' || language === 'markdown' || language === 'notebook' || ctx.scriptRuns) await initPythonParser(wasmDir);
  return scanScript(text, language, ctx);
}
export { scriptFileRuns } from './script-files';
export { runToAnalyzeOptions } from './to-options';
