import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { consumes } from '../../functions/orders/consumes.js';
import { grantEncryptPii, NO_RESPONSE_CAPTURE } from '../constructs/pii.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

/** Orders: takes orders over HTTP and follows each one's saga to its end. */
export class OrdersStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, 'orders', props);
    const table = this.createTable({ outbox: true });

    // Orders is the one service that encrypts: the token and the address arrive with the order.
    const placeOrder = this.createFunction('PlaceOrder', 'place-order', table, {
      environment: { PII_KEY_ARN: this.piiKey.keyArn, ...NO_RESPONSE_CAPTURE },
    });
    table.grantWriteItems(placeOrder);
    grantEncryptPii(this.piiKey, placeOrder);
    // The order view shows the customer their shipping address.
    // The order view says an address is on file; it never opens it, so it gets no key.
    const getOrder = this.createFunction('GetOrder', 'get-order', table, {
      environment: NO_RESPONSE_CAPTURE,
    });
    table.grantReadItems(getOrder);
    const cancelOrder = this.createFunction('CancelOrder', 'cancel-order', table, {
      environment: NO_RESPONSE_CAPTURE,
    });
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
    table.grantConsumeItems(onEvent);
    this.subscribe('Subscription', { consumes, consumer: onEvent });

    this.publishOutbox(table);
  }
}
