import { CfnOutput, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { HttpMethod, IHttpApi, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  Alarms,
  ApiRoute,
  DEFAULT_PARAMETER_PREFIX,
  OutboxPublisher,
  readPlatformReferences,
  type PlatformReferences,
  type RouteAuthorization,
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
  /**
   * Where the platform's parameters are (`<prefix>/platform/<key>`): the bus,
   * the HTTP API and its authorizer, the alarm topic and the PII key are read
   * from them at deploy time, not imported (see PlatformParameters).
   * @default '/shop'
   */
  readonly parameterPrefix?: string;
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
  /** What the stack uses of the platform, each read from its SSM parameter on first use. */
  private readonly platform: PlatformReferences;
  protected readonly removalPolicy: RemovalPolicy;
  /** The alarms of the service's subscriptions and publishers. */
  protected readonly alarms: Alarms;
  /** What the service subscribed to the bus (the dashboard graphs them). */
  public readonly subscriptions: Subscription[] = [];
  /** The service's outbox publishers (the dashboard graphs them). */
  public readonly publishers: OutboxPublisher[] = [];
  /** Dead-letter queues besides the subscriptions' and publishers' (the dashboard graphs them). */
  public readonly deadLetterQueues: { label: string; queue: IQueue }[] = [];
  /** Table-stream consumers besides the publishers (the dashboard graphs their lag). */
  public readonly streamConsumers: { label: string; fn: IFunction }[] = [];
  /** The routes the service added to the API (the edge stack throttles them by key). */
  public readonly routes: ApiRoute[] = [];

  protected constructor(
    scope: Construct,
    id: string,
    readonly service: ServiceName,
    private readonly serviceProps: ServiceStackProps,
  ) {
    super(scope, id, serviceProps);
    Tags.of(this).add('service', service);
    this.state = new Construct(this, 'State');
    const platform = readPlatformReferences(
      this,
      serviceProps.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX,
    );
    this.platform = platform;
    this.removalPolicy = serviceProps.removalPolicy ?? RemovalPolicy.RETAIN;
    this.alarms = new Alarms(this, 'Alarms', { topic: platform.alarmTopic, owner: service });
  }

  protected get bus(): IEventBus {
    return this.platform.bus;
  }

  protected get httpApi(): IHttpApi {
    return this.platform.httpApi;
  }

  protected get authorizer(): IHttpRouteAuthorizer {
    return this.platform.authorizer;
  }

  /** The platform's key of field-level encryption (payment tokens, shipping addresses). */
  protected get piiKey(): IKey {
    return this.platform.piiKey;
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

  /**
   * Adds `method path` to the shared HTTP API, answered by `handler`, callable
   * by `authorization`; a public route says why in `publicReason` (see ApiRoute).
   */
  protected route(
    id: string,
    method: HttpMethod,
    path: string,
    handler: ServiceFunction,
    authorization: RouteAuthorization,
    publicReason?: string,
  ): ApiRoute {
    const route = new ApiRoute(this, id, {
      httpApi: this.httpApi,
      method,
      path,
      handler,
      authorization,
      authorizer: authorization === 'public' ? undefined : this.authorizer,
      publicReason,
    });
    this.routes.push(route);
    return route;
  }
}
