import { causedBy, createEvent, type Causation } from '#events/contract.js';
import { createConsumer, type Consumed } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import type { DecryptPii } from '#plumbing/pii.js';
import { retryOnConflict } from '#plumbing/retry-on-conflict.js';
import { logger } from '#plumbing/powertools.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { consumes } from '../consumes.js';
import { decide } from '../domain/decide.js';
import { evolve } from '../domain/evolve.js';
import type { PaymentCommand } from '../domain/messages.js';
import { pendingCall } from '../domain/pending-call.js';
import { messagesOf } from '../domain/published.js';
import type { Charge, LoadedPayment, LoadPayment, Refund, SavePayment } from '../ports.js';

export interface OnEventDeps {
  load: LoadPayment;
  save: SavePayment;
  charge: Charge;
  refund: Refund;
  /** Opens the sealed card token; called only at the moment of charging. */
  decryptPii: DecryptPii;
  now?: () => Date;
  newId?: () => string;
}

export type PaymentsEvent = Consumed<(typeof consumes)[number]>;

/** At most a charge then a refund can be owed; more rounds would mean a bug, not progress. */
const MAX_CALLS = 3;

/**
 * Handles StockReserved and OrderCancelled: load -> decide -> commit, then make
 * the provider call the new state waits for (charge or refund) and commit its
 * answer, each commit conditioned on the version it was decided on.
 *
 * The intent (CHARGING, REFUND_PENDING) is committed before the call, so a
 * cancellation arriving meanwhile sees it, and a delivery after a crash finishes
 * the call with the same idempotency key. A provider failure throws, so SQS
 * redelivers the message; a decline is a result.
 */
export function makeHandle(deps: OnEventDeps) {
  const now = deps.now ?? (() => new Date());

  /**
   * One load -> decide -> commit round, retried on a concurrent update. `known` is the state this
   * delivery itself committed last: the first attempt decides on it without reading, and a
   * concurrent change since fails the conditioned commit, so the retry reads.
   */
  const apply = async (
    command: PaymentCommand,
    cause: Causation,
    handledEventId?: string,
    known?: LoadedPayment,
  ): Promise<LoadedPayment> => {
    let first = known;
    return retryOnConflict(async (): Promise<LoadedPayment> => {
      const loaded = first ?? (await deps.load(command.orderId));
      first = undefined;
      const { state, version } = loaded;
      const events = decide(command, state);
      if (events.length === 0) return loaded;
      const next = events.reduce(evolve, state);
      if (next.status === 'NONE') throw new Error('A decided change cannot leave no payment');
      const published = messagesOf(events).map((m) =>
        createEvent(m.contract, m.data, cause, now, deps.newId),
      );
      const result = await deps.save({
        state: next,
        expectedVersion: version,
        events: published,
        handledEventId,
      });
      if (result === 'duplicate') {
        // A concurrent delivery of the same event applied it; carry on from what it left.
        return deps.load(command.orderId);
      }
      logger.info('Payment changed', {
        orderId: command.orderId,
        from: state.status,
        to: next.status,
        events: events.map((e) => e.type),
        published: published.map((e) => e.detailType),
      });
      return { state: next, version: version + 1 };
    });
  };

  return async (event: PaymentsEvent): Promise<void> => {
    const cause = causedBy(event);
    const at = () => now().toISOString();
    let sealedToken: string | undefined;
    let current: LoadedPayment;
    switch (event['detail-type']) {
      case 'StockReserved': {
        const { orderId, customerId, amountCents, currency, paymentTokenCiphertext } =
          event.detail.data;
        sealedToken = paymentTokenCiphertext;
        current = await apply(
          { type: 'StartCharge', orderId, customerId, amountCents, currency, at: at() },
          cause,
          event.detail.metadata.eventId,
        );
        break;
      }
      case 'OrderCancelled': {
        const { orderId, customerId } = event.detail.data;
        current = await apply(
          { type: 'CancelPayment', orderId, customerId, at: at() },
          cause,
          event.detail.metadata.eventId,
        );
        break;
      }
      default: {
        const _exhaustive: never = event;
        throw new Error(`payments does not consume ${JSON.stringify(_exhaustive)}`);
      }
    }

    for (let calls = 0; ; calls++) {
      const call = pendingCall(current.state);
      if (!call) return;
      if (calls >= MAX_CALLS) {
        throw new Error(
          `Payment of order ${call.orderId} still waits for a ${call.kind} after ${MAX_CALLS} provider calls; investigate its history.`,
        );
      }
      if (call.kind === 'charge') {
        if (sealedToken === undefined) {
          // Only StockReserved carries the card token. The delivery that is charging
          // (or its redelivery, if it crashed) completes the charge and sees the cancel.
          logger.info('Charge in flight; its own delivery completes it', { orderId: call.orderId });
          return;
        }
        const { orderId, amountCents, currency } = call;
        // Opened here and only here: the clear token goes to the provider, never to a log or table.
        const token = await deps.decryptPii('paymentToken', sealedToken, orderId);
        const result = await deps.charge({ orderId, amountCents, currency, token });
        current = await apply(
          { type: 'CompleteCharge', orderId, result, at: at() },
          cause,
          undefined,
          current,
        );
      } else {
        const { orderId, paymentId, amountCents } = call;
        const { refundId } = await deps.refund({ orderId, paymentId, amountCents });
        current = await apply(
          { type: 'CompleteRefund', orderId, refundId, at: at() },
          cause,
          undefined,
          current,
        );
      }
    }
  };
}

/** The SQS consumer around makeHandle: batch, parse, deduplicate, partial response. */
export function makeOnEvent(deps: OnEventDeps) {
  return createConsumer({ consumes, handle: makeHandle(deps) });
}

export const handler = instrument(lazyHandler(() => makeOnEvent(defaultDeps())));
