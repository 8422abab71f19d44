import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel as EsbuildLogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { dirname, join, relative, sep } from 'node:path';
import type { Construct } from 'constructs';
import { depsLockFilePath, projectRoot } from '../paths.js';
import { sourceHash } from './source-hash.js';

/** Powertools log levels the plumbing understands. */
export type ServiceLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** CloudWatch namespace of every service's Powertools metrics. */
export const METRICS_NAMESPACE = 'Shop';

/**
 * ESM output runs CommonJS dependencies that call `require()` only if a
 * `require` exists; esbuild's ESM bundles do not define one, so give them Node's.
 * The alias avoids clashing with a bundled `createRequire` import.
 */
export const ESM_REQUIRE_SHIM =
  "import { createRequire as __shopCreateRequire } from 'node:module'; const require = __shopCreateRequire(import.meta.url);";

/**
 * esbuild options of every function's bundle, the one place they are set:
 * bench/bundles.ts builds the same bundles from them to weigh and time.
 */
export const SERVICE_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  // Prefer packages' ESM builds so tree shaking works on them.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  minify: true,
  sourceMap: true,
  // Linked (a sourceMappingURL comment): --enable-source-maps finds the map by it.
  sourceMapMode: SourceMapMode.DEFAULT,
  // Stack traces need names and lines, not the sources: keeps the asset small.
  sourcesContent: false,
  externalModules: [],
  logLevel: EsbuildLogLevel.ERROR,
} satisfies BundlingOptions;

export interface ServiceFunctionProps {
  /** The service the function belongs to (POWERTOOLS_SERVICE_NAME), e.g. `orders`. */
  readonly service: string;
  /** Absolute path of the TypeScript entry point; it must export `handler`. */
  readonly entry: string;
  /** Shown in the console next to the generated function name. @default - none */
  readonly description?: string;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 512 (MB; also buys CPU, which shortens cold starts of the bundled SDK) */
  readonly memorySize?: number;
  /** Added to the defaults (POWERTOOLS_*, NODE_OPTIONS). @default - none */
  readonly environment?: Record<string, string>;
  /** POWERTOOLS_LOG_LEVEL. @default 'INFO' */
  readonly logLevel?: ServiceLogLevel;
  /** How long the function's log group keeps logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Files and folders the bundle is built from, besides node_modules (pinned by
   * the lock file): their contents fingerprint the bundle, and an unchanged
   * fingerprint reuses the bundle already in cdk.out instead of running esbuild.
   * @default - for `functions/<service>/...` entries: that service's folder,
   *   `plumbing/` and `events/` (the only code a handler may import); for any
   *   other entry: its own folder
   */
  readonly sourcePaths?: readonly string[];
}

/** What a handler may import (dependency rules forbid the rest): its service, plumbing, events. */
function defaultSourcePaths(entry: string): string[] {
  const [top, service] = relative(projectRoot, entry).split(sep);
  if (top === 'functions' && service) {
    return [join(projectRoot, 'functions', service), ...SHARED_SOURCES];
  }
  return [dirname(entry)];
}

const TSCONFIG = join(projectRoot, 'tsconfig.json');
const SHARED_SOURCES = [join(projectRoot, 'plumbing'), join(projectRoot, 'events')];

/**
 * A Lambda function of one of our services: Node.js 22 on ARM, bundled by
 * esbuild into one minified ESM file with source maps and every dependency
 * (the AWS SDK included: versions pinned by our lock file, and the local cloud
 * runs the bundle without node_modules), X-Ray tracing, and its own log group.
 * Its role starts empty (no AWSLambdaBasicExecutionRole, whose log actions are
 * on `*`): it may write to its own log group and nothing else until granted.
 */
export class ServiceFunction extends NodejsFunction {
  /** The function's timeout (always set, unlike `Function.timeout`). */
  public override readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const timeout = props.timeout ?? Duration.seconds(10);
    const bundling = SERVICE_BUNDLING;
    const assetHash = sourceHash(
      projectRoot,
      [...(props.sourcePaths ?? defaultSourcePaths(props.entry)), depsLockFilePath, TSCONFIG],
      JSON.stringify({ entry: relative(projectRoot, props.entry), bundling }),
    );
    // Logs are not business state and their retention already bounds them, so they go with the stack.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    // Lambda creates the function's log stream and writes to it; the group already exists.
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout,
      memorySize: props.memorySize ?? 512,
      tracing: Tracing.ACTIVE,
      logGroup,
      // The service's START / END / REPORT records are INFO: about 300 bytes an invocation
      // that duration metrics and traces already carry. WARN keeps the log to what the code writes
      // (Powertools' JSON lines, at POWERTOOLS_LOG_LEVEL) and the service's warnings.
      loggingFormat: LoggingFormat.JSON,
      systemLogLevelV2: SystemLogLevel.WARN,
      projectRoot,
      depsLockFilePath,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: { ...bundling, assetHash },
    });
    this.timeout = timeout;
    // Tracing ACTIVE puts X-Ray's actions on `*` into the role's default policy;
    // test/infra/app.test.ts fails any other action granted on `*`.
    const defaultPolicy = role.node.findChild('DefaultPolicy');
    Validations.of(defaultPolicy.node.defaultChild ?? defaultPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "X-Ray's PutTraceSegments and PutTelemetryRecords (tracing: ACTIVE) have no resource-level permissions.",
    });
  }
}
