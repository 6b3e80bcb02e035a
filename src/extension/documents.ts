// Per-document analysis: a training script or config is scanned in the worker (its runs and their
// settings), each run becomes AnalyzeOptions (run-options.ts), and each is estimated through the
// EstimateService. A model file (.onnx, .pt checkpoint, model .yaml) is estimated as a whole. Edits are debounced
// and the newest version wins. Every feature (hover, diagnostics, status bar, sidebar) reads the
// state from here and listens to `onDidUpdate`.

import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { datasetYamlPath } from '../core/dataset/paths';
import type { AnalyzeOptions } from '../core/options';
import type { AnalysisResult } from '../core/result';
import { notebookCellView } from '../core/scripts/cells';
import { documentKind, SCRIPT_LANGUAGE_IDS } from '../core/scripts/kinds';
import type { ScriptScan, TrainingRun } from '../core/scripts/types';
import { WorkerError } from '../protocol/worker';
import { KeyedDebouncer } from './debounce';
import type { EstimateService } from './estimates';
import type { GpuState } from './gpu-state';
import { cellIndexOf, notebookOfCell, notebookText, notebookVersion } from './notebook-cells';
import { optionsForModel, optionsForRun } from './run-options';
import type { Settings } from './settings';
import type { CancellationLike, WorkerClient } from './worker-client';

/** Every language id the script reader serves: the document-kind registry's (src/core/scripts/kinds.ts),
 *  so activation, hover, diagnostics and the watcher agree. */
export const SCRIPT_LANGUAGES: readonly string[] = SCRIPT_LANGUAGE_IDS;
/** Quiet time after the last edit before re-estimating. */
export const EDIT_DEBOUNCE_MS = 400;
/** How long an estimate waits for the first nvidia-smi reading (quick once the driver is up; the
 *  first call after boot may have to initialise it). Past it the estimate is made without the GPU
 *  and redone when the reading lands: one estimate instead of two on the normal path, and no hang
 *  behind a stuck nvidia-smi (the worker gives up on it after its own timeout). */
export const GPU_WAIT_MS = 2000;
/** Delay before re-running tracked documents after the GPU or the settings changed. */
const REANALYZE_DELAY_MS = 50;

export interface DocumentAnalyzerOptions {
  /** Overrides GPU_WAIT_MS (tests). */
  gpuWaitMs?: number;
}

export interface RunState {
  run: TrainingRun;
  index: number;
  options?: AnalyzeOptions;
  assumed: string[];
  batchFromScript: boolean;
  /** Why this run has no estimate (no model, unknown model, ...). */
  reason?: string;
  result?: AnalysisResult;
  error?: WorkerError;
}

export interface DocState {
  uri: string;
  version: number;
  /** DocumentAnalyzer generation the options were built in (settings / GPU at that time). */
  generation?: number;
  kind: 'script' | 'model';
  scan?: ScriptScan;
  runs: RunState[];
  /** For kind 'model': the whole-file estimate. */
  model?: { options: AnalyzeOptions; result?: AnalysisResult; error?: WorkerError };
  error?: WorkerError;
}

/** A YAML that defines an architecture (backbone + head) rather than training arguments. */
export function isModelYaml(text: string): boolean {
  return /^backbone\s*:/m.test(text) && /^head\s*:/m.test(text);
}

export function isOnnx(uri: vscode.Uri): boolean {
  return /\.onnx$/i.test(uri.path);
}

/** A model file that is not text: an ONNX export or a PyTorch checkpoint (.pt, read, never run). */
export function isBinaryModel(uri: vscode.Uri): boolean {
  return /\.(onnx|pth?)$/i.test(uri.path);
}

