import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus, IRule } from 'aws-cdk-lib/aws-events';
import { METRICS_NAMESPACE } from './service-function.js';

/**
 * The metric names the alarms and the dashboard read, and the code that emits
 * them (Powertools EMF, namespace `Shop`, dimension `service` =
 * POWERTOOLS_SERVICE_NAME). A test checks each name still appears in its
 * emitter, so a rename there cannot silently blank a graph or mute an alarm.
 */
export const SHOP_METRICS = {
  /** Entries put on the bus per publisher invocation (plumbing/publisher.ts). */
  outboxPublished: 'OutboxPublished',
  /** Entries still rejected after the publisher's retries (plumbing/publisher.ts). */
  outboxPublishFailed: 'OutboxPublishFailed',
  /** Orders accepted (functions/orders/handlers/saga-metrics.ts). */
  ordersPlaced: 'OrdersPlaced',
  /** Orders confirmed (functions/orders/handlers/saga-metrics.ts). */
  ordersConfirmed: 'OrdersConfirmed',
  /** Orders cancelled, with dimension `reason` (functions/orders/handlers/saga-metrics.ts). */
  ordersCancelled: 'OrdersCancelled',
  /** Milliseconds from placedAt to CONFIRMED, or to CANCELLED while PENDING. */
  orderSettleTime: 'OrderSettleTime',
} as const;

/** The service whose metrics tell the saga's story. */
export const SAGA_SERVICE = 'orders';

/** Alarms and graphs look at one-minute points: a dead letter shows within minutes. */
export const METRIC_PERIOD = Duration.minutes(1);

/** A Powertools metric of one service. */
export function serviceMetric(
  service: string,
  metricName: string,
  options: MetricOptions & { dimensionsMap?: Record<string, string> } = {},
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    period: METRIC_PERIOD,
    statistic: 'Sum',
    ...options,
    dimensionsMap: { service, ...options.dimensionsMap },
  });
}

/**
 * A metric of one rule on a custom bus. AWS/Events reports rules on custom
 * buses with both dimensions, EventBusName and RuleName (RuleName alone means
 * the default bus). CDK's Rule has no metric helpers, hence this.
 */
export function ruleMetric(
  bus: IEventBus,
  rule: IRule,
  metricName: string,
  options: MetricOptions = {},
): Metric {
  return new Metric({
    namespace: 'AWS/Events',
    metricName,
    period: METRIC_PERIOD,
    statistic: 'Sum',
    ...options,
    dimensionsMap: { EventBusName: bus.eventBusName, RuleName: rule.ruleName },
  });
}

/**
 * One AWS/Events metric summed over every rule on the bus, as a Metrics
 * Insights query: the rules of all service stacks, and the temporary
 * `ops-replay-*` rules the replay tool creates, without naming each one.
 * Alarms cannot use SEARCH(); they can use Metrics Insights.
 */
export function busWideRuleMetric(
  bus: IEventBus,
  metricName: string,
  label: string,
  period: Duration = METRIC_PERIOD,
): MathExpression {
  return new MathExpression({
    expression: `SELECT SUM(${metricName}) FROM SCHEMA("AWS/Events", EventBusName, RuleName) WHERE EventBusName = '${bus.eventBusName}'`,
    usingMetrics: {},
    period,
    label,
  });
}
