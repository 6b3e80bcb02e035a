// Public API of the checkpoint reader: a .pt file -> what it says about the model, without running
// anything from it (see read.ts for the formats, pickle.ts for the interpreter, allowlist.ts).
export { fileByteReader, memoryByteReader, type ByteReader } from './bytes';
export { checkpointArch } from './architecture';
export { CheckpointError, isCheckpointError } from './errors';
export { interpretCheckpoint, type CheckpointInfo, type CheckpointTask, type CheckpointTrainArgs } from './interpret';
export { parseCheckpoint, readCheckpointFile, type RawCheckpoint } from './read';
export { trainDefaultsFrom, withTrainDefaults, type TrainDefaults } from './train-defaults';
