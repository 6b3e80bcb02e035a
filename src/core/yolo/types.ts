// The YOLO architecture as data, in two stages:
//  1. ArchSpec: what a model YAML (or a built-in table) says, validated but not interpreted:
//     rows of [from, repeats, module, args] plus the scaling constants.
//  2. ResolvedModel: the same rows after Ultralytics' / YOLOv5's `parse_model` rules (depth and
//     width scaling, input channels, repeats moved into the block's arguments). It depends only on
//     the spec and the prune ratio, never on batch or image size, so callers can cache it and build
//     the training graph at several (batch, imgsz) from it.
// Everything is plain JSON-able data.

/** A value that may appear in a row's argument list. */
export type ArgValue = number | boolean | string | null | ArgValue[];

/** One YAML row: [from, repeats, module, args]. */
export type ArchRow = [from: number | number[], repeats: number, module: string, args: ArgValue[]];

/** Activation functions a YAML's `activation:` key may select for every Conv. */
export type ActKind = 'silu' | 'relu' | 'leaky_relu' | 'hardswish' | 'gelu' | 'sigmoid' | 'tanh';

export interface ArchSpec {
  /** Model name, e.g. "yolov8n" or "yolov8n-seg"; for a file, its stem. */
  name: string;
  /** File name (or `builtin:<name>`) used to prefix error messages. */
  file: string;
  /** 'scales' = Ultralytics format (YOLOv5u/v8/11), 'v5' = YOLOv5 v7.0 (depth_multiple/width_multiple/anchors). */
  format: 'scales' | 'v5';
  nc: number;
  /** Scale letter chosen ('' when the YAML has no `scales:`). */
  scale: string;
  depth: number;
  width: number;
  /** Channel cap before width scaling; null when the YAML gives none (null, not Infinity, so the
   *  spec survives JSON between processes). */
  maxChannels: number | null;
  /** Pose models: keypoints x dims, e.g. [17, 3]. */
  kptShape?: number[];
  /** YOLOv5 anchors: one list of (w, h) pairs per level, or anchors per level (`anchors: 3`). */
  anchors?: number[][] | number;
  /** Conv's default activation (the YAML's `activation:` key); SiLU unless set. */
  act: ActKind;
  /** LeakyReLU slope when act is leaky_relu. */
  actAlpha?: number;
  /** Input image channels when the YAML sets `ch`. */
  channels?: number;
  /** DFL bins per box side (the YAML's `reg_max`; 16 when absent, 1 for YOLO26: no DFL). */
  regMax?: number;
  /** The YAML's `end2end`: the Detect-family head trains a one-to-many and a one-to-one branch. */
  end2end?: boolean;
  /** Ultralytics code the blocks follow where versions differ: '8.4' (SPPF's cv1 without activation)
   *  for YAML files and the families added with 8.4; absent = 8.3.x (the first built-in tables). */
  codeVersion?: '8.4';
  /** Facts about how the file was read (e.g. an assumed scale). */
  notes?: string[];
  /** Row count of the `backbone:` list: rows [0, backboneRows) are backbone. */
  backboneRows: number;
  rows: ArchRow[];
}

/** A module after parse_model: its class, its resolved constructor arguments and its output channels. */
export interface ResolvedLayer {
  index: number;
  /** `from` with negative indices kept as written (-1 = previous layer), as Ultralytics records it. */
  from: number | number[];
  /** Absolute indices of the layers it reads (-1 resolved); the image input is layer -1 for row 0. */
  inputs: number[];
  /** Class name as Ultralytics prints it: "Conv", "C2f", "Upsample", "Detect", ... */
  type: string;
  /** Repeats left outside the module (nn.Sequential of n copies); 1 for blocks that take n inside. */
  n: number;
  /** Constructor arguments, e.g. Conv: [c1, c2, k, s, p, g, d, act]. */
  args: ArgValue[];
  c1: number;
  c2: number;
  group: 'backbone' | 'neck' | 'head';
}

export interface ResolvedModel {
  spec: ArchSpec;
  layers: ResolvedLayer[];
  /** True when the Detect-family head uses the YOLOv8 (legacy) class branch; false after a C3k2. */
  legacyHead: boolean;
  pruneRatio: number;
  notes: string[];
  /** Largest downsampling of any layer (32 for P3-P5 models, 64 for P6): imgsz is rounded up to it. */
  maxStride?: number;
}

export interface BuildOptions {
  batch: number;
  /** Square size, or [h, w]. Must be a multiple of the model's largest stride (32). */
  imgsz: number | [number, number];
  /** Channel pruning ratio in [0, 0.9] (see resolve.ts). */
  pruneRatio?: number;
  /** Input image channels (3 unless the YAML sets `ch`). */
  channels?: number;
  /** Number of classes of the dataset, replacing the YAML's nc (as DetectionModel(cfg, nc=...) does). */
  nc?: number;
  /** RT-DETR: GT boxes in the batch's fullest image, which sets the denoising queries (default 4). */
  gtPerImage?: number;
}

/** A user-facing error: one line, naming the file and the row. */
export class YoloArchError extends Error {
  override name = 'YoloArchError';
}
