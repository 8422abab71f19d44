import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from './powertools.js';
import { publishMetrics } from './publish-metrics.js';

/**
 * Every entry point goes through this: Lambda context on log lines, metrics
 * flushed (with the cold-start metric) at the end when the invocation recorded
 * any. Traces are Lambda's own (active tracing) and follow the trace header the
 * SDK sends on, through the bus and the queues; no X-Ray SDK runs in a function
 * (docs/adr/0020-traces-without-the-xray-sdk.md).
 */
export function instrument<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler).use(injectLambdaContext(logger)).use(publishMetrics(metrics));
}
