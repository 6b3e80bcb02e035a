// The Python that runs the probe: yoloMemory.python.path (ignored in an untrusted workspace), else
// the interpreter the Python extension has selected (its public API, when it is installed), else
// python3 / python on PATH.
import * as vscode from 'vscode';
import { resolvePython, type PythonChoice } from '../../core/measure/python';

interface PythonExtensionApi {
  environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined };
}

async function pythonExtensionInterpreter(resource: vscode.Uri | undefined, log: (l: string) => void): Promise<string | null> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return null;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const p = api?.environments?.getActiveEnvironmentPath(resource)?.path;
    return p && p !== 'python' ? p : null;
  } catch (e) {
    log(`measure: the Python extension did not name an interpreter: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

export async function pythonForMeasure(settingPath: string | undefined, resource: vscode.Uri | undefined, log: (l: string) => void): Promise<PythonChoice | null> {
  if (settingPath) return resolvePython({ explicit: settingPath, explicitSource: 'setting yoloMemory.python.path' });
  return resolvePython({ pythonExtension: await pythonExtensionInterpreter(resource, log) });
}
