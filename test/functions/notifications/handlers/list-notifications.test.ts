import { describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../../../functions/notifications/domain/notification.js';
import {
  encodeToken,
  makeListNotifications,
} from '../../../../functions/notifications/handlers/list-notifications.js';
import type { ListNotifications } from '../../../../functions/notifications/ports.js';
import { CUSTOMER, ORDER } from '../fixtures.js';
import {
  context,
  customerClaims,
  httpEvent,
  operatorClaims,
  parseJson,
} from '../../../support/lambda-events.js';

/** By default the customer asks for their own list. */
const list = (
  customerId: string,
  query?: Record<string, string>,
  claims = customerClaims(CUSTOMER),
) =>
  httpEvent({
    method: 'GET',
    path: `/customers/${customerId}/notifications`,
    pathParameters: { customerId },
    queryStringParameters: query,
    claims,
  });

const note = (i: number): Notification => ({
  eventId: `00000000-0000-4000-8000-00000000000${i}`,
  customerId: CUSTOMER,
  orderId: ORDER,
  kind: 'ORDER_CONFIRMED',
  message: `message ${i}`,
  occurredAt: `2026-05-0${i}T00:00:00.000Z`,
});

const fieldsOf = (body: string | undefined) =>
  (parseJson(body)['fields'] as { field: string }[]).map((f) => f.field);

describe('GET /customers/{customerId}/notifications', () => {
  it('answers the page, newest first as the port gives it, with a nextToken when there is more', async () => {
    const port = vi.fn<ListNotifications>(async () => ({
      notifications: [note(3), note(2)],
      next: { occurredAt: note(2).occurredAt, eventId: note(2).eventId },
    }));
    const res = await makeListNotifications({ list: port })(
      list(CUSTOMER, { limit: '2' }),
      context,
    );
    expect(port).toHaveBeenCalledWith(CUSTOMER, { limit: 2, after: undefined });
    expect(res.statusCode).toBe(200);
    const body = parseJson(res.body);
    expect(body).toEqual({
      customerId: CUSTOMER,
      notifications: [3, 2].map((i) => {
        const { customerId: _, ...rest } = note(i);
        return rest;
      }),
      nextToken: expect.any(String),
    });
  });

  it('continues from a nextToken it gave out', async () => {
    const port = vi.fn<ListNotifications>(async () => ({ notifications: [note(1)] }));
    const position = { occurredAt: note(2).occurredAt, eventId: note(2).eventId };
    const res = await makeListNotifications({ list: port })(
      list(CUSTOMER, { nextToken: encodeToken(position) }),
      context,
    );
    expect(port).toHaveBeenCalledWith(CUSTOMER, { limit: 20, after: position });
    expect(res.statusCode).toBe(200);
    expect(parseJson(res.body)).not.toHaveProperty('nextToken');
  });

  it('answers an empty list for a customer with no notifications', async () => {
    const res = await makeListNotifications({ list: async () => ({ notifications: [] }) })(
      list('cus_unknown', undefined, customerClaims('cus_unknown')),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(parseJson(res.body)).toEqual({ customerId: 'cus_unknown', notifications: [] });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ limit: '2.5' }, 'limit'],
    [{ nextToken: 'not-a-token' }, 'nextToken'],
    [{ nextToken: Buffer.from('{"eventId":"x"}').toString('base64url') }, 'nextToken'],
  ])('rejects %j with a 400 naming %s', async (query, field) => {
    const port = vi.fn<ListNotifications>();
    const res = await makeListNotifications({ list: port })(list(CUSTOMER, query), context);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual([field]);
    expect(port).not.toHaveBeenCalled();
  });

  it('rejects an unknown query parameter, naming it', async () => {
    const port = vi.fn<ListNotifications>();
    const res = await makeListNotifications({ list: port })(
      list(CUSTOMER, { pageSize: '5' }),
      context,
    );
    expect(res.statusCode).toBe(400);
    expect(parseJson(res.body)['message']).toMatch(/pageSize/);
    expect(port).not.toHaveBeenCalled();
  });

  it('rejects a malformed customerId with a 400 naming it', async () => {
    const port = vi.fn<ListNotifications>();
    const res = await makeListNotifications({ list: port })(list('cus 7'), context);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['customerId']);
    expect(port).not.toHaveBeenCalled();
  });

  describe('whose list', () => {
    const page = () => vi.fn<ListNotifications>(async () => ({ notifications: [note(1)] }));

    it("reads `me` as the caller's own id", async () => {
      const port = page();
      const res = await makeListNotifications({ list: port })(list('me'), context);
      expect(res.statusCode).toBe(200);
      expect(port).toHaveBeenCalledWith(CUSTOMER, expect.anything());
      expect(parseJson(res.body)['customerId']).toBe(CUSTOMER);
    });

    it("answers 404 to a customer asking for someone else's, reading nothing", async () => {
      const port = page();
      const res = await makeListNotifications({ list: port })(
        list(CUSTOMER, undefined, customerClaims('someone-else')),
        context,
      );
      expect(res.statusCode).toBe(404);
      expect(port).not.toHaveBeenCalled();
    });

    it("lets an operator read any customer's", async () => {
      const port = page();
      const res = await makeListNotifications({ list: port })(
        list(CUSTOMER, undefined, operatorClaims()),
        context,
      );
      expect(res.statusCode).toBe(200);
      expect(port).toHaveBeenCalledWith(CUSTOMER, expect.anything());
    });
  });
});
