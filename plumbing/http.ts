import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import { describeIssues } from '#events/contract.js';
import { logger, withCorrelation } from './powertools.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Largest request body any route accepts; API Gateway itself allows 10 MB. */
export const MAX_BODY_BYTES = 64 * 1024;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  } satisfies HttpResult;
}

/** One problem shape for every 4xx: what was wrong, where, and what to do. */
export function problem(
  statusCode: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return json(statusCode, { error, message, ...extra });
}

/** Thrown by handlers to answer a 4xx; `httpHandler` turns it into the problem response. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function validationError(where: string, error: z.ZodError): HttpError {
  const fields = error.issues.map((i) => ({
    field: i.path.map(String).join('.') || '(root)',
    problem: i.message,
  }));
  return new HttpError(
    400,
    'ValidationError',
    `Invalid ${where}: ${describeIssues(error).join('; ')}`,
    { fields },
  );
}

/** Reads and validates a JSON body. Throws HttpError(400/413/415) naming the problem. */
export function parseBody<S extends z.ZodType>(event: HttpEvent, schema: S): z.infer<S> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new HttpError(
      413,
      'PayloadTooLarge',
      `Request body is ${Buffer.byteLength(text)} bytes; the limit is ${MAX_BODY_BYTES}.`,
    );
  }
  const contentType = event.headers?.['content-type'] ?? '';
  if (contentType && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `Content-Type is "${contentType}"; send application/json.`,
    );
  }
  if (text.trim() === '') {
    throw new HttpError(400, 'ValidationError', 'Request body is empty; send a JSON object.', {
      fields: [{ field: '(body)', problem: 'required' }],
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      'MalformedJson',
      `Request body is not valid JSON (${(error as Error).message}); send a JSON object.`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError('request body', parsed.error);
  return parsed.data;
}

/** Validates path parameters (or any other input part) with a schema. */
export function parseParams<S extends z.ZodType>(
  params: unknown,
  schema: S,
  where = 'path parameters',
): z.infer<S> {
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw validationError(where, parsed.error);
  return parsed.data;
}

/**
 * Wraps a route handler: correlation id on every log line (the request id, or
 * the X-Correlation-Id header), 4xx from HttpError, and a 500 that names the
 * request id (never the internals) for anything unexpected.
 */
export function httpHandler(fn: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const correlationId = event.headers?.['x-correlation-id'] ?? requestId;
    return withCorrelation({ correlationId }, async () => {
      try {
        return await fn(event, context);
      } catch (error) {
        if (error instanceof HttpError) {
          logger.info('Request rejected', { status: error.statusCode, reason: error.message });
          return problem(error.statusCode, error.error, error.message, error.extra);
        }
        logger.error('Request failed', { error });
        return problem(
          500,
          'InternalError',
          `The request failed on our side; retry it, and quote request id ${requestId} if it persists.`,
          { requestId },
        );
      }
    });
  };
}

/** The operators group of the user pool: catalog, stock and cross-customer access. */
export const OPERATORS_GROUP = 'operators';

/** Who is calling, as the HTTP API's JWT authorizer verified it. */
export interface Caller {
  /** The token's subject: a customer's id. */
  readonly sub: string;
  readonly groups: readonly string[];
  readonly isOperator: boolean;
}

/**
 * The JWT authorizer hands claims over as strings; an array claim such as
 * `cognito:groups` arrives rendered as `[a b]` (or as a JSON array, or one
 * bare name). Reads all three.
 */
export function parseGroupsClaim(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const text = raw.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // API Gateway's rendering, not JSON: `[a b]`.
    }
    return text
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return text ? text.split(/[\s,]+/) : [];
}

/**
 * The caller from the authorizer's claims. A route behind the authorizer
 * always has them; without them the route was deployed without it, which is
 * answered 401 rather than served to an unknown caller.
 */
export function callerOf(event: HttpEvent): Caller {
  const claims = (
    event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }
  ).authorizer?.jwt?.claims;
  const sub = claims?.['sub'];
  if (typeof sub !== 'string' || sub === '') {
    throw new HttpError(
      401,
      'Unauthorized',
      'This route needs a signed-in caller: send Authorization: Bearer <access token> from the user pool.',
    );
  }
  const groups = parseGroupsClaim(claims?.['cognito:groups']);
  return { sub, groups, isOperator: groups.includes(OPERATORS_GROUP) };
}

/** Operators only: a 403 naming the group needed. */
export function requireOperator(caller: Caller, what: string): void {
  if (caller.isOperator) return;
  throw new HttpError(
    403,
    'Forbidden',
    `${what} needs the ${OPERATORS_GROUP} group; sign in as an operator.`,
    { requiredGroup: OPERATORS_GROUP },
  );
}

/** A customer may see their own records; an operator anyone's. */
export function mayAccess(caller: Caller, ownerId: string | undefined): boolean {
  return caller.isOperator || (ownerId !== undefined && ownerId === caller.sub);
}
