import * as z from 'zod';
import { randomId } from './random.js';

/*
 * The provider's books: charges, refunds, idempotency records and the ledger.
 * No HTTP here (server.ts maps requests onto it), so the money rules are in one
 * place and every answer is a plain `{ status, body }`.
 */

export interface Answer {
  status: number;
  body: unknown;
  /** True when the answer is a stored one, replayed for a repeated Idempotency-Key. */
  replayed?: boolean;
}

export interface ChargeRecord {
  id: string;
  object: 'charge';
  status: 'succeeded';
  amount_cents: number;
  amount_refunded_cents: number;
  refunded: boolean;
  currency: string;
  order_id: string;
  created: string;
}

export interface RefundRecord {
  id: string;
  object: 'refund';
  status: 'succeeded';
  charge_id: string;
  amount_cents: number;
  created: string;
}

export interface OrderLedger {
  charged_cents: number;
  refunded_cents: number;
  /** Distinct successful charges: more than 1 means the order was charged twice. */
  charges: number;
  refunds: number;
}

export interface Ledger {
  orders: Record<string, OrderLedger>;
  totals: OrderLedger;
}

/** Test card tokens, as a card network's sandbox has them. Any other token is declined as invalid. */
export const TOKENS = {
  tok_approve: 'approve',
  tok_decline: 'card_declined',
  tok_insufficient_funds: 'insufficient_funds',
} as const;

const DECLINE_MESSAGES: Record<string, string> = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  invalid_token: 'The payment token is not a known test token (use tok_approve or tok_decline).',
};

export const chargeBody = z.strictObject({
  amount_cents: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD'),
  token: z.string().min(1).max(200),
  order_id: z.string().min(1).max(64),
});

export const refundBody = z.strictObject({
  charge_id: z.string().min(1).max(64),
  /** Defaults to what is left to refund of the charge. */
  amount_cents: z.number().int().min(0).optional(),
});

export const error = (status: number, code: string, message: string, param?: string): Answer => ({
  status,
  body: { error: { code, message, ...(param ? { param } : {}) } },
});

interface StoredAnswer {
  fingerprint: string;
  answer: Answer;
}

export class ProviderBooks {
  private readonly charges = new Map<string, ChargeRecord>();
  private readonly refunds = new Map<string, RefundRecord>();
  private readonly idempotency = new Map<string, StoredAnswer>();

  constructor(
    private readonly random: () => number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Runs `execute` at most once per Idempotency-Key: the same key with the same
   * request replays the stored answer; with another request it is a 409. Like
   * real providers, an answer is stored only once the request got past
   * validation (a 400 for a bad body can be fixed and retried with the key).
   */
  idempotent(key: string, fingerprint: string, execute: () => Answer): Answer {
    const stored = this.idempotency.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        return error(
          409,
          'idempotency_key_reused',
          `Idempotency-Key "${key}" was already used with a different request; use a new key for a new request.`,
        );
      }
      return { ...stored.answer, replayed: true };
    }
    const answer = execute();
    this.idempotency.set(key, { fingerprint, answer });
    return answer;
  }

  /** A validated charge: approve, or decline by token or by the `declineRate` draw. */
  charge(body: z.infer<typeof chargeBody>, declineRate: number): Answer {
    const outcome = (TOKENS as Record<string, string>)[body.token] ?? 'invalid_token';
    let code: string | undefined = outcome === 'approve' ? undefined : outcome;
    if (!code && declineRate > 0 && this.random() < declineRate) code = 'card_declined';
    if (code) {
      return error(402, code, DECLINE_MESSAGES[code] ?? 'Your card was declined.');
    }
    const charge: ChargeRecord = {
      id: this.newId('ch', this.charges),
      object: 'charge',
      status: 'succeeded',
      amount_cents: body.amount_cents,
      amount_refunded_cents: 0,
      refunded: false,
      currency: body.currency,
      order_id: body.order_id,
      created: this.now().toISOString(),
    };
    this.charges.set(charge.id, charge);
    return { status: 201, body: { ...charge } };
  }

  refund(body: z.infer<typeof refundBody>): Answer {
    const charge = this.charges.get(body.charge_id);
    if (!charge) {
      return error(404, 'resource_missing', `No such charge: ${body.charge_id}`, 'charge_id');
    }
    const left = charge.amount_cents - charge.amount_refunded_cents;
    const amount = body.amount_cents ?? left;
    if (amount > left) {
      return left === 0 && charge.amount_cents > 0
        ? error(400, 'charge_already_refunded', `Charge ${charge.id} is already fully refunded.`)
        : error(
            400,
            'amount_too_large',
            `Refund of ${amount} is more than the ${left} left to refund on charge ${charge.id}.`,
            'amount_cents',
          );
    }
    const refund: RefundRecord = {
      id: this.newId('re', this.refunds),
      object: 'refund',
      status: 'succeeded',
      charge_id: charge.id,
      amount_cents: amount,
      created: this.now().toISOString(),
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded_cents += amount;
    charge.refunded = charge.amount_refunded_cents === charge.amount_cents;
    return { status: 201, body: { ...refund } };
  }

  getCharge(id: string): Answer {
    const charge = this.charges.get(id);
    return charge
      ? { status: 200, body: { ...charge } }
      : error(404, 'resource_missing', `No such charge: ${id}`);
  }

  /** Money per order, from the charges and refunds themselves (not from counters kept beside them). */
  ledger(): Ledger {
    const orders: Record<string, OrderLedger> = {};
    const totals: OrderLedger = { charged_cents: 0, refunded_cents: 0, charges: 0, refunds: 0 };
    const entry = (orderId: string) =>
      (orders[orderId] ??= { charged_cents: 0, refunded_cents: 0, charges: 0, refunds: 0 });
    for (const charge of this.charges.values()) {
      const e = entry(charge.order_id);
      e.charged_cents += charge.amount_cents;
      e.charges += 1;
    }
    for (const refund of this.refunds.values()) {
      const e = entry(this.charges.get(refund.charge_id)!.order_id);
      e.refunded_cents += refund.amount_cents;
      e.refunds += 1;
    }
    for (const e of Object.values(orders)) {
      totals.charged_cents += e.charged_cents;
      totals.refunded_cents += e.refunded_cents;
      totals.charges += e.charges;
      totals.refunds += e.refunds;
    }
    return { orders, totals };
  }

  private newId(prefix: string, taken: Map<string, unknown>): string {
    for (;;) {
      const id = randomId(prefix, this.random);
      if (!taken.has(id)) return id;
    }
  }
}
