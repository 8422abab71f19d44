import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The one place Logger and Metrics are set up for every function (traces need
 * no code: ADR 20).
 * Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_METRICS_NAMESPACE, which the CDK subscription/API constructs set.
 */
export const logger = new Logger();
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Shop',
});

/** Keys put on every log line while one event (or request) is handled. */
export function withCorrelation<T>(
  keys: { correlationId: string; eventId?: string; detailType?: string },
  fn: () => Promise<T>,
): Promise<T> {
  logger.appendKeys(keys);
  return fn().finally(() => logger.removeKeys(Object.keys(keys)));
}
