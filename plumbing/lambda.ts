import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools.js';
import { publishMetrics } from './publish-metrics.js';

/**
 * Every entry point goes through this: Lambda context on log lines, a trace
 * segment per invocation, metrics flushed (with the cold-start metric) at the
 * end when the invocation recorded any.
 */
export function instrument<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(publishMetrics(metrics));
}
