import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CliError, UsageError, type Io } from './cli.js';

/** What `GET /_local/health` of the local cloud answers. */
export interface LocalCloudInfo {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
}

export interface TargetFlags {
  readonly 'endpoint-url'?: string;
  readonly profile?: string;
  readonly region?: string;
}

/** Client configuration shared by every SDK client of one run. */
interface ClientConfig {
  endpoint?: string;
  region?: string;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Where the CLI talks to: AWS, or any endpoint speaking its protocols, of which
 * the local cloud is one that also serves `/_local/*` (so it can be told apart
 * by asking it).
 */
export class AwsTarget {
  private readonly clients: { destroy(): void }[] = [];
  private eventsClient?: EventBridgeClient;
  private sqsClient?: SQSClient;
  private lambdaClient?: LambdaClient;
  private logsClient?: CloudWatchLogsClient;
  private dynamodbClient?: DynamoDBClient;
  private cloudFormationClient?: CloudFormationClient;

  constructor(
    private readonly config: ClientConfig,
    /** Set when the endpoint is the local cloud. */
    readonly local: LocalCloudInfo | undefined,
    /** The endpoint in use, when one was given (flag or AWS_ENDPOINT_URL). */
    readonly endpoint: string | undefined,
    /** AWS_ENDPOINT_URL_<SERVICE> overrides, when no --endpoint-url was given. */
    private readonly serviceEndpoints: Readonly<Record<string, string | undefined>> = {},
  ) {}

  private configFor(service: string): ClientConfig {
    const endpoint = this.serviceEndpoints[service];
    return endpoint === undefined ? this.config : { ...this.config, endpoint };
  }

  get events(): EventBridgeClient {
    return (this.eventsClient ??= this.track(new EventBridgeClient(this.configFor('EVENTBRIDGE'))));
  }

  get sqs(): SQSClient {
    return (this.sqsClient ??= this.track(new SQSClient(this.configFor('SQS'))));
  }

  get lambda(): LambdaClient {
    return (this.lambdaClient ??= this.track(new LambdaClient(this.configFor('LAMBDA'))));
  }

  get logs(): CloudWatchLogsClient {
    return (this.logsClient ??= this.track(
      new CloudWatchLogsClient(this.configFor('CLOUDWATCH_LOGS')),
    ));
  }

  get dynamodb(): DynamoDBClient {
    return (this.dynamodbClient ??= this.track(new DynamoDBClient(this.configFor('DYNAMODB'))));
  }

  get cloudFormation(): CloudFormationClient {
    return (this.cloudFormationClient ??= this.track(
      new CloudFormationClient(this.configFor('CLOUDFORMATION')),
    ));
  }

  /** e.g. `the local cloud at http://127.0.0.1:4566` or `AWS (profile prod, eu-west-1)`. */
  describe(): string {
    if (this.local) return `the local cloud at ${this.local.endpoint}`;
    const parts = [
      this.config.profile && `profile ${this.config.profile}`,
      this.config.region ?? 'region from the profile',
    ].filter(Boolean);
    const where = this.endpoint ? `${this.endpoint}` : 'AWS';
    return `${where} (${parts.join(', ')})`;
  }

  destroy(): void {
    for (const c of this.clients.splice(0)) c.destroy();
  }

