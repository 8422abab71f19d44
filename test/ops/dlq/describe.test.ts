import { describe, expect, it } from 'vitest';
import { describeMessage } from '../../../ops/dlq/describe.js';

describe('describeMessage', () => {
  it('keeps attributes it does not know, and shows the start of a body of unknown shape', () => {
    const d = describeMessage({
      MessageId: 'm-1',
      Body: 'not json',
      Attributes: { SentTimestamp: '1714557600000', ApproximateReceiveCount: '4' },
      MessageAttributes: { errorMessage: { DataType: 'String', StringValue: 'boom' } },
    });
    expect(d).toMatchObject({
      kind: 'unknown',
      messageId: 'm-1',
      sentAt: '2024-05-01T10:00:00.000Z',
      receiveCount: 4,
      attributes: { errorMessage: 'boom' },
      body: 'not json',
    });
  });
});
