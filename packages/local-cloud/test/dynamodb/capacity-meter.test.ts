import { describe, expect, it } from 'vitest';
import { CapacityMeter } from '../../src/dynamodb/capacity-meter.js';

describe('CapacityMeter', () => {
  it('changes nothing while it is off', () => {
    const meter = new CapacityMeter();
    expect(meter.prepare('PutItem', '{"TableName":"T"}')).toEqual({
      body: '{"TableName":"T"}',
      strip: false,
    });
  });

  it('asks for INDEXES, counts the answer per table, and strips it for a caller that did not ask', () => {
    const meter = new CapacityMeter();
    meter.start();
    const { body, strip } = meter.prepare('PutItem', '{"TableName":"T","Item":{}}');
    expect(JSON.parse(body)).toMatchObject({ ReturnConsumedCapacity: 'INDEXES' });
    expect(strip).toBe(true);
    const answer = JSON.stringify({
      Attributes: {},
      ConsumedCapacity: { TableName: 'T', CapacityUnits: 4, Table: { CapacityUnits: 2 } },
    });
    expect(JSON.parse(meter.settle('PutItem', 200, answer, strip))).toEqual({ Attributes: {} });
    meter.settle(
      'TransactWriteItems',
      200,
      JSON.stringify({ ConsumedCapacity: [{ TableName: 'T', CapacityUnits: 6 }] }),
      false,
    );
    meter.settle(
      'GetItem',
      200,
      JSON.stringify({ ConsumedCapacity: { TableName: 'U', CapacityUnits: 0.5 } }),
      true,
    );
    expect(meter.totals()).toEqual({ T: { read: 0, write: 10 }, U: { read: 0.5, write: 0 } });
  });

  it("keeps a caller's own request, and its answer, when it asked for the units itself", () => {
    const meter = new CapacityMeter();
    meter.start();
    const asked = '{"TableName":"T","ReturnConsumedCapacity":"TOTAL"}';
    const { body, strip } = meter.prepare('GetItem', asked);
    expect(strip).toBe(false);
    expect(JSON.parse(body)['ReturnConsumedCapacity']).toBe('INDEXES');
    const answer = '{"ConsumedCapacity":{"TableName":"T","CapacityUnits":1}}';
    expect(meter.settle('GetItem', 200, answer, strip)).toBe(answer);
  });

  it('counts nothing for a failed call or an action without units, and resets', () => {
    const meter = new CapacityMeter();
    meter.start();
    meter.settle('PutItem', 400, '{"ConsumedCapacity":{"TableName":"T","CapacityUnits":1}}', true);
    expect(meter.prepare('DescribeTable', '{}').strip).toBe(false);
    expect(meter.totals()).toEqual({});
    meter.settle('PutItem', 200, '{"ConsumedCapacity":{"TableName":"T","CapacityUnits":1}}', true);
    meter.reset();
    expect(meter.totals()).toEqual({});
  });
});
