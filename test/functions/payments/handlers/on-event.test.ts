import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import {
  ProviderUnavailableError,
  createProviderClient,
} from '../../../../functions/payments/adapters/provider.js';
import { consumes } from '../../../../functions/payments/consumes.js';
import {
  makeHandle,
  type PaymentsEvent,
} from '../../../../functions/payments/handlers/on-event.js';
import { createConsumer } from '#plumbing/consumer.js';
import { fakeProvider, memoryStore, orderCancelled, stockReserved } from '../fakes.js';
import { fakeDecryptPii } from '../../../support/pii.js';

function setup(options: Parameters<typeof fakeProvider>[0] = {}) {
  const store = memoryStore();
  const provider = fakeProvider(options);
  const handle = makeHandle({
    decryptPii: fakeDecryptPii,
    ...store,
    charge: provider.charge,
    refund: provider.refund,
  });
  return { store, provider, handle };
}

const net = (ledger: Map<string, { charged: number; refunded: number }>, orderId = 'ord-1') => {
  const e = ledger.get(orderId);
  return e ? e.charged - e.refunded : 0;
};

describe('StockReserved', () => {
  it('records CHARGING first, then charges with the order id and commits AUTHORIZED + PaymentAuthorized', async () => {
    const store = memoryStore();
    const provider = fakeProvider();
    const seenDuringCharge: unknown[] = [];
    const load = vi.fn(store.load);
    const handle = makeHandle({
      decryptPii: fakeDecryptPii,
      ...store,
      load,
      charge: async (req) => {
        seenDuringCharge.push(store.state('ord-1')?.status, req);
        return provider.charge(req);
      },
      refund: provider.refund,
    });
    const event = stockReserved();

    await handle(event);

    expect(seenDuringCharge).toEqual([
      'CHARGING',
      { orderId: 'ord-1', amountCents: 4200, currency: 'USD', token: 'tok_approve' },
    ]);
    expect(store.state('ord-1')).toMatchObject({ status: 'AUTHORIZED', paymentId: 'ch_1' });
    expect(store.saves.map((s) => [s.state.status, s.handledEventId, s.expectedVersion])).toEqual([
      ['CHARGING', event.detail.metadata.eventId, 0],
      ['AUTHORIZED', undefined, 1],
    ]);
    // The charge's answer is decided on the state this delivery committed: one read in all.
    expect(load).toHaveBeenCalledTimes(1);
    expect(store.outbox).toHaveLength(1);
    expect(store.outbox[0]).toMatchObject({
      source: 'shop.payments',
      detailType: 'PaymentAuthorized',
      detail: {
        data: { orderId: 'ord-1', paymentId: 'ch_1', amountCents: 4200, currency: 'USD' },
        metadata: {
          correlationId: 'ord-1',
          causationId: event.detail.metadata.eventId,
          schemaVersion: 1,
        },
      },
    });
  });

  it('opens the sealed token only to charge: no save or event holds it, and a token that does not open charges nothing', async () => {
    const { store, provider, handle } = setup();
    await handle(stockReserved({ paymentToken: 'tok_approve' }));
    expect(JSON.stringify([store.saves, store.outbox])).not.toContain('tok_approve');

    const other = setup();
    const sealedForAnother = stockReserved({ orderId: 'ord-2' });
    const moved = stockReserved({ orderId: 'ord-3' });
    const data = moved.detail.data as { paymentTokenCiphertext: string };
    data.paymentTokenCiphertext = (
      sealedForAnother.detail.data as { paymentTokenCiphertext: string }
    ).paymentTokenCiphertext;
    await expect(other.handle(moved)).rejects.toThrow(/Cannot decrypt paymentToken of order ord-3/);
    expect(other.provider.ledger.size).toBe(0);
    expect(provider.ledger.size).toBe(1);
  });

  it('a decline is a result: DECLINED + PaymentDeclined, and the message succeeds', async () => {
    const { store, handle } = setup();
    await handle(stockReserved({ paymentToken: 'tok_decline' }));
    expect(store.state('ord-1')).toMatchObject({
      status: 'DECLINED',
      declineCode: 'card_declined',
    });
    expect(store.outbox.map((e) => e.detail.data)).toEqual([
      { orderId: 'ord-1', code: 'card_declined', message: 'Your card was declined.' },
    ]);
  });

  it('redelivered after completion: no provider call, nothing published twice', async () => {
    const { store, provider, handle } = setup();
    const event = stockReserved();
    await handle(event);
    await handle(event);
    await handle(stockReserved()); // a replayed copy with a new event id
    expect(provider.calls).toEqual(['charge ord-1']);
    expect(store.published()).toEqual(['PaymentAuthorized']);
  });

  it('redelivered while CHARGING (the first attempt crashed mid-call) re-charges with the same key and completes', async () => {
    let crash = true;
    const { store, provider, handle } = setup({
      duringCharge: async () => {
        if (crash) {
          crash = false;
          throw new Error('Lambda timed out after the provider charged');
        }
      },
    });
    const event = stockReserved();

    await expect(handle(event)).rejects.toThrow(/timed out/);
    expect(store.state('ord-1')?.status).toBe('CHARGING');
    expect(store.outbox).toEqual([]);

    await handle(event);
    expect(provider.calls).toEqual(['charge ord-1', 'charge ord-1']);
    expect(provider.ledger.get('ord-1')).toMatchObject({ charges: 1, charged: 4200 });
    expect(store.state('ord-1')).toMatchObject({ status: 'AUTHORIZED', paymentId: 'ch_1' });
    expect(store.published()).toEqual(['PaymentAuthorized']);
  });

  it('a provider timeout throws so SQS redelivers; the intent stays recorded', async () => {
    const { store, provider, handle } = setup();
    provider.failWith(new ProviderUnavailableError('timed out after 2000 ms'));
    await expect(handle(stockReserved())).rejects.toThrow(ProviderUnavailableError);
    expect(store.state('ord-1')?.status).toBe('CHARGING');
    expect(store.outbox).toEqual([]);
  });
});