export class DocumentAnalyzer implements vscode.Disposable {
  private readonly states = new Map<string, DocState>();
  private readonly scans = new Map<string, { version: number; generation: number; promise: Promise<DocState> }>();
  private readonly notebookScans = new Map<string, { version: number; promise: Promise<ScriptScan> }>();
  private readonly debouncer = new KeyedDebouncer(EDIT_DEBOUNCE_MS);
  private readonly emitter = new vscode.EventEmitter<DocState>();
  /** How to run each scheduled key again (its document, or its model file), including keys whose
   *  first analysis is still pending or in flight and so has no state yet. */
  private readonly reruns = new Map<string, (delayMs: number) => void>();
  /** Documents whose next scan() must rebuild the options even for the same text (a dataset YAML
   *  they name appeared or changed on disk: whether it exists is part of the options). */
  private readonly rebuild = new Set<string>();
  private readonly gpuSub: { dispose(): void };
  private readonly gpuWaitMs: number;
  /** Bumped when settings or the GPU change: states of older generations are rebuilt, and an
   *  analysis that started in an older generation does not publish its result. */
  private generation = 0;
  readonly onDidUpdate = this.emitter.event;

  constructor(
    private readonly client: WorkerClient,
    private readonly estimates: EstimateService,
    private readonly gpu: GpuState,
    private readonly settings: () => Settings,
    private readonly log: vscode.LogOutputChannel,
    opts: DocumentAnalyzerOptions = {},
  ) {
    this.gpuWaitMs = opts.gpuWaitMs ?? GPU_WAIT_MS;
    // Every estimate is planned against a GPU (it is in the options, so in every cache key): when
    // that GPU changes, whatever was estimated or is being estimated against the old one is redone.
    this.gpuSub = gpu.onDidChange((_s, planningChanged) => {
      if (planningChanged) this.reanalyzeAll();
    });
  }

  static handles(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-notebook-cell') return false;
    // By language id, or by name for a file VS Code has no language for (a Dockerfile.gpu as plain text).
    return SCRIPT_LANGUAGES.includes(doc.languageId) || (doc.languageId === 'plaintext' && documentKind(doc.fileName) !== null);
  }

  get(uri: vscode.Uri | string): DocState | undefined {
    return this.states.get(uri.toString());
  }

  all(): DocState[] {
    return [...this.states.values()];
  }

  /** Re-analyze after the quiet period (edits, file events). */
  schedule(doc: vscode.TextDocument, delayMs = EDIT_DEBOUNCE_MS): void {
    // A notebook cell's runs depend on the cells above it: an edit re-reads every code cell.
    const nb = notebookOfCell(doc);
    if (nb) {
      for (const cell of nb.getCells()) if (cell.kind === vscode.NotebookCellKind.Code) this.scheduleOne(cell.document, delayMs);
      return;
    }
    this.scheduleOne(doc, delayMs);
  }

  private scheduleOne(doc: vscode.TextDocument, delayMs: number): void {
    const key = doc.uri.toString();
    this.reruns.set(key, (ms) => this.schedule(doc, ms));
    this.debouncer.schedule(key, (token) => this.analyze(doc, token), delayMs);
  }

  /** Estimate a training launch that is not open (the sidebar's workspace list): its text was read
   *  from disk by the caller. The stand-in document has the members the analysis reads (uri,
   *  version, fileName, languageId, getText); version 0 so the real document, once opened
   *  (version >= 1), replaces its state. */
  scheduleClosedFile(uri: vscode.Uri, text: string, languageId: string, delayMs = 0): void {
    const doc = { uri, version: 0, fileName: uri.fsPath, languageId, getText: () => text } as unknown as vscode.TextDocument;
    this.schedule(doc, delayMs);
  }

  /** Estimate a model file (.onnx / model YAML) that is not open as text. */
  scheduleModelFile(uri: vscode.Uri, delayMs = EDIT_DEBOUNCE_MS): void {
    const key = uri.toString();
    this.reruns.set(key, (ms) => this.scheduleModelFile(uri, ms));
    this.debouncer.schedule(key, (token) => this.analyzeModelFile(uri, -1, token), delayMs);
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debouncer.cancel(key);
    this.reruns.delete(key);
    this.rebuild.delete(key);
    this.states.delete(key);
    this.scans.delete(key);
  }

