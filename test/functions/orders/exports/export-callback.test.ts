import type { SQSRecord } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEvent } from '#events/contract.js';
import { ExportFailed, ExportSucceeded } from '#events';
import { runExport } from '../../../../functions/orders/domain/exports/decider.js';
import { noExport } from '../../../../functions/orders/domain/exports/state.js';
import {
  makeExportCallback,
  makeHandleCompletion,
  type ExportCallbackDeps,
} from '../../../../functions/orders/handlers/export-callback.js';
import { busMessage, context, sqsEvent } from '../../../support/lambda-events.js';
import { fakeDecryptPii, fakeSeal } from '../../../support/pii.js';
import { ADA, EXPORT_ID, requestExport } from './support/fixtures.js';
import { inMemoryExports } from './support/in-memory-exports.js';

const SECRET = `whsec_${Buffer.from('a-secret-of-24-bytes-or-more!').toString('base64')}`;
const NOW = new Date();
const URL_ = 'https://client.example/hooks/exports';

let store: ReturnType<typeof inMemoryExports>;
let posts: { url: string; body: string; headers: Record<string, string> }[];
let delays: { receiptHandle: string; seconds: number }[];
let answers: (number | Error)[];

function deps(): ExportCallbackDeps {
  return {
    ...store,
    decryptPii: fakeDecryptPii,
    postCallback: async (url, body, headers) => {
      posts.push({ url, body, headers });
      const next = answers.shift() ?? 200;
      if (next instanceof Error) throw next;
      return { status: next };
    },
    delayRetry: async (receiptHandle, seconds) => {
      delays.push({ receiptHandle, seconds });
    },
    now: () => NOW,
    random: () => 0.5,
  };
}

const succeeded = createEvent(
  ExportSucceeded,
  {
    exportId: EXPORT_ID,
    requestedBy: ADA,
    rows: 3,
    bytes: 200,
    objectKey: `exports/${ADA}/${EXPORT_ID}.csv`,
    hasCallback: true,
  },
  { correlationId: EXPORT_ID, causationId: 'evt-0' },
);

const record = (receiveCount: number) =>
  ({
    receiptHandle: 'rh-1',
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  }) as unknown as SQSRecord;

const message = (event = succeeded) =>
  busMessage(event) as unknown as Parameters<ReturnType<typeof makeHandleCompletion>>[0];

beforeEach(() => {
  store = inMemoryExports();
  posts = [];
  delays = [];
  answers = [];
  const { job } = runExport(
    requestExport({
      callback: {
        url: URL_,
        secretCiphertext: fakeSeal('exportCallbackSecret', SECRET, EXPORT_ID),
      },
    }),
    noExport,
  );
  store.jobs.set(EXPORT_ID, { job, version: 1 });
});

describe('export callback', () => {
  it('POSTs a Standard Webhooks notice that verifies with the export secret', async () => {
    await makeHandleCompletion(deps())(message(), record(1));
    expect(posts).toHaveLength(1);
    const [{ url, body, headers }] = posts as [(typeof posts)[0]];
    expect(url).toBe(URL_);
    expect(headers['webhook-id']).toBe(succeeded.detail.metadata.eventId);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(NOW.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const verified = new Webhook(SECRET).verify(body, headers);
    expect(verified).toEqual({
      type: 'export.succeeded',
      timestamp: succeeded.detail.metadata.occurredAt,
      data: {
        exportId: EXPORT_ID,
        status: 'SUCCEEDED',
        rows: 3,
        bytes: 200,
        links: { self: `/exports/${EXPORT_ID}` },
      },
    });
    // Another export's secret does not verify it.
    const other = `whsec_${Buffer.from('another-secret-24-bytes-long').toString('base64')}`;
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
    expect(delays).toEqual([]);
  });

  it('reports a failure with its reason', async () => {
    const failed = createEvent(
      ExportFailed,
      {
        exportId: EXPORT_ID,
        requestedBy: ADA,
        reason: { code: 'TooManyRows', message: 'narrow it' },
        hasCallback: true,
      },
      { correlationId: EXPORT_ID, causationId: 'evt-0' },
    );
    await makeHandleCompletion(deps())(message(failed as never), record(1));
    const payload = JSON.parse(posts[0]!.body) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'export.failed',
      data: { status: 'FAILED', reason: { code: 'TooManyRows' } },
    });
  });

  it.each([[500], [404], [302], [new Error('ECONNREFUSED')]])(
    'on %s, backs the message off by the jittered schedule and throws',
    async (answer) => {
      answers = [answer];
      await expect(makeHandleCompletion(deps())(message(), record(3))).rejects.toThrow(
        /tried again in 36 s/,
      );
      // Third receive: step 40 s, 0.5 of the jitter range: 36 s.
      expect(delays).toEqual([{ receiptHandle: 'rh-1', seconds: 36 }]);
    },
  );

  it('keeps the webhook-id across retries, with a fresh timestamp', async () => {
    answers = [500, 200];
    const handle = makeHandleCompletion(deps());
    await expect(handle(message(), record(1))).rejects.toThrow();
    await handle(message(), record(2));
    expect(posts.map((p) => p.headers['webhook-id'])).toEqual([
      succeeded.detail.metadata.eventId,
      succeeded.detail.metadata.eventId,
    ]);
  });

  it('fails only the record whose callback failed (partial batch response)', async () => {
    answers = [500, 200];
    const consumer = makeExportCallback(deps(), { dedup: false });
    const response = await consumer(
      sqsEvent(busMessage(succeeded), busMessage(succeeded)),
      context,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    // First receive: step 10 s, 0.5 of the jitter range: 9 s.
    expect(delays).toEqual([{ receiptHandle: 'rh-0', seconds: 9 }]);
    expect(posts).toHaveLength(2);
  });

  it('delivers nothing for an export without a callback', async () => {
    const { job } = runExport(requestExport(), noExport);
    store.jobs.set(EXPORT_ID, { job, version: 1 });
    await makeHandleCompletion(deps())(message(), record(1));
    expect(posts).toEqual([]);
  });
});
