import { describe, expect, it } from 'vitest';
import { TableWrites, tableOfStreamArn, writtenTables } from '../../src/dynamodb/table-writes.js';

describe('writtenTables', () => {
  it('names the table of a single-item write', () => {
    for (const action of ['PutItem', 'UpdateItem', 'DeleteItem']) {
      expect(writtenTables(action, '{"TableName":"Orders","Key":{}}')).toEqual(['Orders']);
    }
  });

  it('names every table of a batch write and of a transaction, once each', () => {
    expect(writtenTables('BatchWriteItem', '{"RequestItems":{"A":[],"B":[]}}')).toEqual(['A', 'B']);
    const tx = {
      TransactItems: [
        { Put: { TableName: 'A', Item: {} } },
        { Update: { TableName: 'B', Key: {} } },
        { ConditionCheck: { TableName: 'A', Key: {} } },
        { Delete: { TableName: 'C', Key: {} } },
      ],
    };
    expect(writtenTables('TransactWriteItems', JSON.stringify(tx))).toEqual(['A', 'B', 'C']);
  });

  it('wakes every reader for PartiQL, whose tables are inside statements', () => {
    expect(writtenTables('ExecuteStatement', '{}')).toBe('*');
  });

  it('is undefined for reads and for a body it cannot parse', () => {
    expect(writtenTables('GetItem', '{"TableName":"Orders"}')).toBeUndefined();
    expect(writtenTables('Query', '{"TableName":"Orders"}')).toBeUndefined();
    expect(writtenTables('PutItem', 'not json')).toBeUndefined();
  });
});

describe('TableWrites', () => {
  it("calls a table's listeners on its writes only, until they unsubscribe", () => {
    const writes = new TableWrites();
    const seen: string[] = [];
    const off = writes.onWrite('A', () => seen.push('A'));
    writes.onWrite('B', () => seen.push('B'));
    writes.notify(['A']);
    writes.notify('*');
    off();
    writes.notify(['A', 'B']);
    expect(seen).toEqual(['A', 'A', 'B', 'B']);
  });

  it('reads the table out of a stream ARN', () => {
    expect(
      tableOfStreamArn('arn:aws:dynamodb:us-east-1:000000000000:table/Shop-Orders-T1/stream/2026'),
    ).toBe('Shop-Orders-T1');
    expect(tableOfStreamArn('arn:aws:sqs:us-east-1:000000000000:q')).toBeUndefined();
  });
});