  /** The scan of this document version (from the worker; shared by concurrent callers). Hovers
   *  call this: it does not wait for estimates. */
  scan(doc: vscode.TextDocument, token?: CancellationLike): Promise<DocState> {
    const key = doc.uri.toString();
    const version = versionOf(doc);
    if (!this.rebuild.delete(key)) {
      const have = this.states.get(key);
      if (have && have.version === version && have.generation === this.generation && (have.scan || have.kind === 'model')) return Promise.resolve(have);
      const pending = this.scans.get(key);
      if (pending && pending.version === version && pending.generation === this.generation) return pending.promise;
    }
    const promise = this.buildState(doc, token);
    this.scans.set(key, { version, generation: this.generation, promise });
    promise.finally(() => {
      if (this.scans.get(key)?.promise === promise) this.scans.delete(key);
    }).catch(() => undefined);
    return promise;
  }

  /** Scan and estimate every run; publishes the state (twice: once scanned, once estimated). */
  async analyze(doc: vscode.TextDocument, token?: CancellationLike): Promise<DocState | undefined> {
    if (doc.languageId === 'yaml' && isModelYaml(doc.getText())) return this.analyzeModelFile(doc.uri, doc.version, token);
    let state: DocState;
    try {
      state = await this.scan(doc, token);
    } catch (e) {
      if (e instanceof WorkerError && e.kind === 'cancelled') return undefined;
      const err = e instanceof WorkerError ? e : new WorkerError('internal', String(e));
      this.log.warn(`${doc.uri.fsPath}: could not read training settings: ${err.message}`);
      state = { uri: doc.uri.toString(), version: versionOf(doc), kind: 'script', runs: [], error: err };
      this.publish(state);
      return state;
    }
    if (token?.isCancellationRequested) return undefined;
    const generation = state.generation;
    await Promise.all(
      state.runs.map(async (r) => {
        if (!r.options) return;
        try {
          r.result = await this.estimates.estimate(r.options, token);
          r.error = undefined;
        } catch (e) {
          if (e instanceof WorkerError && e.kind === 'cancelled') return;
          r.error = e instanceof WorkerError ? e : new WorkerError('internal', String(e));
        }
      }),
    );
    if (token?.isCancellationRequested) return undefined;
    if (this.superseded(state.uri, generation)) return undefined;
    this.publish(state);
    return state;
  }

  private async analyzeModelFile(uri: vscode.Uri, version: number, token?: CancellationLike): Promise<DocState | undefined> {
    await this.gpu.whenKnown(this.gpuWaitMs);
    if (token?.isCancellationRequested) return undefined;
    const generation = this.generation;
    const options = optionsForModel(uri.fsPath, this.settings(), this.gpu.snapshot.planning);
    const state: DocState = { uri: uri.toString(), version, generation, kind: 'model', runs: [], model: { options } };
    try {
      state.model!.result = await this.estimates.estimate(options, token);
    } catch (e) {
      if (e instanceof WorkerError && e.kind === 'cancelled') return undefined;
      state.model!.error = e instanceof WorkerError ? e : new WorkerError('internal', String(e));
    }
    if (token?.isCancellationRequested) return undefined;
    if (this.superseded(state.uri, generation)) return undefined;
    this.publish(state);
    return state;
  }

  /** True when the GPU or the settings changed while an analysis of `uri` begun in `generation`
   *  was running: its result is for the old ones. reanalyzeAll() normally cancels such a run; one
   *  that was not scheduled here (a direct analyze() call) is re-run instead of published. */
  private superseded(uri: string, generation: number | undefined): boolean {
    if (generation === this.generation) return false;
    this.reanalyze(uri, 0);
    return true;
  }

  /** Everything known changed (GPU, settings): re-analyze every tracked document and model file,
   *  including those whose first analysis has not published yet (started before the change, it
   *  would otherwise land with the old GPU and stay). */
  reanalyzeAll(): void {
    this.generation++;
    for (const key of new Set([...this.reruns.keys(), ...this.states.keys()])) this.reanalyze(key, REANALYZE_DELAY_MS);
  }

