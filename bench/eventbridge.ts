import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { allContracts } from '../events/catalog.js';
import { OrderPlaced, patternFor } from '../events/index.js';
import { startLocalCloud, type LocalCloud } from '@shop/local-cloud';
import {
  Arrivals,
  clientConfig,
  fromRounds,
  latencyRows,
  type Row,
  ratios,
  now,
  type Benchmark,
} from '@shop/local-cloud/bench';
import { orderPlaced } from './lib/shop-events.js';

const RULE_COUNTS = [1, 5, 20] as const;
/** PutEvents calls in flight at once while measuring throughput (10 entries each). */
const PRODUCERS = 2;
const SETTLE_TIMEOUT_MS = 60_000;

interface Bus {
  rules: number;
  name: string;
  arrivals: Arrivals;
}

export const eventbridgeBenchmark: Benchmark = {
  name: 'eventbridge',
  description: 'PutEvents -> rules -> SQS targets: events/s and delivery latency by rule count',
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 5;
    const burst = ctx.quick ? 60 : 300;
    const paced = ctx.quick ? 8 : 20;
    let cloud: LocalCloud | undefined;
    let events: EventBridgeClient | undefined;
    let sqs: SQSClient | undefined;
    // One controller per receiver: the SDK adds an abort listener per call, and 26 on one
    // signal would trip Node's leak warning.
    const stopReceiving: AbortController[] = [];
    const receivers: Promise<void>[] = [];
    try {
      cloud = await startLocalCloud({ port: 0, dynamodb: false });
      const eb = (events = new EventBridgeClient(clientConfig(cloud.endpoint)));
      const q = (sqs = new SQSClient(clientConfig(cloud.endpoint)));
      const local = cloud;

      // Every rule matches OrderPlaced (plus one other contract, as subscriptions do), so an
      // event fans out to one queue per rule: the shop's rule -> queue -> consumer shape.
      const buses: Bus[] = [];
      for (const rules of RULE_COUNTS) {
        const bus: Bus = { rules, name: `bench-${rules}`, arrivals: new Arrivals() };
        await eb.send(new CreateEventBusCommand({ Name: bus.name }));
        for (let j = 0; j < rules; j++) {
          const queue = await q.send(new CreateQueueCommand({ QueueName: `${bus.name}-${j}` }));
          const queueUrl = queue.QueueUrl!;
          const pattern = patternFor([OrderPlaced, allContracts[j % allContracts.length]!]);
          await eb.send(
            new PutRuleCommand({
              Name: `sub-${j}`,
              EventBusName: bus.name,
              EventPattern: JSON.stringify(pattern),
            }),
          );
          const put = await eb.send(
            new PutTargetsCommand({
              Rule: `sub-${j}`,
              EventBusName: bus.name,
              Targets: [{ Id: 'queue', Arn: local.sqs.queueArnFromUrl(queueUrl) }],
            }),
          );
          if (put.FailedEntryCount) throw new Error(`PutTargets failed: ${JSON.stringify(put)}`);
          const stop = new AbortController();
          stopReceiving.push(stop);
          receivers.push(receive(q, queueUrl, bus.arrivals, stop.signal));
        }
        buses.push(bus);
      }

      const put = async (bus: Bus, entries: { id: string; entry: PutEventsRequestEntry }[]) => {
        const sentAt = now();
        for (const e of entries) bus.arrivals.expect(e.id, sentAt, bus.rules);
        const out = await eb.send(new PutEventsCommand({ Entries: entries.map((e) => e.entry) }));
        if (out.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(out)}`);
      };
      const make = (bus: Bus, n: number) =>
        Array.from({ length: n }, () => {
          const event = orderPlaced();
          return {
            id: event.detail.metadata.eventId,
            entry: {
              EventBusName: bus.name,
              Source: event.source,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
            },
          };
        });

      /** Events per second from the first put until every copy is received and deleted. */
      const throughput = async (bus: Bus, n: number) => {
        const all = make(bus, n);
        const start = now();
        await Promise.all(
          Array.from({ length: PRODUCERS }, async () => {
            for (let batch = all.splice(0, 10); batch.length > 0; batch = all.splice(0, 10)) {
              await put(bus, batch);
            }
          }),
        );
        await bus.arrivals.settled(SETTLE_TIMEOUT_MS);
        bus.arrivals.take();
        return (n / (now() - start)) * 1000;
      };
      /** One event at a time into idle queues: each copy's put-to-receive time. */
      const latency = async (bus: Bus, n: number) => {
        for (const one of make(bus, n)) {
          await put(bus, [one]);
          await bus.arrivals.settled(SETTLE_TIMEOUT_MS);
        }
        return bus.arrivals.take();
      };

      ctx.log('eventbridge: warming up');
      for (const bus of buses) {
        await throughput(bus, 20);
        await latency(bus, 3);
      }
      const rate = new Map<number, number[]>(RULE_COUNTS.map((k) => [k, []]));
      const copyMs = new Map<number, number[][]>(RULE_COUNTS.map((k) => [k, []]));
      const lastMs = new Map<number, number[][]>(RULE_COUNTS.map((k) => [k, []]));
      for (let r = 0; r < rounds; r++) {
        ctx.log(`eventbridge: round ${r + 1}/${rounds}`);
        for (let i = 0; i < buses.length; i++) {
          const bus = buses[(i + r) % buses.length]!; // rotate so drift falls on all alike
          rate.get(bus.rules)!.push(await throughput(bus, burst));
          const perEvent = await latency(bus, paced);
          copyMs.get(bus.rules)!.push(perEvent.flat());
          lastMs.get(bus.rules)!.push(perEvent.map((ms) => Math.max(...ms)));
        }
      }

      const rows: Row[] = [];
      for (const k of RULE_COUNTS) {
        const rules = `${k} rule${k === 1 ? '' : 's'}`;
        rows.push(fromRounds(`${rules}: events in`, rate.get(k)!, 'events/s'));
        rows.push(
          fromRounds(
            `${rules}: deliveries out`,
            rate.get(k)!.map((v) => v * k),
            'msgs/s',
          ),
        );
        rows.push(...latencyRows(`${rules}: put to receive`, copyMs.get(k)!));
        if (k > 1)
          rows.push(...latencyRows(`${rules}: put to last of ${k} queues`, lastMs.get(k)!));
      }
      for (const k of RULE_COUNTS.slice(1)) {
        rows.push(
          fromRounds(`events/s, ${k} rules ÷ 1 rule`, ratios(rate.get(k)!, rate.get(1)!), '×'),
        );
      }
      return {
        name: 'eventbridge',
        rows,
        notes: [
          'Every rule matches every event and targets its own queue: k rules = k deliveries per event.',
          `Throughput: ${burst} events per round in PutEvents batches of 10 (${PRODUCERS} in flight), timed until every copy is received and deleted.`,
          `Latency: ${paced} events per round, one at a time, each queue long-polled (SDK ReceiveMessage, WaitTimeSeconds 20).`,
          'Client and cloud share this process (and its CPU).',
        ],
      };
    } finally {
      for (const stop of stopReceiving) stop.abort();
      await Promise.allSettled(receivers);
      events?.destroy();
      sqs?.destroy();
      await cloud?.stop();
    }
  },
};

/** Long-polls one queue until aborted, reporting each message's event id and deleting it. */
async function receive(
  sqs: SQSClient,
  queueUrl: string,
  arrivals: Arrivals,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    let messages;
    try {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 20,
        }),
        { abortSignal: signal },
      );
      messages = out.Messages ?? [];
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const at = now();
    for (const m of messages) {
      const body = JSON.parse(m.Body ?? '{}') as { detail?: { metadata?: { eventId?: string } } };
      arrivals.arrived(body.detail?.metadata?.eventId ?? '', at);
    }
    if (messages.length === 0) continue;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}
