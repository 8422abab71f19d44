import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { consumes } from '../../functions/orders/consumes.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

/** Orders: takes orders over HTTP and follows each one's saga to its end. */
export class OrdersStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, 'orders', props);
    const table = this.createTable({ outbox: true });

    const placeOrder = this.createFunction('PlaceOrder', 'place-order', table);
    table.grantReadWriteData(placeOrder);
    const getOrder = this.createFunction('GetOrder', 'get-order', table);
    table.grantReadData(getOrder);
    const cancelOrder = this.createFunction('CancelOrder', 'cancel-order', table);
    table.grantReadWriteData(cancelOrder);

    this.route('PlaceOrderRoute', HttpMethod.POST, '/orders', placeOrder);
    this.route('GetOrderRoute', HttpMethod.GET, '/orders/{orderId}', getOrder);
    this.route('CancelOrderRoute', HttpMethod.POST, '/orders/{orderId}/cancel', cancelOrder);

    // Read/write: idempotency records and the commit of state + outbox + marker.
    const onEvent = this.createFunction('OnEvent', 'on-event', table);
    table.grantReadWriteData(onEvent);
    this.subscribe('Subscription', { consumes, consumer: onEvent });

    this.publishOutbox(table);
  }
}
