import { describe, expect, it } from 'vitest';
import { CapacityMeter, itemUnits, type EngineCall } from '../../src/dynamodb/capacity-meter.js';
import { itemSize } from '../../src/dynamodb/item-size.js';

const KB = (n: number) => ({ S: 'x'.repeat(Math.round(n * 1024) - 8) }); // with the name "v" and pk "p": about n KB

describe('itemSize', () => {
  it('counts names and values by the developer guide', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toBe(5);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ f: { BOOL: true }, z: { NULL: true } })).toBe(4);
    expect(itemSize({ b: { B: Buffer.from('hello').toString('base64') } })).toBe(6);
    // A list: 3 bytes, then each element and one byte for it.
    expect(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(itemSize({ s: { SS: ['a', 'bc'] } })).toBe(4);
    expect(itemSize(undefined)).toBe(0);
  });
});

describe('itemUnits', () => {
  const plain = { keys: ['pk'], indexes: [] };
  const indexed = {
    keys: ['pk'],
    indexes: [{ keys: ['gpk', 'gsk'], projected: ['status'] }],
  };
  const put = { op: 'put', factor: 1 } as const;

  it('charges the larger of the images per 1 KB, at least one unit', () => {
    expect(itemUnits(put, plain, undefined, { pk: { S: 'a' } })).toBe(1);
    expect(itemUnits(put, plain, undefined, { p: { S: 'a' }, v: KB(1.5) })).toBe(2);
    expect(
      itemUnits(
        { op: 'update', factor: 1 },
        plain,
        { p: { S: 'a' }, v: KB(2.5) },
        { pk: { S: 'a' } },
      ),
    ).toBe(3);
    expect(
      itemUnits({ op: 'delete', factor: 1 }, plain, { p: { S: 'a' }, v: KB(2.5) }, undefined),
    ).toBe(3);
  });

  it('charges every item of a transaction twice', () => {
    expect(
      itemUnits({ op: 'put', factor: 2 }, plain, undefined, { p: { S: 'a' }, v: KB(1.5) }),
    ).toBe(4);
    expect(
      itemUnits({ op: 'check', factor: 2 }, plain, { pk: { S: 'a' } }, { pk: { S: 'a' } }),
    ).toBe(2);
  });

  it('charges an index only for an entry the write adds, changes or removes', () => {
    const a = { pk: { S: 'a' }, gpk: { S: 'c1' }, gsk: { S: 't1' }, status: { S: 'PENDING' } };
    const noted = { ...a, note: { S: 'not projected' } };
    expect(itemUnits(put, indexed, undefined, a)).toBe(2);
    expect(itemUnits(put, indexed, a, noted)).toBe(1);
    expect(itemUnits(put, indexed, a, { ...a, status: { S: 'CONFIRMED' } })).toBe(2);
    expect(itemUnits(put, indexed, a, { ...a, gsk: { S: 't2' } })).toBe(3);
    expect(itemUnits(put, indexed, a, { pk: { S: 'a' } })).toBe(2);
    expect(itemUnits(put, indexed, { pk: { S: 'a' } }, { pk: { S: 'a' }, x: { S: 'y' } })).toBe(1);
  });
});

describe('CapacityMeter', () => {
  it('changes nothing while it is off', () => {
    const meter = new CapacityMeter();
    expect(meter.meters('PutItem')).toBeUndefined();
    expect(meter.prepare('GetItem', '{"TableName":"T"}')).toEqual({
      body: '{"TableName":"T"}',
      strip: false,
    });
  });

  it('asks reads for INDEXES, counts the answer per table, and strips it for a caller that did not ask', () => {
    const meter = new CapacityMeter();
    meter.start();
    expect(meter.meters('GetItem')).toBe('read');
    const { body, strip } = meter.prepare('GetItem', '{"TableName":"U","Key":{}}');
    expect(JSON.parse(body)).toMatchObject({ ReturnConsumedCapacity: 'INDEXES' });
    expect(strip).toBe(true);
    const answer = JSON.stringify({
      Item: {},
      ConsumedCapacity: { TableName: 'U', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } },
    });
    expect(JSON.parse(meter.settle('GetItem', 200, answer, strip))).toEqual({ Item: {} });
    expect(meter.totals()).toEqual({ U: { read: 0.5, write: 0 } });
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

  /** An engine holding items by pk, as DynamoDB Local would answer the meter's reads. */
  function engine(items: Map<string, Record<string, unknown>>): EngineCall {
    return async (action, input) => {
      const i = input as { TableName: string; Key?: { pk: { S: string } } };
      if (action === 'DescribeTable') {
        return {
          status: 200,
          body: JSON.stringify({ Table: { KeySchema: [{ AttributeName: 'pk' }] } }),
        };
      }
      const item = items.get(`${i.TableName}/${i.Key!.pk.S}`);
      return { status: 200, body: JSON.stringify(item ? { Item: item } : {}) };
    };
  }

  it('computes a transaction from the images around it: each item at twice its units', async () => {
    const meter = new CapacityMeter();
    meter.start();
    const items = new Map<string, Record<string, unknown>>();
    const big = { pk: { S: 'o' }, v: KB(1.5) };
    const body = JSON.stringify({
      TransactItems: [
        { Put: { TableName: 'T', Item: { pk: { S: 'm' } } } },
        { Put: { TableName: 'T', Item: big } },
        { Update: { TableName: 'U', Key: { pk: { S: 'u' } } } },
      ],
    });
    const res = await meter.write('TransactWriteItems', body, engine(items), async () => {
      items.set('T/m', { pk: { S: 'm' } });
      items.set('T/o', big);
      items.set('U/u', { pk: { S: 'u' }, n: { N: '1' } });
      return { status: 200, body: '{}' };
    });
    expect(res).toEqual({ status: 200, body: '{}' });
    expect(meter.totals()).toEqual({ T: { read: 0, write: 2 + 4 }, U: { read: 0, write: 2 } });
  });

  it('charges a failed conditional put the item it checked, and a cancelled transaction nothing', async () => {
    const meter = new CapacityMeter();
    meter.start();
    const items = new Map([['T/a', { pk: { S: 'a' }, v: KB(2.5) }]]);
    const failed = {
      status: 400,
      body: '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"}',
    };
    await meter.write(
      'PutItem',
      JSON.stringify({ TableName: 'T', Item: { pk: { S: 'a' } } }),
      engine(items),
      async () => failed,
    );
    await meter.write(
      'TransactWriteItems',
      JSON.stringify({ TransactItems: [{ Put: { TableName: 'T', Item: { pk: { S: 'a' } } } }] }),
      engine(items),
      async () => ({ status: 400, body: '{"__type":"TransactionCanceledException"}' }),
    );
    expect(meter.totals()).toEqual({ T: { read: 0, write: 3 } });
    meter.reset();
    expect(meter.totals()).toEqual({});
  });
});
