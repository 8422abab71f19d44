import { randomUUID } from 'node:crypto';
import { carrierSignature } from '../../harness/carrier/sign.js';
import type { RunningShop } from '../../harness/shop/index.js';
import type { UsageMeter } from './meter.js';

/** The order journeys the cost model prices, each to its end. */
export const ORDER_KINDS = [
  'completed',
  'confirmed',
  'cancelled',
  'declined',
  'out-of-stock',
] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const KIND_DESCRIPTIONS: Record<OrderKind, string> = {
  completed: 'placed, confirmed, dispatched and delivered through two signed carrier webhooks',
  confirmed: 'placed and confirmed, its shipment scheduled',
  cancelled: 'confirmed, then cancelled by the customer: refunded, released, shipment cancelled',
  declined: 'the card declined (tok_decline): cancelled, the reservation released',
  'out-of-stock': 'a product with no stock: cancelled before any charge',
};

const IN_STOCK = 'COST-1';
const NO_STOCK = 'COST-0';
const ADDRESS = {
  name: 'Cost Bench',
  line1: '1 Meter St',
  city: 'Testville',
  postalCode: '1',
  country: 'US',
};

/** Drives orders of each kind through the shop's HTTP API, counting every request it sends. */
export class OrderDriver {
  constructor(
    private readonly shop: RunningShop,
    private readonly meter: UsageMeter,
  ) {}

  /** The two products: one with all the stock the run needs, one with none. */
  async setUp(): Promise<void> {
    const admin = await this.shop.signIn.token('admin');
    const asAdmin = { authorization: `Bearer ${admin}` };
    for (const sku of [IN_STOCK, NO_STOCK]) {
      await this.call(
        'PUT',
        `/products/${sku}`,
        { name: `Cost ${sku}`, priceCents: 1999 },
        asAdmin,
      );
    }
    await this.call(
      'POST',
      `/products/${IN_STOCK}/restock`,
      { quantity: 1_000_000 },
      { ...asAdmin, 'idempotency-key': `cost-stock-${randomUUID()}` },
    );
  }

  /** One order of `kind`, from POST to the last event its journey ends with. */
  async run(kind: OrderKind): Promise<string> {
    const ada = { authorization: `Bearer ${await this.shop.signIn.token('ada')}` };
    const placed = await this.call(
      'POST',
      '/orders',
      {
        lines: [{ sku: kind === 'out-of-stock' ? NO_STOCK : IN_STOCK, quantity: 1 }],
        paymentToken: kind === 'declined' ? 'tok_decline' : 'tok_approve',
        shippingAddress: ADDRESS,
      },
      { ...ada, 'idempotency-key': `cost-${randomUUID()}` },
    );
    const orderId = String(placed['orderId']);
    switch (kind) {
      case 'declined':
      case 'out-of-stock':
        await this.until(orderId, 'OrderCancelled');
        return orderId;
      case 'confirmed':
        await this.until(orderId, 'ShipmentScheduled');
        return orderId;
      case 'cancelled':
        await this.until(orderId, 'ShipmentScheduled');
        await this.call('POST', `/orders/${orderId}/cancel`, undefined, ada);
        await this.until(orderId, 'PaymentRefunded');
        return orderId;
      case 'completed': {
        await this.until(orderId, 'ShipmentScheduled');
        const shipmentId = `shp_${orderId}`;
        await this.carrier(shipmentId, 'DISPATCHED');
        await this.until(orderId, 'ShipmentDispatched');
        await this.carrier(shipmentId, 'DELIVERED');
        await this.until(orderId, 'OrderCompleted');
        return orderId;
      }
    }
  }

  /**
   * Resolves once nothing has happened for `quietMs`: no event recorded, no invocation ended,
   * no message deleted from a queue. What a journey sets off after its last event
   * (the read model, notifications) is part of its bill.
   */
  async quiet(quietMs = 1500, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let last = this.activity();
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      if (Date.now() > until) {
        throw new Error(`The shop did not go quiet within ${timeoutMs} ms (last: ${last}).`);
      }
      await new Promise((r) => setTimeout(r, 100));
      const now = this.activity();
      if (now !== last) {
        last = now;
        since = Date.now();
      }
    }
  }

  private activity(): string {
    const m = this.shop.cloud.context.recorder.metrics();
    const sqs = m.calls['SQS'] ?? {};
    return [
      m.eventsPut,
      this.meter.invocationsSoFar,
      sqs['DeleteMessageBatch'] ?? 0,
      sqs['DeleteMessage'] ?? 0,
    ].join('/');
  }

  private async until(orderId: string, detailType: string, timeoutMs = 30_000): Promise<void> {
    const recorder = this.shop.cloud.context.recorder;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = recorder.events({ correlationId: orderId }).map((e) => e.event['detail-type']);
      if (seen.includes(detailType)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `Order ${orderId}: no ${detailType} within ${timeoutMs} ms; its events: ${seen.join(', ') || 'none'}.`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async carrier(shipmentId: string, type: 'DISPATCHED' | 'DELIVERED'): Promise<void> {
    const body = JSON.stringify({
      eventId: `carrier-${shipmentId}-${type}`,
      type,
      carrier: 'ACME Parcel',
      trackingNumber: 'TRK-COST',
      occurredAt: new Date().toISOString(),
    });
    const path = `/shipments/${shipmentId}/events`;
    await this.call('POST', path, body, {
      'x-carrier-signature': carrierSignature(this.shop.webhookSecret, {
        method: 'POST',
        path,
        body,
      }),
    });
  }

  private async call(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    this.meter.countHttp();
    const res = await fetch(`${this.shop.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) {
      throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    }
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
}
