import { AwsError } from '../core/errors.js';
import type { EdgeResponse } from './http.js';

/** Anything thrown that is not an AwsError is our bug: answer as AWS does for its own faults. */
export function asAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  console.error('[local-cloud] internal error:', err);
  const message = err instanceof Error ? err.message : String(err);
  return new AwsError('InternalFailure', `Local cloud internal error: ${message}`, 500);
}

export interface JsonErrorOptions {
  contentType: string;
  requestId: string;
  /** Prefix for `__type`, e.g. `com.amazonaws.sqs#` (SDKs strip it; AWS sends it for some services). */
  namespace?: string;
  /** Send `x-amzn-query-error` so query-compatible clients (SQS) see the query error code. */
  queryCompatible?: boolean;
}

/** An error in the AWS JSON 1.0/1.1 (and REST-JSON) shape: `__type` + `message`. */
export function jsonError(err: AwsError, o: JsonErrorOptions): EdgeResponse {
  const headers: Record<string, string> = {
    'content-type': o.contentType,
    'x-amzn-requestid': o.requestId,
    'x-amzn-errortype': err.code,
  };
  if (o.queryCompatible) {
    headers['x-amzn-query-error'] = `${err.queryCode ?? err.code};${fault(err)}`;
  }
  const body = JSON.stringify({ __type: `${o.namespace ?? ''}${err.code}`, message: err.message });
  return { status: err.status, headers, body };
}

/** An error in the query protocol's XML shape (`<ErrorResponse>`). */
export function queryError(err: AwsError, requestId: string, xmlns: string): EdgeResponse {
  const body =
    `<?xml version="1.0"?><ErrorResponse xmlns="${xmlns}"><Error><Type>${fault(err)}</Type>` +
    `<Code>${xmlEscape(err.queryCode ?? err.code)}</Code><Message>${xmlEscape(err.message)}</Message>` +
    `<Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    status: err.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  };
}

function fault(err: AwsError): 'Sender' | 'Receiver' {
  return err.status >= 500 ? 'Receiver' : 'Sender';
}

// Characters XML 1.0 cannot carry at all; AWS never sends them either.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#xD;');
}
