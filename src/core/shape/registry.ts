// The operator registry: one entry per ONNX op type (default domain), each with its shape rule and
// FLOPs. Parameters are counted generically per initializer (rule.ts says why).
import { convRules } from './ops/conv';
import { elementwiseRules } from './ops/elementwise';
import { linalgRules } from './ops/linalg';
import { poolRules } from './ops/pool';
import { reduceRules } from './ops/reduce';
import { tensorRules } from './ops/tensor';
import type { OpRule, RuleTable } from './rule';

export const OP_RULES: Readonly<RuleTable> = Object.freeze({
  ...convRules,
  ...elementwiseRules,
  ...tensorRules,
  ...poolRules,
  ...linalgRules,
  ...reduceRules,
});

export function ruleFor(domain: string, opType: string): OpRule | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return Object.prototype.hasOwnProperty.call(OP_RULES, opType) ? OP_RULES[opType] : undefined;
}
