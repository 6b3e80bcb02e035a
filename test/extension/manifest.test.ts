// package.json declares settings and commands once; the code reads them through SETTING_DEFAULTS
// and COMMANDS. These tests keep the two from drifting.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, HOVER_COMMANDS } from '../../src/extension/commands';
import { RESTRICTED_SETTINGS, SECTION, SETTING_BOUNDS, SETTING_DEFAULTS, SETTING_KEYS, AMP_VALUES, OPTIMIZER_VALUES } from '../../src/extension/settings';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const props: Record<string, Record<string, unknown>> = pkg.contributes.configuration.properties;

describe('manifest ↔ settings', () => {
  test('every setting in code is declared with the same default, and vice versa', () => {
    const declared = Object.keys(props).sort();
    const inCode = SETTING_KEYS.map((k) => `${SECTION}.${k}`).sort();
    assert.deepEqual(declared, inCode);
    for (const k of SETTING_KEYS) assert.deepEqual(props[`${SECTION}.${k}`]!.default, SETTING_DEFAULTS[k], `default of ${k}`);
  });

  test('declared types match the defaults and bounds match', () => {
    for (const k of SETTING_KEYS) {
      const p = props[`${SECTION}.${k}`]!;
      const types = ([] as unknown[]).concat(p.type);
      const d = SETTING_DEFAULTS[k];
      const jsType = d === null ? 'null' : typeof d === 'number' ? (types.includes('integer') ? 'integer' : 'number') : typeof d;
      assert.ok(types.includes(jsType), `${k}: type ${JSON.stringify(p.type)} vs default ${JSON.stringify(d)}`);
      const b = SETTING_BOUNDS[k];
      if (b) {
        assert.equal(p.minimum, b.min, `${k} minimum`);
        assert.equal(p.maximum, b.max, `${k} maximum`);
        assert.equal(types.includes('integer'), !!b.integer, `${k} integer`);
      } else {
        assert.equal(p.minimum, undefined, `${k} has bounds in the manifest but not in code`);
      }
      assert.equal(typeof p.markdownDescription, 'string', `${k} needs a markdownDescription`);
    }
  });

  test('enums match', () => {
    assert.deepEqual(props[`${SECTION}.estimate.amp`]!.enum, [...AMP_VALUES]);
    assert.deepEqual(props[`${SECTION}.estimate.optimizer`]!.enum, [...OPTIMIZER_VALUES]);
    for (const k of ['estimate.amp', 'estimate.optimizer']) {
      const p = props[`${SECTION}.${k}`]!;
      assert.equal((p.markdownEnumDescriptions as string[]).length, (p.enum as string[]).length, `${k} enum descriptions`);
    }
  });

  test('the nvidia-smi path is machine-scoped and restricted in untrusted workspaces', () => {
    assert.equal(props[`${SECTION}.gpu.nvidiaSmiPath`]!.scope, 'machine');
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, RESTRICTED_SETTINGS.map((k) => `${SECTION}.${k}`));
  });
});

describe('manifest ↔ commands', () => {
  test('every command in code is contributed, and vice versa', () => {
    const declared = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(COMMANDS).sort());
  });

  test('commands have titles in the YOLO Memory category', () => {
    for (const c of pkg.contributes.commands as { command: string; title: string; category: string }[]) {
      assert.equal(c.category, 'YOLO Memory');
      assert.ok(c.title.length > 3);
    }
    const analyze = (pkg.contributes.commands as { command: string; title: string }[]).find((c) => c.command === COMMANDS.analyzeModel);
    assert.equal(analyze?.title, 'Analyze Model Memory');
  });

  test('menus and hover links only use declared commands', () => {
    const ids = new Set(Object.values(COMMANDS));
    for (const items of Object.values(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const it of items) assert.ok(ids.has(it.command as never), `menu uses unknown ${it.command}`);
    }
    for (const c of HOVER_COMMANDS) assert.ok(ids.has(c));
  });
});

describe('manifest: activation and views', () => {
  test('activation events, extension kind and main', () => {
    for (const e of ['onLanguage:python', 'onLanguage:yaml', 'workspaceContains:**/*.onnx', 'onView:yoloMemory.sidebar']) {
      assert.ok(pkg.activationEvents.includes(e), `missing ${e}`);
    }
    assert.deepEqual(pkg.extensionKind, ['workspace']);
    assert.equal(pkg.main, './dist/extension.js');
  });

  test('the sidebar view lives in its own activity-bar container with an existing icon', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'yoloMemory');
    assert.equal(container.title, 'YOLO Memory');
    assert.ok(existsSync(join(root, container.icon)), `${container.icon} is missing`);
    assert.deepEqual(pkg.contributes.views.yoloMemory, [{ type: 'webview', id: 'yoloMemory.sidebar', name: 'Memory' }]);
  });
});
