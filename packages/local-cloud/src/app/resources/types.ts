import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { IamRegistry } from '../../iam/registry.js';
import type { LogStore } from '../../logs/store.js';
import type { EventSourceMappings } from '../esm/index.js';
import type { HttpApiServer } from '../http-api/server.js';
import type { LambdaService } from '../lambda/service.js';
import type { StackArtifact } from '../template/assembly.js';

/** What every resource handler may use: the edge's clients and the app's local services. */
export interface DeployEnv {
  readonly accountId: string;
  readonly region: string;
  readonly endpoint: string;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  readonly secrets: SecretsManagerClient;
  readonly lambda: LambdaService;
  readonly mappings: EventSourceMappings;
  readonly http: HttpApiServer;
  readonly log: (line: string) => void;
  /** Where roles' policies and functions' access keys are registered (absent: no checks). */
  readonly iam?: IamRegistry;
  readonly logs?: LogStore;
  /** The local Parameter Store: SSM parameters created by the stacks so far, by name. */
  readonly parameters: Map<string, string>;
}

export interface ResourceContext {
  readonly env: DeployEnv;
  readonly stack: StackArtifact;
  readonly logicalId: string;
  readonly type: string;
  /** Properties with every intrinsic resolved. */
  readonly properties: Record<string, unknown>;
  /** The construct path from the template metadata (`aws:cdk:path`), if any. */
  readonly cdkPath?: string;
  /** `<stack>/<logicalId>`, for messages. */
  readonly where: string;
  /** A name as CloudFormation generates it for this resource; `reserve` keeps room for a suffix. */
  generateName(reserve?: number): string;
  /** A stable random id of `length` characters from `alphabet` (API ids, UUIDs). */
  generateId(length: number, alphabet?: string): string;
}

export interface CreatedResource {
  /** What `Ref` returns. */
  readonly physicalId: string;
  /** What `Fn::GetAtt` returns, by attribute name. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

export type ResourceHandler = (ctx: ResourceContext) => Promise<CreatedResource>;

/** Reads an optional property of a given kind, or throws naming it. */
export function prop<T extends 'string' | 'number' | 'boolean' | 'object'>(
  ctx: ResourceContext,
  name: string,
  kind: T,
):
  | (T extends 'string'
      ? string
      : T extends 'number'
        ? number
        : T extends 'boolean'
          ? boolean
          : Record<string, unknown>)
  | undefined {
  const v = ctx.properties[name];
  if (v === undefined) return undefined;
  if (kind === 'number' && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)))
    return Number(v) as never;
  if (kind === 'boolean' && (v === 'true' || v === 'false')) return (v === 'true') as never;
  if (kind === 'object' ? typeof v === 'object' && v !== null : typeof v === kind)
    return v as never;
  throw new Error(
    `${ctx.where} (${ctx.type}): property ${name} should be a ${kind}, got ${JSON.stringify(v)}`,
  );
}

export function required<T>(ctx: ResourceContext, name: string, value: T | undefined): T {
  if (value === undefined)
    throw new Error(`${ctx.where} (${ctx.type}): property ${name} is required`);
  return value;
}
