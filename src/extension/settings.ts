// The extension's settings, read once per change into one typed object. The declarations (types,
// defaults, bounds, descriptions) live only in package.json `contributes.configuration`; this file
// knows the keys and how to validate what it reads, and test/extension/manifest.test.ts checks the
// two agree. Free of `vscode` imports: `readSettings` takes anything with a `get(key)` (a
// WorkspaceConfiguration in the extension, a plain map in tests).

import { parseMemorySize } from '../core/gpu/memory-size';
import { findGpuPreset } from '../core/gpu/presets';
import type { OptimizerChoice } from '../core/options';

export const SECTION = 'yoloMemory';

/** Every setting key (relative to the `yoloMemory` section) with its default, as in package.json. */
export const SETTING_DEFAULTS = {
  'gpu.memory': '',
  'gpu.index': null as number | null,
  'gpu.nvidiaSmiPath': '',
  'gpu.pollingInterval': 5,
  'estimate.safetyMargin': 0.1,
  'estimate.imgsz': 640,
  'estimate.batch': 16,
  'estimate.amp': 'auto' as AmpSetting,
  'estimate.optimizer': 'auto' as OptimizerChoice,
  'estimate.objectsPerImage': 8,
  'hover.enabled': true,
  'diagnostics.enabled': true,
  'python.path': '',
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];

/** Keys VS Code must not take from an untrusted workspace (it could name any executable). */
export const RESTRICTED_SETTINGS: readonly SettingKey[] = ['gpu.nvidiaSmiPath', 'python.path'];

export type AmpSetting = 'auto' | 'on' | 'off';
export const AMP_VALUES: readonly AmpSetting[] = ['auto', 'on', 'off'];
export const OPTIMIZER_VALUES: readonly OptimizerChoice[] = ['auto', 'sgd', 'adam', 'adamw'];

/** Bounds, as declared in package.json (minimum/maximum). */
export const SETTING_BOUNDS: Partial<Record<SettingKey, { min: number; max: number; integer?: boolean }>> = {
  'gpu.index': { min: 0, max: 63, integer: true },
  'gpu.pollingInterval': { min: 0, max: 3600 },
  'estimate.safetyMargin': { min: 0, max: 0.5 },
  'estimate.imgsz': { min: 32, max: 4096, integer: true },
  'estimate.batch': { min: 1, max: 1024, integer: true },
  'estimate.objectsPerImage': { min: 1, max: 1000, integer: true },
};

export interface Settings {
  gpu: {
    /** Bytes from the memory override ("24GiB" or a preset name); null = ask nvidia-smi. */
    memoryBytes: number | null;
    /** The GPU's name when the override names a preset ("RTX 4090"), else null. */
    presetName: string | null;
    /** The override as written, for labels. */
    memoryText: string;
    /** CUDA index to use; null = the GPU with the most free memory. */
    index: number | null;
    /** nvidia-smi executable; undefined = PATH lookup (always undefined in untrusted workspaces). */
    nvidiaSmiPath: string | undefined;
    /** Live usage polling period in ms; 0 = off. */
    pollingMs: number;
  };
  estimate: {
    margin: number;
    imgsz: number;
    batch: number;
    amp: AmpSetting;
    optimizer: OptimizerChoice;
    objectsPerImage: number;
  };
  hoverEnabled: boolean;
  diagnosticsEnabled: boolean;
  /** The Python that "Measure on this GPU" runs; undefined in an untrusted workspace or when unset. */
  pythonPath?: string;
}

export interface ConfigSource {
  get<T>(key: string): T | undefined;
}

export interface ReadSettings {
  settings: Settings;
  /** One line per value that was invalid and replaced by its default. */
  problems: string[];
}

/** Read and validate every setting; invalid values fall back to the default with a problem line. */
export function readSettings(cfg: ConfigSource, opts: { trusted: boolean }): ReadSettings {
  const problems: string[] = [];
  const bad = (key: SettingKey, why: string) => problems.push(`${SECTION}.${key}: ${why}; using the default`);

  function num(key: SettingKey & keyof typeof SETTING_BOUNDS): number {
    const def = SETTING_DEFAULTS[key] as number;
    const v = cfg.get<unknown>(key);
    if (v === undefined || v === null) return def;
    const b = SETTING_BOUNDS[key]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) return bad(key, `${JSON.stringify(v)} is not a number`), def;
    if (b.integer && !Number.isInteger(v)) return bad(key, `${v} is not a whole number`), def;
    if (v < b.min || v > b.max) return bad(key, `${v} is outside ${b.min}..${b.max}`), def;
    return v;
  }
  function bool(key: SettingKey): boolean {
    const v = cfg.get<unknown>(key);
    if (typeof v === 'boolean') return v;
    if (v !== undefined && v !== null) bad(key, `${JSON.stringify(v)} is not true/false`);
    return SETTING_DEFAULTS[key] as boolean;
  }
  function oneOf<T extends string>(key: SettingKey, values: readonly T[]): T {
    const v = cfg.get<unknown>(key);
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    if (v !== undefined && v !== null) bad(key, `${JSON.stringify(v)} is not one of ${values.join(', ')}`);
    return SETTING_DEFAULTS[key] as T;
  }
  function str(key: SettingKey): string {
    const v = cfg.get<unknown>(key);
    if (typeof v === 'string') return v.trim();
    if (v !== undefined && v !== null) bad(key, `${JSON.stringify(v)} is not text`);
    return SETTING_DEFAULTS[key] as string;
  }

  const memoryText = str('gpu.memory');
  let memoryBytes: number | null = null;
  let presetName: string | null = null;
  if (memoryText !== '') {
    // A size ("24GiB"), or a GPU by name ("RTX 4090", "a100-80gb") from the presets table.
    const preset = findGpuPreset(memoryText);
    if (preset) {
      memoryBytes = preset.totalBytes;
      presetName = preset.name;
    } else {
      try {
        memoryBytes = parseMemorySize(memoryText);
      } catch (e) {
        problems.push(`${SECTION}.gpu.memory: ${(e as Error).message}, or a GPU name such as "RTX 4090"; asking nvidia-smi instead`);
      }
    }
  }
  const rawIndex = cfg.get<unknown>('gpu.index');
  const index = rawIndex === undefined || rawIndex === null ? null : num('gpu.index');
  const smi = str('gpu.nvidiaSmiPath');

  return {
    settings: {
      gpu: {
        memoryBytes,
        presetName,
        memoryText,
        index,
        // VS Code already drops restricted workspace values in untrusted workspaces; this is the
        // second lock, so nothing from an untrusted folder is ever executed.
        nvidiaSmiPath: opts.trusted && smi !== '' ? smi : undefined,
        pollingMs: Math.round(num('gpu.pollingInterval') * 1000),
      },
      estimate: {
        margin: num('estimate.safetyMargin'),
        imgsz: num('estimate.imgsz'),
        batch: num('estimate.batch'),
        amp: oneOf('estimate.amp', AMP_VALUES),
        optimizer: oneOf('estimate.optimizer', OPTIMIZER_VALUES),
        objectsPerImage: num('estimate.objectsPerImage'),
      },
      hoverEnabled: bool('hover.enabled'),
      diagnosticsEnabled: bool('diagnostics.enabled'),
      pythonPath: opts.trusted && str('python.path') !== '' ? str('python.path') : undefined,
    },
    problems,
  };
}
