import { systemClock, type Clock } from './core/clock.js';
import { AwsError } from './core/errors.js';
import { MemoryRecorder } from './core/recorder.js';
import type { CloudContext, JsonService, Recorder, SqsSink } from './core/types.js';
import { DynamoDbLocal } from './dynamodb/process.js';
import { createEventBridge, type EventBridgeService } from './eventbridge/service.js';
import { createSecretsManager } from './secretsmanager/service.js';
import { DynamoDbForwarder } from './dynamodb/proxy.js';
import { TableWrites } from './dynamodb/table-writes.js';
import { CapacityMeter } from './dynamodb/capacity-meter.js';
import type { EdgeResponse, Route } from './edge/http.js';
import { localRoutes } from './edge/local-api.js';
import { Edge, type ProxyService } from './edge/server.js';
import { FaultInjector } from './faults/plan.js';
import { LogStore } from './logs/store.js';
import { LogsService } from './logs/service.js';
import { apiGatewayV2Routes } from './apigatewayv2/routes.js';
import { Deployments } from './cloudformation/deployments.js';
import { CloudFormationQueryService } from './cloudformation/service.js';
import { schemasRoutes } from './schemas/routes.js';
import { faultRoutes } from './faults/routes.js';
import { CognitoService } from './cognito/service.js';
import { wellKnownRoutes } from './cognito/well-known.js';
import { IamRegistry } from './iam/registry.js';
import { KmsService } from './kms/service.js';
import { S3Service, type S3Options } from './s3/service.js';
import { SqsQueryService } from './sqs/query.js';
import { SqsService } from './sqs/service.js';
import { createScheduler, type SchedulerService } from './scheduler/service.js';
import { LocalConsole, type ConsoleHost } from './console/index.js';

export interface LocalCloudOptions {
  /** 0 picks a free port. Default: LOCAL_CLOUD_PORT, else 4566. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 000000000000. */
  accountId?: string;
  /** Default us-east-1. */
  region?: string;
  /** Keep DynamoDB tables on disk under `<persistDir>/dynamodb`; in memory when absent. */
  persistDir?: string;
  recorder?: Recorder;
  /** Start DynamoDB Local (needs Java 17+). Default true; tests of other services may skip the JVM. */
  dynamodb?: boolean;
  /** Fault injection (local/faults); default a new, disabled injector. Exposed as `cloud.faults`. */
  faults?: FaultInjector;
  /**
   * Report what AWS accepts silently (PutEvents to a bus that does not exist).
   * Default: LOCAL_CLOUD_STRICT=1, else off, answering as AWS does.
   */
  strict?: boolean;
  /**
   * The time Scheduler's schedules and EventBridge's scheduled rules fire by;
   * default the machine's clock. Pass a `ManualClock` and `advance()` it in tests.
   */
  clock?: Clock;
  /** Draws flexible time windows and Scheduler's retry jitter; default Math.random (e.g. `seededRandom(1)`). */
  random?: () => number;
  /** S3's clock (signature expiry, object times) and lifecycle sweep interval; tests inject time. */
  s3?: S3Options;
}

/** A path-routed endpoint on the edge (REST-JSON APIs such as Lambda's). */
export type LocalRoute = Route;
export type { EdgeResponse };

/** SQS for in-process callers: the SqsSink plus the same actions the wire has. */
export interface LocalSqs extends SqsSink {
  /** Runs any SQS action with JSON-protocol input, as `AmazonSQS.<action>` would (not counted). */
  handle(
    action: string,
    input: Record<string, unknown>,
    request?: { signal?: AbortSignal },
  ): Promise<unknown>;
  queueUrlFromArn(queueArn: string): string;
  queueArnFromUrl(queueUrl: string): string;
  /** All attributes unless names are given; throws QueueDoesNotExist. */
  getQueueAttributes(queueArnOrUrl: string, names?: string[]): Record<string, string>;
  listQueueArns(): string[];
}

