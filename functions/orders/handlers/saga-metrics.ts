import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DomainEvent } from '#events/contract.js';
import { metrics } from '#plumbing/powertools.js';

/**
 * The saga's business metrics, from the events an order just committed:
 * placed, confirmed, cancelled by reason, and the time from placement to its
 * first settlement (CONFIRMED, or CANCELLED while still PENDING). The
 * dashboard and alarms in infra/ read these names.
 */
export function recordSagaMetrics(events: readonly DomainEvent[], placedAt: string, now: Date) {
  const settleMs = Math.max(0, now.getTime() - Date.parse(placedAt));
  for (const event of events) {
    switch (event.detailType) {
      case 'OrderPlaced':
        metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1);
        break;
      case 'OrderConfirmed':
        metrics.addMetric('OrdersConfirmed', MetricUnit.Count, 1);
        metrics.addMetric('OrderSettleTime', MetricUnit.Milliseconds, settleMs);
        break;
      case 'OrderCancelled': {
        const data = event.detail.data as { reason: string; previousStatus: string };
        const single = metrics.singleMetric();
        single.addDimension('reason', data.reason);
        single.addMetric('OrdersCancelled', MetricUnit.Count, 1);
        if (data.previousStatus === 'PENDING') {
          metrics.addMetric('OrderSettleTime', MetricUnit.Milliseconds, settleMs);
        }
        break;
      }
      default:
        break;
    }
  }
}
