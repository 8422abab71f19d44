import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud } from '../src/index.js';
import { clientConfig } from './lib/aws.js';
import { fromRounds, latencyRows, type Row } from './lib/report.js';
import { ratios } from './lib/stats.js';
import { interleave, now, rate, sleep } from './lib/timing.js';
import type { Benchmark } from './lib/types.js';

/** Concurrent callers, each on its own queue so receives never compete. */
const WORKERS = 2;
/** The body: about the size of an EventBridge-delivered shop event. */
const BODY = JSON.stringify({ kind: 'bench', pad: 'x'.repeat(900) });
const QUERY_AUTH =
  'AWS4-HMAC-SHA256 Credential=bench/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';

export const sqsBenchmark: Benchmark = {
  name: 'sqs',
  description: 'SQS through the edge: batch vs single, JSON vs query protocol, long-poll wake-up',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 6;
    const windowMs = ctx.quick ? 400 : 1200;
    const wakeSamples = ctx.quick ? 10 : 30;
    let cloud: LocalCloud | undefined;
    let sqs: SQSClient | undefined;
    try {
      cloud = await startLocalCloud({ port: 0, dynamodb: false });
      sqs = new SQSClient(clientConfig(cloud.endpoint));
      const client = sqs;
      const endpoint = cloud.endpoint;
      const queues = async (prefix: string, n: number) =>
        Promise.all(
          Array.from({ length: n }, async (_, i) => {
            const out = await client.send(new CreateQueueCommand({ QueueName: `${prefix}-${i}` }));
            return out.QueueUrl!;
          }),
        );

      // One step = 10 messages sent, received and deleted, so both variants do the same work.
      const singleUrls = await queues('single', WORKERS);
      const single = async (w: number) => {
        const url = singleUrls[w]!;
        for (let i = 0; i < 10; i++) {
          await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: BODY }));
        }
        for (let got = 0; got < 10;) {
          const r = await client.send(
            new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }),
          );
          for (const m of r.Messages ?? []) {
            await client.send(
              new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }),
            );
            got++;
          }
        }
        return 10;
      };
      const batchUrls = await queues('batch', WORKERS);
      const batch = async (w: number) => {
        const url = batchUrls[w]!;
        await client.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: BODY })),
          }),
        );
        for (let got = 0; got < 10;) {
          const r = await client.send(
            new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
          );
          const msgs = r.Messages ?? [];
          if (msgs.length === 0) continue;
          await client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: url,
              Entries: msgs.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
            }),
          );
          got += msgs.length;
        }
        return 10;
      };

      // One step = one message sent, received and deleted, one call each.
      const sdkUrls = await queues('sdk-json', WORKERS);
      const sdkJson = async (w: number) => {
        const url = sdkUrls[w]!;
        await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: BODY }));
        const r = await client.send(new ReceiveMessageCommand({ QueueUrl: url }));
        const handle = r.Messages?.[0]?.ReceiptHandle;
        await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle }));
        return 1;
      };
      const jsonCall = async (action: string, input: Record<string, unknown>) => {
        const res = await fetch(`${endpoint}/`, {
          method: 'POST',
          headers: {
            'x-amz-target': `AmazonSQS.${action}`,
            'content-type': 'application/x-amz-json-1.0',
          },
          body: JSON.stringify(input),
        });
        const out = (await res.json()) as Record<string, unknown>;
        if (!res.ok)
          throw new Error(`SQS ${action} answered ${res.status}: ${JSON.stringify(out)}`);
        return out;
      };
      const fetchJsonUrls = await queues('fetch-json', WORKERS);
      const fetchJson = async (w: number) => {
        const url = fetchJsonUrls[w]!;
        await jsonCall('SendMessage', { QueueUrl: url, MessageBody: BODY });
        const r = (await jsonCall('ReceiveMessage', { QueueUrl: url })) as {
          Messages?: { ReceiptHandle: string }[];
        };
        await jsonCall('DeleteMessage', {
          QueueUrl: url,
          ReceiptHandle: r.Messages?.[0]?.ReceiptHandle,
        });
        return 1;
      };
      const queryCall = async (url: string, params: Record<string, string>) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
            authorization: QUERY_AUTH,
          },
          body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
        });
        const xml = await res.text();
        if (!res.ok) throw new Error(`SQS ${params['Action']} answered ${res.status}: ${xml}`);
        return xml;
      };
      const queryUrls = await queues('fetch-query', WORKERS);
      const fetchQuery = async (w: number) => {
        const url = queryUrls[w]!;
        await queryCall(url, { Action: 'SendMessage', MessageBody: BODY });
        const xml = await queryCall(url, { Action: 'ReceiveMessage' });
        const handle = /<ReceiptHandle>([^<]+)<\/ReceiptHandle>/.exec(xml)?.[1];
        if (!handle) throw new Error(`ReceiveMessage returned no message: ${xml}`);
        await queryCall(url, { Action: 'DeleteMessage', ReceiptHandle: handle });
        return 1;
      };

      const run = (step: (w: number) => Promise<number>, ms: number) => rate(step, ms, WORKERS);
      ctx.log('sqs: warming up');
      for (const step of [single, batch, sdkJson, fetchJson, fetchQuery])
        await run(step, ctx.quick ? 150 : 400);
      ctx.log(`sqs: ${rounds} rounds of batch vs single`);
      const cycle = await interleave(rounds, {
        single: () => run(single, windowMs),
        batch: () => run(batch, windowMs),
      });
      ctx.log(`sqs: ${rounds} rounds of SDK JSON vs fetch JSON vs fetch query`);
      const proto = await interleave(rounds, {
        sdkJson: () => run(sdkJson, windowMs),
        fetchJson: () => run(fetchJson, windowMs),
        fetchQuery: () => run(fetchQuery, windowMs),
      });

      ctx.log(`sqs: ${rounds} rounds of ${wakeSamples} long-poll wake-ups`);
      const [wakeUrl] = await queues('long-poll', 1);
      const wake: number[][] = [];
      const sendCall: number[][] = [];
      for (let r = 0; r < rounds; r++) {
        const wakeRound: number[] = [];
        const sendRound: number[] = [];
        for (let i = 0; i < wakeSamples; i++) {
          const received = client
            .send(new ReceiveMessageCommand({ QueueUrl: wakeUrl, WaitTimeSeconds: 5 }))
            .then((out) => ({ at: now(), out }));
          await sleep(30); // let the receive reach the queue and wait there
          const sentAt = now();
          await client.send(new SendMessageCommand({ QueueUrl: wakeUrl, MessageBody: BODY }));
          sendRound.push(now() - sentAt);
          const { at, out } = await received;
          const handle = out.Messages?.[0]?.ReceiptHandle;
          if (!handle) throw new Error('A long poll ended without the message sent to wake it.');
          wakeRound.push(at - sentAt);
          await client.send(new DeleteMessageCommand({ QueueUrl: wakeUrl, ReceiptHandle: handle }));
        }
        wake.push(wakeRound);
        sendCall.push(sendRound);
      }

      const rows: Row[] = [
        fromRounds('single calls (send, receive, delete)', cycle.single, 'msgs/s'),
        fromRounds('batches of 10', cycle.batch, 'msgs/s'),
        fromRounds('batch ÷ single', ratios(cycle.batch, cycle.single), '×'),
        fromRounds('JSON protocol, SDK', proto.sdkJson, 'msgs/s'),
        fromRounds('JSON protocol, fetch', proto.fetchJson, 'msgs/s'),
        fromRounds('query protocol, fetch', proto.fetchQuery, 'msgs/s'),
        fromRounds('query ÷ JSON (both fetch)', ratios(proto.fetchQuery, proto.fetchJson), '×'),
        fromRounds('SDK ÷ fetch (both JSON)', ratios(proto.sdkJson, proto.fetchJson), '×'),
        ...latencyRows('long-poll wake-up (send call to delivery)', wake),
        ...latencyRows('SendMessage call, for scale', sendCall),
      ];
      return {
        name: 'sqs',
        rows,
        notes: [
          `${WORKERS} concurrent callers, each on its own queue; ${windowMs} ms per variant per round; ~1 KB bodies.`,
          'A msg = one message sent, received and deleted. Client and cloud share this process (and its CPU).',
          'Protocol rows use one call per action (send, receive, delete); "fetch" is a bare HTTP client.',
          `Wake-up: a receive waits (WaitTimeSeconds 5), then a send; ${wakeSamples} samples per round.`,
        ],
      };
    } finally {
      sqs?.destroy();
      await cloud?.stop();
    }
  },
};
