/**
 * An EventBridge rule into a FIFO queue drained by a Lambda event-source
 * mapping: each rule's SqsParameters.MessageGroupId is a group, and each group
 * reaches the function in order even when a batch fails.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedInGroupOrder } from '../../src/app/esm/fifo.js';
import { SqsPoller } from '../../src/app/esm/sqs.js';
import { sdkPollerSqs } from '../../src/app/esm/poller-sqs.js';
import type { MappingConfig, MappingTarget } from '../../src/app/esm/types.js';
import { sleep, startConformance, type Conformance } from './support.js';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

interface Seen {
  group: string;
  body: { detail: { n: number } };
  id: string;
}

describe('EventBridge -> FIFO queue -> event-source mapping', () => {
  it('refuses a FIFO queue target without SqsParameters.MessageGroupId', async () => {
    await c.events.send(new PutRuleCommand({ Name: 'no-group', EventPattern: '{"source":["x"]}' }));
    const out = await c.events
      .send(
        new PutTargetsCommand({
          Rule: 'no-group',
          Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:any.fifo' }],
        }),
      )
      .catch((e: Error) => e);
    const message = out instanceof Error ? out.message : JSON.stringify(out.FailedEntries);
    expect(message).toMatch(/SqsParameters must be specified for target: t/);
  });

  it('keeps each group in order through a failed batch', async () => {
    const queueName = 'orders-e2e.fifo';
    await c.sqs.send(
      new CreateQueueCommand({
        QueueName: queueName,
        // Content-based deduplication off: EventBridge sends the event id as MessageDeduplicationId.
        Attributes: { FifoQueue: 'true', VisibilityTimeout: '1' },
      }),
    );
    const queueArn = `arn:aws:sqs:us-east-1:000000000000:${queueName}`;
    for (const group of ['g1', 'g2']) {
      await c.events.send(
        new PutRuleCommand({
          Name: `to-fifo-${group}`,
          EventPattern: JSON.stringify({ source: [`shop.${group}`] }),
        }),
      );
      await c.events.send(
        new PutTargetsCommand({
          Rule: `to-fifo-${group}`,
          Targets: [{ Id: 'q', Arn: queueArn, SqsParameters: { MessageGroupId: group } }],
        }),
      );
    }
    for (let n = 1; n <= 4; n++) {
      for (const group of ['g1', 'g2']) {
        await c.events.send(
          new PutEventsCommand({
            Entries: [
              { Source: `shop.${group}`, DetailType: 'Step', Detail: JSON.stringify({ n }) },
            ],
          }),
        );
        await c.cloud.events.settled();
      }
    }

    const done: Record<string, number[]> = { g1: [], g2: [] };
    let failedOnce = false;
    const target: MappingTarget = {
      label: 'Conformance/Fn',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
      async invoke(event) {
        const records = (
          event as {
            Records: { attributes: Record<string, string>; body: string; messageId: string }[];
          }
        ).Records;
        const seen: Seen[] = records.map((r) => ({
          group: r.attributes['MessageGroupId']!,
          body: JSON.parse(r.body) as Seen['body'],
          id: r.messageId,
        }));
        // The first time g1's second event arrives, the whole batch fails: its group must wait.
        if (!failedOnce && seen.some((s) => s.group === 'g1' && s.body.detail.n === 2)) {
          failedOnce = true;
          return { ok: false, requestId: 'r', error: { errorType: 'Error', errorMessage: 'once' } };
        }
        for (const s of seen) done[s.group]!.push(s.body.detail.n);
        return { ok: true, requestId: 'r', payload: 'null' };
      },
    };
    const mapping: MappingConfig = {
      uuid: 'u',
      logicalId: 'FifoMapping',
      stackName: 'Conformance',
      functionRef: 'fn',
      eventSourceArn: queueArn,
      enabled: true,
      batchSize: 3,
      reportBatchItemFailures: true,
      maximumConcurrency: 2,
      filterPatterns: [],
    };
    const poller = new SqsPoller(mapping, target, {
      sqs: sdkPollerSqs(c.sqs),
      region: 'us-east-1',
      filter: () => true,
      log: () => undefined,
    });
    poller.start();
    try {
      for (let i = 0; i < 100 && done.g1!.length + done.g2!.length < 8; i++) await sleep(100);
    } finally {
      await poller.stop();
    }
    expect(failedOnce).toBe(true);
    expect(done).toEqual({ g1: [1, 2, 3, 4], g2: [1, 2, 3, 4] });
  });

  it('holds back the later messages of a group whose message a partial response failed', () => {
    const r = (messageId: string, group: string) => ({
      messageId,
      attributes: { MessageGroupId: group },
    });
    const records = [r('a1', 'a'), r('b1', 'b'), r('a2', 'a'), r('a3', 'a'), r('b2', 'b')];
    expect([...failedInGroupOrder(records, new Set(['a2']))].sort()).toEqual(['a2', 'a3']);
  });
});
