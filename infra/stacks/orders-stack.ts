import { CfnOutput, Duration } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { consumes } from '../../functions/orders/consumes.js';
import { OrderDeadlines } from '../constructs/order-deadlines.js';
import { OrderExports } from '../constructs/order-exports.js';
import { OrderExportsBucket } from '../constructs/order-exports-bucket.js';
import { grantEncryptPii } from '../constructs/pii.js';
import { handlerEntry } from '../paths.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

export interface OrdersStackProps extends ServiceStackProps {
  /** Accept export callbacks to http:// on loopback (a local run). @default false */
  readonly allowLoopbackCallbacks?: boolean;
  /** How long an order may stay neither CONFIRMED nor CANCELLED (docs/adr/0017). @default 15 minutes */
  readonly orderDeadline?: Duration;
}

/** Orders: takes orders over HTTP and follows each one's saga to its end. */
export class OrdersStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: OrdersStackProps) {
    super(scope, id, 'orders', props);
    const table = this.createTable({ outbox: true });

    // Orders is the one service that encrypts: the token and the address arrive with the order.
    const placeOrder = this.createFunction('PlaceOrder', 'place-order', table, {
      environment: { PII_KEY_ARN: this.piiKey.keyArn },
    });
    table.grantWriteItems(placeOrder);
    grantEncryptPii(this.piiKey, placeOrder);
    // The order view shows the customer their shipping address.
    // The order view says an address is on file; it never opens it, so it gets no key.
    const getOrder = this.createFunction('GetOrder', 'get-order', table);
    table.grantReadItems(getOrder);
    const cancelOrder = this.createFunction('CancelOrder', 'cancel-order', table);
    table.grantWriteItems(cancelOrder);

    this.route('PlaceOrderRoute', HttpMethod.POST, '/orders', placeOrder, 'customer');
    this.route('GetOrderRoute', HttpMethod.GET, '/orders/{orderId}', getOrder, 'customer');
    this.route(
      'CancelOrderRoute',
      HttpMethod.POST,
      '/orders/{orderId}/cancel',
      cancelOrder,
      'customer',
    );

    // Idempotency records and the commit of state + outbox + marker.
    const onEvent = this.createFunction('OnEvent', 'on-event', table);
    table.grantWriteItems(onEvent);
    const subscription = this.subscribe('Subscription', { consumes, consumer: onEvent });

    this.publishOutbox(table);

    // Saga deadlines (docs/adr/0017): Scheduler times out open orders through the same queue.
    const deadlines = new OrderDeadlines(this, 'Deadlines', {
      service: this.service,
      entry: handlerEntry(this.service, 'schedule-deadlines'),
      table,
      target: subscription.queue,
      deadline: props.orderDeadline ?? Duration.minutes(15),
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.alarms.deadLetterQueue('DeadlineDeadLetters', deadlines.deadLetterQueue, 'subscription');
    this.alarms.deadLetterQueue(
      'DeadlineStreamDeadLetters',
      deadlines.streamDeadLetterQueue,
      'publisher',
    );
    this.alarms.streamLag(
      'Deadlines',
      deadlines.function,
      'orders placed meanwhile get their deadline late, and settled ones keep theirs (harmless).',
    );
    this.deadLetterQueues.push(
      { label: 'deadlines', queue: deadlines.deadLetterQueue },
      { label: 'deadline stream', queue: deadlines.streamDeadLetterQueue },
    );
    this.streamConsumers.push({ label: 'deadlines', fn: deadlines.function });
    new CfnOutput(this, 'DeadlineScheduleGroupName', { value: deadlines.group.scheduleGroupName });
    new CfnOutput(this, 'DeadlineDeadLetterQueueUrl', {
      value: deadlines.deadLetterQueue.queueUrl,
    });

    // Order exports (docs/adr/0015): the bucket is state, the rest is not.
    const bucket = new OrderExportsBucket(this.state, 'ExportsBucket', {
      removalPolicy: this.removalPolicy,
    });
    const exports = new OrderExports(this, 'Exports', {
      table,
      bucket,
      bus: this.bus,
      piiKey: this.piiKey,
      httpApi: this.httpApi,
      authorizer: this.authorizer,
      allowLoopbackCallbacks: props.allowLoopbackCallbacks,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
    });
    this.routes.push(...exports.routes);
    for (const subscription of [exports.jobs, exports.callbacks]) {
      this.subscriptions.push(subscription);
      this.alarms.watchSubscription(subscription);
    }
    new CfnOutput(this, 'ExportsBucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'ExportJobsQueueUrl', { value: exports.jobs.queue.queueUrl });
    new CfnOutput(this, 'ExportCallbacksDeadLetterQueueUrl', {
      value: exports.callbacks.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'ExportJobsDeadLetterQueueUrl', {
      value: exports.jobs.deadLetterQueue.queueUrl,
    });
  }
}
