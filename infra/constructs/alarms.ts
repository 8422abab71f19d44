import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IEventBus, IRule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OutboxPublisher } from './outbox-publisher.js';
import { ServiceFunction } from './service-function.js';
import {
  busWideRuleMetric,
  METRIC_PERIOD,
  ruleMetric,
  serviceMetric,
  SHOP_METRICS,
} from './shop-metrics.js';
import type { Subscription } from './subscription.js';

export interface AlarmsProps {
  /** Where every alarm (and its return to OK) is sent: the platform's alarm topic. */
  readonly topic: ITopic;
  /** Who owns these alarms, as their descriptions name it, e.g. `orders`. */
  readonly owner: string;
  /**
   * Age of a dead-letter queue's oldest message that means nobody is handling it.
   * @default Duration.minutes(15)
   */
  readonly deadLetterMaxAge?: Duration;
  /**
   * How far an outbox publisher may lag behind its table stream.
   * @default Duration.seconds(60)
   */
  readonly publisherMaxIteratorAge?: Duration;
}

/** The kind of dead-letter queue: what is in it decides what an operator does. */
export type DeadLetterKind = 'subscription' | 'publisher';

/**
 * The alarms of one stack, all sent to one topic. Every alarm fires on the
 * first bad one-minute point (nothing here is noise: each means a message is
 * stuck, late or lost), treats missing data as fine (AWS/Events and many
 * Lambda metrics are only reported when non-zero), and says in its
 * description what to do.
 */
