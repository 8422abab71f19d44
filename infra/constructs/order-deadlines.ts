import { Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTER_RETENTION } from './outbox-publisher.js';
import { ServiceFunction, type ServiceLogLevel } from './service-function.js';

/**
 * The tag on a dead-letter queue that no RedrivePolicy names: the ARN of the queue its messages
 * belong back in. `npm run dlq -- redrive` (ops/dlq/queues.ts) reads it under the same name.
 */
export const REDRIVE_TO_TAG = 'redrive-to';

/** The shortest and longest orderDeadline the app accepts. */
export const MIN_ORDER_DEADLINE = Duration.seconds(5);
export const MAX_ORDER_DEADLINE = Duration.hours(24);

export interface OrderDeadlinesProps {
  /** The service the function belongs to (POWERTOOLS_SERVICE_NAME). */
  readonly service: string;
  /** Absolute path of the handler that schedules and deletes deadlines from the stream. */
  readonly entry: string;
  /** The orders table; its stream's outbox rows say when an order is placed or settled. */
  readonly table: ITable;
  /** Where a deadline is delivered: the orders subscription queue its consumer drains. */
  readonly target: IQueue;
  /** How long after it was placed an open order times out. */
  readonly deadline: Duration;
  /** @default 'INFO' */
  readonly logLevel?: ServiceLogLevel;
  /** @default - ServiceFunction's default */
  readonly logRetention?: RetentionDays;
}

/**
 * Saga deadlines on EventBridge Scheduler (docs/adr/0017-saga-deadlines.md):
 * a second consumer of the orders table's stream creates one one-time schedule
 * per placed order in the stack's schedule group and deletes it when the order
 * settles; at the deadline Scheduler sends OrderDeadlinePassed to the orders
 * queue as a role that may send there and to its own dead-letter queue, nothing
 * else. The function may create and delete only `order-*` schedules of the
 * group, and pass only that role, only to Scheduler.
 */
export class OrderDeadlines extends Construct {
  public readonly group: ScheduleGroup;
  public readonly function: ServiceFunction;
  /** The role Scheduler assumes to deliver deadlines. */
  public readonly schedulerRole: Role;
  /** Deadlines Scheduler could not deliver after its retries: OrderDeadlinePassed events. */
  public readonly deadLetterQueue: IQueue;
  /** Stream batches the function gave up on (their description, not the records). */
  public readonly streamDeadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: OrderDeadlinesProps) {
    super(scope, id);
    const seconds = props.deadline.toSeconds();
    if (seconds < MIN_ORDER_DEADLINE.toSeconds() || seconds > MAX_ORDER_DEADLINE.toSeconds()) {
      throw new Error(
        `OrderDeadlines ${this.node.path}: deadline must be from ${MIN_ORDER_DEADLINE.toHumanString()} to ${MAX_ORDER_DEADLINE.toHumanString()}, got ${props.deadline.toHumanString()}.`,
      );
    }
    if (!props.table.tableStreamArn) {
      throw new Error(
        `OrderDeadlines ${this.node.path}: table ${props.table.node.path} has no stream; create it as a ServiceTable with outbox: true.`,
      );
    }
    const stack = Stack.of(this);

    // Named, because the function's policy must name the schedules it may touch. Not state:
    // its schedules last at most a day and target this stack's own queue, which goes with it.
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: `${stack.stackName}-deadlines`,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    // No queue's RedrivePolicy names this one (the schedules' DeadLetterConfig does), so the
    // tag tells `npm run dlq -- redrive` where its messages go back to: the schedules' target.
    Tags.of(this.deadLetterQueue).add(REDRIVE_TO_TAG, props.target.queueArn);
    this.streamDeadLetterQueue = new Queue(this, 'StreamDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description:
        'EventBridge Scheduler delivers order deadlines to the orders queue as this role',
      // Only schedules of this account may use it (the confused-deputy guard).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [props.target.queueArn, this.deadLetterQueue.queueArn],
      }),
    );
    props.target.encryptionMasterKey?.grant(
      this.schedulerRole,
      'kms:GenerateDataKey',
      'kms:Decrypt',
    );

    this.function = new ServiceFunction(this, 'Function', {
      service: props.service,
      entry: props.entry,
      description: `${props.service}: schedules each order's deadline from the table stream, deletes it once settled`,
      timeout: Duration.seconds(30),
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: props.table.tableName,
        ORDER_DEADLINE_SECONDS: String(seconds),
        DEADLINE_SCHEDULE_GROUP: this.group.scheduleGroupName,
        DEADLINE_TARGET_ARN: props.target.queueArn,
        DEADLINE_ROLE_ARN: this.schedulerRole.roleArn,
        DEADLINE_DLQ_ARN: this.deadLetterQueue.queueArn,
      },
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.group.scheduleGroupName}/order-*`,
          }),
        ],
      }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );

    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamDeadLetterQueue),
        // Only the outbox rows that place or settle an order wake it.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: {
              NewImage: {
                kind: { S: FilterRule.isEqual('outbox') },
                detailType: { S: FilterRule.or('OrderPlaced', 'OrderConfirmed', 'OrderCancelled') },
              },
            },
          }),
        ],
      }),
    );
    this.acknowledgeNagFindings();
  }

  /** cdk-nag findings this construct answers by design, each on the one resource it is about. */
  private acknowledgeNagFindings(): void {
    for (const queue of [this.deadLetterQueue, this.streamDeadLetterQueue]) {
      const dlq = queue.node.defaultChild ?? queue;
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          "A dead-letter queue itself: of the deadline schedules' target (DeadLetterConfig) or of the stream event-source mapping (on-failure destination), which the rule only recognises in a redrive policy.",
      });
      Validations.of(dlq).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason:
          'This is the dead-letter queue itself: its messages wait for an operator (npm run dlq), not for another queue.',
      });
    }
    const policy = this.function.role?.node.findChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy.node.defaultChild ?? policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.group.scheduleGroupName}/order-*]`,
        reason:
          'Schedules are created per order (order-<orderId>): the names are not known at deploy time, so the grant is the order-* prefix within this one group.',
      });
    }
    Validations.of(this.function.node.defaultChild ?? this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "Invoked synchronously by its stream event-source mapping, which never uses the function's asynchronous dead-letter target; the mapping's on-failure destination catches its failures.",
    });
  }
}
