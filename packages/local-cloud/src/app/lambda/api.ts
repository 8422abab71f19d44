/**
 * Lambda's REST API on the edge, as much of it as `aws lambda invoke`,
 * `list-functions` and `get-function` need: the same paths, headers and
 * error shapes as AWS (rest-json: `x-amzn-ErrorType` + `{Type, message}`).
 */
import { ThrottledError, type LocalFunction } from './function.js';
import type { LambdaService } from './service.js';

export interface ApiRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Paths this module answers; the edge routes them here. */
export const LAMBDA_API_PATH = /^\/2015-03-31\/functions(?:\/|$)/;

const header = (req: ApiRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

function error(status: number, type: string, message: string, extra: object = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: 'User', message, ...extra }),
  };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value),
  };
}

export async function handleLambdaApi(
  service: LambdaService,
  req: ApiRequest,
): Promise<ApiResponse> {
  const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent); // ['2015-03-31','functions',name?,action?]
  const [, , name, action] = parts;
  if (!name && req.method === 'GET') {
    return json(200, { Functions: service.list().map((f) => configuration(service, f)) });
  }
  if (!name)
    return error(404, 'ResourceNotFoundException', `No route for ${req.method} ${req.path}`);
  const fn = service.find(name);
  if (!fn)
    return error(
      404,
      'ResourceNotFoundException',
      `Function not found: ${name.startsWith('arn:') ? name : service.functionArn(name)}`,
    );
  if (req.method === 'POST' && action === 'invocations') return invoke(service, fn, req);
  if (req.method === 'GET' && action === undefined)
    return json(200, {
      Configuration: configuration(service, fn),
      Code: { RepositoryType: 'S3', Location: `file://${fn.config.taskRoot}` },
    });
  if (req.method === 'GET' && action === 'configuration')
    return json(200, configuration(service, fn));
  return error(
    400,
    'InvalidParameterValueException',
    `${req.method} ${req.path} is not supported by the local Lambda (Invoke, GetFunction, GetFunctionConfiguration and ListFunctions are)`,
  );
}

async function invoke(
  service: LambdaService,
  fn: LocalFunction,
  req: ApiRequest,
): Promise<ApiResponse> {
  const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  let event: unknown = {};
  const text = req.body.toString('utf8');
  if (text.trim() !== '') {
    try {
      event = JSON.parse(text);
    } catch (e) {
      return error(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(e as Error).message}`,
      );
    }
  }
  if (type === 'DryRun') return { status: 204, headers: {}, body: '' };
  if (type === 'Event') {
    service.invokeAsync(fn, event);
    return { status: 202, headers: { 'x-amzn-requestid': crypto.randomUUID() }, body: '' };
  }
  if (type !== 'RequestResponse')
    return error(
      400,
      'InvalidParameterValueException',
      `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun; received ${type}`,
    );
  const clientContext = header(req, 'x-amz-client-context');
  try {
    const outcome = await fn.invoke(event, {
      wait: fn.config.reservedConcurrency === undefined,
      clientContext: clientContext
        ? JSON.parse(Buffer.from(clientContext, 'base64').toString('utf8'))
        : undefined,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      'x-amzn-requestid': outcome.requestId,
    };
    if (outcome.ok) return { status: 200, headers, body: outcome.payload };
    return {
      status: 200,
      headers: { ...headers, 'x-amz-function-error': 'Unhandled' },
      body: JSON.stringify(outcome.error),
    };
  } catch (e) {
    if (e instanceof ThrottledError)
      return error(429, 'TooManyRequestsException', 'Rate Exceeded.', {
        Reason: e.reason,
        retryAfterSeconds: '',
      });
    throw e;
  }
}

function configuration(service: LambdaService, fn: LocalFunction) {
  const c = fn.config;
  return {
    FunctionName: c.functionName,
    FunctionArn: c.functionArn,
    Runtime: c.runtime,
    Role: `arn:aws:iam::${service.accountId}:role/${c.functionName}-role`,
    Handler: c.handler,
    Timeout: c.timeoutSeconds,
    MemorySize: c.memorySize,
    Version: '$LATEST',
    Environment: { Variables: c.environment },
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    LoggingConfig: {
      LogFormat: c.logFormat ?? 'Text',
      LogGroup: fn.logGroupName,
      ...(c.logFormat === 'JSON' && { SystemLogLevel: c.systemLogLevel ?? 'INFO' }),
    },
  };
}
