// Binds the shared HTML builder to a real webview: options (scripts on, resources only from
// dist/webview) and the page. Used by the panel and the sidebar.

import * as vscode from 'vscode';
import { buildWebviewHtml, makeNonce, type WebviewKind } from './html';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export function setWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, kind: WebviewKind, title: string): void {
  const root = webviewRoot(extensionUri);
  const uri = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
  webview.options = webviewOptions(extensionUri);
  webview.html = buildWebviewHtml({
    kind,
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: uri(`${kind}.js`),
    styleUris: [uri('codicon.css'), uri('styles.css')],
    title,
  });
}
