import { z } from 'zod';
import { customerId } from '#events/common.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { callerOf, httpHandler, json, parseParams, requireOperator } from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { ORDER_STATUSES } from '../domain/order-view.js';
import { orderSummary } from '../domain/render.js';
import type { ListPosition, ListViews, ReadPointer } from '../ports.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const position = z.strictObject({
  placedAt: z.iso.datetime(),
  orderId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});

/** The token is opaque to clients: the position of the page's last order, base64url JSON. */
export const encodeToken = (p: ListPosition) =>
  Buffer.from(JSON.stringify({ placedAt: p.placedAt, orderId: p.orderId }), 'utf8').toString(
    'base64url',
  );

function decodeToken(token: string): ListPosition | undefined {
  try {
    const parsed = position.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const query = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `limit must be a whole number from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_LIMIT))
    .optional(),
  nextToken: z
    .string()
    .max(1000)
    .transform((token, ctx) => {
      const decoded = decodeToken(token);
      if (!decoded) {
        ctx.issues.push({
          code: 'custom',
          input: token,
          message: 'nextToken must be the nextToken of a previous page, passed back unchanged',
        });
        return z.NEVER;
      }
      return decoded;
    })
    .optional(),
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
      orders: page.views.map(orderSummary),
      ...(page.next && { nextToken: encodeToken(page.next) }),
    });
  });
}

export const handler = instrument(lazyHandler(() => makeListOrders(defaultDeps())));
