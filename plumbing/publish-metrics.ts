import type { Metrics } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';

/**
 * Powertools' `logMetrics` middleware, minus its warning: it publishes after
 * every invocation and warns "No application metrics to publish" when the
 * handler recorded none, which most HTTP reads rightly do. This one captures the
 * cold-start metric the same way, and publishes only when a metric was stored;
 * otherwise it just clears the invocation's dimensions and metadata, as a
 * publish would. (`throwOnEmptyMetrics` is the opposite: it turns the warning into an error.)
 */
export function publishMetrics(metrics: Metrics): middy.MiddlewareObj {
  const flush = () => {
    if (metrics.hasStoredMetrics()) {
      metrics.publishStoredMetrics();
    } else {
      metrics.clearDimensions();
      metrics.clearMetadata();
    }
  };
  return {
    before: (request) => metrics.captureColdStartMetric(request.context.functionName),
    after: flush,
    onError: flush,
  };
}
