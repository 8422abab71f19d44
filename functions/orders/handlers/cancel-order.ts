import type { Context } from 'aws-lambda';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import {
  HttpError,
  callerOf,
  httpHandler,
  json,
  mayAccess,
  parseParams,
  type HttpEvent,
} from '#plumbing/http.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { logger } from '#plumbing/powertools.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { toBusEvents } from '../bus-events.js';
import { recordSagaMetrics } from './saga-metrics.js';
import { run } from '../domain/decider.js';
import { OrderRejected } from '../domain/errors.js';
import { orderView } from '../http/order-view.js';
import { orderIdParams, orderNotFound, requestIdOf } from '../http/requests.js';
import type { LoadOrder, SaveOrder } from '../ports.js';

export interface CancelOrderDeps {
  loadOrder: LoadOrder;
  saveOrder: SaveOrder;
  now: () => Date;
}

/**
 * POST /orders/{orderId}/cancel: CANCELLED(CUSTOMER_REQUEST) with OrderCancelled
 * while the order is PENDING, or CONFIRMED and not dispatched; otherwise 409
 * saying why. A concurrent change (say, PaymentAuthorized landing) is retried
 * on the fresh state, so the answer always reflects what was stored.
 * Only its customer or an operator may cancel; anyone else gets the 404 of a
 * missing order.
 */
export function makeCancelOrder(deps: CancelOrderDeps) {
  return httpHandler(async (event: HttpEvent, context: Context) => {
    const caller = callerOf(event);
    const { orderId } = parseParams(event.pathParameters, orderIdParams);
    const requestId = requestIdOf(event, context.awsRequestId);

    return retryOnConflict(async () => {
      const stored = await deps.loadOrder(orderId);
      if (!stored || !mayAccess(caller, stored.order.customerId)) throw orderNotFound(orderId);
      const at = deps.now();
      let decision: ReturnType<typeof run>;
      try {
        decision = run({ type: 'CancelOrder', orderId, at: at.toISOString() }, stored.order);
      } catch (error) {
        if (error instanceof OrderRejected) {
          throw new HttpError(409, error.code, error.message, { orderId, status: error.status });
        }
        throw error;
      }
      const busEvents = toBusEvents(
        decision.events,
        { correlationId: orderId, causationId: requestId },
        () => at,
      );
      await deps.saveOrder({
        order: decision.order,
        expectedVersion: stored.version,
        events: busEvents,
      });
      recordSagaMetrics(busEvents, decision.order.placedAt, at);
      logger.info('Order cancelled on request', { orderId, byOperator: caller.isOperator });
      return json(202, orderView(decision.order));
    });
  });
}

export const handler = instrument(lazyHandler(() => makeCancelOrder(defaultDeps())));
