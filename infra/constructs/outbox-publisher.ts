import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ServiceFunction, type ServiceLogLevel } from './service-function.js';

/** How long dead letters are kept: the SQS maximum, so nobody loses one over a long weekend. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface OutboxPublisherProps {
  /** The service the publisher belongs to (POWERTOOLS_SERVICE_NAME). */
  readonly service: string;
  /** Absolute path of the service's `handlers/publish-outbox.ts`. */
  readonly entry: string;
  /** The service's table; it must have a stream (ServiceTable `outbox: true`). */
  readonly table: ITable;
  /** The bus the events go to; the function may put events on it and nowhere else. */
  readonly bus: IEventBus;
  /** Stream records per invocation. @default 100 */
  readonly batchSize?: number;
  /**
   * Retries of a failing batch (halved each time by bisectBatchOnError) before
   * its records go to the dead-letter queue.
   * @default 10
   */
  readonly retryAttempts?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 'INFO' */
  readonly logLevel?: ServiceLogLevel;
  /** @default - ServiceFunction's default */
  readonly logRetention?: RetentionDays;
}

/**
 * The transactional outbox's second half: the table's stream, filtered to
 * inserted outbox rows, feeds a function that puts them on the bus. A batch that
 * keeps failing is bisected, retried a bounded number of times, then described
 * in an encrypted dead-letter queue instead of blocking the shard.
 */
export class OutboxPublisher extends Construct {
  /** The service it publishes for: the `service` dimension of its Powertools metrics. */
  public readonly service: string;
  public readonly function: ServiceFunction;
  /**
   * Where a batch goes when it could not be published after all retries. Lambda
   * writes the batch's description (shard, sequence numbers), not the records:
   * read them from the stream within its 24 hours and republish.
   */
  public readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: OutboxPublisherProps) {
    super(scope, id);
    this.service = props.service;
    if (!props.table.tableStreamArn) {
      throw new Error(
        `OutboxPublisher ${this.node.path}: table ${props.table.node.path} has no stream; create it as a ServiceTable with outbox: true.`,
      );
    }

    this.function = new ServiceFunction(this, 'Function', {
      service: props.service,
      entry: props.entry,
      description: `${props.service}: publishes outbox rows from the table stream to the bus`,
      timeout: props.timeout ?? Duration.seconds(30),
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: { EVENT_BUS_NAME: props.bus.eventBusName },
    });
    props.bus.grantPutEventsTo(this.function);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });

    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 100,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 10,
        reportBatchItemFailures: true,
        // One batch per shard at a time keeps each order's events in commit order.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetterQueue),
        // Only inserted outbox rows: state changes and markers never wake the publisher.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { kind: { S: FilterRule.isEqual('outbox') } } },
          }),
        ],
      }),
    );
    this.acknowledgeNagFindings();
  }

  /** cdk-nag findings this construct answers by design, each on the one resource it is about. */
  private acknowledgeNagFindings(): void {
    const dlq = this.deadLetterQueue.node.defaultChild ?? this.deadLetterQueue;
    Validations.of(dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "It is the stream event-source mapping's on-failure destination, a dead-letter queue the rule only recognises in a redrive policy.",
    });
    Validations.of(dlq).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This is the dead-letter queue itself: its batch descriptions wait for an operator to republish them, not for another queue.',
    });
    Validations.of(this.function.node.defaultChild ?? this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "The publisher is invoked synchronously by its stream event-source mapping, which never uses the function's asynchronous dead-letter target; the mapping's on-failure destination catches its failures.",
    });
    // ServiceFunction's own role, so it is there; ServiceFunction acknowledges X-Ray's `*` on it.
    const policy = this.function.role?.node.findChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy.node.defaultChild ?? policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "DynamoDB Streams' ListStreams, which the stream event source calls, cannot be scoped to a table.",
      });
    }
  }
}
