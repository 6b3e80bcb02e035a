// Which module names each YAML format accepts, and how parse_model treats each one. One table, read
// by the parser (to reject unknown names early) and by resolve.ts (to apply the scaling rules).

/** How Ultralytics' / YOLOv5's parse_model builds a row's constructor arguments. */
export type ParseRule =
  /** base module: c1 = ch[f], c2 = args[0] scaled by width (unless it equals nc); args = [c1, c2, ...rest] */
  | 'base'
  /** base module that also takes the (depth-scaled) repeats as its third argument */
  | 'repeat'
  | 'concat'
  | 'upsample'
  /** Detect family: the list of input channels is appended to the args */
  | 'head'
  /** anything else: constructed from the YAML args as written; output channels = ch[f] */
  | 'raw'
  /** CBLinear: c1 = ch[f], output pieces args[0] (not width-scaled); args = [c1, c2s, ...rest] */
  | 'cblinear'
  /** CBFuse: several inputs, output channels = ch[f[-1]], args as written */
  | 'multi'
  /** HGStem / HGBlock: c1 = ch[f], args = [c1, cm, c2, ...] unscaled; HGBlock takes n after k */
  | 'hg'
  /** AIFI: args = [ch[f], ...args]; output channels = ch[f] */
  | 'aifi'
  /** ResNetLayer: args as written; output channels args[1] (is_first) or 4 x args[1] */
  | 'resnetlayer'
  /** RTDETRDecoder: the list of input channels inserted as its second argument */
  | 'detrhead';

/** Ultralytics (YOLOv5u / v8 / 11) module names, as written in YAMLs. */
export const ULTRALYTICS_RULES: ReadonlyMap<string, ParseRule> = new Map<string, ParseRule>([
  ['Conv', 'base'],
  ['DWConv', 'base'],
  ['Focus', 'base'],
  ['Bottleneck', 'base'],
  ['SPP', 'base'],
  ['SPPF', 'base'],
  ['Classify', 'base'],
  ['C2f', 'repeat'],
  ['C3', 'repeat'],
  ['C3k2', 'repeat'],
  ['C2PSA', 'repeat'],
  ['C2fPSA', 'repeat'],
  ['A2C2f', 'repeat'],
  // YOLOv10 (block.py / head.py, 8.4.x)
  ['SCDown', 'base'],
  ['PSA', 'base'],
  ['C2fCIB', 'repeat'],
  ['v10Detect', 'head'],
  // YOLOv8 P6 and Ghost variants
  ['C2', 'repeat'],
  ['GhostConv', 'base'],
  ['C3Ghost', 'repeat'],
  ['GhostBottleneck', 'base'],
  ['Concat', 'concat'],
  ['nn.Upsample', 'upsample'],
  ['Detect', 'head'],
  ['Segment', 'head'],
  ['Pose', 'head'],
  ['OBB', 'head'],
  // YOLO26 task heads (ultralytics/nn/modules/head.py, 8.4.x)
  ['Segment26', 'head'],
  ['Pose26', 'head'],
  ['OBB26', 'head'],
  ['C3k', 'raw'],
  ['PSABlock', 'raw'],
  ['Attention', 'raw'],
  ['Proto', 'raw'],
  // YOLOv9 (GELAN) and the plain torch rows of YOLOv3u / YOLOv6: see blocks-gelan.ts
  ['RepNCSPELAN4', 'base'],
  ['ELAN1', 'base'],
  ['ADown', 'base'],
  ['AConv', 'base'],
  ['SPPELAN', 'base'],
  ['nn.ConvTranspose2d', 'base'],
  ['CBLinear', 'cblinear'],
  ['CBFuse', 'multi'],
  ['nn.Identity', 'raw'],
  ['nn.MaxPool2d', 'raw'],
  ['nn.ZeroPad2d', 'raw'],
  // RT-DETR: see blocks-rtdetr.ts and head-rtdetr.ts
  ['HGStem', 'hg'],
  ['HGBlock', 'hg'],
  ['RepC3', 'repeat'],
  ['AIFI', 'aifi'],
  ['ResNetLayer', 'resnetlayer'],
  ['RTDETRDecoder', 'detrhead'],
  // YOLO-World v2: see blocks-world.ts
  ['C2fAttn', 'repeat'],
  ['WorldDetect', 'head'],
]);

/** YOLOv5 v7.0 (models/yolo.py parse_model) module names. */
export const V5_RULES: ReadonlyMap<string, ParseRule> = new Map<string, ParseRule>([
  ['Conv', 'base'],
  ['DWConv', 'base'],
  ['Focus', 'base'],
  ['Bottleneck', 'base'],
  ['SPP', 'base'],
  ['SPPF', 'base'],
  ['C3', 'repeat'],
  ['Concat', 'concat'],
  ['nn.Upsample', 'upsample'],
  ['Detect', 'head'],
  ['Segment', 'head'],
  ['Proto', 'raw'],
]);

export const KNOWN_MODULES: ReadonlySet<string> = new Set(ULTRALYTICS_RULES.keys());
export const V5_MODULES: ReadonlySet<string> = new Set(V5_RULES.keys());

/** Modules that end a model and define its loss. */
export const HEAD_TYPES: ReadonlySet<string> = new Set(['Detect', 'Segment', 'Pose', 'OBB', 'Classify', 'Segment26', 'Pose26', 'OBB26', 'v10Detect', 'RTDETRDecoder', 'WorldDetect']);

/** The class name Ultralytics records for a module ("nn.Upsample" is torch.nn.modules.upsampling.Upsample). */
export function typeName(module: string): string {
  return module.startsWith('nn.') ? module.slice(3) : module;
}

/** Modules Ultralytics' parse_model (nn/tasks.py, 8.4.x) accepts that have no rule here yet: a YAML
 *  using one gets "not modelled" rather than "unknown" (never a wrong number). */
export const ULTRALYTICS_UNMODELLED: ReadonlySet<string> = new Set(
  [
    'ConvTranspose', 'BottleneckCSP', 'C1', 'RepNCSPELAN4', 'ELAN1', 'ADown', 'AConv',
    'SPPELAN', 'C2fAttn', 'C3TR', 'nn.ConvTranspose2d', 'DWConvTranspose2d', 'C3x', 'RepC3', 
    'AIFI', 'HGStem', 'HGBlock', 'ResNetLayer', 'nn.BatchNorm2d', 'WorldDetect', 'YOLOEDetect',
    'YOLOESegment', 'YOLOESegment26', 'ImagePoolingAttn', 'RTDETRDecoder', 'CBLinear', 'CBFuse', 'Depth',
    'SemanticSegment', 'TorchVision', 'Index', 'LRPCHead', 'Silence', 'nn.Identity', 'RepConv', 'CIB', 'RepVGGDW',
  ].filter((m) => !ULTRALYTICS_RULES.has(m)),
);
