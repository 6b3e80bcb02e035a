// Public API of the YOLO architecture reader: YAML text / file / built-in name -> TrainGraph.
// parse (YAML -> ArchSpec) and resolve (parse_model rules -> ResolvedModel) are separate from
// buildGraph, so a resolved model can be cached and rebuilt at several (batch, imgsz).

export { buildBuiltin, buildFromYamlFile, buildFromYamlText, buildGraph, buildGraphWithOutputs, prepareBuiltin, prepareModel, prepareYaml, readYamlFile, MAX_STRIDE } from './build';
export { builtinName, listBuiltins, resolveBuiltin, type BuiltinInfo } from './builtin';
export { guessModelScale, parseArchYaml } from './parse';
export { makeDivisible, pruneChannels, pyRound, resolveArch, MAX_PRUNE_RATIO } from './resolve';
export { YoloArchError, type ArchRow, type ArchSpec, type ArgValue, type BuildOptions, type ResolvedLayer, type ResolvedModel } from './types';
