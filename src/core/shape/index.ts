// Shape inference over a decoded ONNX model, with per-node parameters and FLOPs.
//
// API
//   inferShapes(model: OnnxModel, bindings?: { batch?, height?, width?, dims?: {name: value} }): ShapeResult
//     Symbolic dims are bound, never refused: the first input's axes 0/2/3 are batch/height/width
//     whatever their dim_param names; other dim_params come from `dims` by name. Unbound ones fall
//     back to the Ultralytics metadata (batch, imgsz), else that input is unknown (with a warning).
//     Static dims are kept; a binding that contradicts one gives a warning (the export is fixed),
//     except a static batch with `rebindStaticBatch: true`: it takes `batch`, and the Reshape /
//     Expand / Resize targets that baked the file's batch are rebound (bindings.staticBatch says).
//   ShapeResult (plain JSON):
//     nodes[]: { index (file position), name, opType, domain, inputs, outputs[{name, shape, dtype}],
//                params, flops, module: {index, path} | null, unsupported?, note? } in topological order
//     tensors: { [name]: { shape: number[] | null, dtype } } for inputs, initializers, node outputs
//     inputs[], outputs[]: { name, shape, dtype }
//     paramsTotal: elements of all initializers, each counted once (node.params puts each on its
//                  first real consumer, looking through Identity)
//     flopsTotal: 2 × MACs, counting as Ultralytics/thop do (convs, matmuls, gemms, einsum, norms)
//     bindings: the values used for batch/height/width and each dim_param
//     unsupported: op types without a rule; warnings: human-readable strings
//   A shape of null means unknown (after an unsupported or data-dependent op); nothing throws.
//   ultralyticsModule(nodeName) → { index, path } | null: `/model.22/cv2.0/cv2.0.0/conv/Conv` →
//     { index: 22, path: 'model.22.cv2.0.0.conv' }.
//   OP_RULES: the registry (op type → { infer, flops? }).
export { inferShapes } from './infer';
export { ultralyticsModule } from './modules';
export { OP_RULES, ruleFor } from './registry';
export type { OpRule, OpContext } from './rule';
export type * from './types';
