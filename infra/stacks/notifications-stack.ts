import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { consumes } from '../../functions/notifications/consumes.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

/** Notifications: one message per customer-facing event; emits nothing, so no outbox. */
export class NotificationsStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, 'notifications', props);
    // gsi1: notifications by customer (gsi1pk = customer, gsi1sk = time).
    const table = this.createTable({ gsi1: true });

    const list = this.createFunction('ListNotifications', 'list-notifications', table);
    table.grantReadItems(list);
    this.route(
      'ListNotificationsRoute',
      HttpMethod.GET,
      '/customers/{customerId}/notifications',
      list,
      'customer',
    );

    const onEvent = this.createFunction('OnEvent', 'on-event', table);
    table.grantWriteItems(onEvent);
    this.subscribe('Subscription', { consumes, consumer: onEvent });
  }
}
