import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  GraphWidgetView,
  MathExpression,
  SingleValueWidget,
  TextWidget,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OutboxPublisher } from './outbox-publisher.js';
import {
  busWideRuleMetric,
  METRIC_PERIOD,
  ruleMetric,
  SAGA_SERVICE,
  serviceMetric,
  SHOP_METRICS,
} from './shop-metrics.js';
import type { Subscription } from './subscription.js';

/** What the dashboard shows of one service: its subscriptions and outbox publishers. */
export interface WatchedService {
  readonly service: string;
  readonly subscriptions: readonly Subscription[];
  readonly publishers: readonly OutboxPublisher[];
  /** Other dead-letter queues (e.g. of the order deadlines), graphed with the rest. */
  readonly deadLetterQueues?: readonly { label: string; queue: IQueue }[];
  /** Other consumers of a table stream, graphed with the publishers' iterator age. */
  readonly streamConsumers?: readonly { label: string; fn: IFunction }[];
}

export interface SagaDashboardProps {
  readonly bus: IEventBus;
  readonly services: readonly WatchedService[];
  /** The values of OrdersCancelled's `reason` dimension, one line each. */
  readonly cancellationReasons: readonly string[];
  /** Drawn as a line on the iterator-age graph. @default Duration.seconds(60) */
  readonly publisherMaxIteratorAge?: Duration;
}

const FULL = 24;
const THIRD = 8;
const HALF = 12;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard for the order saga: first the business (orders
 * placed, confirmed, cancelled by reason, time to settle), then the plumbing
 * that carries it (queues, dead letters, consumers, outbox publishers, bus
 * deliveries), so a dip in confirmations can be followed to its cause.
 */
export class SagaDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: SagaDashboardProps) {
    super(scope, id);
    const subscriptions = props.services.flatMap((s) =>
      s.subscriptions.map((subscription) => ({ service: s.service, subscription })),
    );
    const publishers = props.services.flatMap((s) =>
      s.publishers.map((publisher) => ({ service: s.service, publisher })),
    );
    const maxIteratorAge = props.publisherMaxIteratorAge ?? Duration.seconds(60);

    const saga = (name: string, label: string, extra: Record<string, string> = {}) =>
      serviceMetric(SAGA_SERVICE, name, { label, dimensionsMap: extra });
    const placed = saga(SHOP_METRICS.ordersPlaced, 'placed');
    const confirmed = saga(SHOP_METRICS.ordersConfirmed, 'confirmed');
    const byReason = props.cancellationReasons.map((reason) =>
      saga(SHOP_METRICS.ordersCancelled, reason, { reason }),
    );
    const cancelled = sumOf(byReason, 'cancelled');
    const settle = (statistic: string) =>
      serviceMetric(SAGA_SERVICE, SHOP_METRICS.orderSettleTime, {
        statistic,
        label: `${statistic} time to settle`,
      });

