import * as z from 'zod';
import { customerId } from '#events/common.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { pagingQuery } from '#plumbing/paging.js';
import { HttpError, callerOf, httpHandler, json, parseParams } from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import type { ListNotifications, PagePosition } from '../ports.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const position = z.object({ occurredAt: z.iso.datetime(), eventId: z.string().min(1).max(64) });

/** The token is opaque to clients: the position of the page's last notification, base64url JSON. */
const paging = pagingQuery(position, MAX_LIMIT);
export const encodeToken = (p: PagePosition) => paging.encode(p);

const path = z.object({ customerId });
/** The path segment that names the caller. */
export const ME = 'me';
const query = z.strictObject(paging.fields);

/**
 * GET /customers/{customerId}/notifications?limit=&nextToken=: newest first.
 * A customer with no notifications (or unknown here) gets an empty list: this
 * service learns of customers only through their events. `me` is the
 * caller's own id; another customer's list is a 404 unless an operator asks.
 */
export function makeListNotifications(deps: { list: ListNotifications }) {
  return httpHandler(async (event) => {
    const caller = callerOf(event);
    const { customerId: asked } = parseParams(event.pathParameters, path);
    const id = asked === ME ? caller.sub : asked;
    if (id !== caller.sub && !caller.isOperator) {
      throw new HttpError(
        404,
        'NotFound',
        `No notifications for customer ${asked}; ask for your own with /customers/me/notifications.`,
        { customerId: asked },
      );
    }
    const { limit, nextToken } = parseParams(
      event.queryStringParameters,
      query,
      'query parameters',
    );
    const page = await deps.list(id, { limit: limit ?? DEFAULT_LIMIT, after: nextToken });
    return json(200, {
      customerId: id,
      notifications: page.notifications.map(({ eventId, orderId, kind, message, occurredAt }) => ({
        eventId,
        orderId,
        kind,
        message,
        occurredAt,
      })),
      ...(page.next && { nextToken: encodeToken(page.next) }),
    });
  });
}

export const handler = instrument(lazyHandler(() => makeListNotifications(defaultDeps())));
