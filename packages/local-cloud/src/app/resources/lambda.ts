/** AWS::Lambda::Function (and its Version/Alias) and AWS::Lambda::EventSourceMapping, run locally. */
import { prop, required, type ResourceContext, type ResourceHandler } from './types.js';

type Obj = Record<string, unknown>;

/** `Code.S3Key` is `<asset hash>.zip`; the stack's asset manifest says which cdk.out folder that is. */
function assetDir(ctx: ResourceContext, code: Obj): string {
  const key = code['S3Key'];
  if (typeof key !== 'string')
    throw new Error(
      `${ctx.where}: Code has no S3Key, ZipFile or usable asset: ${JSON.stringify(code)}`,
    );
  const dir = ctx.stack.assets.get(key) ?? ctx.stack.assets.get(key.replace(/\.zip$/, ''));
  if (!dir)
    throw new Error(
      `${ctx.where}: Code.S3Key ${key} is not an asset of ${ctx.stack.stackName} in cdk.out ` +
        '(code uploaded by other means cannot run locally); synthesize the app again',
    );
  return dir;
}

/** `FixtureService/Consumer/Resource` -> `FixtureService/Consumer`: how people know the function. */
export function functionLabel(ctx: ResourceContext): string {
  return ctx.cdkPath?.replace(/\/Resource$/, '') ?? ctx.where;
}

export const lambdaFunction: ResourceHandler = async (ctx) => {
  const p = ctx.properties;
  const name = prop(ctx, 'FunctionName', 'string') ?? ctx.generateName();
  const runtime = prop(ctx, 'Runtime', 'string') ?? '';
  const code = required(ctx, 'Code', prop(ctx, 'Code', 'object'));
  if (code['ImageUri'] !== undefined || prop(ctx, 'PackageType', 'string') === 'Image')
    throw new Error(
      `${ctx.where}: container image functions cannot run locally (no Docker); use a Node.js zip function`,
    );
  if (!runtime.startsWith('nodejs'))
    throw new Error(
      `${ctx.where}: runtime ${runtime || '(none)'} cannot run locally; only nodejs* runtimes can`,
    );
  const declaredMajor = /^nodejs(\d+)/.exec(runtime)?.[1];
  if (declaredMajor !== undefined && declaredMajor !== process.versions.node.split('.')[0])
    ctx.env.log(
      `${ctx.where}: declares ${runtime} but runs locally on Node ${process.versions.node}; ` +
        `run the local cloud on Node ${declaredMajor} (the npm package "node" pins it) to run what deploys`,
    );
  if (Array.isArray(p['Layers']) && p['Layers'].length)
    ctx.env.log(
      `${ctx.where}: layers are not mounted locally; bare imports resolve from the project's node_modules instead`,
    );
  const env = ((p['Environment'] as Obj | undefined)?.['Variables'] ?? {}) as Obj;
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const logging = p['LoggingConfig'] as Obj | undefined;
  const fn = ctx.env.lambda.register({
    logicalId: ctx.logicalId,
    stackName: ctx.stack.stackName,
    label: functionLabel(ctx),
    functionName: name,
    functionArn: ctx.env.lambda.functionArn(name),
    handler: required(ctx, 'Handler', prop(ctx, 'Handler', 'string')),
    runtime,
    code:
      typeof code['ZipFile'] === 'string'
        ? { inlineCode: code['ZipFile'] }
        : { assetDir: assetDir(ctx, code) },
    timeoutSeconds: prop(ctx, 'Timeout', 'number') ?? 3,
    memorySize: prop(ctx, 'MemorySize', 'number') ?? 128,
    environment,
    reservedConcurrency: prop(ctx, 'ReservedConcurrentExecutions', 'number'),
    logFormat: typeof logging?.['LogFormat'] === 'string' ? logging['LogFormat'] : undefined,
    systemLogLevel:
      typeof logging?.['SystemLogLevel'] === 'string' ? logging['SystemLogLevel'] : undefined,
    // Its own key, so the edge knows the function's role (KMS checks it); no role: 'local', admin.
    accessKeyId:
      typeof p['Role'] === 'string' ? ctx.env.iam?.registerCaller(p['Role'], name) : undefined,
    logGroupName: typeof logging?.['LogGroup'] === 'string' ? logging['LogGroup'] : undefined,
  });
  return { physicalId: name, attributes: { Arn: fn.config.functionArn } };
};

/** Versions and aliases all run the one local code ($LATEST); their ARNs find the function. */
export const lambdaVersion: ResourceHandler = async (ctx) => {
  const fn = required(ctx, 'FunctionName', prop(ctx, 'FunctionName', 'string'));
  const arn = `${ctx.env.lambda.find(fn)?.config.functionArn ?? fn}:1`;
  return { physicalId: arn, attributes: { Version: '1', FunctionArn: arn } };
};

export const lambdaAlias: ResourceHandler = async (ctx) => {
  const fn = required(ctx, 'FunctionName', prop(ctx, 'FunctionName', 'string'));
  const name = required(ctx, 'Name', prop(ctx, 'Name', 'string'));
  const arn = `${ctx.env.lambda.find(fn)?.config.functionArn ?? fn}:${name}`;
  return { physicalId: arn, attributes: { AliasArn: arn } };
};

export const eventSourceMapping: ResourceHandler = async (ctx) => {
  const p = ctx.properties;
  const h = ctx.generateId(32, '0123456789abcdef');
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  const functionRef = required(ctx, 'FunctionName', prop(ctx, 'FunctionName', 'string'));
  if (!ctx.env.lambda.find(functionRef))
    throw new Error(`${ctx.where}: FunctionName ${functionRef} is not a function of the app`);
  const filters = ((p['FilterCriteria'] as Obj | undefined)?.['Filters'] ?? []) as Obj[];
  const destination = (
    (p['DestinationConfig'] as Obj | undefined)?.['OnFailure'] as Obj | undefined
  )?.['Destination'];
  ctx.env.mappings.add({
    uuid,
    logicalId: ctx.logicalId,
    stackName: ctx.stack.stackName,
    functionRef,
    eventSourceArn: required(ctx, 'EventSourceArn', prop(ctx, 'EventSourceArn', 'string')),
    enabled: prop(ctx, 'Enabled', 'boolean') ?? true,
    batchSize: prop(ctx, 'BatchSize', 'number'),
    maxBatchingWindowSeconds: prop(ctx, 'MaximumBatchingWindowInSeconds', 'number'),
    reportBatchItemFailures: ((p['FunctionResponseTypes'] ?? []) as string[]).includes(
      'ReportBatchItemFailures',
    ),
    maximumConcurrency: num((p['ScalingConfig'] as Obj | undefined)?.['MaximumConcurrency']),
    startingPosition: prop(ctx, 'StartingPosition', 'string'),
    maximumRetryAttempts: prop(ctx, 'MaximumRetryAttempts', 'number'),
    bisectBatchOnFunctionError: prop(ctx, 'BisectBatchOnFunctionError', 'boolean'),
    filterPatterns: filters.map((f) => String(f['Pattern'])),
    onFailureDestination: typeof destination === 'string' ? destination : undefined,
  });
  const arn = `arn:aws:lambda:${ctx.env.region}:${ctx.env.accountId}:event-source-mapping:${uuid}`;
  return { physicalId: uuid, attributes: { Id: uuid, EventSourceMappingArn: arn } };
};

const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
