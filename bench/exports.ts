/**
 * `npm run bench -- --only exports`: the export worker's run (the by-customer
 * index read page by page, the CSV streamed to S3 through lib-storage's
 * Upload, progress writes, the SUCCEEDED commit) against the local cloud, with
 * 20,000 orders of one customer written straight into an orders table shaped
 * as the CDK stack makes it. Rows per second, and the heap the run needed at
 * most, for a quarter of the orders and for all of them: the second should
 * not need four times the first.
 */
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalCloud, type LocalCloud } from '@shop/local-cloud';
import {
  clientConfig,
  now,
  single,
  snapshot,
  type Benchmark,
  type Row,
} from '@shop/local-cloud/bench';
import { orderItem } from '../functions/orders/adapters/dynamo-order-store.js';
import { runExport } from '../functions/orders/domain/exports/decider.js';
import { noExport } from '../functions/orders/domain/exports/state.js';
import {
  exportItem,
  dynamoExportStore,
} from '../functions/orders/exports/adapters/dynamo-export-store.js';
import { dynamoOrderPages } from '../functions/orders/exports/adapters/dynamo-order-pages.js';
import { s3ObjectWriter } from '../functions/orders/exports/adapters/s3-object-writer.js';
import { makeRunExport } from '../functions/orders/handlers/export-worker.js';
import type { Order } from '../functions/orders/domain/state.js';

const TABLE = 'bench-orders';
const BUCKET = 'bench-exports';
const CUSTOMER = 'bench-customer';
const INDEXES = { byCustomer: 'ordersByCustomer', byDay: 'ordersByDay' };
const SEALED = `pii:v1:${'A'.repeat(24)}:${'B'.repeat(16)}:${'C'.repeat(22)}:${'D'.repeat(40)}`;
const MiB = 1024 * 1024;

function order(n: number, placedAt: string): Order {
  return {
    status: 'CONFIRMED',
    orderId: `ord_${n.toString(16).padStart(32, '0')}`,
    customerId: CUSTOMER,
    lines: [
      { sku: 'MUG-001', quantity: 1 + (n % 3) },
      { sku: 'TEE-002', quantity: 1 },
    ],
    shippingAddressCiphertext: SEALED,
    placedAt,
    updatedAt: placedAt,
    pricing: {
      lines: [
        { sku: 'MUG-001', quantity: 1 + (n % 3), unitPriceCents: 1200 },
        { sku: 'TEE-002', quantity: 1, unitPriceCents: 2500 },
      ],
      amountCents: 1200 * (1 + (n % 3)) + 2500,
      currency: 'USD',
    },
    authorization: {
      paymentId: `pay_${n}`,
      amountCents: 1200 * (1 + (n % 3)) + 2500,
      currency: 'USD',
    },
    confirmedAt: placedAt,
  };
}

