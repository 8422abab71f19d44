import type { DataOf } from '#events/contract.js';
import { PaymentAuthorized, PaymentDeclined, PaymentRefunded } from '#events';
import type { PaymentEvent } from './messages.js';

/** What the payment publishes: a contract and its data; the handler stamps the envelope. */
export type PaymentMessage =
  | { contract: typeof PaymentAuthorized; data: DataOf<typeof PaymentAuthorized> }
  | { contract: typeof PaymentDeclined; data: DataOf<typeof PaymentDeclined> }
  | { contract: typeof PaymentRefunded; data: DataOf<typeof PaymentRefunded> };

/** The contracts `messagesOf` may produce (for the CDK app and tests). */
export const emits = [PaymentAuthorized, PaymentDeclined, PaymentRefunded] as const;

/** PaymentDeclined's message is at most 500 characters; a provider may say more. */
const MESSAGE_MAX = 500;

/** The published events for recorded facts; internal steps (intents, tombstones) publish nothing. */
export function messagesOf(events: readonly PaymentEvent[]): PaymentMessage[] {
  const out: PaymentMessage[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'Authorized':
        out.push({
          contract: PaymentAuthorized,
          data: {
            orderId: event.orderId,
            paymentId: event.paymentId,
            amountCents: event.amountCents,
            currency: event.currency,
          },
        });
        break;
      case 'Declined':
        out.push({
          contract: PaymentDeclined,
          data: {
            orderId: event.orderId,
            code: event.code,
            message: event.message.slice(0, MESSAGE_MAX),
          },
        });
        break;
      case 'Refunded':
        out.push({
          contract: PaymentRefunded,
          data: {
            orderId: event.orderId,
            paymentId: event.paymentId,
            amountCents: event.amountCents,
            currency: event.currency,
          },
        });
        break;
      case 'ChargeStarted':
      case 'CancelledBeforeCharge':
      case 'ChargeSkipped':
      case 'CancelRequested':
      case 'RefundStarted':
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`Unhandled payment event ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return out;
}
