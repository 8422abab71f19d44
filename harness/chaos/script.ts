import type { DemoUserName } from '../shop/sign-in.js';
import { dice } from './random.js';

/**
 * The shoppers' script: which products exist, which orders are placed (lines,
 * token, duplicate submissions, when they are cancelled, how far the carrier
 * takes them) and when scarce SKUs are restocked. Drawn from the seed alone,
 * so the same seed gives the same script; only the run tag (which keeps the
 * names of two runs on one shop apart) differs.
 */
export interface Product {
  sku: string;
  priceCents: number;
  initialStock: number;
  scarce: boolean;
}

/** When the customer cancels. */
export type CancelMoment =
  | 'none'
  /** Right after the 202, not waiting for anything. */
  | 'immediately'
  /** After a short random pause, most likely while the order is PENDING. */
  | 'while-pending'
  /** Once the order is CONFIRMED. */
  | 'after-confirm'
  /** Once the shipment is SCHEDULED, at the same moment as the carrier's DISPATCHED webhook. */
  | 'racing-dispatch';

export interface OrderTask {
  kind: 'order';
  n: number;
  idempotencyKey: string;
  /** The demo customer who signs in and places it: the customer id is their token's `sub`. */
  customer: Customer;
  lines: { sku: string; quantity: number }[];
  paymentToken: 'tok_approve' | 'tok_decline';
  /** Extra identical POSTs sent at the same time as the first. */
  concurrentDuplicates: number;
  /** One more identical POST after the order was answered. */
  resubmitLater: boolean;
  cancel: CancelMoment;
  /** Pause before a `while-pending` cancel. */
  cancelDelayMs: number;
  /** How far the carrier takes a confirmed order (no-op for one that is cancelled). */
  carrier: 'none' | 'dispatch' | 'deliver';
}

export interface RestockTask {
  kind: 'restock';
  n: number;
  sku: string;
  quantity: number;
  idempotencyKey: string;
}

export type Task = OrderTask | RestockTask;

/** The shop's demo customers; the orders are spread over them (catalog writes are admin's). */
export type Customer = Exclude<DemoUserName, 'admin'>;
export const CUSTOMERS: readonly Customer[] = ['ada', 'grace'];

export interface Script {
  runTag: string;
  products: Product[];
  tasks: Task[];
  customers: readonly Customer[];
}

export interface ScriptOptions {
  seed: number;
  orders: number;
  runTag: string;
  declineTokenShare: number;
}

const PLENTIFUL = 5;
const SCARCE = 3;

export function makeScript(options: ScriptOptions): Script {
  const d = dice(options.seed);
  const tag = options.runTag;
  const products: Product[] = [];
  for (let i = 0; i < PLENTIFUL + SCARCE; i++) {
    const scarce = i >= PLENTIFUL;
    products.push({
      sku: `CHAOS-${tag}-${scarce ? 'S' : 'P'}${i}`,
      priceCents: d.int(1, 200) * 25,
      // Plentiful SKUs outlast the run; scarce ones run out and get restocked.
      initialStock: scarce ? d.int(2, 6) : options.orders * 2,
      scarce,
    });
  }
  const plentiful = products.filter((p) => !p.scarce);
  const scarce = products.filter((p) => p.scarce);
  const customers = CUSTOMERS;

  const tasks: Task[] = [];
  const restockEvery = Math.max(5, Math.round(options.orders / 25));
  let restocks = 0;
  for (let n = 0; n < options.orders; n++) {
    if (n > 0 && n % restockEvery === 0) {
      const sku = d.pick(scarce).sku;
      tasks.push({
        kind: 'restock',
        n: restocks,
        sku,
        quantity: d.int(2, 8),
        idempotencyKey: `chaos-${tag}-restock-${restocks++}`,
      });
    }
    const skus = d.sample(
      plentiful.map((p) => p.sku),
      d.int(1, 3),
    );
    // A fifth of the orders also reach for a scarce SKU, which runs out between restocks.
    if (d.chance(0.2)) skus.push(d.pick(scarce).sku);
    const paymentToken = d.chance(options.declineTokenShare) ? 'tok_decline' : 'tok_approve';
    const roll = d.next();
    const cancel: CancelMoment =
      roll < 0.06
        ? 'immediately'
        : roll < 0.14
          ? 'while-pending'
          : roll < 0.24
            ? 'after-confirm'
            : roll < 0.27
              ? 'racing-dispatch'
              : 'none';
    const carrierRoll = d.next();
    tasks.push({
      kind: 'order',
      n,
      idempotencyKey: `chaos-${tag}-order-${n}`,
      customer: d.pick(customers),
      lines: skus.map((sku) => ({ sku, quantity: d.int(1, 3) })),
      paymentToken,
      concurrentDuplicates: d.chance(0.12) ? d.int(1, 2) : 0,
      resubmitLater: d.chance(0.05),
      cancel,
      cancelDelayMs: d.int(0, 400),
      carrier:
        cancel === 'racing-dispatch'
          ? 'dispatch'
          : carrierRoll < 0.25
            ? 'dispatch'
            : carrierRoll < 0.55
              ? 'deliver'
              : 'none',
    });
  }
  return { runTag: tag, products, tasks, customers };
}
