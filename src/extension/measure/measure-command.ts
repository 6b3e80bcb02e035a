// "YOLO Memory: Measure on This GPU", "Clear Measurements", "Export Measurement". Measuring runs
// the user's Python and uses their GPU, so it runs only in a trusted workspace and only on an
// explicit action (the command, the panel's button, the CodeLens-style link of a launch).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../../core/options';
import type { Estimate } from '../../core/result';
import { listBuiltins } from '../../core/yolo/builtin';
import { toStored, type MeasurementContext } from '../../core/measure/calibration';
import { CALIBRATION_CSV_HEADER, measurementCsvRow } from '../../core/measure/export-csv';
import { measuredPeakBytes } from '../../core/measure/compare';
import { runProbe, type BatchMeasurement, type ProbeSettings } from '../../core/measure/run-probe';
import { measuredView, runningView } from '../../core/measure/view';
import { COMMANDS } from '../commands';
import type { AnalysisPanels } from '../panel/analysisPanel';
import type { EstimateService } from '../estimates';
import type { GpuState } from '../gpu-state';
import type { Settings } from '../settings';
import { MeasurementStore } from './measurement-store';
import { pythonForMeasure } from './python-interpreter';

export interface MeasureDeps {
  extensionPath: string;
  panels: AnalysisPanels;
  estimates: EstimateService;
  /** The stored measurements changed: the surfaces re-read their (cached) results through the
   *  measurement overlay (core/measure/apply.ts). */
  onMeasurementsChanged?(): void;
  gpu: GpuState;
  settings(): Settings;
  log: vscode.LogOutputChannel;
  store: MeasurementStore;
}

/** A whole run of the probe: model build, dataset scan, a few steps and a validation pass. */
const PROBE_TIMEOUT_MS = 15 * 60_000;

let last: { measurement: BatchMeasurement; settings: ProbeSettings } | null = null;
/** Probes running now: disposing the extension (window closed, reload) ends them. */
const running = new Set<AbortController>();

export function registerMeasureCommands(deps: MeasureDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.measureOnGpu, (arg?: unknown) => measureOnGpu(deps, arg)),
    vscode.commands.registerCommand(COMMANDS.clearMeasurements, async () => {
      const n = await deps.store.clear();
      deps.onMeasurementsChanged?.();
      void vscode.window.showInformationMessage(`YOLO Memory: ${n} stored measurement${n === 1 ? '' : 's'} cleared.`);
    }),
    vscode.commands.registerCommand(COMMANDS.exportMeasurement, () => exportMeasurement(deps)),
    { dispose: () => running.forEach((ac) => ac.abort()) },
  ];
}

async function pickOptions(deps: MeasureDeps): Promise<AnalyzeOptions | undefined> {
  const pick = await vscode.window.showQuickPick(listBuiltins().filter((b) => b.task === 'detect').map((b) => ({ label: b.name, description: b.family })), { title: 'Measure on this GPU: which model?' });
  if (!pick) return undefined;
  const s = deps.settings().estimate;
  return { model: pick.label, batch: [s.batch], imgsz: s.imgsz };
}

function probeSettings(o: AnalyzeOptions, device: string): ProbeSettings {
  return { model: o.model, imgsz: o.imgsz ?? 640, amp: o.amp ?? true, optimizer: o.optimizer ?? 'auto', device, data: o.data, objectsPerImage: o.data ? undefined : o.objectsPerImage ?? 8 };
}

export function measurementContext(m: BatchMeasurement, s: ProbeSettings): MeasurementContext {
  return {
    machine: vscode.env.machineId,
    gpuName: m.device?.name ?? 'unknown',
    driver: m.device?.driver ?? null,
    torch: m.versions?.torch ?? null,
    ultralytics: m.versions?.ultralytics ?? null,
    model: s.model,
    imgsz: s.imgsz,
    amp: s.amp,
    optimizer: s.optimizer,
    data: s.data ?? null,
  };
}

