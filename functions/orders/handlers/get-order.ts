import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { httpHandler, json, parseParams, type HttpEvent } from '#plumbing/http.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { orderView } from '../http/order-view.js';
import { orderIdParams, orderNotFound } from '../http/requests.js';
import type { LoadOrder } from '../ports.js';

export interface GetOrderDeps {
  loadOrder: LoadOrder;
}

/** GET /orders/{orderId}: the order, or a 404 naming the id. */
export function makeGetOrder(deps: GetOrderDeps) {
  return httpHandler(async (event: HttpEvent) => {
    const { orderId } = parseParams(event.pathParameters, orderIdParams);
    const stored = await deps.loadOrder(orderId);
    if (!stored) throw orderNotFound(orderId);
    return json(200, orderView(stored.order));
  });
}

export const handler = instrument(lazyHandler(() => makeGetOrder(defaultDeps())));
