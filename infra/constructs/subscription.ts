import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, type IEventBus, type IRule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { EventSourceMapping, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { patternFor, type EventContract } from '../../events/contract.js';
import { DEAD_LETTER_RETENTION } from './outbox-publisher.js';

/** A function with its timeout known (a `Function` or `ServiceFunction` is one). */
export interface SubscriptionConsumer extends IFunction {
  /** @default - Lambda's default, 3 seconds */
  readonly timeout?: Duration;
}

export interface SubscriptionProps {
  /** The bus the events travel on. */
  readonly bus: IEventBus;
  /** The contracts this subscription receives; the rule matches exactly these. */
  readonly consumes: readonly EventContract[];
  /** The function that drains the queue; it must answer with partial batch responses. */
  readonly consumer: SubscriptionConsumer;
  /** Messages per invocation. @default 10 */
  readonly batchSize?: number;
  /** How long Lambda waits to fill a batch. @default - none: invoke as soon as messages arrive */
  readonly maxBatchingWindow?: Duration;
  /** Most concurrent invocations this queue drives (2 to 1000). @default 10 */
  readonly maxConcurrency?: number;
  /** Receives of a message before it moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * The least visibility timeout of the queue. It is raised to six times the
   * consumer's timeout plus the batching window, as AWS recommends, so a message
   * is not redelivered while a slow or throttled invocation still holds it.
   * @default - six times the consumer's timeout plus the batching window
   */
  readonly visibilityTimeout?: Duration;
  /** Times EventBridge retries delivery to the queue. @default 185 (EventBridge's default) */
  readonly deliveryRetryAttempts?: number;
  /** How long EventBridge keeps retrying delivery. @default Duration.hours(24) */
  readonly maxEventAge?: Duration;
}

/**
 * One consumer's subscription to events on the bus: a rule matching the given
 * contracts, an encrypted queue of its own that only that rule may send to, a
 * dead-letter queue, and the Lambda event-source mapping that drains the queue
 * with partial batch responses.
 *
 * One dead-letter queue holds both kinds of failure: messages the consumer kept
 * failing (the queue's redrive policy) and events EventBridge could not deliver
 * (the target's dead-letter config). Both hold the event itself, so redriving
 * the dead-letter queue into the queue replays either kind; EventBridge's
 * message attributes (ERROR_CODE, RULE_ARN) tell them apart.
 */
export class Subscription extends Construct {
  public readonly rule: IRule;
  public readonly queue: IQueue;
  public readonly deadLetterQueue: IQueue;
  /** The bus the rule is on (its metrics are per bus and rule). */
  public readonly bus: IEventBus;
  /** The function draining the queue. */
  public readonly consumer: SubscriptionConsumer;

  constructor(scope: Construct, id: string, props: SubscriptionProps) {
    super(scope, id);
    this.bus = props.bus;
    this.consumer = props.consumer;
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(
        `Subscription ${this.node.path}: maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}.`,
      );
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });

    const functionTimeout = props.consumer.timeout ?? Duration.seconds(3);
    const batchingWindow = props.maxBatchingWindow ?? Duration.seconds(0);
    const recommended = Duration.seconds(
      6 * functionTimeout.toSeconds() + batchingWindow.toSeconds(),
    );
    const least = props.visibilityTimeout ?? Duration.seconds(0);
    const visibilityTimeout = least.toSeconds() > recommended.toSeconds() ? least : recommended;

    // SSE-SQS, not KMS: the SqsQueue target then scopes the queue policy to the
    // rule's ARN (with a KMS key it can only scope to the account), and
    // EventBridge needs no key grant.
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    const pattern = patternFor(props.consumes);
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `Delivers ${pattern['detail-type'].join(', ')} to ${this.node.path}`,
      eventPattern: { source: pattern.source, detailType: pattern['detail-type'] },
      targets: [
        new SqsQueue(this.queue, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: props.deliveryRetryAttempts ?? 185,
          maxEventAge: props.maxEventAge ?? Duration.hours(24),
        }),
      ],
    });

    const source = new SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? 10,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: props.maxConcurrency ?? 10,
      reportBatchItemFailures: true,
    });
    props.consumer.addEventSource(source);
    this.acknowledgeNagFindings(source);
  }

  /** cdk-nag findings this construct answers by design, each on the one resource it is about. */
  private acknowledgeNagFindings(source: SqsEventSource): void {
    Validations.of(this.deadLetterQueue.node.defaultChild ?? this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This is the dead-letter queue itself: its messages wait for an operator to redrive them (npm run dlq), not for another queue.',
    });
    Validations.of(this.consumer.node.defaultChild ?? this.consumer).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "The consumer is invoked synchronously by its SQS event-source mapping, which never uses the function's asynchronous dead-letter target; the queue's redrive policy catches its failures.",
    });
    const mapping = this.consumer.node.children.find(
      (c): c is EventSourceMapping =>
        c instanceof EventSourceMapping && c.eventSourceMappingId === source.eventSourceMappingId,
    );
    if (!mapping) {
      throw new Error(
        `Subscription ${this.node.path}: the event-source mapping of ${this.queue.node.path} is not a child of ${this.consumer.node.path}; the consumer must be a Function in this app.`,
      );
    }
    Validations.of(mapping.node.defaultChild ?? mapping).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "SQS event-source mappings accept no on-failure destination; failed messages reach the dead-letter queue through the queue's redrive policy.",
    });
  }
}