  /** The dataset YAMLs the scripts' runs read (absolute path, as the worker resolves it → the
   *  run's `data=` and folder), for the dataset file watchers. */
  datasetsInUse(): Map<string, { data: string; cwd?: string }> {
    const out = new Map<string, { data: string; cwd?: string }>();
    for (const s of this.states.values()) {
      for (const r of s.runs) {
        const o = r.options;
        if (o?.data) out.set(datasetYamlPath(o.data, o.cwd), { data: o.data, ...(o.cwd ? { cwd: o.cwd } : {}) });
      }
    }
    return out;
  }

  /** A dataset YAML (or files under it) changed on disk: re-analyze the documents whose runs read
   *  it, rebuilding their options (the YAML may have appeared). Returns how many. */
  reanalyzeDataset(yamlPath: string): number {
    let n = 0;
    for (const s of this.states.values()) {
      if (!s.runs.some((r) => r.options?.data && datasetYamlPath(r.options.data, r.options.cwd) === yamlPath)) continue;
      this.rebuild.add(s.uri);
      this.reanalyze(s.uri, 0);
      n++;
    }
    return n;
  }

  private reanalyze(key: string, delayMs: number): void {
    const rerun = this.reruns.get(key);
    if (rerun) return rerun(delayMs);
    // Analysed through scan() only (a hover, a command) and never scheduled.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (doc) this.schedule(doc, delayMs);
    else if (this.states.get(key)?.version === -1) this.scheduleModelFile(vscode.Uri.parse(key), delayMs);
  }

  private async buildState(doc: vscode.TextDocument, token?: CancellationLike): Promise<DocState> {
    const uri = doc.uri.toString();
    const version = versionOf(doc);
    // A notebook cell is read as its whole notebook (cells in order, `!` lines as shell); the
    // runs anchored in this cell are then shown in the cell's coordinates.
    const nb = notebookOfCell(doc);
    const cellIndex = nb ? cellIndexOf(nb, doc) : -1;
    const text = nb ? notebookText(nb) : doc.getText();
    if (doc.languageId === 'yaml' && isModelYaml(text)) {
      await this.gpu.whenKnown(this.gpuWaitMs);
      const generation = this.generation;
      const options = optionsForModel(doc.uri.fsPath, this.settings(), this.gpu.snapshot.planning);
      const st: DocState = { uri, version, generation, kind: 'model', runs: [], model: { options, result: this.estimates.peek(options) } };
      this.states.set(uri, st);
      return st;
    }
    // The scan and the first GPU reading in parallel: the options need both.
    const request = nb ? { text, fileName: nb.uri.fsPath, languageId: 'jupyter' } : { text, fileName: doc.fileName, languageId: doc.languageId };
    const [whole] = await Promise.all([nb ? this.notebookScan(nb, request, version) : this.client.extractScript(request, { token }), this.gpu.whenKnown(this.gpuWaitMs)]);
    const view = nb ? notebookCellView(whole, cellIndex) : null;
    const scan = view ? view.scan : whole;
    const dir = scriptDir(doc.uri);
    const [files, datasets] = await Promise.all([this.findModelFiles(doc, scan), existingDatasets(scan, dir)]);
    // Read after the last await, together: the generation says which GPU and settings these are.
    const generation = this.generation;
    const settings = this.settings();
    const gpu = this.gpu.snapshot.planning;
    const runs: RunState[] = scan.runs.map((run, index) => {
      // Options from the notebook-wide run: its settings' values are the same, its ranges are the file's.
      const r = optionsForRun(view ? whole.runs[view.runIndices[index]] : run, settings, gpu, (spec) => files.get(spec), { dir, fileExists: (p) => datasets.has(p) });
      if (!r.ok) return { run, index, assumed: [], batchFromScript: false, reason: r.reason };
      return { run, index, options: r.value.options, assumed: r.value.assumed, batchFromScript: r.value.batchFromScript, result: this.estimates.peek(r.value.options) };
    });
    const st: DocState = { uri, version, generation, kind: 'script', scan, runs };
    const cur = this.states.get(uri);
    if (!cur || cur.version <= version) this.states.set(uri, st);
    return st;
  }

