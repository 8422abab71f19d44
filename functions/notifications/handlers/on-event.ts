import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createConsumer, type EventHandler } from '#plumbing/consumer.js';
import { instrument } from '#plumbing/lambda.js';
import { lazyHandler } from '#plumbing/lazy.js';
import { logger, metrics } from '#plumbing/powertools.js';
import { defaultDeps } from '../adapters/default-deps.js';
import { consumes } from '../consumes.js';
import { render } from '../domain/notification.js';
import type { SaveNotification } from '../ports.js';

type Consumes = (typeof consumes)[number];

export interface OnEventDeps {
  save: SaveNotification;
}

/** Renders the event's message and records it; a repeat of the event records nothing. */
export function makeHandle(deps: OnEventDeps): EventHandler<Consumes> {
  return async (event) => {
    const notification = render(event);
    const result = await deps.save(notification);
    // DEBUG: routine, one per event; the notification itself is the record.
    logger.debug(
      result === 'recorded' ? 'Notification recorded' : 'Notification already recorded',
      {
        orderId: notification.orderId,
        kind: notification.kind,
      },
    );
    if (result === 'recorded') metrics.addMetric('NotificationRecorded', MetricUnit.Count, 1);
  };
}

export function makeOnEvent(deps: OnEventDeps) {
  return createConsumer({ consumes, handle: makeHandle(deps) });
}

export const handler = instrument(lazyHandler(() => makeOnEvent(defaultDeps())));
