/**
 * The views stack: one table with the list index, the two routes behind the
 * JWT authorizer, a live subscription matching every journey event, and a
 * rebuild subscription whose rule matches replayed events only.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { patternFor } from '../../events/contract.js';
import { LIST_INDEX_ATTRIBUTES } from '../../functions/views/adapters/keys.js';
import { consumes } from '../../functions/views/consumes.js';
import { synthShop, type SynthesizedShop } from './support/shop.js';
import { ofType, props } from './support/template.js';

let shop: SynthesizedShop;
beforeAll(() => {
  shop = synthShop({ paymentProviderUrl: 'https://provider.example' });
});
const views = () => shop.template(shop.stacks.views);

describe('Shop-Views', () => {
  it('owns one table, with gsi1 for the customer list holding each list entry, not the view', () => {
    const tables = ofType(views(), 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    expect(props(tables[0]![1])['GlobalSecondaryIndexes']).toEqual([
      expect.objectContaining({
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        // What list-orders reads: the entry and the status filter; the timeline stays out.
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...LIST_INDEX_ATTRIBUTES] },
      }),
    ]);
  });

  it('consumes every journey event and no export job event', () => {
    const types = consumes.map((c) => c.detailType);
    expect(types).toHaveLength(14);
    expect(types).not.toContain('ExportRequested');
    expect(types).not.toContain('ExportSucceeded');
    expect(types).not.toContain('ExportFailed');
  });

  it('has a live rule for the journey events and a rebuild rule matching only replayed ones', () => {
    const rules = ofType(views(), 'AWS::Events::Rule').map(([, r]) => props(r));
    const pattern = patternFor(consumes);
    expect(rules).toHaveLength(2);
    const live = rules.find((r) => !('replay-name' in (r['EventPattern'] as object)));
    const rebuild = rules.find((r) => 'replay-name' in (r['EventPattern'] as object));
    expect(live?.['EventPattern']).toEqual(pattern);
    expect(rebuild?.['EventPattern']).toEqual({ ...pattern, 'replay-name': [{ exists: true }] });
    expect(rebuild?.['State']).toBe('ENABLED');
  });

  it('gives each rule its own queue with a dead-letter queue, drained with partial batch responses', () => {
    const queues = ofType(views(), 'AWS::SQS::Queue').map(([, q]) => props(q));
    expect(queues.filter((q) => q['RedrivePolicy'] !== undefined)).toHaveLength(2);
    views().resourcePropertiesCountIs(
      'AWS::Lambda::EventSourceMapping',
      { FunctionResponseTypes: ['ReportBatchItemFailures'] },
      2,
    );
  });

  it('serves GET /customers/me/orders and GET /orders/{orderId}/timeline behind the JWT authorizer', () => {
    for (const routeKey of ['GET /customers/me/orders', 'GET /orders/{orderId}/timeline']) {
      views().hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'JWT',
      });
    }
  });

  it('outputs what npm run rebuild needs: the table, the rebuild rule and queue', () => {
    const outputs = Object.keys(views().toJSON()['Outputs'] as object);
    expect(outputs).toEqual(
      expect.arrayContaining(['TableName', 'RebuildRuleArn', 'RebuildQueueUrl']),
    );
    views().hasOutput('RebuildRuleArn', { Value: Match.anyValue() });
  });
});
