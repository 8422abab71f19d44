import type { Context } from 'aws-lambda';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import {
  HttpError,
  callerOf,
  httpHandler,
  json,
  parseBody,
  type HttpEvent,
} from '#plumbing/http.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import type { EncryptPii } from '#plumbing/pii.js';
import { logger } from '#plumbing/powertools.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { toBusEvents } from '../bus-events.js';
import { recordSagaMetrics } from './saga-metrics.js';
import { run } from '../domain/decider.js';
import { noOrder } from '../domain/state.js';
import { orderPath } from '../http/order-view.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  placeOrderBody,
  readIdempotencyKey,
  requestHash,
  requestIdOf,
} from '../http/requests.js';
import type { CreateOrder, FindIdempotencyKey, IdempotencyRecord } from '../ports.js';
import { sealPersonalData } from './seal-personal-data.js';

export interface PlaceOrderDeps {
  createOrder: CreateOrder;
  findIdempotencyKey: FindIdempotencyKey;
  newOrderId: () => string;
  now: () => Date;
  encryptPii: EncryptPii;
}

/**
 * POST /orders: the customer is the token's subject (a body naming one is a
 * 400). Stores the order PENDING with OrderPlaced (outbox) and its
 * Idempotency-Key in one transaction, and answers 202 with where to follow it.
 *
 * The Idempotency-Key is handled here rather than with Powertools idempotency
 * (which guards the SQS consumers): the key must be claimed in the same
 * transaction as the order, so two concurrent requests make one order, and a
 * key reused with another body must be a 409, not a replay of the first answer.
 */
export function makePlaceOrder(deps: PlaceOrderDeps) {
  return httpHandler(async (event: HttpEvent, context: Context) => {
    // Validate everything before touching the table: a 4xx writes nothing.
    const customerId = callerOf(event).sub;
    const key = readIdempotencyKey(event);
    const { customerId: _refused, ...body } = parseBody(event, placeOrderBody);
    const hash = requestHash(body, customerId);
    const requestId = requestIdOf(event, context.awsRequestId);

    // The key is claimed by the transaction itself, not looked up first: a new order (nearly
    // every request) costs no read, and only a retry, or a race lost, reads the key back.
    // A TransactionConflict with a concurrent request for the same key is retried: the next
    // attempt finds the key that request claimed.
    return retryOnConflict(async () => {
      const orderId = deps.newOrderId();
      const at = deps.now();
      // Sealed before anything is stored or emitted: the table and the bus never see the clear values.
      const sealed = await sealPersonalData(deps.encryptPii, orderId, body);
      const { events, order } = run(
        { type: 'PlaceOrder', at: at.toISOString(), data: { orderId, customerId, ...sealed } },
        noOrder,
      );
      // The journey is the order; its first cause is this request.
      const busEvents = toBusEvents(
        events,
        { correlationId: orderId, causationId: requestId },
        () => at,
      );
      const outcome = await deps.createOrder({
        order,
        events: busEvents,
        idempotency: { key, requestHash: hash, orderId },
      });
      if (outcome === 'key-taken') {
        // A retry of an earlier request, or another request with this key won the race:
        // answer as it was answered (or 409 for another body). The id and seal made above are
        // dropped unused.
        const winner = await deps.findIdempotencyKey(key);
        if (!winner) {
          throw new Error(`${IDEMPOTENCY_KEY_HEADER} ${key} was taken but cannot be read back`);
        }
        return replay(winner, hash);
      }
      recordSagaMetrics(busEvents, order.placedAt, at);
      logger.info('Order placed', { orderId, lines: body.lines.length });
      return accepted(orderId);
    });
  });
}

function accepted(orderId: string, replayed = false) {
  const self = orderPath(orderId);
  return json(
    202,
    { orderId, status: 'PENDING', links: { self } },
    { location: self, ...(replayed && { 'idempotent-replayed': 'true' }) },
  );
}

/** The same key and body: the same answer. The same key, another body: a 409. */
function replay(claimed: IdempotencyRecord, hash: string) {
  if (claimed.requestHash !== hash) {
    throw new HttpError(
      409,
      'IdempotencyKeyReused',
      `${IDEMPOTENCY_KEY_HEADER} "${claimed.key}" was already used with a different request body; use a new key for a new order, or resend the original body unchanged to retry it.`,
      { field: `headers.${IDEMPOTENCY_KEY_HEADER}` },
    );
  }
  logger.info('Idempotent replay', { orderId: claimed.orderId });
  return accepted(claimed.orderId, true);
}

export const handler = instrument(lazyHandler(() => makePlaceOrder(defaultDeps())));
