// One registry of document kinds (src/core/scripts/kinds.ts) decides what the extension scans: the
// manifest's activation events must name every language id and notebook type in it, and the
// analyzer's language list is the registry's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCUMENT_KINDS, SCRIPT_LANGUAGE_IDS } from '../../src/core/scripts/kinds';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { activationEvents: string[] };

test('package.json activates on every language id and notebook type of the document-kind registry', () => {
  for (const k of DOCUMENT_KINDS) {
    for (const id of k.languageIds) assert.ok(pkg.activationEvents.includes(`onLanguage:${id}`), `${k.name}: missing onLanguage:${id}`);
    if (k.notebookType) assert.ok(pkg.activationEvents.includes(`onNotebook:${k.notebookType}`), `${k.name}: missing onNotebook:${k.notebookType}`);
  }
});

test('package.json activates on no script language the registry does not read', () => {
  const ids = new Set(SCRIPT_LANGUAGE_IDS);
  for (const e of pkg.activationEvents.filter((x) => x.startsWith('onLanguage:'))) assert.ok(ids.has(e.slice('onLanguage:'.length)), `${e} is not in the registry`);
});
