/**
 * Runs a synthesized CDK app (`cdk.out`) on the local cloud: creates every
 * stack's resources through the edge's wire APIs, runs the functions in
 * worker threads, polls their event sources and serves the HTTP APIs.
 *
 *   const cloud = await startLocalCloud({ port: 0 });
 *   const app = await loadApp({ cdkOut: 'cdk.out', cloud, apiPort: 0 });
 *   await fetch(`${app.apiUrl}/orders/123`);
 *   await app.stop(); await cloud.stop();
 */
import type { TableWrites } from '../dynamodb/table-writes.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsError } from '../core/errors.js';
import type { Route } from '../edge/http.js';
import type { FaultInjector } from '../faults/plan.js';
import type { IamRegistry } from '../iam/registry.js';
import type { LogStore } from '../logs/store.js';
import { EventSourceMappings, type MappingInfo } from './esm/index.js';
import { HttpApiServer } from './http-api/server.js';
import { registerLambdaApi } from './lambda/edge-routes.js';
import type { InvocationSummary, LocalFunction } from './lambda/function.js';
import type { ConsoleApp } from '../console/topology.js';
import type { BatchFailure } from './esm/sqs.js';
import type { Recorder } from '../core/types.js';
import {
  inProcessPollerSqs,
  POLLER_METRICS,
  sdkPollerSqs,
  type InProcessSqs,
} from './esm/poller-sqs.js';
import { LambdaService } from './lambda/service.js';
import type { DeployEnv } from './resources/types.js';
import { readAssembly } from './template/assembly.js';
import { deployStack, type DeployedStack } from './template/deploy.js';

export type { DeployedResource, DeployedStack } from './template/deploy.js';
export type {
  LocalFunction,
  InvokeOutcome,
  FunctionStats,
  InvocationSummary,
} from './lambda/function.js';
export { formatSummary } from './lambda/invocation-log.js';
export type { MappingInfo } from './esm/index.js';
export { HANDLERS, SKIPPED_TYPES } from './resources/index.js';

/** What loadApp needs of the local cloud (local/cloud.ts's LocalCloud has it). */
export interface LocalCloudLike {
  /** The edge's base URL, e.g. http://localhost:4566. */
  readonly endpoint: string;
  readonly context: {
    readonly accountId: string;
    readonly region: string;
    /** Counts the in-process pollers' SQS calls (optional). */
    readonly recorder?: Pick<Recorder, 'countCall'>;
  };
  addRoute(route: Route): void;
  /** EventBridge, to deliver rule targets that are Lambda functions (optional). */
  readonly events?: {
    registerTargetDeliverer(
      arnPrefix: string,
      deliver: (request: { body: string; target: { Arn?: unknown } }) => void,
    ): () => void;
  };
  /** SQS in process: the SQS mappings poll through it (optional: else through the edge with the SDK). */
  readonly sqs?: InProcessSqs;
  /** Writes by table, so stream mappings read right after one (optional: else they poll). */
  readonly tableWrites?: TableWrites;
  /** EventBridge Scheduler, to invoke schedule targets that are Lambda functions (optional). */
  readonly scheduler?: {
    registerTargetDeliverer(
      arnPrefix: string,
      deliver: (invocation: { body: string; target: { Arn?: unknown } }) => void,
    ): () => void;
  };
  /** Fault injection for the functions (local/faults); the cloud's `faults` (optional). */
  readonly faults?: FaultInjector;
  /** Roles and the functions' access keys, so KMS knows which role calls (optional). */
  readonly iam?: IamRegistry;
  /** CloudWatch Logs' data: the HTTP API's access logs and the functions' output go here (optional). */
  readonly logs?: LogStore;
  /** The local console: told of every invocation and of the app's functions (optional). */
  readonly console?: {
    recordInvocation(summary: InvocationSummary): void;
    recordBatchFailure(failure: BatchFailure): void;
    attachApp(app: ConsoleApp): void;
  };
  /** Where the deployed stacks are published to the CloudFormation, API Gateway v2 and Schemas APIs (optional). */
  readonly deployments?: { attach(stacks: () => readonly DeployedStack[]): () => void };
}