async function measureOnGpu(deps: MeasureDeps, arg: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const a = await vscode.window.showWarningMessage('YOLO Memory: measuring runs your Python and Ultralytics on this machine; it needs a trusted workspace.', 'Manage Workspace Trust');
    if (a) void vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  const given = arg && typeof arg === 'object' && 'options' in arg ? (arg as { options?: AnalyzeOptions }).options : undefined;
  const options = given ?? (await pickOptions(deps));
  if (!options) return;
  const batch = options.batch?.[0] ?? deps.settings().estimate.batch;

  await deps.gpu.refresh().catch(() => undefined);
  const snap = deps.gpu.snapshot;
  let device = String(snap.live?.index ?? snap.detected[0]?.index ?? 0);
  if (snap.detected.length === 0) {
    const a = await vscode.window.showWarningMessage(`YOLO Memory: no NVIDIA GPU found on this machine${snap.message ? ` (${snap.message})` : ''}, so there is nothing to measure on. The estimate is what there is.`, 'Show Estimate', 'Measure on CPU');
    if (a === 'Show Estimate') deps.panels.show({ ...options, batch: [batch] }, deps.estimates.peek(options));
    if (a !== 'Measure on CPU') return;
    device = 'cpu';
  }
  const probePath = join(deps.extensionPath, 'probe', 'measure.py');
  if (!existsSync(probePath)) {
    void vscode.window.showErrorMessage('YOLO Memory: the measurement probe (probe/measure.py) is missing from this installation.');
    return;
  }
  const resource = vscode.window.activeTextEditor?.document.uri;
  const py = await pythonForMeasure(deps.settings().pythonPath, resource, (l) => deps.log.info(l));
  if (!py) {
    void vscode.window.showErrorMessage('YOLO Memory: no Python found (set yoloMemory.python.path, select an interpreter with the Python extension, or put python3 on PATH).');
    return;
  }
  const settings = probeSettings(options, device);
  const panel = deps.panels.show({ ...options, batch: [batch] }, undefined);
  const estimateP = deps.estimates
    .estimate({ ...options, batch: [batch] })
    .then((r) => r.estimates.find((e) => e.batch === batch) ?? null)
    .catch((e) => {
      deps.log.info(`measure: no estimate to compare with: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      return null as Estimate | null;
    });
  deps.log.info(`measure: ${settings.model} batch ${batch} imgsz ${settings.imgsz} on ${device} with ${py.python} (${py.source})`);
  panel.setMeasured(runningView(settings, batch, 'starting Python…', null, null));

  const m = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Measuring ${settings.model} at batch ${batch}`, cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      running.add(ac);
      const sub = token.onCancellationRequested(() => ac.abort());
      const sofar: BatchMeasurement = { batch, outcome: 'error', oomPhase: null, message: '', phases: {}, versions: null, device: null };
      try {
        return await runProbe({
          python: py.python,
          probePath,
          batch,
          settings,
          timeoutMs: PROBE_TIMEOUT_MS,
          signal: ac.signal,
          cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
          onStderr: (text) => {
            for (const line of text.split(/\r?\n|\r/)) if (line.trim()) deps.log.info(`[probe] ${line.slice(0, 2000)}`);
          },
          onMessage: (msg) => {
            if (msg.type === 'progress') {
              progress.report({ message: msg.message });
              panel.setMeasured(runningView(settings, batch, msg.message, sofar, null));
            } else if (msg.type === 'hello') {
              sofar.device = msg.device;
              sofar.versions = msg.versions;
            } else if (msg.type === 'phase') {
              sofar.phases[msg.phase] = msg.memory;
              panel.setMeasured(runningView(settings, batch, `${msg.phase.replace('_', ' ')} measured`, sofar, null));
            }
          },
        });
      } finally {
        sub.dispose();
        running.delete(ac);
      }
    },
  );
  const est = await estimateP;
  const now = new Date();
  panel.setMeasured(measuredView(m, settings, est, m.outcome === 'fits' || m.outcome === 'oom' ? now : null));
  deps.log.info(`measure: batch ${batch}: ${m.outcome}${m.message ? ` — ${m.message}` : ''}`);

  if (m.outcome === 'fits' || m.outcome === 'oom') {
    last = { measurement: m, settings };
    if (m.device?.type === 'cuda') {
      // the decisive figure (what the verdict compares): measured / estimated scales other batches
      const stored = toStored(m, measurementContext(m, settings), est?.neededDevice ?? null, now);
      if (stored) {
        await deps.store.add(stored);
        deps.onMeasurementsChanged?.(); // status bar, Problems, panel and sidebar now judge by it
      }
    }
    const peak = measuredPeakBytes(m);
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    const text =
      m.outcome === 'oom'
        ? `YOLO Memory: ${m.message} (measured on ${m.device?.name ?? 'this device'}).`
        : `YOLO Memory: batch ${batch} fits — measured ${peak ? `${gib(peak.bytes)} (${peak.figure})` : ''}${est ? `, estimate ${gib(est.bytes.device)}` : ''}.`;
    const a = await vscode.window.showInformationMessage(text, 'Export Measurement');
    if (a) void vscode.commands.executeCommand(COMMANDS.exportMeasurement);
  } else if (m.outcome === 'cancelled') {
    void vscode.window.showInformationMessage('YOLO Memory: measurement cancelled; the probe was stopped.');
  } else {
    const a = await vscode.window.showErrorMessage(`YOLO Memory: could not measure: ${m.message}`, 'Show Log');
    if (a) deps.log.show(true);
  }
}

async function exportMeasurement(deps: MeasureDeps): Promise<void> {
  if (!last) {
    void vscode.window.showInformationMessage('YOLO Memory: nothing to export yet; run "Measure on This GPU" first.');
    return;
  }
  const row = measurementCsvRow(last.measurement, last.settings, `local-${Date.now().toString(36)}`);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({ defaultUri: base ? vscode.Uri.joinPath(base, 'measurements.csv') : undefined, filters: { CSV: ['csv'] }, saveLabel: 'Export' });
  if (!uri) return;
  // an existing calibration CSV with the same header gets the row appended
  let text = `${CALIBRATION_CSV_HEADER}\n${row}\n`;
  if (uri.scheme === 'file' && existsSync(uri.fsPath)) {
    const old = readFileSync(uri.fsPath, 'utf8');
    if (old.split(/\r?\n/, 1)[0] === CALIBRATION_CSV_HEADER) text = `${old.replace(/\s*$/, '')}\n${row}\n`;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  deps.log.info(`measure: exported to ${uri.fsPath || uri.toString()}`);
  void vscode.window.showInformationMessage(`YOLO Memory: measurement exported to ${vscode.workspace.asRelativePath(uri)}.`);
}
