// Every command id the extension contributes, in one object. package.json `contributes.commands`
// declares the same ids (test/extension/manifest.test.ts checks both ways); code, hover links and
// menus refer to them only through this object. Free of `vscode` imports so tests and the
// webview side can read it.

export const COMMANDS = {
  /** Analyze the active .onnx / model .yaml / training script, an Explorer selection, or a picked model. */
  analyzeModel: 'yoloMemory.analyzeModel',
  /** Pick the GPU to plan for: detected GPUs, presets, or a custom size (writes gpu.memory / gpu.index). */
  selectGpu: 'yoloMemory.selectGpu',
  /** Reveal the "YOLO Memory" output channel. */
  showLog: 'yoloMemory.showLog',
  /** Run real training steps with the user's Python on this machine's GPU (src/extension/measure/). */
  measureOnGpu: 'yoloMemory.measureOnGpu',
  /** Forget every stored measurement. */
  clearMeasurements: 'yoloMemory.clearMeasurements',
  /** Write the last measurement as a calibration-CSV row. */
  exportMeasurement: 'yoloMemory.exportMeasurement',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Commands a hover's Markdown may run (MarkdownString.isTrusted.enabledCommands). */
export const HOVER_COMMANDS: readonly CommandId[] = [COMMANDS.analyzeModel, COMMANDS.selectGpu, COMMANDS.showLog];

/** A `command:` link with JSON arguments, as VS Code's Markdown renderer expects. */
export function commandLink(id: CommandId, args?: unknown): string {
  return args === undefined ? `command:${id}` : `command:${id}?${encodeURIComponent(JSON.stringify([args]))}`;
}