export interface LoadAppOptions {
  /** The cloud assembly folder, usually `cdk.out`. */
  readonly cdkOut: string;
  readonly cloud: LocalCloudLike;
  /** Port of the HTTP API (default 3000; 0 picks a free one). */
  readonly apiPort?: number;
  /** Interface the HTTP API listens on (default 127.0.0.1). */
  readonly apiHost?: string;
  /** Messages of the loader, the pollers and the HTTP API (default: console.log). */
  readonly log?: (line: string) => void;
  /** Console output of the functions (default: stdout, prefixed `[Stack/Function]`). */
  readonly functionLog?: (label: string, line: string) => void;
  /** Called once per finished invocation: label, duration, ok/error/timeout, correlationId (default: nothing). */
  readonly onInvocation?: (summary: InvocationSummary) => void;
  /** Concurrency of a function without reserved concurrency (default 5). */
  readonly defaultConcurrency?: number;
  /** Concurrent batches per SQS mapping without MaximumConcurrency (default 5, where Lambda starts). */
  readonly defaultSqsConcurrency?: number;
  /** Seed of generated physical names: the same seed gives the same names (default: stable names). */
  readonly nameSeed?: string;
}

export interface RunningApp {
  /** Base URL of the HTTP API (undefined if the app has none), e.g. http://localhost:3000. */
  readonly apiUrl: string | undefined;
  /** Deployed stacks by stack name: resources (physical ids, attributes) and outputs. */
  readonly stacks: Readonly<Record<string, DeployedStack>>;
  /** Every function of the app. */
  readonly functions: readonly LocalFunction[];
  /** A function by name, ARN, logical id or label (`Stack/Construct`). */
  findFunction(ref: string): LocalFunction | undefined;
  /** `Ref` of a resource: `physicalId('OrdersStack', 'Table1234')`. Throws if unknown. */
  physicalId(stackName: string, logicalId: string): string;
  /** HTTP API routes, e.g. `GET /orders/{orderId}`. */
  readonly routes: readonly { prefix: string; routeKey: string; where: string }[];
  readonly mappings: readonly MappingInfo[];
  /** Stops the HTTP API, the pollers and every function worker. */
  stop(): Promise<void>;
}