export const exportsBenchmark: Benchmark = {
  name: 'exports',
  description: 'the export worker: 20,000 orders read by index and streamed as CSV to local S3',
  async run(ctx) {
    const total = ctx.quick ? 5000 : 20_000;
    let cloud: LocalCloud | undefined;
    const clients: { destroy(): void }[] = [];
    try {
      cloud = await startLocalCloud({ port: 0 });
      const config = clientConfig(cloud.endpoint);
      const ddb = new DynamoDBClient(config);
      // S3 checks signatures, with the keys the local cloud knows (local/local).
      const s3 = new S3Client({
        ...config,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        forcePathStyle: true,
      });
      clients.push(ddb, s3);
      const doc = DynamoDBDocumentClient.from(ddb, {
        marshallOptions: { removeUndefinedValues: true },
      });

      // The orders table as infra/constructs/order-exports.ts indexes it.
      const attr = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
      const projection = (extra: string[]) => ({
        ProjectionType: 'INCLUDE' as const,
        NonKeyAttributes: ['orderId', 'status', 'lines', 'pricing', 'reason', ...extra],
      });
      await ddb.send(
        new CreateTableCommand({
          TableName: TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            attr('pk'),
            attr('customerId'),
            attr('placedAt'),
            attr('placedDay'),
          ],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: INDEXES.byCustomer,
              KeySchema: [
                { AttributeName: 'customerId', KeyType: 'HASH' },
                { AttributeName: 'placedAt', KeyType: 'RANGE' },
              ],
              Projection: projection([]),
            },
            {
              IndexName: INDEXES.byDay,
              KeySchema: [
                { AttributeName: 'placedDay', KeyType: 'HASH' },
                { AttributeName: 'placedAt', KeyType: 'RANGE' },
              ],
              Projection: projection(['customerId']),
            },
          ],
        }),
      );
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

      ctx.log(`exports: writing ${total} orders into the table`);
      const start = Date.parse('2026-01-01T00:00:00.000Z');
      const placedAt = (n: number) => new Date(start + n * 60_000).toISOString();
      const seeded = now();
      for (let i = 0; i < total; i += 25) {
        const batch = [];
        for (let n = i; n < Math.min(total, i + 25); n++) {
          batch.push({ PutRequest: { Item: orderItem(order(n, placedAt(n)), 3) } });
        }
        let pending: typeof batch | undefined = batch;
        while (pending && pending.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
          pending = out.UnprocessedItems?.[TABLE] as typeof batch | undefined;
        }
      }
      ctx.log(`exports: seeded in ${((now() - seeded) / 1000).toFixed(1)} s`);

      const store = dynamoExportStore(doc, TABLE);
      const run = makeRunExport({
        ...store,
        readOrderPages: dynamoOrderPages(doc, TABLE, INDEXES),
        openObjectWriter: s3ObjectWriter(s3, BUCKET),
        now: () => new Date(),
      });

      const exportOnce = async (label: string, rows: number): Promise<Row[]> => {
        const exportId = `exp_${rows.toString(16).padStart(32, '0')}`;
        const { job } = runExport(
          {
            type: 'RequestExport',
            at: new Date().toISOString(),
            data: {
              exportId,
              requestedBy: CUSTOMER,
              scope: { kind: 'customer', customerId: CUSTOMER },
              from: placedAt(0),
              to: placedAt(rows),
              format: 'csv',
            },
          },
          noExport,
        );
        await doc.send(new PutCommand({ TableName: TABLE, Item: exportItem(job, 1) }));
        const before = snapshot();
        let peak = process.memoryUsage().heapUsed;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }, 5);
        const t = now();
        const outcome = await run(exportId, { correlationId: exportId, causationId: 'bench' });
        const seconds = (now() - t) / 1000;
        clearInterval(sampler);
        const stored = await store.loadExport(exportId);
        if (
          outcome !== 'succeeded' ||
          stored?.job.status !== 'SUCCEEDED' ||
          stored.job.rows !== rows
        ) {
          throw new Error(
            `The ${label} export ended ${outcome} with ${JSON.stringify(stored?.job)}; expected SUCCEEDED with ${rows} rows.`,
          );
        }
        // The object holds every row and the header.
        const object = await s3.send(
          new GetObjectCommand({ Bucket: BUCKET, Key: stored.job.objectKey }),
        );
        const lines = (await object.Body!.transformToString()).split('\r\n').length - 2;
        if (lines !== rows) throw new Error(`The ${label} object has ${lines} rows, not ${rows}.`);
        return [
          single(`${label}: rows/s`, rows / seconds, 'rows/s'),
          single(`${label}: duration`, seconds * 1000, 'ms'),
          single(`${label}: object size`, stored.job.bytes / MiB, 'MiB'),
          single(
            `${label}: peak heap above the start`,
            (peak - before.heapUsedMiB * MiB) / MiB,
            'MiB',
          ),
        ];
      };

      const quarter = Math.floor(total / 4);
      ctx.log(`exports: exporting ${quarter} and ${total} orders`);
      const rows = [
        ...(await exportOnce(`${quarter} orders`, quarter)),
        ...(await exportOnce(`${total} orders`, total)),
      ];
      return {
        name: 'exports',
        rows,
        notes: [
          `${total} CONFIRMED orders of one customer, two lines each, written straight into a table with the two export indexes; each export reads its window from the by-customer index (pages of 500) and streams to S3 with lib-storage Upload (5 MiB parts, 2 in flight).`,
          'Peak heap: the largest heapUsed sampled every 5 ms during the run, above a collected heap at its start (garbage included: an upper bound).',
          'The worker writes RUNNING with rowsWritten every 500 rows and SUCCEEDED with its ExportSucceeded outbox row at the end; the object is read back and its rows counted.',
        ],
      };
    } finally {
      for (const c of clients) c.destroy();
      await cloud?.stop();
    }
  },
};
