/**
 * Names CloudFormation generates for resources whose template gives none:
 * `<stackName>-<logicalId>-<random suffix>`, cut to the service's limit.
 * The limits and suffix shapes below are what deployed stacks show (tables
 * and rules: 13 upper-case characters; queues and functions: 12 mixed-case);
 * CloudFormation does not document its truncation, so ours is an approximation
 * that keeps both parts readable and always stays within the limit.
 */

interface NameRule {
  readonly max: number;
  readonly suffixLength: number;
  readonly alphabet: string;
  /** Secrets are named `<logicalId>-<suffix>`, without the stack. */
  readonly withoutStack?: boolean;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const RULES: Record<string, NameRule> = {
  'AWS::DynamoDB::Table': { max: 255, suffixLength: 13, alphabet: UPPER },
  'AWS::DynamoDB::GlobalTable': { max: 255, suffixLength: 13, alphabet: UPPER },
  'AWS::SQS::Queue': { max: 80, suffixLength: 12, alphabet: MIXED },
  'AWS::Lambda::Function': { max: 64, suffixLength: 12, alphabet: MIXED },
  'AWS::Events::Rule': { max: 64, suffixLength: 13, alphabet: UPPER },
  'AWS::Events::Archive': { max: 48, suffixLength: 12, alphabet: MIXED },
  'AWS::IAM::Role': { max: 64, suffixLength: 13, alphabet: UPPER },
  'AWS::SecretsManager::Secret': {
    max: 512,
    suffixLength: 12,
    alphabet: MIXED,
    withoutStack: true,
  },
};
const DEFAULT_RULE: NameRule = { max: 255, suffixLength: 13, alphabet: UPPER };

export interface NameRequest {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  /** Characters reserved at the end, e.g. 5 for a FIFO queue's `.fifo`. */
  readonly reserve?: number;
}

/** Random source in [0, 1); injectable so tests get stable names. */
export type Random = () => number;

export function physicalName(req: NameRequest, random: Random = Math.random): string {
  const rule = RULES[req.type] ?? DEFAULT_RULE;
  let suffix = '';
  for (let i = 0; i < rule.suffixLength; i++)
    suffix += rule.alphabet[Math.floor(random() * rule.alphabet.length)];
  if (rule.withoutStack) {
    const budget = rule.max - (req.reserve ?? 0) - suffix.length - 1;
    return `${req.logicalId.slice(0, budget)}-${suffix}`;
  }
  const budget = rule.max - (req.reserve ?? 0) - suffix.length - 2; // two dashes
  const [stack, logical] = share(req.stackName, req.logicalId, budget);
  return `${stack}-${logical}-${suffix}`;
}

/** Cuts two parts to fit `budget` together, neither losing more than it must. */
function share(a: string, b: string, budget: number): [string, string] {
  if (a.length + b.length <= budget) return [a, b];
  const half = Math.floor(budget / 2);
  if (a.length <= half) return [a, b.slice(0, budget - a.length)];
  if (b.length <= budget - half) return [a.slice(0, budget - b.length), b];
  return [a.slice(0, half), b.slice(0, budget - half)];
}
