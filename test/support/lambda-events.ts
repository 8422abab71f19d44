/** Lambda events as AWS hands them over, for handler tests of every service. */
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import type { DomainEvent } from '#events/contract.js';

export const context = {
  awsRequestId: 'req-ctx',
  functionName: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/**
 * The JWT authorizer's claims as API Gateway hands them to the function:
 * strings, `cognito:groups` rendered `[a b]`.
 */
export function jwtClaims(sub: string, groups: readonly string[] = []): Record<string, string> {
  return {
    sub,
    token_use: 'access',
    client_id: 'client-1',
    ...(groups.length > 0 && { 'cognito:groups': `[${groups.join(' ')}]` }),
  };
}
export const customerClaims = (sub: string) => jwtClaims(sub);
export const operatorClaims = (sub = 'operator-1') => jwtClaims(sub, ['operators']);

/** An HTTP API (payload 2.0) request as API Gateway hands it over: headers lower-cased. */
export function httpEvent(request: {
  method: string;
  path: string;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  body?: unknown;
  /** The authorizer's claims; none for a route without the authorizer. */
  claims?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${request.method} ${request.path}`,
    rawPath: request.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...request.headers },
    pathParameters: request.pathParameters,
    queryStringParameters: request.queryStringParameters,
    body:
      request.body === undefined
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      http: { method: request.method, path: request.path },
      ...(request.claims && { authorizer: { jwt: { claims: request.claims, scopes: null } } }),
    },
  } as unknown as APIGatewayProxyEventV2;
}

/** What EventBridge puts in an SQS body for an event. */
export function busMessage(event: DomainEvent) {
  return {
    version: '0',
    id: `bus-${event.detail.metadata.eventId}`,
    source: event.source,
    'detail-type': event.detailType,
    account: '123456789012',
    time: event.detail.metadata.occurredAt,
    region: 'us-east-1',
    resources: [],
    detail: event.detail,
  };
}

export function sqsEvent(...bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `msg-${i}`,
      receiptHandle: `rh-${i}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:subscription',
      awsRegion: 'us-east-1',
    })),
  };
}

export function parseJson(body: string | undefined): Record<string, unknown> {
  return JSON.parse(body ?? 'null') as Record<string, unknown>;
}
