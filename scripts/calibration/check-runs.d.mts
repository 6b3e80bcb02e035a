// Types for check-runs.mjs, so the unit test (test/calibration/runs-csv.test.ts) can import it under `strict`.
export declare const RUN_COLUMNS: string[];
export declare const DATASET_COLUMNS: string[];
export declare const KINDS: string[];
export declare const TASKS: string[];
export declare const OUTCOMES: string[];
export declare const OOM_PHASES: string[];
export declare const AMP_VALUES: string[];
export declare const MEM_UNITS: string[];
export declare const GIB_FROM: number[];
export declare function parseCsv(text: string): string[][];
export declare function expectedUnit(kind: string, version: string | undefined): 'GB' | 'GiB' | undefined;
export declare function cardBytes(text: string): number | undefined;
export declare function checkRunFile(text: string, name: string, which: 'runs' | 'oom', seenIds?: Map<string, string>): string[];
export declare function checkDatasetFile(text: string, name: string): string[];
export declare function checkPublicRuns(dir: string): string[];
export declare function familyOf(kind: string, model: string | undefined): string;
export declare function gpuClassOf(name: string | undefined): string;
export declare function summarize(dir: string): string;
