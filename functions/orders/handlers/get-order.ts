import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import {
  callerOf,
  httpHandler,
  json,
  mayAccess,
  parseParams,
  type HttpEvent,
} from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { orderView } from '../http/order-view.js';
import { orderIdParams, orderNotFound } from '../http/requests.js';
import type { LoadOrder } from '../ports.js';

export interface GetOrderDeps {
  loadOrder: LoadOrder;
}

/**
 * GET /orders/{orderId}: the order to its customer or an operator; a 404
 * naming the id otherwise, the same as for a missing order, so ids of other
 * customers' orders cannot be probed.
 */
export function makeGetOrder(deps: GetOrderDeps) {
  return httpHandler(async (event: HttpEvent) => {
    const caller = callerOf(event);
    const { orderId } = parseParams(event.pathParameters, orderIdParams);
    const stored = await deps.loadOrder(orderId);
    if (!stored || !mayAccess(caller, stored.order.customerId)) throw orderNotFound(orderId);
    return json(200, orderView(stored.order));
  });
}

export const handler = instrument(lazyHandler(() => makeGetOrder(defaultDeps())));