export interface LocalCloud {
  /** e.g. http://127.0.0.1:4566 — give it to SDK clients as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly context: CloudContext;
  readonly sqs: LocalSqs;
  /** EventBridge for in-process callers: publish, settled, registerTargetDeliverer (Lambda targets). */
  readonly events: EventBridgeService;
  /** DynamoDB Local's own endpoint (bypasses the edge; not counted), or undefined if not started. */
  readonly dynamodbEndpoint: string | undefined;
  /** Successful writes through the edge, by table: stream readers wake on them. */
  readonly tableWrites: TableWrites;
  /** DynamoDB request units by table, as DynamoDB Local computes them; off until `start()`. */
  readonly capacity: CapacityMeter;
  /** Milliseconds from the call to ready, and how much of it DynamoDB Local took. */
  readonly startup: { totalMs: number; dynamodbMs: number };
  /** Fault injection: off until `faults.set(plan)` or `PUT /_local/faults`. */
  readonly faults: FaultInjector;
  /** CloudWatch Logs' data: functions' output and access logs, by log group. */
  readonly logs: LogStore;
  /** The stacks loaded apps deployed, read by the CloudFormation, API Gateway v2 and Schemas APIs. */
  readonly deployments: Deployments;
  /** Roles, their policies and the functions' access keys: what KMS checks callers against. */
  readonly iam: IamRegistry;
  /** S3: `sweepLifecycle(at?)` applies lifecycle expiration now; `credentials.add(id, secret)` trusts a key pair. */
  readonly s3: Pick<S3Service, 'sweepLifecycle' | 'credentials'>;
  /** The clock schedules and scheduled rules fire by (the `clock` option, else the machine's). */
  readonly clock: Clock;
  /** EventBridge Scheduler for in-process callers: registerTargetDeliverer (Lambda targets), settled. */
  readonly scheduler: SchedulerService;
  /** The page at `/_console/` (its `url`); the app loader reports invocations and its functions to it. */
  readonly console: ConsoleHost;
  registerJsonService(svc: JsonService, signingName: string): void;
  addRoute(route: LocalRoute): void;
  stop(): Promise<void>;
}

