import * as z from 'zod';
import { customerId } from '#events/common.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { pagingQuery } from '#plumbing/paging.js';
import { callerOf, httpHandler, json, parseParams, requireOperator } from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { ORDER_STATUSES } from '../domain/order-view.js';
import type { ListPosition, ListViews, ReadPointer } from '../ports.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const position = z.strictObject({
  placedAt: z.iso.datetime(),
  orderId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});

/** The token is opaque to clients: the position of the page's last order, base64url JSON. */
const paging = pagingQuery(position, MAX_LIMIT);
export const encodeToken = (p: ListPosition) =>
  paging.encode({ placedAt: p.placedAt, orderId: p.orderId });

const query = z.strictObject({
  ...paging.fields,
  status: z
    .enum(ORDER_STATUSES, { error: `status must be one of ${ORDER_STATUSES.join(', ')}` })
    .optional(),
  customerId: customerId.optional(),
});

export interface ListOrdersDeps {
  readPointer: ReadPointer;
  list: ListViews;
}

/**
 * GET /customers/me/orders?limit=&nextToken=&status=&customerId=: the
 * caller's orders as the read model has them, newest first. `customerId`
 * reads another customer's list, for operators only (403 otherwise).
 */
export function makeListOrders(deps: ListOrdersDeps) {
  return httpHandler(async (event) => {
    const caller = callerOf(event);
    const params = parseParams(event.queryStringParameters, query, 'query parameters');
    const id = params.customerId ?? caller.sub;
    if (id !== caller.sub) requireOperator(caller, "Reading another customer's orders");
    const { active } = await deps.readPointer();
    const page = await deps.list(active, id, {
      limit: params.limit ?? DEFAULT_LIMIT,
      status: params.status,
      after: params.nextToken,
    });
    return json(200, {
      orders: page.orders,
      ...(page.next && { nextToken: encodeToken(page.next) }),
    });
  });
}

export const handler = instrument(lazyHandler(() => makeListOrders(defaultDeps())));
