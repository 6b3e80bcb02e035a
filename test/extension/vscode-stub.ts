// Import this first (before any src/extension module that imports `vscode`): from then on,
// `require('vscode')` in this test process returns ./fake-vscode.ts. The tests run as CommonJS
// (tsx), so every `import * as vscode from 'vscode'` goes through Module._load.

import Module from 'node:module';
import * as fake from './fake-vscode';

const M = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = M._load;
M._load = function (request: string, parent: unknown, isMain: boolean) {
  if (request === 'vscode') return fake;
  return load.call(this, request, parent, isMain);
};
