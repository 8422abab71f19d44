import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { makeGetPayment } from '../../../../functions/payments/handlers/get-payment.js';
import type { Payment } from '../../../../functions/payments/domain/payment.js';
import type { LoadPayment } from '../../../../functions/payments/ports.js';
import type { HttpEvent } from '#plumbing/http.js';
import { customerClaims, operatorClaims } from '../../../support/lambda-events.js';

const at = '2026-01-01T00:00:00.000Z';

/** By default an operator asks: the states below predate the customer being kept. */
function request(orderId: string | undefined, claims = operatorClaims()): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'GET /payments/{orderId}',
    rawPath: `/payments/${orderId}`,
    rawQueryString: '',
    headers: {},
    pathParameters: orderId === undefined ? undefined : { orderId },
    requestContext: {
      requestId: 'req-1',
      authorizer: { jwt: { claims, scopes: null } },
    } as unknown as HttpEvent['requestContext'],
    isBase64Encoded: false,
  };
}

async function get(
  state: Payment | undefined,
  orderId: string | undefined = 'ord-1',
  claims = operatorClaims(),
) {
  const load = vi.fn<LoadPayment>(async () => ({
    state: state ?? { status: 'NONE' },
    version: state ? 1 : 0,
  }));
  const res = await makeGetPayment({ load })(request(orderId, claims), {} as Context);
  return { status: res.statusCode, body: JSON.parse(res.body ?? 'null'), load };
}

describe('GET /payments/{orderId}', () => {
  const owned: Payment = {
    status: 'DECLINED',
    orderId: 'ord-1',
    customerId: 'cus-1',
    amountCents: 100,
    currency: 'USD',
    declineCode: 'card_declined',
    declineMessage: 'Declined.',
    history: [{ type: 'Declined', at }],
  };

  it("200 to the order's customer", async () => {
    const { status, body } = await get(owned, 'ord-1', customerClaims('cus-1'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ orderId: 'ord-1', customerId: 'cus-1', status: 'DECLINED' });
  });

  it('the same 404 to another customer as for an unknown order', async () => {
    const other = await get(owned, 'ord-1', customerClaims('cus-2'));
    const missing = await get(undefined, 'ord-1', customerClaims('cus-2'));
    expect(other.status).toBe(404);
    expect(other.body).toEqual(missing.body);
  });

  it('404 to a customer for a payment recorded without its customer', async () => {
    const { customerId: _, ...unowned } = owned;
    expect((await get(unowned, 'ord-1', customerClaims('cus-1'))).status).toBe(404);
  });

  it('200 with an authorized payment and the money it moved', async () => {
    const { status, body } = await get({
      status: 'AUTHORIZED',
      orderId: 'ord-1',
      amountCents: 4200,
      currency: 'USD',
      paymentId: 'ch_1',
      history: [
        { type: 'ChargeStarted', at },
        { type: 'Authorized', at },
      ],
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      orderId: 'ord-1',
      status: 'AUTHORIZED',
      amountCents: 4200,
      currency: 'USD',
      paymentId: 'ch_1',
      chargedCents: 4200,
      refundedCents: 0,
      history: [
        { type: 'ChargeStarted', at },
        { type: 'Authorized', at },
      ],
    });
  });

  it('200 for a refunded payment: charged and refunded equal', async () => {
    const { body } = await get({
      status: 'REFUNDED',
      orderId: 'ord-1',
      amountCents: 4200,
      currency: 'USD',
      paymentId: 'ch_1',
      refundId: 're_1',
      history: [],
    });
    expect(body).toMatchObject({
      status: 'REFUNDED',
      refundId: 're_1',
      chargedCents: 4200,
      refundedCents: 4200,
    });
  });

  it('200 for a decline names the provider code', async () => {
    const { body } = await get({
      status: 'DECLINED',
      orderId: 'ord-1',
      amountCents: 4200,
      currency: 'USD',
      declineCode: 'card_declined',
      declineMessage: 'Your card was declined.',
      history: [],
    });
    expect(body).toMatchObject({
      status: 'DECLINED',
      decline: { code: 'card_declined', message: 'Your card was declined.' },
      chargedCents: 0,
    });
    expect(body).not.toHaveProperty('paymentId');
  });

  it('200 for the tombstone of an order cancelled before its charge', async () => {
    const { body } = await get({
      status: 'CANCELLED_BEFORE_CHARGE',
      orderId: 'ord-1',
      skippedAmountCents: 4200,
      history: [{ type: 'CancelledBeforeCharge', at }],
    });
    expect(body).toMatchObject({
      status: 'CANCELLED_BEFORE_CHARGE',
      amountCents: 4200,
      chargedCents: 0,
      refundedCents: 0,
    });
  });

  it('404 naming the order when payments never heard of it', async () => {
    const { status, body } = await get(undefined);
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'NotFound', orderId: 'ord-1' });
    expect(body.message).toContain('ord-1');
  });

  it('400 naming the field for a malformed id, without reading the table', async () => {
    const { status, body, load } = await get(undefined, 'bad id!');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'ValidationError', fields: [{ field: 'orderId' }] });
    expect(body.message).toMatch(/orderId/);
    expect(load).not.toHaveBeenCalled();
  });

  it('400 when the path parameter is missing', async () => {
    const load = vi.fn<LoadPayment>();
    const res = await makeGetPayment({ load })(request(undefined), {} as Context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '').fields[0].field).toBe('orderId');
  });
});
