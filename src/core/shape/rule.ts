// The shape of one registry entry. Parameters are not a per-op rule: every initializer is counted
// once, on the first node that really consumes it (see infer.ts), which is what makes the totals
// equal the file's initializer elements even when the exporter shares a bias through Identity.
import type { OnnxNode } from '../onnx/types';
import type { Val } from './helpers';

export interface OpContext {
  node: OnnxNode;
  /** One per node input; undefined where the optional input is absent (empty name or past the end). */
  inputs: (Val | undefined)[];
  /** Version of the default operator set (rules whose inputs moved from attributes read it). */
  opset: number;
}

export interface OpRule {
  /** Output tensors, in node.outputs order (trailing optional outputs may be left out). */
  infer(ctx: OpContext): Val[];
  /** FLOPs (2 × MACs) from the inferred outputs; absent means 0, as thop counts the op. */
  flops?(ctx: OpContext, outputs: Val[]): number;
}

export type RuleTable = Record<string, OpRule>;
