/**
 * Lambda proxy integration, payload format 2.0: the event API Gateway builds
 * from an HTTP request, and how it maps the function's result to a response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface ProxyRequest {
  readonly method: string;
  /** As received: path and query string, percent-encoded. */
  readonly url: string;
  /** Raw header pairs in order (node's `req.rawHeaders` paired up). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
}

export interface ProxyContext {
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
  readonly stage: string;
  readonly stageVariables?: Record<string, string>;
  readonly apiId: string;
  readonly accountId: string;
  readonly requestId: string;
  readonly now?: Date;
  /** What a JWT authorizer passes on: `requestContext.authorizer.jwt`. */
  readonly authorizer?: {
    readonly jwt: { claims: Record<string, string>; scopes: string[] | null };
  };
}

/** Bodies API Gateway passes as text; every other content type (or none) is base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript'
  );
}

/** API Gateway's request ids look like `JKJaXmPLvHcESHA=`. */
export function apiRequestId(): string {
  return randomBytes(10).toString('base64');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`. */
export function requestTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function buildEvent(req: ProxyRequest, ctx: ProxyContext): APIGatewayProxyEventV2 {
  const now = ctx.now ?? new Date();
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQueryString = q < 0 ? '' : req.url.slice(q + 1);

  // Duplicate headers are joined with commas; cookies go to their own field.
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of req.headers) {
    const key = name.toLowerCase();
    if (key === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  const host = headers['host'] ?? 'localhost';
  headers['x-forwarded-for'] ??= req.sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= host.includes(':') ? host.split(':').pop()! : '80';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString))
    query[k] = k in query ? `${query[k]},${v}` : v;

  const hasBody = req.body.length > 0;
  const text = isTextContentType(headers['content-type']);
  const domainName = host.split(':')[0]!;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: ctx.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: req.method,
        path: rawPath,
        protocol: req.protocol,
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: ctx.requestId,
      routeKey: ctx.routeKey,
      stage: ctx.stage,
      time: requestTime(now),
      timeEpoch: now.getTime(),
      ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
    },
    ...(hasBody ? { body: text ? req.body.toString('utf8') : req.body.toString('base64') } : {}),
    ...(Object.keys(ctx.pathParameters).length ? { pathParameters: ctx.pathParameters } : {}),
    isBase64Encoded: hasBody && !text,
    ...(ctx.stageVariables && Object.keys(ctx.stageVariables).length
      ? { stageVariables: ctx.stageVariables }
      : {}),
  };
  return event;
}

export interface ProxyResponse {
  readonly status: number;
  /** Header pairs; `set-cookie` may repeat. */
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

export const jsonMessage = (status: number, message: string): ProxyResponse => ({
  status,
  headers: [['content-type', 'application/json']],
  body: Buffer.from(JSON.stringify({ message })),
});

const scalar = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Maps a function's JSON result as API Gateway does for format 2.0. A result
 * with `statusCode` is the full form; anything else is the body of a 200 JSON
 * response. A malformed full form is a 500, as in AWS.
 */
export function mapResult(payload: string): ProxyResponse {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return jsonMessage(500, 'Internal Server Error');
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject || !('statusCode' in (value as object))) {
    const body = typeof value === 'string' ? value : payload;
    return {
      status: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(body),
    };
  }
  const r = value as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown>;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599)
    return jsonMessage(500, 'Internal Server Error');
  const headers: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(r.headers ?? {}))
    if (v !== null && v !== undefined) headers.push([k, scalar(v)]);
  for (const [k, vs] of Object.entries(r.multiValueHeaders ?? {})) {
    if (!Array.isArray(vs)) continue;
    const existing = headers.findIndex(([h]) => h.toLowerCase() === k.toLowerCase());
    if (existing >= 0) headers.splice(existing, 1);
    for (const v of vs) headers.push([k, scalar(v)]);
  }
  if (Array.isArray(r.cookies)) for (const c of r.cookies) headers.push(['set-cookie', scalar(c)]);
  if (!headers.some(([h]) => h.toLowerCase() === 'content-type'))
    headers.push(['content-type', 'text/plain; charset=utf-8']);
  const rawBody = r.body === undefined || r.body === null ? '' : scalar(r.body);
  const body = r.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody);
  return { status, headers, body };
}
