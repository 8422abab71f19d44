import { patternBenchmark as localCloudPatternBenchmark } from '@shop/local-cloud/bench';
import { consumes as notificationsConsumes } from '../functions/notifications/consumes.js';
import { consumes as ordersConsumes } from '../functions/orders/consumes.js';
import { patternFor } from '../events/index.js';
import { onTheBus, sagaEvents } from './lib/shop-events.js';

/** Rule patterns the shop uses or would plausibly add, one per feature of the language. */
const PATTERNS: Record<string, unknown> = {
  'subscription (orders)': patternFor(ordersConsumes),
  'subscription (notifications)': patternFor(notificationsConsumes),
  prefix: { source: [{ prefix: 'shop.' }], 'detail-type': [{ prefix: 'Order' }] },
  'numeric range': {
    source: ['shop.orders', 'shop.inventory'],
    detail: { data: { lines: { quantity: [{ numeric: ['>=', 10, '<', 1000] }] } } },
  },
  $or: {
    source: ['shop.payments', 'shop.inventory'],
    $or: [
      { 'detail-type': ['PaymentDeclined'] },
      { detail: { data: { amountCents: [{ numeric: ['>', 2500] }] } } },
    ],
  },
  'anything-but': {
    source: ['shop.orders'],
    detail: { data: { shippingAddress: { country: [{ 'anything-but': ['US', 'CA'] }] } } },
  },
  wildcard: {
    source: [{ wildcard: 'shop.*' }],
    'detail-type': [{ wildcard: 'Shipment*' }],
    detail: { metadata: { correlationId: [{ wildcard: 'o-*-000*' }] } },
  },
};

/** The local cloud's matcher, measured on the shop's own rules and one saga's events. */
export const patternBenchmark = localCloudPatternBenchmark({
  patterns: PATTERNS,
  events: sagaEvents().map(onTheBus),
});