/** Starts the edge, SQS, EventBridge, Secrets Manager and DynamoDB Local (+ Streams); resolves when all answer. */
export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const started = Date.now();
  const port = opts.port ?? portFromEnv() ?? 4566;
  const host = opts.host ?? '127.0.0.1';
  const accountId = opts.accountId ?? '000000000000';
  const region = opts.region ?? 'us-east-1';
  checkOptions(port, accountId, region);
  const recorder = opts.recorder ?? new MemoryRecorder();
  const faults = opts.faults ?? new FaultInjector();
  const logs = new LogStore();
  const deployments = new Deployments();
  const iam = new IamRegistry(accountId);
  const clock = opts.clock ?? systemClock;

  const edge = new Edge(recorder);
  const bound = await edge.listen(port, host);
  const endpoint = `http://${endpointHost(host)}:${bound}`;
  const context: CloudContext = { accountId, region, endpoint, recorder };
  const stoppers: (() => Promise<void> | void)[] = [() => edge.close()];
  const services = new Set(['sqs']);
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s();
  };

  try {
    const sqs = new SqsService(context, faults);
    edge.registerJsonService(sqs, 'sqs', {
      namespace: 'com.amazonaws.sqs#',
      queryCompatible: true,
    });
    edge.registerQueryService(new SqsQueryService(sqs, endpoint));
    stoppers.push(() => sqs.stop());

    const events = createEventBridge(context, sqs, { faults, strict: opts.strict, clock });
    edge.registerJsonService(events, 'events');
    stoppers.push(() => events.stop());
    services.add('events');

    const scheduler = createScheduler(context, sqs, { clock, random: opts.random });
    for (const r of scheduler.routes) edge.addRoute(r);
    stoppers.push(() => scheduler.stop());
    services.add('scheduler');

    edge.registerJsonService(createSecretsManager(context), 'secretsmanager');
    services.add('secretsmanager');

    edge.registerJsonService(new LogsService(logs, context), 'logs', { service: 'CloudWatchLogs' });
    edge.registerQueryService(new CloudFormationQueryService(deployments));
    for (const r of apiGatewayV2Routes(deployments)) edge.addRoute(r);
    for (const r of schemasRoutes(deployments, context)) edge.addRoute(r);
    services.add('logs').add('cloudformation').add('apigateway').add('schemas');

    const cognito = new CognitoService(context);
    edge.registerJsonService(cognito, 'cognito-idp', { service: 'Cognito' });
    for (const r of wellKnownRoutes(cognito, endpoint)) edge.addRoute(r);
    edge.registerJsonService(new KmsService(context, iam), 'kms', { service: 'KMS' });
    services.add('cognito-idp').add('kms');

    const s3 = new S3Service(context, opts.s3);
    edge.registerStreamingService(s3);
    stoppers.push(() => s3.stop());
    services.add('s3');

    let dynamodbEndpoint: string | undefined;
    let dynamodbMs = 0;
    const tableWrites = new TableWrites();
    const capacity = new CapacityMeter();
    if (opts.dynamodb ?? true) {
      const t = Date.now();
      const ddb = await DynamoDbLocal.start({ persistDir: opts.persistDir });
      stoppers.push(() => ddb.stop());
      dynamodbMs = Date.now() - t;
      dynamodbEndpoint = ddb.endpoint;
      const forwarder = new DynamoDbForwarder(ddb, context, tableWrites, capacity);
      stoppers.push(() => forwarder.close());
      for (const p of forwarder.services()) edge.registerProxy(p);
      services.add('dynamodb').add('dynamodbstreams');
    } else {
      for (const p of withoutDynamoDb()) edge.registerProxy(p);
    }

    const startedAt = new Date().toISOString();
    for (const r of localRoutes(recorder, () => ({
      status: 'ok',
      endpoint,
      accountId,
      region,
      services: [...services],
      startedAt,
    }))) {
      edge.addRoute(r);
    }
    for (const r of faultRoutes(faults)) edge.addRoute(r);
    const localConsole = new LocalConsole({ endpoint, recorder, sqs, logs, deployments, faults });
    edge.registerStreamingService(localConsole);
    stoppers.push(() => localConsole.stop());

    let stopping: Promise<void> | undefined;
    return {
      endpoint,
      port: bound,
      context,
      sqs,
      events,
      dynamodbEndpoint,
      tableWrites,
      capacity,
      startup: { totalMs: Date.now() - started, dynamodbMs },
      faults,
      logs,
      deployments,
      iam,
      s3,
      clock,
      scheduler,
      console: localConsole,
      registerJsonService: (svc, signingName) => {
        edge.registerJsonService(svc, signingName);
        services.add(signingName);
      },
      addRoute: (route) => edge.addRoute(route),
      stop: () => (stopping ??= stop()),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Answers DynamoDB calls on a cloud started with `dynamodb: false`, saying so. */
function withoutDynamoDb(): ProxyService[] {
  return ['DynamoDB_20120810', 'DynamoDBStreams_20120810'].map((targetPrefix) => ({
    service: targetPrefix.split('_')[0]!,
    targetPrefix,
    signingName: 'dynamodb',
    forward: () =>
      Promise.reject(
        new AwsError(
          'ServiceUnavailable',
          'This local cloud was started without DynamoDB (dynamodb: false); start it with DynamoDB to use tables.',
          503,
        ),
      ),
  }));
}

function portFromEnv(): number | undefined {
  const v = process.env['LOCAL_CLOUD_PORT'];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`LOCAL_CLOUD_PORT must be a port number from 0 to 65535; received '${v}'.`);
  }
  return n;
}

function checkOptions(port: number, accountId: string, region: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `port must be an integer from 0 to 65535 (0 picks a free port); received ${port}.`,
    );
  }
  if (!/^\d{12}$/.test(accountId)) {
    throw new Error(`accountId must be 12 digits, like 000000000000; received '${accountId}'.`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new Error(`region must look like us-east-1; received '${region}'.`);
  }
}

/** The host clients should use: a wildcard bind is reached through loopback. */
function endpointHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
