import { CfnOutput } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnRule } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { consumes } from '../../functions/views/consumes.js';
import { ServiceStack, type ServiceStackProps } from './service-stack.js';

/**
 * Views: the read side (docs/adr/0016-read-model.md). One table of order views
 * fed only by events, two routes that read it, the live subscription, and a
 * second subscription that receives replayed events only, for `npm run rebuild`.
 */
export class ViewsStack extends ServiceStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, 'views', props);
    // gsi1: a customer's views, newest first (gsi1pk = version + customer, gsi1sk = placedAt + order),
    // holding each order's list entry only: the whole view (its timeline grows with every event)
    // stays in the table, so an event's index write is one unit, not the view's three or four.
    // The attributes are LIST_INDEX_ATTRIBUTES of functions/views/adapters/keys.ts (the app reads
    // no service code; test/infra/views.test.ts checks the two agree).
    const table = this.createTable({ gsi1: { include: ['summary', 'status'] } });

    const listOrders = this.createFunction('ListOrders', 'list-orders', table);
    table.grantReadItems(listOrders);
    this.route('ListOrdersRoute', HttpMethod.GET, '/customers/me/orders', listOrders, 'customer');
    const timeline = this.createFunction('GetTimeline', 'get-timeline', table);
    table.grantReadItems(timeline);
    this.route(
      'GetTimelineRoute',
      HttpMethod.GET,
      '/orders/{orderId}/timeline',
      timeline,
      'customer',
    );

    // Live events: into the active projection version, and the building one during a rebuild.
    const onEvent = this.createFunction('OnEvent', 'on-event', table);
    table.grantWriteItems(onEvent);
    this.subscribe('Subscription', { consumes, consumer: onEvent });

    // Replayed events only: into the version a rebuild is building, never the active one.
    const onReplayed = this.createFunction('OnReplayedEvent', 'on-replayed-event', table);
    table.grantWriteItems(onReplayed);
    const rebuild = this.subscribe('Rebuild', { consumes, consumer: onReplayed });
    // Only replayed events carry replay-name: the live stream never reaches this rule, and
    // `npm run rebuild` names it in the replay's FilterArns so no other rule sees the replay.
    (rebuild.rule.node.defaultChild as CfnRule).addPropertyOverride('EventPattern.replay-name', [
      { exists: true },
    ]);
    new CfnOutput(this, 'RebuildRuleArn', { value: rebuild.rule.ruleArn });
  }
}