  private track<T extends { destroy(): void }>(client: T): T {
    this.clients.push(client);
    return client;
  }
}

/**
 * Resolves endpoint, profile, region and credentials as the AWS CLI does:
 * flags first, then AWS_ENDPOINT_URL / AWS_PROFILE / AWS_REGION /
 * AWS_DEFAULT_REGION, then the profile (read by the SDK's default chain,
 * which also handles SSO, credential_process, web identity and instance
 * roles). A profile's endpoint_url is left to the SDK; it does not make the
 * run "local" (pass --endpoint-url or AWS_ENDPOINT_URL for that).
 */
export async function resolveTarget(flags: TargetFlags, io: Io): Promise<AwsTarget> {
  const fromEnv = io.env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] !== 'true';
  const env = (name: string) => (fromEnv ? nonEmpty(io.env[name]) : undefined);
  const endpoint = flags['endpoint-url'] ?? env('AWS_ENDPOINT_URL');
  // As the AWS CLI: --endpoint-url beats AWS_ENDPOINT_URL_<SERVICE>, which beats AWS_ENDPOINT_URL.
  const serviceEndpoints =
    flags['endpoint-url'] !== undefined
      ? {}
      : Object.fromEntries(
          ['EVENTBRIDGE', 'SQS', 'LAMBDA'].map((s) => [s, env(`AWS_ENDPOINT_URL_${s}`)]),
        );
  for (const [name, url] of [
    ['--endpoint-url (or AWS_ENDPOINT_URL)', endpoint],
    ...Object.entries(serviceEndpoints).map(([s, url]) => [`AWS_ENDPOINT_URL_${s}`, url]),
  ] as const) {
    if (url !== undefined && !/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
      throw new UsageError(
        `${name} must be an absolute URL like http://127.0.0.1:4566; received '${url}'.`,
      );
    }
  }
  const profile = flags.profile ?? nonEmpty(io.env['AWS_PROFILE']);
  let region =
    flags.region ?? nonEmpty(io.env['AWS_REGION']) ?? nonEmpty(io.env['AWS_DEFAULT_REGION']);
  const local = endpoint === undefined ? undefined : await probeLocal(endpoint);
  region ??= local?.region;

  const config: ClientConfig = {};
  if (endpoint !== undefined) config.endpoint = endpoint;
  if (region !== undefined) config.region = region;
  if (profile !== undefined) config.profile = profile;
  // The local cloud checks no signatures; spare the operator from configuring fake keys.
  if (local && profile === undefined && !io.env['AWS_ACCESS_KEY_ID']) {
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  return new AwsTarget(config, local, endpoint, serviceEndpoints);
}

/** Asks the endpoint for the local cloud's health page; undefined when it is not one. */
export async function probeLocal(endpoint: string): Promise<LocalCloudInfo | undefined> {
  try {
    const res = await fetch(new URL('/_local/health', endpoint), {
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as Partial<LocalCloudInfo> & { status?: string };
    if (body.status !== 'ok') return undefined;
    return {
      endpoint: endpoint.replace(/\/+$/, ''),
      region: body.region ?? 'us-east-1',
      accountId: body.accountId ?? '000000000000',
    };
  } catch {
    return undefined;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/**
 * Turns SDK and network errors into messages that say what to do. Errors the
 * service answered keep their code and message: those already name the problem.
 */
export function explainAwsError(err: unknown, target: AwsTarget | undefined): unknown {
  if (err instanceof CliError || !(err instanceof Error)) return err;
  const e = err as Error & { code?: string; cause?: { code?: string }; $metadata?: unknown };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message)) {
    return new CliError(
      `No AWS credentials found (${e.message}). Pass --profile NAME or set AWS_PROFILE, or set ` +
        `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; for the local cloud, pass --endpoint-url.`,
    );
  }
  if (/Region is missing/i.test(e.message)) {
    return new UsageError(
      'No region: pass --region R (e.g. eu-west-1), or set AWS_REGION, or use a profile that has one.',
    );
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET') {
    const where = target?.endpoint ?? 'the AWS endpoint';
    return new CliError(
      `Cannot reach ${where} (${code}). If it is the local cloud, start it (npm run cloud or npm start) ` +
        `and pass the endpoint it prints; otherwise check the URL and your network.`,
    );
  }
  if (
    e.name === 'AccessDenied' ||
    e.name === 'AccessDeniedException' ||
    e.name === 'UnauthorizedOperation'
  ) {
    return new CliError(
      `Access denied: ${e.message} The identity in use (${target?.describe() ?? 'default'}) needs ` +
        `that permission; see docs/operations.md for what each command needs.`,
    );
  }
  if (e.$metadata !== undefined) return new CliError(`${e.name}: ${e.message}`);
  return err;
}
