import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalCloud, type LocalCloud } from '@shop/local-cloud';
import { commit } from '../plumbing/outbox.js';
import {
  clientConfig,
  fromRounds,
  latencyRows,
  type Row,
  ratios,
  interleave,
  now,
  rate,
  type Benchmark,
} from '@shop/local-cloud/bench';
import { stockReserved } from './lib/shop-events.js';

const TABLE = 'bench-service';
/** Concurrent writers in the "busy" variant; sequential writers show the per-call cost best. */
const BUSY_WRITERS = 4;

export const dynamodbBenchmark: Benchmark = {
  name: 'dynamodb',
  description:
    'TransactWriteItems (marker + state + outbox) via the edge vs DynamoDB Local, stream lag',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 8;
    const windowMs = ctx.quick ? 400 : 1200;
    const lagSamples = ctx.quick ? 10 : 30;
    let cloud: LocalCloud | undefined;
    const clients: { destroy(): void }[] = [];
    try {
      cloud = await startLocalCloud({ port: 0 });
      if (!cloud.dynamodbEndpoint) throw new Error('The cloud started without DynamoDB Local.');
      const edgeDdb = new DynamoDBClient(clientConfig(cloud.endpoint));
      const directDdb = new DynamoDBClient(clientConfig(cloud.dynamodbEndpoint));
      const streams = new DynamoDBStreamsClient(clientConfig(cloud.endpoint));
      clients.push(edgeDdb, directDdb, streams);
      const viaEdge = DynamoDBDocumentClient.from(edgeDdb);
      const direct = DynamoDBDocumentClient.from(directDdb);

      // A service table as ServiceTable declares it: `pk` only, NEW_IMAGE stream for the outbox.
      await edgeDdb.send(
        new CreateTableCommand({
          TableName: TABLE,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );

      // The shape every consumer writes: processed marker + state + outbox row, conditioned.
      const write = async (client: DynamoDBDocumentClient) => {
        const event = stockReserved();
        const orderId = event.detail.data.orderId;
        await commit(client, TABLE, {
          handledEventId: randomUUID(),
          writes: [
            {
              Put: {
                TableName: TABLE,
                Item: { pk: `RESERVATION#${orderId}`, kind: 'reservation', version: 1, orderId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
          events: [event],
        });
        return event.detail.metadata.eventId;
      };
      const step = (client: DynamoDBDocumentClient) => async () => {
        await write(client);
        return 1;
      };

      ctx.log('dynamodb: warming up the JVM');
      await rate(step(viaEdge), ctx.quick ? 600 : 2000, 2);
      await rate(step(direct), ctx.quick ? 600 : 2000, 2);
      ctx.log(`dynamodb: ${rounds} rounds of edge vs direct, 1 and ${BUSY_WRITERS} writers`);
      const tx = await interleave(rounds, {
        edge: () => rate(step(viaEdge), windowMs, 1),
        direct: () => rate(step(direct), windowMs, 1),
        edgeBusy: () => rate(step(viaEdge), windowMs, BUSY_WRITERS),
        directBusy: () => rate(step(direct), windowMs, BUSY_WRITERS),
      });

      ctx.log(`dynamodb: ${rounds} rounds of ${lagSamples} stream reads`);
      const table = await edgeDdb.send(new DescribeTableCommand({ TableName: TABLE }));
      const streamArn = table.Table?.LatestStreamArn;
      const stream = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const shardId = stream.StreamDescription?.Shards?.at(-1)?.ShardId;
      const start = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'LATEST',
        }),
      );
      let iterator = start.ShardIterator;
      const lag: number[][] = [];
      const emptyPoll: number[][] = [];
      for (let r = 0; r < rounds; r++) {
        const lagRound: number[] = [];
        const pollRound: number[] = [];
        for (let i = 0; i < lagSamples; i++) {
          const eventId = await write(viaEdge);
          const committedAt = now();
          // Poll without pause, as a stream consumer keeping up would; resolution is one poll.
          for (let seen = false; !seen;) {
            const polledAt = now();
            const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
            iterator = out.NextShardIterator;
            if (!iterator) throw new Error(`The stream's shard closed while reading (${shardId}).`);
            const records = out.Records ?? [];
            if (records.length === 0) pollRound.push(now() - polledAt);
            seen = records.some((rec) => rec.dynamodb?.NewImage?.['pk']?.S === `OUTBOX#${eventId}`);
            if (seen) lagRound.push(now() - committedAt);
          }
        }
        lag.push(lagRound);
        emptyPoll.push(pollRound);
      }

      const rows: Row[] = [
        fromRounds('via the edge, 1 writer', tx.edge, 'tx/s'),
        fromRounds('direct to DynamoDB Local, 1 writer', tx.direct, 'tx/s'),
        fromRounds('direct ÷ edge, 1 writer', ratios(tx.direct, tx.edge), '×'),
        fromRounds(
          'edge cost per call, 1 writer',
          tx.edge.map((e, i) => 1000 / e - 1000 / tx.direct[i]!),
          'ms',
        ),
        fromRounds(`via the edge, ${BUSY_WRITERS} writers`, tx.edgeBusy, 'tx/s'),
        fromRounds(`direct to DynamoDB Local, ${BUSY_WRITERS} writers`, tx.directBusy, 'tx/s'),
        fromRounds(
          `direct ÷ edge, ${BUSY_WRITERS} writers`,
          ratios(tx.directBusy, tx.edgeBusy),
          '×',
        ),
        ...latencyRows('stream lag (commit to GetRecords)', lag),
        ...(emptyPoll.some((p) => p.length > 0)
          ? latencyRows('empty GetRecords call, for scale', emptyPoll)
          : []),
      ];
      return {
        name: 'dynamodb',
        rows,
        notes: [
          'A tx = one TransactWriteItems of 3 Puts (processed marker, state item, outbox row), each attribute_not_exists, via plumbing/outbox commit().',
          `${windowMs} ms per variant per round; edge and direct interleaved; the JVM warmed up first. Direct = DynamoDB Local's own port (no edge).`,
          'Edge cost per call = 1/edge − 1/direct with one writer: what the edge adds to each call.',
          "Stream lag: time from the write's answer to the GetRecords answer holding its outbox row; GetRecords polled back to back via the edge.",
          `JVM flags: ${process.env['LOCAL_CLOUD_JAVA_OPTS'] ?? 'the default (C1 JIT, serial GC; set LOCAL_CLOUD_JAVA_OPTS to change)'}.`,
        ],
      };
    } finally {
      for (const c of clients) c.destroy();
      await cloud?.stop();
    }
  },
};