describe('OrderCancelled', () => {
  it('before StockReserved leaves a tombstone: the late StockReserved charges and emits nothing', async () => {
    const { store, provider, handle } = setup();
    await handle(orderCancelled());
    expect(store.state('ord-1')?.status).toBe('CANCELLED_BEFORE_CHARGE');
    await handle(stockReserved());
    expect(provider.calls).toEqual([]);
    expect(store.outbox).toEqual([]);
    expect(store.state('ord-1')).toMatchObject({ skippedAmountCents: 4200 });
  });

  it('after authorization refunds with the provider -> REFUNDED + PaymentRefunded, net zero', async () => {
    const { store, provider, handle } = setup();
    await handle(stockReserved());
    await handle(orderCancelled());
    expect(provider.calls).toEqual(['charge ord-1', 'refund ord-1']);
    expect(store.state('ord-1')).toMatchObject({ status: 'REFUNDED', refundId: 're_2' });
    expect(store.published()).toEqual(['PaymentAuthorized', 'PaymentRefunded']);
    expect(store.outbox[1]?.detail.data).toEqual({
      orderId: 'ord-1',
      paymentId: 'ch_1',
      amountCents: 4200,
      currency: 'USD',
    });
    expect(net(provider.ledger)).toBe(0);
  });

  it('a failed refund throws and the redelivery finishes it (REFUND_PENDING is the recorded intent)', async () => {
    const { store, provider, handle } = setup();
    await handle(stockReserved());
    const cancel = orderCancelled();
    provider.failWith(new ProviderUnavailableError('provider answered 503'));
    await expect(handle(cancel)).rejects.toThrow(ProviderUnavailableError);
    expect(store.state('ord-1')?.status).toBe('REFUND_PENDING');
    await handle(cancel);
    expect(store.state('ord-1')?.status).toBe('REFUNDED');
    expect(store.published()).toEqual(['PaymentAuthorized', 'PaymentRefunded']);
    expect(net(provider.ledger)).toBe(0);
  });

  it('after a refund (redelivered cancel) and after a decline do nothing', async () => {
    const { store, provider, handle } = setup();
    await handle(stockReserved());
    await handle(orderCancelled());
    await handle(orderCancelled());
    expect(provider.calls).toEqual(['charge ord-1', 'refund ord-1']);

    await handle(stockReserved({ orderId: 'ord-2', paymentToken: 'tok_decline' }));
    await handle(orderCancelled({ orderId: 'ord-2' }));
    expect(store.state('ord-2')?.status).toBe('DECLINED');
    expect(provider.calls).toEqual(['charge ord-1', 'refund ord-1', 'charge ord-2']);
    expect(store.published()).toEqual(['PaymentAuthorized', 'PaymentRefunded', 'PaymentDeclined']);
  });

  it('that overtakes the in-flight charge is remembered, and the charging path refunds at once', async () => {
    const store = memoryStore();
    let handle: (e: PaymentsEvent) => Promise<void> = async () => {};
    const cancel = orderCancelled();
    const provider = fakeProvider({
      // While the provider is charging, the cancellation is delivered and handled.
      duringCharge: () => handle(cancel),
    });
    handle = makeHandle({
      decryptPii: fakeDecryptPii,
      ...store,
      charge: provider.charge,
      refund: provider.refund,
    });

    await handle(stockReserved());

    expect(store.saves.map((s) => s.state.status)).toEqual([
      'CHARGING',
      'CHARGING', // cancelRequested, by the OrderCancelled delivery (no provider call there)
      'REFUND_PENDING', // PaymentAuthorized recorded with the refund intent
      'REFUNDED',
    ]);
    expect(store.saves[1]?.state).toMatchObject({ cancelRequested: true });
    expect(store.saves[1]?.handledEventId).toBe(cancel.detail.metadata.eventId);
    expect(store.published()).toEqual(['PaymentAuthorized', 'PaymentRefunded']);
    expect(provider.calls).toEqual(['charge ord-1', 'refund ord-1']);
    expect(net(provider.ledger)).toBe(0);
  });

  it('that overtakes a charge whose delivery then crashed: the StockReserved redelivery charges (same key) and refunds', async () => {
    let crash = true;
    const { store, provider, handle } = setup({
      duringCharge: async () => {
        if (crash) {
          crash = false;
          throw new Error('crashed mid-call');
        }
      },
    });
    const reserved = stockReserved();
    await expect(handle(reserved)).rejects.toThrow('crashed mid-call');
    await handle(orderCancelled());
    expect(store.state('ord-1')).toMatchObject({ status: 'CHARGING', cancelRequested: true });

    await handle(reserved);
    expect(store.state('ord-1')?.status).toBe('REFUNDED');
    expect(provider.ledger.get('ord-1')).toMatchObject({ charges: 1, charged: 4200 });
    expect(net(provider.ledger)).toBe(0);
  });

  it('two deliveries of the same event at once: the loser sees "duplicate" and carries on', async () => {
    const { store, provider, handle } = setup();
    const event = stockReserved();
    await Promise.all([handle(event), handle(event)]);
    expect(store.state('ord-1')?.status).toBe('AUTHORIZED');
    expect(store.published()).toEqual(['PaymentAuthorized']);
    expect(provider.ledger.get('ord-1')?.charges).toBe(1);
  });
});

