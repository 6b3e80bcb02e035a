// Plain-JSON shapes of the dataset reader: what a dataset YAML says, and what a scan of its images
// and label files found. No classes, Maps or bigints, so a result can cross the worker boundary and
// land in golden files unchanged.

export type SplitName = 'train' | 'val' | 'test';

/** Bad input we can name in one line (unreadable YAML, a split with no images...). */
export class DatasetError extends Error {}

/** A dataset YAML read and resolved the way Ultralytics' `check_det_dataset` resolves it. */
export interface DatasetSpec {
  /** Absolute path of the YAML file. */
  yamlPath: string;
  /** Dataset root (`path:`) after resolution. */
  root: string;
  /** Whether `root` exists on this machine. */
  rootExists: boolean;
  /** Every place `path:` was looked for, in order (the first existing one won). */
  rootCandidates: string[];
  /**
   * Each split's sources, absolute: a folder of images (searched recursively), a `.txt` file listing
   * image paths, or a single image. `undefined` when the YAML has no such split.
   */
  splits: Partial<Record<SplitName, string[]>>;
  /** Number of classes (`nc`, or the length of `names`); null when the YAML gives neither. */
  nc: number | null;
  names: string[];
  /** Image channels (`channels:`, Ultralytics 8.3.x; default 3). Bytes per cached pixel. */
  channels: number;
  /** Pose datasets: `kpt_shape: [keypoints, dims]`, which fixes a label line's length. */
  kptShape: [number, number] | null;
  /** What resolution assumed (fallbacks, Ultralytics version differences). */
  notes: string[];
}

/** `readDatasetYaml`'s answer when the file is not on this machine (a built-in name, a typo). */
export interface DatasetNotFound {
  kind: 'not-found';
  /** The name or path as given. */
  name: string;
  /** True for a dataset Ultralytics ships a YAML for (`coco8.yaml`, `coco.yaml`, ...). */
  builtin: boolean;
  /** Paths that were tried. */
  tried: string[];
  message: string;
}

export type DatasetYamlResult = { kind: 'ok'; spec: DatasetSpec } | DatasetNotFound;

export interface MalformedExample {
  /** Label file path. */
  file: string;
  /** 1-based line number. */
  line: number;
  reason: string;
}

/** One row of the objects-per-image histogram: `images` images carry exactly `objects` objects. */
export interface CountBin {
  objects: number;
  images: number;
}

/** One distinct image size and how many scanned images have it. */
export interface SizeBin {
  w: number;
  h: number;
  count: number;
}

export interface ObjectStats {
  /** Objects in all scanned label files (duplicate lines excluded, as Ultralytics drops them). */
  total: number;
  /** Most objects in one image. */
  max: number;
  /** 99th percentile of objects per image (nearest rank). */
  p99: number;
  p50: number;
  mean: number;
  /** Full histogram, ascending by `objects`; the empirical distribution `assignerObjects` samples. */
  histogram: CountBin[];
  /** The densest counts (up to 10 bins, descending), for display. */
  top: CountBin[];
}

export interface ImageSizeStats {
  /** Images whose header gave a size. */
  known: number;
  /** Images that could not be opened or whose format we do not parse (TIFF, HEIC, DNG, PFM...). */
  unknown: number;
  /** Unreadable files: dangling links, folders named like images, permission errors. */
  unreadable: number;
  /** Mean width × height over `known`, 0 when none. */
  meanPixels: number;
  maxWidth: number;
  maxHeight: number;
  /** Exact distinct sizes (most frequent first), at most `MAX_SIZE_BINS`. */
  sizes: SizeBin[];
  /** Images whose size is known but fell outside `sizes` (too many distinct sizes). */
  otherCount: number;
  /** Mean of short side / long side over `otherCount` images (for the RAM model). */
  otherMeanAspect: number;
  /** Mean of width × height over `otherCount` images. */
  otherMeanPixels: number;
  /** Formats seen by their header: e.g. {png: 120, jpeg: 80}. */
  formats: Record<string, number>;
}

export interface SampleInfo {
  /** Images whose label file and header were read. */
  scanned: number;
  /** Images listed in the split (a lower bound when `totalExact` is false). */
  total: number;
  /** False when listing the folders itself ran out of time: `total` is then a lower bound. */
  totalExact: boolean;
  /** Why sampling happened: the file budget, the time budget, or both. */
  reason: string;
}

export interface DatasetStats {
  split: SplitName;
  /** The sources scanned (absolute). */
  sources: string[];
  /** Images listed in the split (every image, not only the scanned ones). */
  images: number;
  /** Scanned images with at least one object. */
  labelled: number;
  /** Scanned images with no objects: missing label file plus empty label file. */
  background: number;
  /** Of `background`: no label file at all. */
  missingLabels: number;
  /** Of `background`: a label file with no object lines. */
  emptyLabels: number;
  objects: ObjectStats;
  malformed: {
    /** Label lines that are not a valid object. */
    count: number;
    /** Label files with at least one such line (Ultralytics ignores these images). */
    files: number;
    examples: MalformedExample[];
  };
  /** Exact duplicate label lines (Ultralytics removes them, so they are not counted as objects). */
  duplicates: number;
  imageSizes: ImageSizeStats;
  /** null when every listed image was scanned. */
  sampled: SampleInfo | null;
  /** Label format seen: lines with 5 values (box), more (polygon or keypoints). */
  lineKinds: { box: number; polygonOrKeypoints: number };
  elapsedMs: number;
  /** Facts worth showing (sampling, fallbacks, skipped folders). */
  notes: string[];
}

export interface ScanProgress {
  phase: 'listing' | 'reading';
  /** Images listed so far (listing) or scanned so far (reading). */
  done: number;
  /** Total to read (reading); null while listing. */
  total: number | null;
}

export interface ScanOptions {
  split?: SplitName;
  /** Wall-clock budget for the whole scan. Default `DEFAULT_BUDGET_MS`. */
  budgetMs?: number;
  /** Most label files (and image headers) to read. Default `DEFAULT_MAX_FILES`. */
  maxFiles?: number;
  /** Abort: the scan rejects with an `AbortError`-named error. */
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Seed of the sample order (reproducible sampling). Default 1. */
  seed?: number;
  /**
   * How files are read: 'sync' in time slices (fast on a local disk), 'async' with `concurrency`
   * reads in flight (overlaps latency on slow or network disks), 'auto' (default): sync, switching
   * to async when the mean time per image exceeds SLOW_IMAGE_MS.
   */
  io?: 'auto' | 'sync' | 'async';
  /** Parallel file reads in async mode. Default 32. */
  concurrency?: number;
  /** Skip the in-memory result cache. */
  noCache?: boolean;
  /** Base for relative lines of `.txt` lists that do not start with `./` (Ultralytics: the process cwd). */
  cwd?: string;
}
