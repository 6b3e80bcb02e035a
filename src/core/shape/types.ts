// Shape-inference result: plain JSON data for the converter, the views and the CLI.
import type { OnnxDType } from '../onnx/dtypes';

/** Values for symbolic dims. The first graph input's axes 0, 2 and 3 are batch, height and width
 *  whatever their dim_param names are; any other dim_param is looked up in `dims` by name. */
export interface ShapeBindings {
  batch?: number;
  height?: number;
  width?: number;
  dims?: Record<string, number>;
  /** Let `batch` replace a static batch on the first input. The estimator reads an export as the
   *  architecture it describes and analyses it at any batch; training never runs the file itself.
   *  Reshape/Expand/Resize targets that bake the file's batch into axis 0 of a tensor computed from
   *  the image are rebound with it, as a dynamic-batch export of the same model would compute them. */
  rebindStaticBatch?: boolean;
}

export interface TensorShape {
  name: string;
  /** Concrete dims; null when they cannot be known (after an unsupported op, say). */
  shape: number[] | null;
  dtype: OnnxDType;
}

export interface ModuleRef {
  /** Index of the top-level module `model.model[i]`. */
  index: number;
  /** torch module path, e.g. `model.22.cv2.0.0.conv`. */
  path: string;
}

export interface NodeShapes {
  /** Position of the node in the file. */
  index: number;
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: TensorShape[];
  /** Elements of initializers this node is the first to use (through Identity chains): each
   *  initializer is counted once, on its first real consumer. */
  params: number;
  /** FLOPs = 2 × MACs, counted as Ultralytics/thop do (convolutions, matmuls, gemms, einsum). */
  flops: number;
  module: ModuleRef | null;
  /** Set when no shape rule exists for the op type (outputs unknown). */
  unsupported?: true;
  /** Why the outputs are unknown: an unsupported op upstream, a data-dependent size, a bad attribute. */
  note?: string;
}

export interface ShapeResult {
  /** Nodes in topological order. */
  nodes: NodeShapes[];
  /** Every tensor: graph inputs, initializers, node outputs. */
  tensors: Record<string, { shape: number[] | null; dtype: OnnxDType }>;
  inputs: TensorShape[];
  outputs: TensorShape[];
  /** Sum of the elements of all initializers, each counted once. */
  paramsTotal: number;
  flopsTotal: number;
  /** The values the symbolic dims were bound to. */
  bindings: {
    batch: number | null;
    height: number | null;
    width: number | null;
    dims: Record<string, number>;
    /** The file's static batch, present only when `rebindStaticBatch` replaced it with `batch`. */
    staticBatch?: number;
  };
  /** Op types without a shape rule, each once. */
  unsupported: string[];
  warnings: string[];
}
