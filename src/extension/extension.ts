// Activation: wires the features together. Each feature is its own module owning its disposables;
// nothing here parses, estimates or renders.

import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './command-handlers';
import { BatchDiagnostics } from './diagnostics';
import { DocumentAnalyzer } from './documents';
import { EstimateService } from './estimates';
import { GpuState } from './gpu-state';
import { MemoryHover } from './hover';
import { AnalysisPanels } from './panel/analysisPanel';
import { readSettings, SECTION, type Settings } from './settings';
import { entryFor, sortWorstFirst } from './sidebar-entries';
import { SidebarProvider } from './sidebar/sidebarProvider';
import { MemoryStatusBar } from './status-bar';
import { ModelWatchers } from './watchers';
import { WorkspaceLaunches } from './workspace-launches';
import { watchDatasets } from './dataset-watchers';
import { WorkerClient } from './worker-client';
import { COMMANDS } from './commands';
import { registerMeasureCommands } from './measure/measure-command';
import { MeasurementStore } from './measure/measurement-store';
import { hoverMeasuredLine } from './measure/hover-measured';
import { applyMeasurements } from '../core/measure/apply';
import { MeasureCodeLens } from './measure/measure-codelens';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('YOLO Memory', { log: true });
  context.subscriptions.push(log);

  let settings: Settings = loadSettings(log);
  const getSettings = () => settings;

  const client = new WorkerClient({
    workerPath: join(context.extensionPath, 'dist', 'worker.js'),
    logger: log,
    onGiveUp: (message) => {
      void vscode.window.showErrorMessage(`YOLO Memory: ${message}`, 'Show Log').then((a) => {
        if (a) log.show(true);
      });
    },
  });
  context.subscriptions.push({ dispose: () => client.dispose() });

  // measurements on this machine decide the verdict wherever a result is shown (core/measure/apply.ts)
  const measurements = new MeasurementStore(context.globalState);
  const estimates = new EstimateService(client, Date.now, (options, result) => applyMeasurements(result, options, measurements.all(), vscode.env.machineId));
  const gpu = new GpuState({ query: (p) => client.queryGpus(p), settings: getSettings, log: (l) => log.info(l) });
  const analyzer = new DocumentAnalyzer(client, estimates, gpu, getSettings, log);
  // The status bar first: it shows from the start of activate() (the end-to-end tests wait on it).
  const statusBar = new MemoryStatusBar(analyzer, gpu, getSettings);
  const diagnostics = new BatchDiagnostics(analyzer, getSettings);
  const hover = new MemoryHover(analyzer, estimates, getSettings, log, (options, result) => hoverMeasuredLine(measurements, vscode.env.machineId, options, result));
  const forceNext = new Set<string>();
  // Datasets the scripts train on: their YAML and label edits re-estimate the runs (and the open
  // panels) that read them.
  const datasetWatchers = watchDatasets(analyzer, estimates, client, (line) => log.info(line));

  const panels = new AnalysisPanels({
    extensionUri: context.extensionUri,
    estimate: (options, token) => {
      const force = forceNext.delete(options.model);
      return estimates.estimate(options, token, force);
    },
    showLog: () => log.show(true),
    log: (line) => log.info(line),
    gpu,
    datasets: datasetWatchers,
    measure: (options) => void vscode.commands.executeCommand(COMMANDS.measureOnGpu, { options }),
  });
  const sidebar = new SidebarProvider({
    extensionUri: context.extensionUri,
    openEntry: (entry) => {
      const state = analyzer.get(entry.id);
      const options = state?.kind === 'model' ? state.model?.options : state?.runs.find((r) => r.options)?.options;
      if (options) panels.show(options, estimates.peek(options));
      else void vscode.commands.executeCommand(COMMANDS.analyzeModel, vscode.Uri.parse(entry.id));
    },
    showLog: () => log.show(true),
    readGpus: async () => {
      await gpu.refresh();
      const s = gpu.snapshot;
      return { gpus: s.detected.length ? s.detected : s.planning ? [s.planning] : [], message: s.message };
    },
    log: (line) => log.info(line),
  });
  const watchers = new ModelWatchers(analyzer);
  const launches = new WorkspaceLaunches(analyzer);

  const rel = (uri: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
  const pushSidebar = () => {
    const active = MemoryStatusBar.activeUri();
    const activeState = active && analyzer.get(active);
    const models = new Set(watchers.workspaceModels.map((u) => u.toString()));
    sidebar.update({
      active: activeState ? entryFor(activeState, rel) : null,
      // the workspace's models and training launches (open or not), worst verdict first
      workspace: sortWorstFirst(
        analyzer
          .all()
          .filter((s) => models.has(s.uri) || launches.has(s.uri))
          .map((s) => entryFor(s, rel))
          .filter((e) => e !== null),
      ),
    });
  };

  context.subscriptions.push(
    analyzer,
    statusBar,
    diagnostics,
    hover,
    panels,
    sidebar,
    watchers,
    launches,
    datasetWatchers,
    ...registerCommands({ panels, analyzer, estimates, client, gpu, settings: getSettings, log, forceNext }),
    ...registerMeasureCommands({ extensionPath: context.extensionPath, panels, estimates, gpu, settings: getSettings, log, store: measurements, onMeasurementsChanged: () => {
      analyzer.reanalyzeAll();
      panels.refreshAll();
    } }),
    new MeasureCodeLens(analyzer),
    analyzer.onDidUpdate(pushSidebar),
    watchers.onDidChangeWorkspaceModels(pushSidebar),
    launches.onDidChange(pushSidebar),
    vscode.window.onDidChangeActiveTextEditor(pushSidebar),
    gpu.onDidChange((_s, planningChanged) => {
      // New GPU: every verdict is stale. Clear the markers now; the analyzer re-estimates
      // everything it tracks (it listens to the GPU itself) and the new results bring them back.
      if (planningChanged) diagnostics.clearAll();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      settings = loadSettings(log);
      statusBar.restartPolling();
      if (e.affectsConfiguration(`${SECTION}.gpu`)) {
        gpu.recompute();
        if (e.affectsConfiguration(`${SECTION}.gpu.nvidiaSmiPath`) || e.affectsConfiguration(`${SECTION}.gpu.index`)) void gpu.refresh();
      }
      if (e.affectsConfiguration(`${SECTION}.estimate`) || e.affectsConfiguration(`${SECTION}.diagnostics`)) {
        if (!settings.diagnosticsEnabled) diagnostics.clearAll();
        analyzer.reanalyzeAll();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      settings = loadSettings(log);
      void gpu.refresh();
    }),
  );
  // First GPU reading (in the worker; started lazily here, off the activation path).
  void gpu.refresh();
  log.info(`YOLO Memory activated (${vscode.workspace.isTrusted ? 'trusted' : 'restricted'} workspace)`);
}

function loadSettings(log: vscode.LogOutputChannel): Settings {
  const { settings, problems } = readSettings(vscode.workspace.getConfiguration(SECTION), { trusted: vscode.workspace.isTrusted });
  for (const p of problems) log.warn(p);
  return settings;
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the worker and the timers.
}