export class Alarms extends Construct {
  /** Every alarm created so far, in creation order. */
  public readonly alarms: Alarm[] = [];
  private readonly topic: ITopic;
  private readonly owner: string;
  private readonly deadLetterMaxAge: Duration;
  private readonly publisherMaxIteratorAge: Duration;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = props.topic;
    this.owner = props.owner;
    this.deadLetterMaxAge = props.deadLetterMaxAge ?? Duration.minutes(15);
    this.publisherMaxIteratorAge = props.publisherMaxIteratorAge ?? Duration.seconds(60);
  }

  /** A subscription: its dead-letter queue, its consumer and its rule. */
  watchSubscription(subscription: Subscription): void {
    const id = subscription.node.id;
    this.deadLetterQueue(`${id}DeadLetters`, subscription.deadLetterQueue, 'subscription');
    this.consumer(`${id}Consumer`, subscription.consumer);
    this.rule(`${id}Rule`, subscription.bus, subscription.rule, subscription.queue);
  }

  /** An outbox publisher: its lag behind the stream, its failed entries, its dead-letter queue. */
  watchPublisher(publisher: OutboxPublisher): void {
    const id = publisher.node.id;
    const fn = publisher.function;
    this.add(`${id}IteratorAge`, {
      metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: METRIC_PERIOD }),
      threshold: this.publisherMaxIteratorAge.toMilliseconds(),
      description: [
        `${this.owner}: the outbox publisher ${fn.functionName} is more than ${this.publisherMaxIteratorAge.toHumanString()} behind its table stream, so events reach the bus late (and are lost if a record waits 24 hours, when the stream drops it).`,
        `Look for its errors (the ${publisher.service} publisher's OutboxPublishFailed alarm, the function's Errors and its log group ${fn.logGroup.logGroupName}) and for PutEvents throttling on the bus; a batch that keeps failing is bisected and then dead-lettered, which unblocks the shard.`,
      ].join(' '),
    });
    this.add(`${id}PublishFailed`, {
      metric: serviceMetric(publisher.service, SHOP_METRICS.outboxPublishFailed),
      threshold: 0,
      description: [
        `${this.owner}: EventBridge kept rejecting outbox entries after the publisher's retries (${SHOP_METRICS.outboxPublishFailed}, service ${publisher.service}). The batch goes back to the stream and is retried; if it keeps failing it is dead-lettered.`,
        `The error codes are in ${fn.logGroup.logGroupName} ("Outbox entries still failing"). ThrottlingException: raise the PutEvents quota; anything else: check the bus exists and the function's policy.`,
      ].join(' '),
    });
    this.deadLetterQueue(`${id}DeadLetters`, publisher.deadLetterQueue, 'publisher');
  }

  /** A stream consumer other than a publisher lags its table stream: what it does happens late. */
  streamLag(id: string, fn: ServiceFunction, consequence: string): void {
    this.add(`${id}IteratorAge`, {
      metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: METRIC_PERIOD }),
      threshold: this.publisherMaxIteratorAge.toMilliseconds(),
      description: `${this.owner}: ${fn.functionName} is more than ${this.publisherMaxIteratorAge.toHumanString()} behind its table stream: ${consequence} Read its log group ${fn.logGroup.logGroupName}; a batch that keeps failing is bisected, then dead-lettered, which unblocks the shard.`,
    });
  }

  /** Depth above zero and a message older than the limit. */
  deadLetterQueue(id: string, queue: IQueue, kind: DeadLetterKind): void {
    const name = queue.queueName;
    const steps =
      kind === 'subscription'
        ? `Inspect with \`npm run dlq -- show ${name}\` (the consumer's error is in its logs; EventBridge delivery failures carry ERROR_CODE), fix the cause, then \`npm run dlq -- redrive ${name}\`.`
        : `It holds descriptions of stream batches the outbox publisher gave up on (shard and sequence numbers), not the events: \`npm run dlq -- show ${name}\`, fix the cause, republish those records from the table stream before it drops them (24 hours; see docs/operations.md), then \`npm run dlq -- discard ${name}\`.`;
    this.add(`${id}Depth`, {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: METRIC_PERIOD,
      }),
      threshold: 0,
      description: `${this.owner}: messages dead-lettered in ${name}. ${steps}`,
    });
    this.add(`${id}Age`, {
      metric: queue.metricApproximateAgeOfOldestMessage({
        statistic: 'Maximum',
        period: METRIC_PERIOD,
      }),
      threshold: this.deadLetterMaxAge.toSeconds(),
      description: `${this.owner}: a dead letter has waited over ${this.deadLetterMaxAge.toHumanString()} in ${name}, so nobody has acted on its depth alarm. ${steps}`,
    });
  }

  /**
   * A queue consumer's failed invocations and throttles. With partial batch
   * responses a failed record is not a function error: these catch crashes,
   * timeouts and out-of-memory, which send the whole batch back.
   */
  consumer(id: string, fn: IFunction): void {
    // Only a ServiceFunction is known to have its own log group; asking any other
    // Function for `logGroup` would add a log-retention resource to the stack.
    const logs =
      fn instanceof ServiceFunction
        ? `its log group ${fn.logGroup.logGroupName} (\`aws logs tail ${fn.logGroup.logGroupName} --since 30m\`)`
        : 'its logs';
    this.add(`${id}Errors`, {
      metric: fn.metricErrors({ statistic: 'Sum', period: METRIC_PERIOD }),
      threshold: 0,
      description: `${this.owner}: the consumer ${fn.functionName} failed whole invocations (a crash, a timeout or out of memory), so its batches return to the queue and may be dead-lettered. Read ${logs}, fix, and watch the dead-letter alarms.`,
    });
    this.add(`${id}Throttles`, {
      metric: fn.metricThrottles({ statistic: 'Sum', period: METRIC_PERIOD }),
      threshold: 0,
      description: `${this.owner}: Lambda throttled the consumer ${fn.functionName}. Its queue mapping caps its own concurrency, so the account's concurrency is exhausted: find the function using it, or raise the account's quota. Messages wait in the queue meanwhile and are dead-lettered after too many receives.`,
    });
  }

  /**
   * A rule's permanently failed deliveries, and the worse case: deliveries
   * that failed and could not be dead-lettered either (those events are lost).
   */
  rule(id: string, bus: IEventBus, rule: IRule, target: IQueue): void {
    this.add(`${id}FailedInvocations`, {
      metric: ruleMetric(bus, rule, 'FailedInvocations'),
      threshold: 0,
      description: `${this.owner}: EventBridge gave up delivering events from rule ${rule.ruleName} to ${target.queueName}. They went to the target's dead-letter queue (see its alarm): \`npm run dlq -- show\` prints ERROR_CODE (often the queue policy or a deleted queue). Fix it, then redrive.`,
    });
    this.add(`${id}LostEvents`, {
      metric: ruleMetric(bus, rule, 'InvocationsFailedToBeSentToDlq'),
      threshold: 0,
      description: `${this.owner}: EventBridge could neither deliver events from rule ${rule.ruleName} to ${target.queueName} nor dead-letter them: they are lost to this subscriber. Fix the dead-letter queue's policy, then replay the window from the archive: \`npm run replay -- --from <when it started> --service ${this.owner}\`.`,
    });
  }

  /** Failed deliveries of any rule on the bus (including the replay tool's temporary ones). */
  bus(id: string, bus: IEventBus): void {
    this.add(`${id}FailedInvocations`, {
      metric: busWideRuleMetric(bus, 'FailedInvocations', 'FailedInvocations, all rules'),
      threshold: 0,
      description: `${this.owner}: a rule on the bus ${bus.eventBusName} gave up delivering events. The subscription's own FailedInvocations alarm names it; if none fired, it is a rule outside the service stacks (an \`ops-replay-*\` rule of a running replay): \`aws events list-rules --event-bus-name ${bus.eventBusName}\`.`,
    });
  }

  private add(id: string, spec: { metric: IMetric; threshold: number; description: string }) {
    const alarm = new Alarm(this, id, {
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}