export async function loadApp(options: LoadAppOptions): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => console.log(line));
  const functionLog =
    options.functionLog ??
    ((label: string, line: string) => process.stdout.write(`[${label}] ${line}\n`));
  const { accountId, region } = options.cloud.context;
  const endpoint = options.cloud.endpoint;
  const stacks = readAssembly(options.cdkOut);

  const clientConfig = {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const sqs = new SQSClient(clientConfig);
  const events = new EventBridgeClient(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  const lambda = new LambdaService({
    endpoint,
    region,
    accountId,
    log: functionLog,
    logs: options.cloud.logs,
    onInvocation: composeInvocation(options.onInvocation, options.cloud.console),
    defaultConcurrency: options.defaultConcurrency,
    faults: options.cloud.faults,
  });
  const mappings = new EventSourceMappings({
    lambda,
    sqs,
    pollerSqs: options.cloud.sqs
      ? inProcessPollerSqs(options.cloud.sqs, (action) =>
          options.cloud.context.recorder?.countCall(POLLER_METRICS, action),
        )
      : sdkPollerSqs(sqs),
    streams,
    region,
    log,
    defaultSqsConcurrency: options.defaultSqsConcurrency,
    tableWrites: options.cloud.tableWrites,
    onBatchFailed: options.cloud.console && ((f) => options.cloud.console!.recordBatchFailure(f)),
  });
  const http = new HttpApiServer(lambda, log, { endpoint, region, logs: options.cloud.logs });
  const env: DeployEnv = {
    accountId,
    region,
    endpoint,
    dynamodb,
    sqs,
    events,
    secrets,
    lambda,
    mappings,
    http,
    log,
    iam: options.cloud.iam,
    logs: options.cloud.logs,
    parameters: new Map(),
  };

  const unregisterApi = registerLambdaApi(options.cloud, lambda, mappings);
  // EventBridge invokes Lambda targets asynchronously, as in AWS.
  const unregisterTargets =
    options.cloud.events?.registerTargetDeliverer('arn:aws:lambda:', (request) =>
      deliverToFunction(lambda, request),
    ) ?? (() => undefined);
  // So does Scheduler (its Lambda templated target calls Invoke with InvocationType Event).
  const unregisterScheduleTargets =
    options.cloud.scheduler?.registerTargetDeliverer('arn:aws:lambda:', (invocation) =>
      deliverToFunction(lambda, invocation),
    ) ?? (() => undefined);
  const deployed: Record<string, DeployedStack> = {};
  const detachStacks =
    options.cloud.deployments?.attach(() => Object.values(deployed)) ?? (() => undefined);
  const unregister = () => {
    unregisterApi();
    unregisterTargets();
    unregisterScheduleTargets();
    detachStacks();
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    await http.close();
    // Terminating the workers ends in-flight invocations, so pollers stop at once.
    await Promise.all([mappings.stopAll(), lambda.stop()]);
    for (const c of [dynamodb, streams, sqs, events, secrets]) c.destroy();
  };

  try {
    // Listen first, so an API's ApiEndpoint attribute can name the real port.
    const hasApi = stacks.some((s) =>
      Object.values(s.template.Resources ?? {}).some((r) => r.Type === 'AWS::ApiGatewayV2::Api'),
    );
    if (hasApi) await http.listen(options.apiPort ?? 3000, options.apiHost ?? '127.0.0.1');
    const exports = new Map<string, unknown>();
    for (const stack of stacks) {
      const started = Date.now();
      deployed[stack.stackName] = await deployStack(stack, {
        env,
        exports,
        nameSeed: options.nameSeed ?? '',
      });
      const count = Object.keys(deployed[stack.stackName]!.resources).length;
      log(`stack ${stack.stackName}: ${count} resources ready in ${Date.now() - started} ms`);
    }
    await mappings.startAll();
  } catch (e) {
    await stop();
    throw e;
  }

  const functions = lambda.list();
  options.cloud.console?.attachApp({ functions, mappings: mappings.list() });
  return {
    apiUrl: http.url || undefined,
    stacks: deployed,
    functions,
    findFunction: (ref) =>
      lambda.find(ref) ??
      functions.find((f) => f.config.logicalId === ref || f.config.label === ref),
    physicalId(stackName, logicalId) {
      const r = deployed[stackName]?.resources[logicalId];
      if (!r)
        throw new Error(
          `no resource ${logicalId} in stack ${stackName} (stacks: ${Object.keys(deployed).join(', ')})`,
        );
      return r.physicalId;
    },
    routes: http.routes(),
    mappings: mappings.list(),
    stop,
  };
}

/** The caller's onInvocation and the console's, each told of every finished invocation. */
function composeInvocation(
  own: ((summary: InvocationSummary) => void) | undefined,
  console: { recordInvocation(summary: InvocationSummary): void } | undefined,
): ((summary: InvocationSummary) => void) | undefined {
  if (!console) return own;
  return (summary) => {
    console.recordInvocation(summary);
    own?.(summary);
  };
}

/** An EventBridge rule target that is a function: queued as an asynchronous invocation. */
function deliverToFunction(
  lambda: LambdaService,
  request: { body: string; target: { Arn?: unknown } },
): void {
  const arn = String(request.target.Arn ?? '');
  const fn = lambda.find(arn);
  if (!fn) throw new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
  lambda.invokeAsync(fn, JSON.parse(request.body));
}
