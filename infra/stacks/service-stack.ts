import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { HttpMethod, IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  Alarms,
  ApiRoute,
  OutboxPublisher,
  ServiceFunction,
  type ServiceFunctionProps,
  type ServiceLogLevel,
  ServiceTable,
  type ServiceTableProps,
  Subscription,
  type SubscriptionProps,
} from '../constructs/index.js';
import { handlerEntry, type ServiceName } from '../paths.js';

/** What every service stack receives from the platform and the app. */
export interface ServiceStackProps extends StackProps {
  /** The platform's bus. */
  readonly bus: IEventBus;
  /** The platform's HTTP API, which the service adds its routes to. */
  readonly httpApi: IHttpApi;
  /** The platform's alarm topic: every alarm of the service notifies it. */
  readonly alarmTopic: ITopic;
  /**
   * Removal policy of the stateful resources (the table, secrets).
   * @default RemovalPolicy.RETAIN (pass DESTROY only for throwaway dev stacks)
   */
  readonly removalPolicy?: RemovalPolicy;
  /** POWERTOOLS_LOG_LEVEL of every function. @default 'INFO' */
  readonly logLevel?: ServiceLogLevel;
  /** @default - ServiceFunction's default */
  readonly logRetention?: RetentionDays;
}

/**
 * The common shape of a service's stack. Stateful resources are created under
 * the `State` construct, stateless ones anywhere else: everything under `State`
 * keeps its construct id forever (a new id replaces the resource, and with it
 * the data) and is retained by default, while functions, queues and routes may
 * be renamed, moved or rebuilt freely.
 */
export abstract class ServiceStack extends Stack {
  /** Parent of the service's stateful resources. */
  protected readonly state: Construct;
  protected readonly bus: IEventBus;
  protected readonly httpApi: IHttpApi;
  protected readonly removalPolicy: RemovalPolicy;
  /** The alarms of the service's subscriptions and publishers. */
  protected readonly alarms: Alarms;
  /** What the service subscribed to the bus (the dashboard graphs them). */
  public readonly subscriptions: Subscription[] = [];
  /** The service's outbox publishers (the dashboard graphs them). */
  public readonly publishers: OutboxPublisher[] = [];

  protected constructor(
    scope: Construct,
    id: string,
    readonly service: ServiceName,
    private readonly serviceProps: ServiceStackProps,
  ) {
    super(scope, id, serviceProps);
    Tags.of(this).add('service', service);
    this.state = new Construct(this, 'State');
    this.bus = serviceProps.bus;
    this.httpApi = serviceProps.httpApi;
    this.removalPolicy = serviceProps.removalPolicy ?? RemovalPolicy.RETAIN;
    this.alarms = new Alarms(this, 'Alarms', { topic: serviceProps.alarmTopic, owner: service });
  }

  /** The service's one table, under `State`, with its name as an output. */
  protected createTable(props: Omit<ServiceTableProps, 'removalPolicy'> = {}): ServiceTable {
    const table = new ServiceTable(this.state, 'Table', {
      ...props,
      removalPolicy: this.removalPolicy,
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    return table;
  }

  /** A function from `functions/<service>/handlers/<handler>.ts`, with TABLE_NAME set. */
  protected createFunction(
    id: string,
    handler: string,
    table: ServiceTable,
    props: Partial<Omit<ServiceFunctionProps, 'service' | 'entry'>> = {},
  ): ServiceFunction {
    return new ServiceFunction(this, id, {
      logLevel: this.serviceProps.logLevel,
      logRetention: this.serviceProps.logRetention,
      ...props,
      service: this.service,
      entry: handlerEntry(this.service, handler),
      environment: { TABLE_NAME: table.tableName, ...props.environment },
    });
  }

  /** The service's subscription to the bus, with its alarms and its queue URLs as outputs. */
  protected subscribe(id: string, props: Omit<SubscriptionProps, 'bus'>): Subscription {
    const subscription = new Subscription(this, id, { ...props, bus: this.bus });
    this.subscriptions.push(subscription);
    this.alarms.watchSubscription(subscription);
    new CfnOutput(this, `${id}QueueUrl`, { value: subscription.queue.queueUrl });
    new CfnOutput(this, `${id}DeadLetterQueueUrl`, {
      value: subscription.deadLetterQueue.queueUrl,
    });
    return subscription;
  }

  /** The outbox publisher from `handlers/publish-outbox.ts`, with its alarms and DLQ URL as an output. */
  protected publishOutbox(table: ServiceTable): OutboxPublisher {
    const publisher = new OutboxPublisher(this, 'Publisher', {
      service: this.service,
      entry: handlerEntry(this.service, 'publish-outbox'),
      table,
      bus: this.bus,
      logLevel: this.serviceProps.logLevel,
      logRetention: this.serviceProps.logRetention,
    });
    this.publishers.push(publisher);
    this.alarms.watchPublisher(publisher);
    new CfnOutput(this, 'PublisherDeadLetterQueueUrl', {
      value: publisher.deadLetterQueue.queueUrl,
    });
    return publisher;
  }

  /** Adds `method path` to the shared HTTP API, answered by `handler`. */
  protected route(id: string, method: HttpMethod, path: string, handler: ServiceFunction): void {
    new ApiRoute(this, id, { httpApi: this.httpApi, method, path, handler });
  }
}
