import { describe, expect, it } from 'vitest';
import { compileFilters } from '../../../src/app/esm/filter.js';
import { toSqsRecord } from '../../../src/app/esm/sqs.js';
import { toStreamRecord } from '../../../src/app/esm/streams.js';
import { readBatchResponse } from '../../../src/app/esm/types.js';

describe('readBatchResponse', () => {
  const known = new Set(['m1', 'm2']);
  it('reads success as Lambda does: null, empty object, null or empty list', () => {
    for (const p of [
      'null',
      '{}',
      '{"batchItemFailures":null}',
      '{"batchItemFailures":[]}',
      '"done"',
    ])
      expect(readBatchResponse(p, known)).toEqual({ kind: 'success' });
  });
  it('lists the failed items', () => {
    expect(readBatchResponse('{"batchItemFailures":[{"itemIdentifier":"m2"}]}', known)).toEqual({
      kind: 'partial',
      failed: ['m2'],
    });
  });
  it('fails the whole batch for empty, missing or unknown identifiers', () => {
    for (const p of [
      '{"batchItemFailures":[{"itemIdentifier":""}]}',
      '{"batchItemFailures":[{"itemIdentifier":null}]}',
      '{"batchItemFailures":[{"id":"m1"}]}',
      '{"batchItemFailures":[{"itemIdentifier":"m9"}]}',
      '{"batchItemFailures":"m1"}',
    ])
      expect(readBatchResponse(p, known).kind).toBe('invalid');
  });
});

describe('toSqsRecord', () => {
  it('has the shape of a Lambda SQS event record', () => {
    const record = toSqsRecord(
      {
        MessageId: 'id-1',
        ReceiptHandle: 'rh',
        Body: '{"a":1}',
        MD5OfBody: 'md5',
        Attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1700000000000',
          SenderId: 'AIDA',
          ApproximateFirstReceiveTimestamp: '1700000000001',
        },
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'x' },
          bin: { DataType: 'Binary', BinaryValue: new Uint8Array([1]) },
        },
        MD5OfMessageAttributes: 'md5a',
      },
      'arn:aws:sqs:us-east-1:000000000000:q',
      'us-east-1',
    );
    expect(record).toEqual({
      messageId: 'id-1',
      receiptHandle: 'rh',
      body: '{"a":1}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1700000000000',
        SenderId: 'AIDA',
        ApproximateFirstReceiveTimestamp: '1700000000001',
      },
      messageAttributes: {
        kind: { stringValue: 'x', stringListValues: [], binaryListValues: [], dataType: 'String' },
        bin: {
          binaryValue: 'AQ==',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'Binary',
        },
      },
      md5OfBody: 'md5',
      md5OfMessageAttributes: 'md5a',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});

describe('toStreamRecord', () => {
  it('turns SDK values back into the wire form Lambda delivers', () => {
    const record = toStreamRecord(
      {
        eventID: 'e1',
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date(1_700_000_000_000),
          Keys: { pk: { S: 'a' }, bin: { B: new Uint8Array([255]) } },
          NewImage: { pk: { S: 'a' }, n: { N: '2' } },
          OldImage: { pk: { S: 'a' }, n: { N: '1' } },
          SequenceNumber: '100',
          SizeBytes: 20,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/x',
      'us-east-1',
    );
    expect(record).toEqual({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1_700_000_000,
        Keys: { pk: { S: 'a' }, bin: { B: '/w==' } },
        NewImage: { pk: { S: 'a' }, n: { N: '2' } },
        OldImage: { pk: { S: 'a' }, n: { N: '1' } },
        SequenceNumber: '100',
        SizeBytes: 20,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/x',
    });
  });
});

describe('compileFilters', () => {
  it('passes a record that any filter matches, and everything when there is none', () => {
    const filter = compileFilters(['{"body":{"kind":["a"]}}', '{"eventName":["INSERT"]}'], 'T/M');
    expect(filter({ body: { kind: 'a' } })).toBe(true);
    expect(filter({ eventName: 'INSERT' })).toBe(true);
    expect(filter({ body: { kind: 'b' } })).toBe(false);
    expect(compileFilters([], 'T/M')({})).toBe(true);
  });
  it('names the mapping and the pattern when a pattern is invalid', () => {
    expect(() => compileFilters(['{"a":"not-a-list"}'], 'Stack/Mapping')).toThrow(
      /^Stack\/Mapping: invalid FilterCriteria pattern \{"a":"not-a-list"\}/,
    );
  });
});
