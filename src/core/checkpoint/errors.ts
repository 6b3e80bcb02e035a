// One error type for everything the checkpoint reader refuses, so the CLI, the worker and the views
// can show a one-line message. The message always starts with the file name.

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail.replace(/\s+/g, ' ')}`);
  }
}

/** Type guard that also works across bundle copies (the CLI and worker each bundle the core). */
export function isCheckpointError(e: unknown): e is CheckpointError {
  return e instanceof Error && e.name === 'CheckpointError' && typeof (e as CheckpointError).file === 'string';
}
