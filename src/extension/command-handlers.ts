// The commands' behaviour. The views are reached through the seams their helper exports:
// AnalysisPanels.show(options, result?) for the panel, SidebarProvider.update() for the sidebar.

import * as vscode from 'vscode';
import { parseMemorySize } from '../core/gpu/memory-size';
import { GPU_PRESETS, presetLabel } from '../core/gpu/presets';
import type { AnalyzeOptions } from '../core/options';
import { listBuiltins } from '../core/yolo/builtin';
import { formatBytes } from '../../webview/shared/format';
import type { AnalysisPanels } from './panel/analysisPanel';
import { COMMANDS } from './commands';
import { DocumentAnalyzer, isBinaryModel, isModelYaml, primaryRun } from './documents';
import type { EstimateService } from './estimates';
import type { GpuState } from './gpu-state';
import { optionsForModel } from './run-options';
import { SECTION, type Settings } from './settings';
import { MemoryStatusBar } from './status-bar';
import type { WorkerClient } from './worker-client';

export interface CommandDeps {
  panels: AnalysisPanels;
  analyzer: DocumentAnalyzer;
  estimates: EstimateService;
  client: WorkerClient;
  gpu: GpuState;
  settings(): Settings;
  log: vscode.LogOutputChannel;
  /** Models the user asked for explicitly: the next estimate may retry a quarantined file. */
  forceNext: Set<string>;
}

/** What a hover link passes: the options to open the panel with. */
interface PanelArgs {
  uri?: string;
  options?: AnalyzeOptions;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.analyzeModel, (arg?: unknown) => analyzeModel(deps, arg)),
    vscode.commands.registerCommand(COMMANDS.selectGpu, () => selectGpu(deps)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => deps.log.show(true)),
  ];
}

async function analyzeModel(deps: CommandDeps, arg: unknown): Promise<void> {
  deps.client.resetRestartBudget();
  let options: AnalyzeOptions | undefined;
  if (arg && typeof arg === 'object' && 'options' in arg && (arg as PanelArgs).options) {
    options = (arg as PanelArgs).options;
  } else {
    const uri = arg instanceof vscode.Uri ? arg : MemoryStatusBar.activeUri();
    options = uri ? await optionsForUri(deps, uri) : undefined;
    options ??= await pickModel(deps);
  }
  if (!options) return;
  deps.forceNext.add(options.model);
  deps.panels.show(options, deps.estimates.peek(options));
}

async function optionsForUri(deps: CommandDeps, uri: vscode.Uri): Promise<AnalyzeOptions | undefined> {
  const settings = deps.settings();
  const gpu = deps.gpu.snapshot.planning;
  if (isBinaryModel(uri)) return optionsForModel(uri.fsPath, settings, gpu);
  if (!/\.(py|ya?ml|sh|bash)$/i.test(uri.path) && !vscode.window.activeTextEditor) return undefined;
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined;
  }
  if (/\.ya?ml$/i.test(uri.path) && isModelYaml(doc.getText())) return optionsForModel(uri.fsPath, settings, gpu);
  if (!DocumentAnalyzer.handles(doc)) return undefined;
  const state = await deps.analyzer.scan(doc).catch(() => undefined);
  const run = state && primaryRun(state);
  if (run?.options) return run.options;
  if (run?.reason) void vscode.window.showInformationMessage(`YOLO Memory: ${run.reason}. Pick a model instead.`);
  return undefined;
}

interface ModelPick extends vscode.QuickPickItem {
  model?: string;
}

async function pickModel(deps: CommandDeps): Promise<AnalyzeOptions | undefined> {
  // Shown at once with the built-ins; workspace files are added as they are found (listing and
  // sniffing YAMLs is async and may take a moment in a large workspace).
  const qp = vscode.window.createQuickPick<ModelPick>();
  qp.title = 'Analyze Model Memory';
  qp.placeholder = 'A model file in the workspace or a built-in architecture';
  qp.matchOnDescription = true;
  const builtins: ModelPick[] = [
    { label: 'Built-in architectures', kind: vscode.QuickPickItemKind.Separator },
    ...listBuiltins().map((b) => ({ label: b.name, description: `${b.family} · ${b.task}`, model: b.name })),
  ];
  qp.items = builtins;
  qp.busy = true;
  const picked = new Promise<ModelPick | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.show();
  void workspaceModels().then((files) => {
    if (files.length) {
      qp.items = [
        { label: 'Workspace', kind: vscode.QuickPickItemKind.Separator },
        ...files.map((u) => ({ label: `$(file) ${vscode.workspace.asRelativePath(u)}`, model: u.fsPath })),
        ...builtins,
      ];
    }
    qp.busy = false;
  });
  const pick = await picked;
  qp.dispose();
  if (!pick?.model) return undefined;
  return optionsForModel(pick.model, deps.settings(), deps.gpu.snapshot.planning);
}

