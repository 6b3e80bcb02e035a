// Notebook cells as VS Code shows them: each cell is its own TextDocument (`vscode-notebook-cell`
// URI), while its training runs can only be read from the whole notebook. These helpers find a
// cell's notebook, turn the notebook's current cells (unsaved edits included) into .ipynb JSON for
// the notebook reader, and give a version that changes whenever any cell does.

import * as vscode from 'vscode';

/** The notebook a cell document belongs to; undefined for any other document. */
export function notebookOfCell(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const key = doc.uri.toString();
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === key));
}

/** The cell's index in the notebook (markdown cells count, as in the .ipynb's `cells`). */
export function cellIndexOf(nb: vscode.NotebookDocument, doc: vscode.TextDocument): number {
  const key = doc.uri.toString();
  return nb.getCells().findIndex((c) => c.document.uri.toString() === key);
}

/** The notebook as .ipynb JSON from its open cells: what the notebook reader reads. */
export function notebookText(nb: vscode.NotebookDocument): string {
  const cells = nb.getCells().map((c) => ({
    cell_type: c.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown',
    metadata: {},
    source: c.document.getText(),
  }));
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
}

/** Grows with every edit of any cell and every cell added or removed (the notebook's own version). */
export function notebookVersion(nb: vscode.NotebookDocument): number {
  return nb.version * 1_000_000 + nb.getCells().reduce((sum, c) => sum + c.document.version, 0);
}
