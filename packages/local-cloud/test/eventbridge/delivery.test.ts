import { describe, expect, it } from 'vitest';
import { METRICS_SERVICE, type DeliveryRequest } from '../../src/eventbridge/delivery.js';
import { entry, harness, queueArn, ruleToQueue } from './harness.js';

const metrics = (h: ReturnType<typeof harness>) =>
  h.recorder.metrics().calls[METRICS_SERVICE] ?? {};

describe('target delivery', () => {
  it('retries a failing target with backoff and then succeeds', async () => {
    const h = harness();
    await ruleToQueue(h, { rule: 'r', queue: 'q' });
    h.sqs.failNext = 2;
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    expect(h.sqs.sent).toHaveLength(1);
    expect(metrics(h)).toMatchObject({ Invocations: 1, RetryInvocationAttempts: 2 });
    expect(h.eb.failedInvocations()).toEqual([]);
  });

  it('records a failed invocation after the retries and sends the event to the DLQ', async () => {
    const h = harness();
    const ruleArn = await ruleToQueue(h, {
      rule: 'r',
      queue: 'q',
      target: { DeadLetterConfig: { Arn: queueArn('dlq') } },
    });
    h.sqs.failNext = 100;
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    h.sqs.failNext = 0;
    expect(h.eb.failedInvocations()).toEqual([
      expect.objectContaining({
        ruleArn,
        targetId: 'q',
        targetArn: queueArn('q'),
        errorCode: 'InternalFailure',
        attempts: 3,
        sentToDlq: false,
      }),
    ]);
    expect(metrics(h)).toMatchObject({ FailedInvocations: 1, InvocationsFailedToBeSentToDlq: 1 });
  });

  it('dead-letters with the attributes EventBridge sets', async () => {
    const h = harness();
    const ruleArn = await ruleToQueue(h, {
      rule: 'r',
      queue: 'gone',
      target: {
        DeadLetterConfig: { Arn: queueArn('dlq') },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
    h.sqs.missing.add(queueArn('gone'));
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    const [dead] = h.sqs.sent;
    expect(dead?.queueArn).toBe(queueArn('dlq'));
    expect(JSON.parse(dead?.body ?? '{}')).toMatchObject({ source: 'shop.orders' });
    expect(dead?.attributes).toMatchObject({
      RULE_ARN: ruleArn,
      TARGET_ARN: queueArn('gone'),
      ERROR_CODE: 'QueueDoesNotExist',
      RETRY_ATTEMPTS: '0',
    });
    // A missing queue is not worth retrying.
    expect(metrics(h)['RetryInvocationAttempts']).toBeUndefined();
    expect(metrics(h)).toMatchObject({ InvocationsSentToDlq: 1 });
  });

  it('stores other targets and delivers them once a deliverer is registered', async () => {
    const h = harness();
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:notify';
    await h.call('PutRule', {
      Name: 'r',
      EventPattern: JSON.stringify({ source: ['shop.orders'] }),
    });
    await h.call('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 'fn', Arn: fn, InputPath: '$.detail' }],
    });
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    expect(metrics(h)).toMatchObject({ UndeliveredInvocations: 1 });

    const seen: DeliveryRequest[] = [];
    const unregister = h.eb.registerTargetDeliverer('arn:aws:lambda:', (request) => {
      seen.push(request);
    });
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toBe('{"orderId":"o-1"}');
    expect(seen[0]?.rule).toEqual({
      name: 'r',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/r',
      busName: 'default',
    });
    unregister();
    await h.call('PutEvents', { Entries: [entry()] });
    await h.eb.settled();
    expect(seen).toHaveLength(1);
  });

  it('survives a deliverer that throws anything', async () => {
    const h = harness();
    h.eb.registerTargetDeliverer('arn:aws:lambda:', () => {
      throw 'not even an Error';
    });
    await h.call('PutRule', {
      Name: 'r',
      EventPattern: JSON.stringify({ source: ['shop.orders'] }),
    });
    await h.call('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }],
    });
    const result = await h.call<{ FailedEntryCount: number }>('PutEvents', { Entries: [entry()] });
    expect(result.FailedEntryCount).toBe(0); // delivery failures never show in PutEvents
    await h.eb.settled();
    expect(h.eb.failedInvocations()).toHaveLength(1);
    await h.eb.stop();
  });

  it('stop() cancels pending retries', async () => {
    const h = harness({ retry: { maxRetries: 5, initialDelayMs: 10_000, maxDelayMs: 10_000 } });
    await ruleToQueue(h, { rule: 'r', queue: 'q' });
    h.sqs.failNext = 100;
    await h.call('PutEvents', { Entries: [entry()] });
    await new Promise((resolve) => setImmediate(resolve));
    await h.eb.stop();
    expect(h.sqs.sent).toEqual([]);
  });
});