/** .onnx files, .pt checkpoints and architecture YAMLs in the workspace. */
async function workspaceModels(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/*.{onnx,pt,pth,yaml,yml}', '**/{node_modules,.git,.venv,venv}/**', 200);
  const onnx = files.filter((u) => isBinaryModel(u));
  const yamls: vscode.Uri[] = [];
  await Promise.all(
    files
      .filter((f) => !isBinaryModel(f))
      .map(async (u) => {
        const bytes = await vscode.workspace.fs.readFile(u).then(
          (b) => b,
          () => undefined,
        );
        if (bytes && bytes.length < 256 * 1024 && isModelYaml(new TextDecoder().decode(bytes))) yamls.push(u);
      }),
  );
  const byPath = (a: vscode.Uri, b: vscode.Uri) => a.path.localeCompare(b.path);
  return [...onnx.sort(byPath), ...yamls.sort(byPath)];
}

interface GpuPick extends vscode.QuickPickItem {
  apply?: { memory: string; index: number | null };
  custom?: boolean;
}

async function selectGpu(deps: CommandDeps): Promise<void> {
  await deps.gpu.refresh();
  const snap = deps.gpu.snapshot;
  const settings = deps.settings();
  const items: GpuPick[] = [{ label: 'Detected', kind: vscode.QuickPickItemKind.Separator }];
  if (snap.detected.length) {
    for (const g of snap.detected) {
      items.push({
        label: `$(chip) ${g.name}`,
        description: `cuda:${g.index} · ${formatBytes(g.totalBytes)}${g.usedBytes !== undefined ? ` · ${formatBytes(g.usedBytes)} in use` : ''}`,
        picked: settings.gpu.memoryBytes === null && settings.gpu.index === g.index,
        apply: { memory: '', index: g.index ?? null },
      });
    }
  } else {
    items.push({ label: '$(circle-slash) No GPU detected', description: snap.message ?? undefined });
  }
  items.push({ label: 'Plan for another GPU', kind: vscode.QuickPickItemKind.Separator });
  for (const p of GPU_PRESETS) items.push({ label: presetLabel(p), description: `${formatBytes(p.totalBytes)}${p.amp ? '' : ' · AMP off'}`, apply: { memory: presetLabel(p), index: null } });
  items.push({ label: '$(edit) Custom memory size…', custom: true });
  if (settings.gpu.memoryText) items.push({ label: '$(discard) Use the detected GPU', description: `clears "${settings.gpu.memoryText}"`, apply: { memory: '', index: settings.gpu.index } });
  const pick = await vscode.window.showQuickPick(items, { title: 'Select GPU', placeHolder: 'The GPU to check training memory against', matchOnDescription: true });
  if (!pick) return;
  let apply = pick.apply;
  if (pick.custom) {
    const text = await vscode.window.showInputBox({
      title: 'GPU memory',
      prompt: 'Memory size of the GPU to plan for',
      placeHolder: '24GiB, 16GB, 12288MiB',
      value: settings.gpu.presetName ? '' : settings.gpu.memoryText,
      validateInput: (v) => {
        try {
          parseMemorySize(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (!text) return;
    apply = { memory: text.trim(), index: null };
  }
  if (!apply) return;
  const cfg = vscode.workspace.getConfiguration(SECTION);
  // The GPU belongs to the machine, not the project: write the user setting.
  await cfg.update('gpu.memory', apply.memory || undefined, vscode.ConfigurationTarget.Global);
  await cfg.update('gpu.index', apply.index ?? undefined, vscode.ConfigurationTarget.Global);
  deps.log.info(`GPU set: ${apply.memory || `detected GPU${apply.index !== null ? ` cuda:${apply.index}` : ''}`}`);
}