    const rows: IWidget[][] = [
      [
        new TextWidget({
          width: FULL,
          height: 2,
          markdown: [
            '# Shop: the order saga',
            `Orders (namespace \`Shop\`, service \`${SAGA_SERVICE}\`), then what carries them. Alarms go to the platform's alarm topic; dead letters: \`npm run dlq -- list\`; one order's path: \`npm run trace -- <orderId>\`.`,
          ].join('\n\n'),
        }),
      ],
      [
        new SingleValueWidget({
          title: 'Orders over the selected time range',
          width: FULL,
          height: 4,
          metrics: [placed, confirmed, cancelled, settle('p95')],
          setPeriodToTimeRange: true,
        }),
      ],
      [
        graph('Orders placed, confirmed, cancelled', [placed, confirmed, cancelled]),
        graph('Orders cancelled by reason', byReason, { stacked: true }),
        graph('Time to settle (ms, placed to confirmed or cancelled)', [
          settle('p50'),
          settle('p95'),
          settle('p99'),
        ]),
      ],
      [
        graph(
          'Subscription queues: messages waiting',
          subscriptions.map(({ service, subscription }) =>
            subscription.queue.metricApproximateNumberOfMessagesVisible({
              statistic: 'Maximum',
              period: METRIC_PERIOD,
              label: service,
            }),
          ),
        ),
        graph(
          'Subscription queues: oldest message (s)',
          subscriptions.map(({ service, subscription }) =>
            subscription.queue.metricApproximateAgeOfOldestMessage({
              statistic: 'Maximum',
              period: METRIC_PERIOD,
              label: service,
            }),
          ),
        ),
        graph('Dead letters (every dead-letter queue)', [
          ...subscriptions.map(({ service, subscription }) =>
            subscription.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              statistic: 'Maximum',
              period: METRIC_PERIOD,
              label: `${service} subscription`,
            }),
          ),
          ...publishers.map(({ service, publisher }) =>
            publisher.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              statistic: 'Maximum',
              period: METRIC_PERIOD,
              label: `${service} publisher`,
            }),
          ),
          ...props.services.flatMap((s) =>
            (s.deadLetterQueues ?? []).map(({ label, queue }) =>
              queue.metricApproximateNumberOfMessagesVisible({
                statistic: 'Maximum',
                period: METRIC_PERIOD,
                label: `${s.service} ${label}`,
              }),
            ),
          ),
        ]),
      ],
      [
        graph(
          'Consumers: errors and throttles',
          subscriptions.flatMap(({ service, subscription }) => [
            subscription.consumer.metricErrors({
              statistic: 'Sum',
              period: METRIC_PERIOD,
              label: `${service} errors`,
            }),
            subscription.consumer.metricThrottles({
              statistic: 'Sum',
              period: METRIC_PERIOD,
              label: `${service} throttles`,
            }),
          ]),
        ),
        graph(
          'Outbox publishers: iterator age (ms)',
          [
            ...publishers.map(({ service, publisher }) =>
              publisher.function.metric('IteratorAge', {
                statistic: 'Maximum',
                period: METRIC_PERIOD,
                label: service,
              }),
            ),
            ...props.services.flatMap((s) =>
              (s.streamConsumers ?? []).map(({ label, fn }) =>
                fn.metric('IteratorAge', {
                  statistic: 'Maximum',
                  period: METRIC_PERIOD,
                  label: `${s.service} ${label}`,
                }),
              ),
            ),
          ],
          { leftAnnotation: { value: maxIteratorAge.toMilliseconds(), label: 'alarm' } },
        ),
        graph(
          'Outbox publishers: entries published vs failed',
          publishers.flatMap(({ service }) => [
            serviceMetric(service, SHOP_METRICS.outboxPublished, { label: `${service} published` }),
            serviceMetric(service, SHOP_METRICS.outboxPublishFailed, {
              label: `${service} failed`,
            }),
          ]),
        ),
      ],
      [
        graph(
          'Bus deliveries per subscription: invocations vs failed',
          subscriptions.flatMap(({ service, subscription }) => [
            ruleMetric(props.bus, subscription.rule, 'Invocations', { label: `${service}` }),
            ruleMetric(props.bus, subscription.rule, 'FailedInvocations', {
              label: `${service} failed`,
            }),
          ]),
          { width: HALF },
        ),
        graph(
          'Bus deliveries, every rule (replays included)',
          [
            busWideRuleMetric(props.bus, 'Invocations', 'invocations'),
            busWideRuleMetric(props.bus, 'FailedInvocations', 'failed'),
            busWideRuleMetric(props.bus, 'InvocationsSentToDlq', 'sent to a dead-letter queue'),
            busWideRuleMetric(props.bus, 'InvocationsFailedToBeSentToDlq', 'lost'),
          ],
          { width: HALF },
        ),
      ],
    ];

    // No dashboardName: CloudFormation generates one (see the stack's outputs).
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: rows,
    });
  }
}

function graph(
  title: string,
  left: IMetric[],
  options: {
    stacked?: boolean;
    width?: number;
    leftAnnotation?: { value: number; label: string };
  } = {},
): GraphWidget {
  return new GraphWidget({
    title,
    left,
    width: options.width ?? THIRD,
    height: HEIGHT,
    view: GraphWidgetView.TIME_SERIES,
    stacked: options.stacked ?? false,
    leftAnnotations: options.leftAnnotation ? [options.leftAnnotation] : undefined,
  });
}

/** The sum of several counts; a missing point (no such event that minute) counts as 0. */
function sumOf(metrics: IMetric[], label: string): IMetric {
  if (metrics.length === 0) throw new Error(`SagaDashboard: nothing to add up for "${label}".`);
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`m${i}`, m]));
  return new MathExpression({
    expression: Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics,
    label,
    period: METRIC_PERIOD,
  });
}
