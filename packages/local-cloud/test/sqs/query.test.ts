import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../src/cloud.js';

/**
 * SQS over the query protocol, as the AWS CLI 2.9 and older SDKs speak it:
 * form-encoded POSTs, XML answers. Signed like botocore (scope `sqs`), so the
 * edge routes by the signing scope.
 */
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dynamodb: false });
});

afterAll(async () => {
  await cloud?.stop();
});

const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

async function query(
  params: Record<string, string>,
  path = '/',
  auth: string | undefined = AUTH,
): Promise<{ status: number; xml: string; type: string | null }> {
  const res = await fetch(`${cloud.endpoint}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...(auth ? { authorization: auth } : {}),
    },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  return { status: res.status, xml: await res.text(), type: res.headers.get('content-type') };
}

/** Text of every element with this name, in document order. */
function all(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
}

describe('SQS query protocol', () => {
  it('creates a queue with attributes and tags, and reads them back as XML', async () => {
    const created = await query({
      Action: 'CreateQueue',
      QueueName: 'query-q',
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '40',
      'Attribute.2.Name': 'DelaySeconds',
      'Attribute.2.Value': '0',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'shop',
    });
    expect(created.status).toBe(200);
    expect(created.type).toBe('text/xml');
    expect(created.xml).toMatch(
      /^<\?xml version="1.0"\?><CreateQueueResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><CreateQueueResult><QueueUrl>/,
    );
    const url = all(created.xml, 'QueueUrl')[0]!;
    expect(url).toBe(`${cloud.endpoint}/000000000000/query-q`);
    expect(all(created.xml, 'RequestId')[0]).toMatch(/^[0-9a-f-]{36}$/);

    const got = await query({
      Action: 'GetQueueAttributes',
      QueueUrl: url,
      'AttributeName.1': 'VisibilityTimeout',
      'AttributeName.2': 'QueueArn',
    });
    expect(got.xml).toContain(
      '<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name><Value>40</Value></Attribute>' +
        '<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:query-q</Value></Attribute></GetQueueAttributesResult>',
    );
    const tags = await query({ Action: 'ListQueueTags', QueueUrl: url });
    expect(tags.xml).toContain('<Tag><Key>team</Key><Value>shop</Value></Tag>');
    const listed = await query({ Action: 'ListQueues', QueueNamePrefix: 'query-' });
    expect(all(listed.xml, 'QueueUrl')).toEqual([url]);
  });

  it('sends, receives and deletes messages with attributes', async () => {
    const url = all(
      (await query({ Action: 'CreateQueue', QueueName: 'query-msgs' })).xml,
      'QueueUrl',
    )[0]!;
    const sent = await query({
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: 'a <tagged> & "quoted" body',
      'MessageAttribute.1.Name': 'kind',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'order',
    });
    expect(sent.status).toBe(200);
    expect(all(sent.xml, 'MD5OfMessageBody')).toHaveLength(1);
    expect(all(sent.xml, 'MD5OfMessageAttributes')).toHaveLength(1);
    const messageId = all(sent.xml, 'MessageId')[0];

    const received = await query({
      Action: 'ReceiveMessage',
      QueueUrl: url,
      'AttributeName.1': 'All',
      'MessageAttributeName.1': 'All',
      MaxNumberOfMessages: '10',
    });
    expect(all(received.xml, 'Message')).toHaveLength(1);
    expect(all(received.xml, 'MessageId')).toEqual([messageId]);
    expect(all(received.xml, 'Body')).toEqual(['a &lt;tagged&gt; &amp; &quot;quoted&quot; body']);
    expect(received.xml).toContain(
      '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>',
    );
    expect(received.xml).toContain(
      '<MessageAttribute><Name>kind</Name><Value><DataType>String</DataType><StringValue>order</StringValue></Value></MessageAttribute>',
    );
    const handle = all(received.xml, 'ReceiptHandle')[0]!;

    const deleted = await query({ Action: 'DeleteMessage', QueueUrl: url, ReceiptHandle: handle });
    expect(deleted.xml).toMatch(/<DeleteMessageResponse [^>]+><ResponseMetadata><RequestId>/);
  });

  it('runs batches with flattened entries and per-entry results', async () => {
    const url = all(
      (await query({ Action: 'CreateQueue', QueueName: 'query-batch' })).xml,
      'QueueUrl',
    )[0]!;
    const sent = await query({
      Action: 'SendMessageBatch',
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'one',
      'SendMessageBatchRequestEntry.1.MessageBody': 'first',
      'SendMessageBatchRequestEntry.2.Id': 'two',
      'SendMessageBatchRequestEntry.2.MessageBody': 'second',
      'SendMessageBatchRequestEntry.2.DelaySeconds': '0',
      'SendMessageBatchRequestEntry.3.Id': 'bad',
      'SendMessageBatchRequestEntry.3.MessageBody': 'x',
      'SendMessageBatchRequestEntry.3.DelaySeconds': '999',
    });
    expect(all(sent.xml, 'SendMessageBatchResultEntry')).toHaveLength(2);
    const failed = all(sent.xml, 'BatchResultErrorEntry');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain(
      '<Id>bad</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>',
    );
  });

  it('accepts requests posted to the queue URL, as older SDKs send them', async () => {
    await query({ Action: 'CreateQueue', QueueName: 'query-path' });
    const sent = await query(
      { Action: 'SendMessage', MessageBody: 'via path' },
      '/000000000000/query-path',
      undefined, // unsigned: routed by the queue path
    );
    expect(sent.status).toBe(200);
    const attrs = await query(
      { Action: 'GetQueueAttributes', 'AttributeName.1': 'ApproximateNumberOfMessages' },
      '/000000000000/query-path',
    );
    expect(attrs.xml).toContain('<Name>ApproximateNumberOfMessages</Name><Value>1</Value>');
  });

  it('answers errors as an XML ErrorResponse with the query error code', async () => {
    const missing = await query({
      Action: 'SendMessage',
      QueueUrl: `${cloud.endpoint}/000000000000/does-not-exist`,
      MessageBody: 'x',
    });
    expect(missing.status).toBe(400);
    expect(missing.xml).toMatch(
      /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message><Detail\/><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    const unknown = await query({ Action: 'FlyToTheMoon' });
    expect(all(unknown.xml, 'Code')).toEqual(['InvalidAction']);
    expect(all(unknown.xml, 'Message')[0]).toContain('FlyToTheMoon');
  });

  it('counts query-protocol calls on the Recorder like JSON ones', async () => {
    await query({ Action: 'ListQueues' });
    const metrics = cloud.context.recorder.metrics();
    expect(metrics.calls['SQS']?.['ListQueues']).toBeGreaterThanOrEqual(1);
  });
});