describe('with the real provider client over a fake fetch', () => {
  it('a provider timeout throws ProviderUnavailableError for redelivery', async () => {
    const store = memoryStore();
    const hangs: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const client = createProviderClient({
      baseUrl: 'http://provider.test',
      timeoutMs: 20,
      retries: 1,
      initialDelayMs: 1,
      fetch: hangs,
    });
    const handle = makeHandle({
      decryptPii: fakeDecryptPii,
      ...store,
      charge: client.charge,
      refund: client.refund,
    });
    await expect(handle(stockReserved())).rejects.toThrow(
      /failed after 2 attempt\(s\): timed out after 20 ms/,
    );
    expect(store.state('ord-1')?.status).toBe('CHARGING');
  });

  it('with the circuit open, fails fast without calling the provider', async () => {
    const store = memoryStore();
    const fetchFn = vi.fn<typeof fetch>(async () => new Response('{}', { status: 503 }));
    const client = createProviderClient({
      baseUrl: 'http://provider.test',
      retries: 0,
      breakerThreshold: 1,
      halfOpenAfterMs: 60_000,
      fetch: fetchFn,
    });
    const handle = makeHandle({
      decryptPii: fakeDecryptPii,
      ...store,
      charge: client.charge,
      refund: client.refund,
    });
    await expect(handle(stockReserved())).rejects.toThrow(/answered 503/);
    await expect(handle(stockReserved({ orderId: 'ord-2' }))).rejects.toThrow(/circuit is open/);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(store.state('ord-2')?.status).toBe('CHARGING');
  });
});

describe('through the SQS consumer', () => {
  const record = (event: PaymentsEvent, messageId: string) => ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(event),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1700000000000',
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: '1700000000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:payments',
    awsRegion: 'us-east-1',
  });

  it('a provider failure fails only its own message (partial batch response)', async () => {
    const store = memoryStore();
    const provider = fakeProvider();
    const handle = makeHandle({
      decryptPii: fakeDecryptPii,
      ...store,
      charge: async (req) => {
        if (req.orderId === 'ord-2') throw new ProviderUnavailableError('circuit open');
        return provider.charge(req);
      },
      refund: provider.refund,
    });
    const consumer = createConsumer({ consumes, handle });

    const event: SQSEvent = {
      Records: [
        record(stockReserved({ orderId: 'ord-1' }), 'm1'),
        record(stockReserved({ orderId: 'ord-2' }), 'm2'),
      ],
    };
    const response = await consumer(event, {} as Context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(store.state('ord-1')?.status).toBe('AUTHORIZED');
    expect(store.state('ord-2')?.status).toBe('CHARGING');
  });
});