  /** One worker scan per notebook version, shared by its cells (each cell is its own document).
   *  Not cancelled by one cell's token: the other cells wait on it too. */
  private notebookScan(nb: vscode.NotebookDocument, request: { text: string; fileName: string; languageId: string }, version: number): Promise<ScriptScan> {
    const key = nb.uri.toString();
    const have = this.notebookScans.get(key);
    if (have && have.version === version) return have.promise;
    const promise = this.client.extractScript(request);
    this.notebookScans.set(key, { version, promise });
    promise.catch(() => {
      if (this.notebookScans.get(key)?.promise === promise) this.notebookScans.delete(key);
    });
    return promise;
  }

  /** Resolve model paths named in the script: next to it, then in each workspace folder (async
   *  stats: the extension host never waits on the disk). */
  private async findModelFiles(doc: vscode.TextDocument, scan: ScriptScan): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const specs = new Set(scan.runs.map((r) => r.settings.model?.value).filter((v): v is string => typeof v === 'string' && /\.(onnx|ya?ml|pth?)$/i.test(v)));
    const bases = [doc.uri.scheme === 'file' ? dirname(doc.uri.fsPath) : undefined, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)].filter((b): b is string => !!b);
    await Promise.all(
      [...specs].map(async (spec) => {
        const candidates = isAbsolute(spec) ? [spec] : bases.map((b) => join(b, spec));
        for (const c of candidates) {
          const st = await stat(c).catch(() => undefined);
          if (st?.isFile()) {
            out.set(spec, c);
            return;
          }
        }
      }),
    );
    return out;
  }

  private publish(state: DocState): void {
    const cur = this.states.get(state.uri);
    if (cur && cur.version > state.version && state.version !== -1) return; // a newer edit already landed
    this.states.set(state.uri, state);
    this.emitter.fire(state);
  }

  dispose(): void {
    this.gpuSub.dispose();
    this.debouncer.dispose();
    this.emitter.dispose();
  }
}

/** The version a document's analysis is for: a notebook cell's also changes when any cell of its
 *  notebook does (its runs read the cells above it). */
function versionOf(doc: vscode.TextDocument): number {
  const nb = notebookOfCell(doc);
  return nb ? notebookVersion(nb) : doc.version;
}

/** The folder a saved script (or notebook, for its cells) is in: where its training process is
 *  assumed to start, so relative `data=` paths resolve there. Undefined for unsaved files. */
export function scriptDir(uri: vscode.Uri): string | undefined {
  return uri.scheme === 'file' || uri.scheme === 'vscode-notebook-cell' ? dirname(uri.fsPath) : undefined;
}

/** The dataset YAMLs the runs name that exist (absolute paths; async stats). A found dataset decides
 *  the boxes per image; see optionsForRun. */
async function existingDatasets(scan: ScriptScan, dir: string | undefined): Promise<Set<string>> {
  const out = new Set<string>();
  const paths = new Set<string>();
  for (const r of scan.runs) {
    const d = r.settings.data?.value?.trim();
    if (d && (isAbsolute(d) || dir)) paths.add(isAbsolute(d) ? d : resolve(dir!, d));
  }
  await Promise.all(
    [...paths].map(async (p) => {
      if ((await stat(p).catch(() => undefined))?.isFile()) out.add(p);
    }),
  );
  return out;
}

/** The run the status bar and panel talk about: the first run with an estimate, else the first. */
export function primaryRun(state: DocState): RunState | undefined {
  return state.runs.find((r) => r.result) ?? state.runs.find((r) => r.options) ?? state.runs[0];
}
